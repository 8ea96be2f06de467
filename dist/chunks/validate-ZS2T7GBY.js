import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  loadSuites
} from "./chunk-HOKHJCMW.js";
import "./chunk-PU2ST35R.js";
import "./chunk-76A4KAXD.js";
import {
  EXIT,
  formatProblem
} from "./chunk-2F573QRZ.js";
import "./chunk-7XWDK2GP.js";
import "./chunk-2KJKCD6S.js";

// src/commands/validate.ts
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
async function validateCommand(paths, io, opts = {}) {
  const { suites, problems } = await loadSuites(paths, { cwd: io.cwd, env: io.env });
  if (opts.json === true) {
    const listed = suites.map((s) => ({ suite: s.name, file: s.file, tests: s.tests.map((t) => t.name) }));
    io.stdout(`${JSON.stringify({ ok: problems.length === 0, suites: listed, problems }, null, 2)}
`);
    return problems.length > 0 ? EXIT.usage : EXIT.ok;
  }
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`${formatProblem(p)}
`);
    const files = new Set(problems.map((p) => p.file)).size;
    io.stderr(`${plural(problems.length, "problem")} in ${plural(files, "file")}; nothing was sent
`);
    return EXIT.usage;
  }
  const tests = suites.reduce((n, s) => n + s.tests.length, 0);
  io.stdout(`${plural(suites.length, "suite")}, ${plural(tests, "test")} OK
`);
  return EXIT.ok;
}
export {
  validateCommand
};
