import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7BFOF2IB.js";
import "./chunk-5CZ452EX.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
