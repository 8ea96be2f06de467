import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
} from "./chunk-WCYBZND4.js";
import "./chunk-YRXPJE5G.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
};
