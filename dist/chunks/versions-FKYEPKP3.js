import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-LZW7BWQ2.js";
import "./chunk-NJ6C2BR7.js";
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
