import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-KPIDSCRS.js";
import "./chunk-7GAHZGA7.js";
import "./chunk-WMK44IXT.js";
import "./chunk-QNNC2VGU.js";
import "./chunk-YRYUY5JO.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-GYSJQ6Y2.js";
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
