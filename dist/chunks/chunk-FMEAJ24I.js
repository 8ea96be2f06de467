#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);

// reporters/style.ts
import { styleText } from "node:util";
function colorEnabled(env, isTTY) {
  const force = env.FORCE_COLOR;
  if (force !== void 0) return !["0", "false"].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY;
}
var painter = (enabled) => enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;

export {
  colorEnabled,
  painter
};
