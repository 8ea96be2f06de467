import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);

// src/errors.ts
var EXIT = { ok: 0, gateFailed: 1, usage: 2, incomplete: 3 };
var UsageError = class extends Error {
  name = "UsageError";
};
var formatProblem = (p) => `${p.file}:${p.line}:${p.col}: ${p.message}`;
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
var IncompleteError = class extends Error {
  name = "IncompleteError";
};
function exitCodeForError(err) {
  if (err instanceof UsageError || err instanceof SuiteFileError) return EXIT.usage;
  return EXIT.incomplete;
}
function exitCodeForVerdict(v) {
  if (!v.complete) return EXIT.incomplete;
  return v.passed ? EXIT.ok : EXIT.gateFailed;
}
function redact(text, secret) {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join("***");
}

export {
  EXIT,
  UsageError,
  formatProblem,
  SuiteFileError,
  ApiError,
  IncompleteError,
  exitCodeForError,
  exitCodeForVerdict,
  redact
};
