import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
} from "./chunk-UEAVEBNJ.js";
import "./chunk-43E6CWML.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-C5SV5F42.js";
import "./chunk-LE46KEQD.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
};
