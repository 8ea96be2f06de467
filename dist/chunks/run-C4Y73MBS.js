import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-F3PHQFPI.js";
import "./chunk-DAG22KAG.js";
import "./chunk-WMK44IXT.js";
import "./chunk-4K4NZCQ2.js";
import "./chunk-6UQB32UJ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7XHXHMMG.js";
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
