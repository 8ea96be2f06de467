import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-IXSDAR7C.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-T7M2HIFP.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
