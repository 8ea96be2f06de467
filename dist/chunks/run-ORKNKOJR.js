import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-IKCNR4GV.js";
import "./chunk-LMBMLBUB.js";
import "./chunk-WMK44IXT.js";
import "./chunk-B4NL5ARN.js";
import "./chunk-3PLMVGSE.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-HOKHJCMW.js";
import "./chunk-PU2ST35R.js";
import "./chunk-76A4KAXD.js";
import "./chunk-2F573QRZ.js";
import "./chunk-6Y7TIUQQ.js";
import "./chunk-6VU6TTLX.js";
import "./chunk-5M2APOUQ.js";
import "./chunk-7XWDK2GP.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
