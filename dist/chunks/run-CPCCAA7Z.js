import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-S73NKSQY.js";
import "./chunk-VD7CRDT6.js";
import "./chunk-WMK44IXT.js";
import "./chunk-442H4BCW.js";
import "./chunk-AXGVFPUI.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-PU2ST35R.js";
import "./chunk-76A4KAXD.js";
import "./chunk-2F573QRZ.js";
import "./chunk-JPHM7V3K.js";
import "./chunk-7KQPHEI2.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
