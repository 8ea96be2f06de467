import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-SVL2IOAF.js";
import "./chunk-PKIXP6JP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-F23BGGJP.js";
import "./chunk-MONHIVLT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-OU4XGLMI.js";
import "./chunk-ZDDCYP6J.js";
import "./chunk-E5FXICKB.js";
import "./chunk-QOZQK6IJ.js";
import "./chunk-2F573QRZ.js";
import "./chunk-6Y7TIUQQ.js";
import "./chunk-6VU6TTLX.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
