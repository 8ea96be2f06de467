import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
} from "./chunk-ERM4SP5O.js";
import "./chunk-WMK44IXT.js";
import "./chunk-WCYBZND4.js";
import "./chunk-DV4RZWIZ.js";
import "./chunk-Q3NBSJSI.js";
import "./chunk-YRXPJE5G.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
};
