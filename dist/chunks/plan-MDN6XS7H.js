import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
} from "./chunk-64LQNCJ7.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-5PGSD6OO.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-C5SV5F42.js";
import "./chunk-LE46KEQD.js";
export {
  conflictHint,
  planCommand,
  planJson,
  preparePlan,
  reportError
};
