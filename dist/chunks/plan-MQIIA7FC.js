import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-MONHIVLT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-OU4XGLMI.js";
import "./chunk-ZDDCYP6J.js";
import "./chunk-E5FXICKB.js";
import "./chunk-QOZQK6IJ.js";
import "./chunk-2F573QRZ.js";
import "./chunk-2KJKCD6S.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
