import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
} from "./chunk-VHMRDYJU.js";
import "./chunk-AVOBVMEK.js";
import "./chunk-5ZXEMIHY.js";
import "./chunk-LN4465GO.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
};
