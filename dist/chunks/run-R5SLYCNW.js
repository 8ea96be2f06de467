import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-5TNEX2T3.js";
import "./chunk-EYMZ6JPK.js";
import "./chunk-WMK44IXT.js";
import "./chunk-YTWQZRVW.js";
import "./chunk-AXGVFPUI.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-PU2ST35R.js";
import "./chunk-76A4KAXD.js";
import "./chunk-2F573QRZ.js";
import "./chunk-HWCR7MMG.js";
import "./chunk-CM2IUW2Z.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
