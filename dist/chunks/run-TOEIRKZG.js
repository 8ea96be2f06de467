#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-M36CTMP6.js";
import "./chunk-RPSDDTOM.js";
import "./chunk-FMEAJ24I.js";
import "./chunk-W7R4JUKS.js";
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
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
