import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
} from "./chunk-B4NL5ARN.js";
import "./chunk-6Y7TIUQQ.js";
import "./chunk-6VU6TTLX.js";
import "./chunk-5M2APOUQ.js";
import "./chunk-7XWDK2GP.js";
import "./chunk-2KJKCD6S.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
};
