// Colour for the terminal: decided once from the environment, applied with Node's styleText.
// FORCE_COLOR wins (as in Node itself), then NO_COLOR, then whether stdout is a terminal.
import { styleText } from 'node:util';

export type Style = Parameters<typeof styleText>[0];
export type Paint = (style: Style, text: string) => string;

/** https://no-color.org and Node's FORCE_COLOR: "0"/"false" turns colour off, any other value on. */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase());
  if (env.NO_COLOR) return false;
  return isTTY;
}

/** styleText when colour is on (our decision, not the stream's), the text untouched when off. */
export const painter = (enabled: boolean): Paint =>
  enabled ? (style, text) => styleText(style, text, { validateStream: false }) : (_style, text) => text;
