import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-YMIWGVA4.js";
import "./chunk-QZYEZ64S.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-WA2RS7K2.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
