import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
} from "./chunk-L6E3KDOJ.js";
import "./chunk-HWCR7MMG.js";
import "./chunk-CM2IUW2Z.js";
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
