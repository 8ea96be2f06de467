import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
} from "./chunk-A2LXY6DA.js";
import "./chunk-WMK44IXT.js";
import "./chunk-L6E3KDOJ.js";
import "./chunk-GYSJQ6Y2.js";
import "./chunk-2F573QRZ.js";
import "./chunk-HWCR7MMG.js";
import "./chunk-CM2IUW2Z.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
};
