import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-YPX3HMDR.js";
import "./chunk-3LOBZJBQ.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-GYSJQ6Y2.js";
import "./chunk-2F573QRZ.js";
import "./chunk-HWCR7MMG.js";
import "./chunk-CM2IUW2Z.js";
import "./chunk-TMPNTCQD.js";
import "./chunk-2KJKCD6S.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
