import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  cleanLine
} from "./chunk-LN4465GO.js";

// src/errors.ts
var EXIT = { ok: 0, gateFailed: 1, usage: 2, incomplete: 3 };
var UsageError = class extends Error {
  name = "UsageError";
};
var formatProblem = (p) => `${shownFile(p.file)}:${p.line}:${p.col}: ${cleanLine(p.message)}`;
var shownFile = (file) => {
  const clean = cleanLine(file);
  return clean === file ? file : cleanLine(JSON.stringify(file));
};
var SuiteFileError = class extends Error {
  constructor(problems) {
    super(
      `${problems.length} problem${problems.length === 1 ? "" : "s"} in suite files:
${problems.map(formatProblem).join("\n")}`
    );
    this.problems = problems;
  }
  problems;
  name = "SuiteFileError";
};
var ApiError = class extends Error {
  constructor(message, details, options) {
    super(message, options);
    this.details = details;
  }
  details;
  name = "ApiError";
};
var isNotFound = (err) => err instanceof ApiError && err.details.status === 404;
var IncompleteError = class extends Error {
  name = "IncompleteError";
};
function exitCodeForError(err) {
  if (err instanceof UsageError || err instanceof SuiteFileError) return EXIT.usage;
  return EXIT.incomplete;
}
function reportError(err, io) {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`${redact(message, io.env.TELNYX_API_KEY)}
`);
  return exitCodeForError(err);
}
function exitCodeForVerdict(v) {
  if (!v.complete) return EXIT.incomplete;
  return v.passed ? EXIT.ok : EXIT.gateFailed;
}
var FRAGMENT = 8;
function secretProbe(secret) {
  if (secret.length < 2 * FRAGMENT) return (text) => secret.length >= 4 && text.includes(secret);
  const pieces = /* @__PURE__ */ new Set();
  for (let k = 0; k + FRAGMENT <= secret.length; k++) pieces.add(secret.slice(k, k + FRAGMENT));
  const any = new RegExp([...pieces].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"));
  return (text) => any.test(text);
}
function redact(text, secret) {
  if (!secret || secret.length < 4) return text;
  const whole = text.split(secret).join("***");
  if (secret.length < 2 * FRAGMENT) return whole;
  const spans = [];
  for (let k = 0; k + FRAGMENT <= secret.length; k++) {
    const piece = secret.slice(k, k + FRAGMENT);
    for (let i = whole.indexOf(piece); i >= 0; i = whole.indexOf(piece, i + 1)) {
      let end = i + FRAGMENT;
      while (end < whole.length && secret.includes(whole.slice(i, end + 1))) end++;
      let start = i;
      while (start > 0 && secret.includes(whole.slice(start - 1, end))) start--;
      spans.push([start, end]);
    }
  }
  if (spans.length === 0) return whole;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    out += `${whole.slice(at, Math.max(at, start))}***`;
    at = end;
  }
  return out + whole.slice(at);
}

export {
  EXIT,
  UsageError,
  formatProblem,
  SuiteFileError,
  ApiError,
  isNotFound,
  IncompleteError,
  exitCodeForError,
  reportError,
  exitCodeForVerdict,
  secretProbe,
  redact
};
