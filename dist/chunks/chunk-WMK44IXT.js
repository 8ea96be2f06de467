import * as __rgModule from 'node:module';
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
