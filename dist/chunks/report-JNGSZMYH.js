import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
} from "./chunk-EGNYDXSP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-7B25DCRM.js";
import "./chunk-7BFOF2IB.js";
import "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
};
