import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
} from "./chunk-442H4BCW.js";
import "./chunk-JPHM7V3K.js";
import "./chunk-7KQPHEI2.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
};
