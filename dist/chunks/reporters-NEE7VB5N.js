#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
} from "./chunk-VMBHHEJA.js";
import "./chunk-NHOQNKJI.js";
import "./chunk-S6F4POWA.js";
import "./chunk-BHAKOKDA.js";
export {
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  parseReporters,
  writeFileAtomic,
  writeReports
};
