import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-US64MTFX.js";
import "./chunk-4WJE5E2R.js";
import "./chunk-WMK44IXT.js";
import "./chunk-345KIHE2.js";
import "./chunk-XRZGXBZ7.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-GYSJQ6Y2.js";
import "./chunk-2F573QRZ.js";
import "./chunk-43E6CWML.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
