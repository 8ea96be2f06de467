// `rubric-gate validate [paths]`: offline. Every problem in every suite file, one
// `file:line:col: message` line each (the format editors and CI problem matchers read), exit 2 on any.
import { EXIT, type ExitCode, formatProblem } from '../errors.js';
import type { Io } from '../io.js';
import { loadSuites } from '../suite/load.js';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function validateCommand(
  paths: readonly string[],
  io: Io,
  opts: { json?: boolean } = {},
): Promise<ExitCode> {
  const { suites, problems } = await loadSuites(paths, { cwd: io.cwd, env: io.env });
  if (opts.json === true) {
    // For scripts: one JSON document on stdout, whatever the outcome; the exit code still says it.
    const listed = suites.map((s) => ({ suite: s.name, file: s.file, tests: s.tests.map((t) => t.name) }));
    io.stdout(`${JSON.stringify({ ok: problems.length === 0, suites: listed, problems }, null, 2)}\n`);
    return problems.length > 0 ? EXIT.usage : EXIT.ok;
  }
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`${formatProblem(p)}\n`);
    const files = new Set(problems.map((p) => p.file)).size;
    io.stderr(`${plural(problems.length, 'problem')} in ${plural(files, 'file')}; nothing was sent\n`);
    return EXIT.usage;
  }
  const tests = suites.reduce((n, s) => n + s.tests.length, 0);
  io.stdout(`${plural(suites.length, 'suite')}, ${plural(tests, 'test')} OK\n`);
  return EXIT.ok;
}
