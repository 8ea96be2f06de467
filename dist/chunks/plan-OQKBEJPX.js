import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-EYUEPBTK.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-DV4RZWIZ.js";
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
