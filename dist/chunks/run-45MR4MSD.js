import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-DRJ7OE5I.js";
import "./chunk-A2LXY6DA.js";
import "./chunk-WMK44IXT.js";
import "./chunk-L6E3KDOJ.js";
import "./chunk-3LOBZJBQ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-GYSJQ6Y2.js";
import "./chunk-2F573QRZ.js";
import "./chunk-HWCR7MMG.js";
import "./chunk-CM2IUW2Z.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
