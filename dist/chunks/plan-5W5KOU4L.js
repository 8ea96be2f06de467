import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-6UQB32UJ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7XHXHMMG.js";
import "./chunk-Q3NBSJSI.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
