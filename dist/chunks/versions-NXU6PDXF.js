import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-LYLJGBR3.js";
import "./chunk-6UQB32UJ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7XHXHMMG.js";
import "./chunk-Q3NBSJSI.js";
import "./chunk-YRXPJE5G.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
