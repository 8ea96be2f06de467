import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
} from "./chunk-WKGFUZKI.js";
import "./chunk-AVOBVMEK.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeReports
};
