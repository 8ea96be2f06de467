import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
} from "./chunk-PKIXP6JP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-F23BGGJP.js";
import "./chunk-ZDDCYP6J.js";
import "./chunk-E5FXICKB.js";
import "./chunk-QOZQK6IJ.js";
import "./chunk-2F573QRZ.js";
import "./chunk-6Y7TIUQQ.js";
import "./chunk-6VU6TTLX.js";
import "./chunk-2KJKCD6S.js";
export {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
};
