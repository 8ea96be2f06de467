import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/sanitize.ts
import { stripVTControlCharacters } from "node:util";
var STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;
var LINE_BREAKS = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
var CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
var NONCHARACTERS = /[\ufffe\uffff]/g;
var LONE_SURROGATE = /[\ud800-\udfff]/gu;
var STYLING = /(\u001b\[[\d;]*m|\u001b\[[0-2]?K)/;
var NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]/;
var NEEDS_CLEANING_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]/;
var LEADING_COLON = /^[\s\p{Default_Ignorable_Code_Point}\p{Cc}]*:/u;
var stripSequences = (text) => stripVTControlCharacters(text.replace(STRING_SEQUENCE, ""));
var lineStart = () => ({ lead: "blank", hashes: 0 });
var DEFAULT_IGNORABLE = new RegExp("\\p{Default_Ignorable_Code_Point}", "u");
var isIgnorable = (code) => code < 32 || code >= 127 && code <= 159 || code > 159 && DEFAULT_IGNORABLE.test(String.fromCodePoint(code));
var isSpace = (code) => code === 32 || code > 127 && /\s/u.test(String.fromCodePoint(code));
function neutraliseCommands(text, scan = lineStart()) {
  let out = "";
  let copied = 0;
  let afterSignificant = 0;
  const insertSpace = () => {
    out += `${text.slice(copied, afterSignificant)} `;
    copied = afterSignificant;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 55296 && code <= 56319 && next >= 56320 && next <= 57343) {
      code = (code - 55296 << 10) + (next - 56320) + 65536;
      i++;
    }
    if (code === 10 || code === 13) {
      scan.lead = "blank";
      scan.hashes = 0;
      continue;
    }
    if (isIgnorable(code)) continue;
    if (code === 58 && scan.lead === "colon") {
      insertSpace();
      scan.lead = "text";
    } else if (code === 58 && scan.lead === "blank") {
      scan.lead = "colon";
    } else if (!(scan.lead === "blank" && isSpace(code))) {
      scan.lead = "text";
    }
    if (code === 91 && scan.hashes >= 2) insertSpace();
    scan.hashes = code === 35 ? scan.hashes + 1 : 0;
    afterSignificant = i + 1;
  }
  return out + text.slice(copied);
}
var stripControls = (text) => text.replace(CONTROLS, "").replace(NONCHARACTERS, "").replace(LONE_SURROGATE, "\uFFFD");
function cleanLine(text) {
  const stripped = NEEDS_CLEANING.test(text) ? stripControls(stripSequences(text).replace(LINE_BREAKS, " ").replace(/\t/g, " ")) : text;
  return stripped.includes("[") || stripped.includes(":") && LEADING_COLON.test(stripped) ? neutraliseCommands(stripped) : stripped;
}
function cleanText(text) {
  if (!NEEDS_CLEANING_BUT_LF.test(text)) return text.split("\n").map(cleanLine).join("\n");
  return stripSequences(text).split(LINE_BREAKS).map(cleanLine).join("\n");
}
function outputGuard(opts) {
  const scan = lineStart();
  const plain = (segment) => stripSequences(segment).split(/(\r\n|[\n\r])/).map(
    (p, i) => i % 2 === 1 ? opts.tty ? p : "\n" : stripControls(p.replace(/[\t\v\f\u0085\u2028\u2029]/g, " "))
  ).join("");
  const keep = (sequence) => sequence.endsWith("m") ? opts.colour : opts.tty;
  return (chunk) => {
    const parts = chunk.split(STYLING);
    const filtered = parts.map((p, i) => i % 2 === 1 ? keep(p) ? p : "" : plain(p)).join("");
    return neutraliseCommands(filtered, scan);
  };
}

export {
  __require,
  __commonJS,
  __export,
  __toESM,
  cleanLine,
  cleanText,
  outputGuard
};
