// The file-system shell around suite/parse.ts: expands paths into suite files, reads them, and
// checks across files (one suite per file). I/O failures become located problems, never throws.
// Synchronous I/O: files are read one after another and nothing else runs meanwhile, and each
// fs/promises call is a thread-pool round trip (~0.5 ms): ~12 of validate's ~100 ms over bare
// node on the three example files. The functions stay async for their callers.
import type { Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { type Problem, SuiteFileError } from '../errors.js';
import { SUITE_FILE_LIMITS } from './bounds.js';
import type { Env } from './interpolate.js';
import { clip } from './messages.js';
import type { SuiteDef } from './model.js';
import { parseSuiteText } from './parse.js';

export const DEFAULT_SUITE_PATHS = ['suites'] as const;
const SUITE_FILE = /\.(ya?ml|json)$/i;
// Simulator scenarios live beside the suites and are not suites.
const SCENARIO_FILE = /\.scenario\.(ya?ml|json)$/i;

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
    let info: Stats;
    try {
      // stat, not open: it follows symlinks and never blocks, even on a FIFO.
      info = statSync(abs);
    } catch (err) {
      problem(abs, ioMessage(err, 'path'));
      continue;
    }
    if (info.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(abs).sort();
      } catch (err) {
        problem(abs, ioMessage(err, 'directory'));
        continue;
      }
      const matches = names.filter((n) => SUITE_FILE.test(n) && !SCENARIO_FILE.test(n) && !n.startsWith('.'));
      if (matches.length === 0) {
        problem(abs, 'no suite files here (expected *.yaml, *.yml or *.json); add one or pass another path');
      }
      for (const n of matches) {
        const file = path.join(abs, n);
        let entry: Stats;
        try {
          entry = statSync(file);
        } catch (err) {
          problem(file, ioMessage(err, 'file'));
          continue;
        }
        const notRegular = notRegularFile(entry);
        if (notRegular) problem(file, notRegular);
        else add(file);
      }
    } else if (notRegularFile(info)) {
      problem(abs, notRegularFile(info) as string);
    } else if (!SUITE_FILE.test(abs)) {
      problem(abs, 'not a suite file: expected a .yaml, .yml or .json file or a directory');
    } else {
      add(abs);
    }
  }
  return { files, problems };
}

/** Why a path is not a regular file (a FIFO would block a read, a device never ends), or undefined. */
function notRegularFile(info: Stats): string | undefined {
  if (info.isFile()) return undefined;
  const kind = info.isDirectory()
    ? 'a directory'
    : info.isFIFO()
      ? 'a FIFO (named pipe)'
      : info.isCharacterDevice()
        ? 'a character device'
        : info.isBlockDevice()
          ? 'a block device'
          : info.isSocket()
            ? 'a socket'
            : 'not a regular file';
  return `is ${kind}, not a regular file; suite files must be regular files (a symlink to one is fine)`;
}

type Read = { text: string } | { problem: string; line?: number; col?: number };

const KERNEL_FILES = /^\/(proc|sys|dev)(\/|$)/;
const KERNEL_FILE =
  'links to a file under /proc, /sys or /dev, which is never a suite file (it may hold the environment); refused unread';

/** Strict: a byte sequence that is not UTF-8 is an error, not a U+FFFD sent to the API. */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }); // the BOM stays, as parse and pull expect

/** Where the first byte that is not UTF-8 is, as a problem at its line and column. */
function notUtf8(bytes: Buffer): Read {
  // The longest prefix that decodes: a binary search over prefixes would cut characters in two.
  let at = 0;
  while (at < bytes.length) {
    const b = bytes[at] ?? 0;
    const size =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (size === 0 || at + size > bytes.length) break;
    try {
      UTF8.decode(bytes.subarray(at, at + size));
    } catch {
      break;
    }
    at += size;
  }
  const before = bytes.subarray(0, at).toString('utf8');
  const line = before.split('\n').length;
  const col = before.length - before.lastIndexOf('\n');
  return {
    problem: `byte ${at} is not UTF-8 (0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')}); save the file as UTF-8`,
    line,
    col,
  };
}

/**
 * Read a regular file of at most SUITE_FILE_LIMITS.bytes. Bounded: at most limit + 1 bytes are
 * read whatever the file claims to be. O_NONBLOCK: if the path was swapped for a FIFO after the
 * stat, opening it cannot block (and fstat then refuses it).
 */
export async function readSuiteFile(abs: string): Promise<Read> {
  const limit = SUITE_FILE_LIMITS.bytes;
  const tooLarge = `file is larger than ${limit / 1024 / 1024} MiB; is it really a suite file?`;
  const fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = fstatSync(fd);
    const notRegular = notRegularFile(info);
    if (notRegular) return { problem: notRegular };
    // The kernel's own files look regular (and empty) to stat, and hold the environment, secrets
    // included: a suite file linked to one would print its start in a problem's "got text ...".
    if (KERNEL_FILES.test(realpathSync(abs))) return { problem: KERNEL_FILE };
    if (info.size > limit) return { problem: tooLarge };
    // Sized from the stat, not the limit: a 2 MiB zero-filled buffer per file was most of
    // validate's run time on small suites. One spare byte tells a file that grew after the stat.
    let buf = Buffer.allocUnsafe(info.size + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length < buf.length) continue;
      if (length > limit) break;
      // The file grew after the stat: make room, never past limit + 1 bytes.
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit + 1));
      buf.copy(bigger, 0, 0, length);
      buf = bigger;
    }
    // The file grew after the stat.
    if (length > limit) return { problem: tooLarge };
    const bytes = buf.subarray(0, length);
    try {
      return { text: UTF8.decode(bytes) };
    } catch {
      return notUtf8(bytes);
    }
  } finally {
    closeSync(fd);
  }
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
      const read = await readSuiteFile(abs);
      if ('problem' in read) {
        problems.push({ file, line: read.line ?? 1, col: read.col ?? 1, message: read.problem });
        continue;
      }
      text = read.text;
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
    for (const p of fileProblems) problems.push(p);
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
