#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);
import {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
} from "./chunk-2IRX4SMV.js";
import "./chunk-EKQLR3MG.js";
import "./chunk-X2SG3U34.js";
import "./chunk-I5XTSJJB.js";
import "./chunk-LRPJFE54.js";
import "./chunk-4OWM6JMB.js";
import "./chunk-OBXLLXW3.js";
import "./chunk-NHOQNKJI.js";
import "./chunk-S6F4POWA.js";
import "./chunk-BHAKOKDA.js";
export {
  readAssistant,
  renderVersions,
  versionIdOf,
  versionsCommand
};
