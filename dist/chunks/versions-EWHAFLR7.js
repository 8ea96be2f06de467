import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-5EWBZQDK.js";
import "./chunk-UVKSJ2IV.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-2VSHMOZQ.js";
import "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
