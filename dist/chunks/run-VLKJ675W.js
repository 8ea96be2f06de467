import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-ICXOCFX3.js";
import "./chunk-ERM4SP5O.js";
import "./chunk-WMK44IXT.js";
import "./chunk-WCYBZND4.js";
import "./chunk-EYUEPBTK.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-DV4RZWIZ.js";
import "./chunk-Q3NBSJSI.js";
import "./chunk-YRXPJE5G.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
