#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);
import {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
} from "./chunk-YUB2EWOL.js";
import "./chunk-FMEAJ24I.js";
import "./chunk-VMBHHEJA.js";
import "./chunk-LRPJFE54.js";
import "./chunk-4OWM6JMB.js";
import "./chunk-OBXLLXW3.js";
import "./chunk-NHOQNKJI.js";
import "./chunk-S6F4POWA.js";
import "./chunk-BHAKOKDA.js";
export {
  decide,
  exitCodeOf,
  gateAndReport,
  gateOverridesFromFlags,
  reportCommand
};
