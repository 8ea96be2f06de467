import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-GHTQSH7J.js";
import "./chunk-4C43PL5C.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-LC52XNTJ.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
