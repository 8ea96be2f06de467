import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-J4EJYB7Q.js";
import "./chunk-EYUEPBTK.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-DV4RZWIZ.js";
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
