import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-U2CQCW26.js";
import "./chunk-4ZLBCWOE.js";
import "./chunk-WMK44IXT.js";
import "./chunk-VHMRDYJU.js";
import "./chunk-OCNZ2R7P.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-T7M2HIFP.js";
import "./chunk-AVOBVMEK.js";
import "./chunk-5ZXEMIHY.js";
import "./chunk-LN4465GO.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
