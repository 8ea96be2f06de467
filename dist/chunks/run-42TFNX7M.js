import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  resumeHint,
  runCommand,
  withStopSignals
} from "./chunk-6VPND3J3.js";
import "./chunk-REPYTKCR.js";
import "./chunk-6UJAWMLF.js";
import "./chunk-WMK44IXT.js";
import "./chunk-7B25DCRM.js";
import "./chunk-NJ6C2BR7.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-LC52XNTJ.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  resumeHint,
  runCommand,
  withStopSignals
};
