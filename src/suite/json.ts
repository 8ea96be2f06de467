// JSON syntax (RFC 8259, what JSON.parse accepts) for .json suite files: the first mistake, at
// its offset, in JSON terms ("unexpected '}', expected a property name"). A YAML parser accepts
// comments, trailing commas and single quotes, and JSON.parse gives no position for a truncated
// file, so neither can say this. Iterative (an explicit stack) and linear: nesting cannot
// overflow the call stack, and depth is bounded. Pure.

import { nestedTooDeep } from './bounds.js';

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

type Expect =
  | 'value' // after ':' or at the start
  | 'item' // after ',' in a list
  | 'item-or-close' // after '['
  | 'key' // after ',' in an object
  | 'key-or-close' // after '{'
  | 'colon'
  | 'comma-or-close'
  | 'end';

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

/** The first syntax error of `text` as JSON, or undefined when JSON.parse would accept it. */
export function checkJson(text: string, maxDepth: number): JsonSyntaxError | undefined {
  const stack: Array<'[' | '{'> = [];
  let expect = 'value' as Expect; // (as: afterValue() sets it, out of the compiler's sight)
  let i = 0;
  const n = text.length;
  const closer = () => (stack.at(-1) === '[' ? ']' : '}');
  const afterValue = () => {
    expect = stack.length === 0 ? 'end' : 'comma-or-close';
  };

  for (;;) {
    while (i < n && WS.has(text[i] as string)) i++;
    if (i >= n) {
      if (expect === 'end') return undefined;
      return {
        offset: n,
        message: `unexpected end of file, expected ${expected(expect, closer())}; is the file cut short?`,
      };
    }
    const c = text[i] as string;
    switch (expect) {
      case 'end':
        return unexpected(text, i, 'nothing after the end of the top-level value');
      case 'colon':
        if (c !== ':') return unexpected(text, i, "':' after the property name");
        i++;
        expect = 'value';
        continue;
      case 'comma-or-close':
        if (c === ',') {
          i++;
          expect = stack.at(-1) === '[' ? 'item' : 'key';
          continue;
        }
        if (c === closer()) {
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        {
          const e = unexpected(text, i, `',' or '${closer()}'`);
          // A value where a comma belongs: the comma before it is missing.
          if (/["\d[{tfn-]/.test(c)) e.message += '; a comma is missing before it';
          return e;
        }
      case 'key':
      case 'key-or-close':
        if (c === '}') {
          if (expect === 'key') return trailingComma(text, i, 'a property name in double quotes');
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        if (c !== '"') return unexpected(text, i, expected(expect, '}'));
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        }
        expect = 'colon';
        continue;
      default: {
        // 'value', 'item', 'item-or-close'
        if (c === ']' && expect !== 'value') {
          if (expect === 'item') return trailingComma(text, i, 'a value');
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        if (c === '[' || c === '{') {
          if (stack.length >= maxDepth) {
            return { offset: i, message: nestedTooDeep(maxDepth) };
          }
          stack.push(c);
          i++;
          expect = c === '[' ? 'item-or-close' : 'key-or-close';
          continue;
        }
        const end = scanScalar(text, i);
        if (typeof end !== 'number') return end;
        i = end;
        afterValue();
      }
    }
  }
}

function expected(expect: Expect, close: string): string {
  switch (expect) {
    case 'colon':
      return "':'";
    case 'comma-or-close':
      return `',' or '${close}'`;
    case 'key':
      return 'a property name in double quotes';
    case 'key-or-close':
      return "a property name in double quotes or '}'";
    case 'item-or-close':
      return "a value or ']'";
    default:
      return 'a value';
  }
}

function trailingComma(text: string, at: number, what: string): JsonSyntaxError {
  return {
    offset: at,
    message: `unexpected '${text[at]}' after a comma, expected ${what}; remove the trailing comma`,
  };
}

/** A string, number, true, false or null starting at i: the offset after it, or the error. */
function scanScalar(text: string, i: number): number | JsonSyntaxError {
  const c = text[i] as string;
  if (c === '"') return scanString(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    const end = m ? i + m[0].length : i;
    // "01", "1.", "-", "1e": a number that stops early is followed by what made it invalid.
    if (end === i || /[0-9.eE+-]/.test(text[end] ?? '')) {
      return {
        offset: i,
        message: `invalid number ${quoteToken(text, i)}; write digits like 3, -1, 0.5 or 1e3`,
      };
    }
    return end;
  }
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, i) && !/[A-Za-z0-9_$]/.test(text[i + word.length] ?? ''))
      return i + word.length;
  }
  return unexpected(text, i, 'a value');
}

/** A double-quoted string starting at i: the offset after its closing quote, or the error. */
function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      return { offset: start, message: 'this string is never closed; add the closing double quote' };
    }
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) {
      const what = c === 0x0a ? 'a line break' : c === 0x09 ? 'a tab' : 'a control character';
      return { offset: i, message: `${what} inside a string; write it as an escape (\\n, \\t, \\u0000)` };
    }
    if (c === 0x5c) {
      const e = text[i + 1] ?? '';
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { offset: i, message: 'invalid \\u escape; write four hex digits, like \\u00e9' };
        }
        i += 6;
        continue;
      }
      if (!ESCAPE.has(e)) {
        return {
          offset: i,
          message: `invalid escape \\${e}; JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
}

/** "unexpected X, expected Y", with advice for what YAML or JavaScript allow and JSON does not. */
function unexpected(text: string, i: number, wanted: string): JsonSyntaxError {
  const c = text[i] as string;
  let hint = '';
  if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) hint = '; JSON has no comments, remove it';
  else if (c === "'") hint = '; JSON strings and property names use double quotes';
  else if (/[A-Za-z_$]/.test(c) && wanted.startsWith('a property name'))
    hint = '; put the name in double quotes';
  else if (/[A-Za-z_$]/.test(c) && wanted === 'a value') hint = '; put text in double quotes';
  return { offset: i, message: `unexpected ${quoteToken(text, i)}, expected ${wanted}${hint}` };
}

/** The token at i as a message shows it: a word or number whole, otherwise one character. */
function quoteToken(text: string, i: number): string {
  if (text[i] === '"') {
    const end = text.indexOf('"', i + 1);
    const body = end > i ? text.slice(i + 1, end) : '';
    return end > i && end - i <= 40 && !/[\n\\]/.test(body) ? `string "${body}"` : 'a string';
  }
  const word = /[A-Za-z0-9_$.+-]{1,20}/y;
  word.lastIndex = i;
  const m = word.exec(text);
  const tok = m ? m[0] : (text[i] as string);
  return tok === "'" ? 'a single quote' : `'${tok}'`;
}
