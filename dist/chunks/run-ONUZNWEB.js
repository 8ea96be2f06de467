import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-IW6NB7VB.js";
import "./chunk-3DCA44DL.js";
import "./chunk-WMK44IXT.js";
import "./chunk-WKGFUZKI.js";
import "./chunk-IXSDAR7C.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-T7M2HIFP.js";
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
