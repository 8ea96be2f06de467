import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-G3ADIDX2.js";
import "./chunk-TP7PACQD.js";
import "./chunk-WMK44IXT.js";
import "./chunk-WKGFUZKI.js";
import "./chunk-N7MTALRJ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-LC52XNTJ.js";
import "./chunk-AVOBVMEK.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  runCommand,
  withStopSignals
};
