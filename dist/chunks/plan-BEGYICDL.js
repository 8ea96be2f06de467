import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-AXGVFPUI.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-PU2ST35R.js";
import "./chunk-76A4KAXD.js";
import "./chunk-2F573QRZ.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
