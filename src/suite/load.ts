// The file-system shell around suite/parse.ts: expands paths into suite files, reads them, and
// checks across files (one suite per file). I/O failures become located problems, never throws.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Problem, SuiteFileError } from '../errors.js';
import type { Env } from './interpolate.js';
import { clip } from './messages.js';
import type { SuiteDef } from './model.js';
import { parseSuiteText } from './parse.js';

export const DEFAULT_SUITE_PATHS = ['suites'] as const;
const SUITE_FILE = /\.(ya?ml|json)$/i;
// Simulator scenarios live beside the suites and are not suites.
const SCENARIO_FILE = /\.scenario\.(ya?ml|json)$/i;
const MAX_BYTES = 5 * 1024 * 1024;

export interface LoadOptions {
  cwd: string;
  env: Env;
}

export interface LoadResult {
  /** The suites of files without problems. */
  suites: SuiteDef[];
  problems: Problem[];
}

/** A path as problems and the model show it: relative to cwd, with / separators. */
export function displayPath(cwd: string, abs: string): string {
  const rel = path.relative(cwd, abs) || '.';
  return rel.split(path.sep).join('/');
}

/** Expand files and directories (their *.yaml|*.yml|*.json, not *.scenario.*) into suite files. */
export async function listSuiteFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: string[]; problems: Problem[] }> {
  const files: string[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (abs: string) => {
    if (!seen.has(abs)) {
      seen.add(abs);
      files.push(abs);
    }
  };
  const problem = (abs: string, message: string) =>
    problems.push({ file: displayPath(cwd, abs), line: 1, col: 1, message });

  for (const p of paths.length > 0 ? paths : DEFAULT_SUITE_PATHS) {
    const abs = path.resolve(cwd, p);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(abs);
    } catch (err) {
      problem(abs, ioMessage(err, 'path'));
      continue;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = (await readdir(abs)).sort();
      } catch (err) {
        problem(abs, ioMessage(err, 'directory'));
        continue;
      }
      const matches = names.filter((n) => SUITE_FILE.test(n) && !SCENARIO_FILE.test(n) && !n.startsWith('.'));
      if (matches.length === 0) {
        problem(abs, 'no suite files here (expected *.yaml, *.yml or *.json); add one or pass another path');
      }
      for (const n of matches) add(path.join(abs, n));
    } else if (!SUITE_FILE.test(abs)) {
      problem(abs, 'not a suite file: expected a .yaml, .yml or .json file or a directory');
    } else {
      add(abs);
    }
  }
  return { files, problems };
}

/** Load, interpolate and validate suite files. Every problem in every file, located. */
export async function loadSuites(paths: readonly string[], opts: LoadOptions): Promise<LoadResult> {
  const { files, problems } = await listSuiteFiles(paths, opts.cwd);
  const suites: SuiteDef[] = [];
  const declared = new Map<string, SuiteDef['loc']>();
  for (const abs of files) {
    const file = displayPath(opts.cwd, abs);
    let text: string;
    try {
      const info = await stat(abs);
      if (info.size > MAX_BYTES) {
        problems.push({
          file,
          line: 1,
          col: 1,
          message: `file is larger than 5 MiB; is it really a suite file?`,
        });
        continue;
      }
      text = await readFile(abs, 'utf8');
    } catch (err) {
      problems.push({ file, line: 1, col: 1, message: ioMessage(err, 'file') });
      continue;
    }
    const result = parseSuiteText(text, { file, env: opts.env });
    const fileProblems = [...result.problems];
    const other = result.declares && declared.get(result.declares.name);
    if (result.declares && other) {
      fileProblems.push({
        ...result.declares.loc,
        message: `suite "${clip(result.declares.name)}" is also declared in ${other.file}:${other.line}:${other.col}; one suite per file: rename one of them or merge the files`,
      });
      fileProblems.sort((a, b) => a.line - b.line || a.col - b.col);
    } else if (result.declares) {
      declared.set(result.declares.name, result.declares.loc);
    }
    problems.push(...fileProblems);
    if (result.suite && fileProblems.length === 0) suites.push(result.suite);
  }
  return { suites, problems };
}

/** loadSuites for commands that cannot go on with invalid files: throws SuiteFileError (exit 2). */
export async function loadSuitesOrThrow(paths: readonly string[], opts: LoadOptions): Promise<SuiteDef[]> {
  const { suites, problems } = await loadSuites(paths, opts);
  if (problems.length > 0) throw new SuiteFileError(problems);
  return suites;
}

function ioMessage(err: unknown, what: 'path' | 'file' | 'directory'): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `no such ${what}; check the path (suites live in suites/ by default)`;
  if (code === 'EACCES' || code === 'EPERM') return `cannot read this ${what}: permission denied`;
  if (code === 'EISDIR') return 'is a directory, not a file';
  return `cannot read this ${what}: ${err instanceof Error ? err.message : String(err)}`;
}
