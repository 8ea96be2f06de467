// `rubric-gate pull [--suite NAME]... [--dir DIR] [--dry-run]`: import the account's tests into
// suite files, one file per suite. Reads only (the API is never written). Existing files that
// declare a pulled suite are updated in place; the others are left alone. A suite with remote
// name conflicts, or whose file has problems, is reported and not written (exit 2).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TelnyxClient } from '../api/client.js';
import { resolveApiConfig } from '../config.js';
import { EXIT, type ExitCode, formatProblem, UsageError } from '../errors.js';
import { writeFileAtomic } from '../files.js';
import { INSTALLED_SCHEMA, schemaRef } from '../init.js';
import type { Io } from '../io.js';
import { type PullOutcome, pullSuite, suiteFileName } from '../pull.js';
import { displayPath, listSuiteFiles, readSuiteFile } from '../suite/load.js';
import { parseSuiteText } from '../suite/parse.js';
import { fetchRemote } from '../sync.js';
import { VERSION } from '../version.js';
import { type ApiFlags, reportError } from './plan.js';

export interface PullOptions extends ApiFlags {
  /** Suites to pull; default: every suite in the account. */
  suite?: string[] | undefined;
  /** Folder of the suite files. Default: suites. */
  dir?: string | undefined;
  dryRun?: boolean | undefined;
  /** Use this client instead of one built from apiKey/baseUrl (tests). */
  client?: TelnyxClient;
}

export async function pullCommand(opts: PullOptions, io: Io): Promise<ExitCode> {
  let apiKey = opts.apiKey;
  let owned: TelnyxClient | undefined;
  try {
    const dir = opts.dir ?? 'suites';
    let client = opts.client;
    if (!client) {
      const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
      apiKey = config.apiKey;
      owned = new TelnyxClient(config);
      client = owned;
    }
    const named = opts.suite !== undefined && opts.suite.length > 0;
    const wanted = named ? [...new Set(opts.suite)] : await client.listSuiteNames();
    if (wanted.length === 0) {
      io.stdout('pull: the account has no test suites; nothing to pull\n');
      return EXIT.ok;
    }
    const remote = await fetchRemote(client, wanted);
    const existing = await filesBySuite(dir, io);
    const taken = new Set([...existing.byFile.keys()]);
    const installed = existsSync(resolve(io.cwd, INSTALLED_SCHEMA));
    const outcomes: PullOutcome[] = [];
    for (const suite of wanted) {
      const have = existing.bySuite.get(suite);
      const newFile = have ? have.file : freeName(dir, suite, taken, io);
      outcomes.push(
        pullSuite({
          suite,
          remote: remote.get(suite) ?? [],
          ...(have ? { existing: have } : {}),
          newFile,
          schema: schemaRef(installed, VERSION, dirname(newFile)),
          env: io.env,
        }),
      );
    }

    let failed = false;
    for (const o of outcomes) {
      failed = report(o, { dryRun: opts.dryRun === true, named }, io) || failed;
      // Whole or not at all (temp file, then rename): a write cut short (a full disk, a kill)
      // must not leave a shorter file that still validates, its missing tests pruned on sync.
      if (o.kind === 'write' && o.changed && opts.dryRun !== true)
        writeFileAtomic(resolve(io.cwd, o.file), o.text);
    }
    if (opts.dryRun === true) io.stdout('pull: --dry-run, nothing was written\n');
    return failed ? EXIT.usage : EXIT.ok;
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    await owned?.close();
  }
}

/** The suite files in `dir` by the suite they declare (only readable declarations count). */
async function filesBySuite(dir: string, io: Io) {
  const bySuite = new Map<string, { file: string; text: string }>();
  const byFile = new Map<string, string | undefined>();
  if (!existsSync(resolve(io.cwd, dir))) return { bySuite, byFile };
  const { files } = await listSuiteFiles([dir], io.cwd);
  for (const abs of files) {
    const file = displayPath(io.cwd, abs);
    // Bounded like every suite read (regular files, size cap); an unreadable one declares nothing.
    const read = await readSuiteFile(abs);
    if ('problem' in read) {
      byFile.set(file, undefined);
      continue;
    }
    const text = read.text;
    // A file with problems still declares its suite: pull then reports them instead of writing
    // a second file for the same suite.
    const name = parseSuiteText(text, { file, env: io.env }).declares?.name;
    byFile.set(file, name);
    if (name !== undefined && !bySuite.has(name)) bySuite.set(name, { file, text });
  }
  return { bySuite, byFile };
}

/** A new file's path: the suite's name, with -2, -3... when another file has it. */
function freeName(dir: string, suite: string, taken: Set<string>, io: Io): string {
  const base = suiteFileName(suite).replace(/\.yaml$/, '');
  for (let i = 1; i < 1000; i++) {
    const file = displayPath(io.cwd, resolve(io.cwd, join(dir, `${base}${i === 1 ? '' : `-${i}`}.yaml`)));
    if (!taken.has(file) && !existsSync(resolve(io.cwd, file))) {
      taken.add(file);
      return file;
    }
  }
  throw new UsageError(`pull: no free file name for suite "${suite}" in ${dir}`);
}

const q = (s: string) => JSON.stringify(s);
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/**
 * Print one outcome; true when it is a problem (the exit code becomes 2). A suite with no tests
 * is one only when it was asked for by name (--suite); listed by the account, it is skipped.
 */
function report(o: PullOutcome, { dryRun, named }: { dryRun: boolean; named: boolean }, io: Io): boolean {
  const would = (verb: 'create' | 'update') => (dryRun ? `would ${verb}` : `${verb}d`);
  switch (o.kind) {
    case 'empty':
      if (!named) {
        io.stdout(`pull: suite ${q(o.suite)} has no tests in the account; skipped\n`);
        return false;
      }
      io.stderr(`pull: suite ${q(o.suite)} has no tests in the account; nothing written for it\n`);
      return true;
    case 'conflict':
      io.stderr(
        [
          `pull: suite ${q(o.suite)} not written: a test name is used by several remote tests, and pull will not guess which is meant:`,
          ...o.conflicts.map((c) => `  ${q(c.name)}: ${c.testIds.join(', ')}`),
          '  Delete the extra test ids in the account (keep the one whose run history you want), then pull again.',
          '',
        ].join('\n'),
      );
      return true;
    case 'invalid':
      io.stderr(
        [
          o.generated
            ? `pull: suite ${q(o.suite)} not written: the account's tests do not make a valid suite file:`
            : `pull: suite ${q(o.suite)} not written: ${o.file} has problems; fix them (rubric-gate validate), then pull again:`,
          ...o.problems.map((p) => `  ${formatProblem(p)}`),
          '',
        ].join('\n'),
      );
      return true;
    case 'write': {
      const tests = o.added.length + o.updated.length;
      const head = o.created
        ? `${would('create')} ${o.file} (${plural(o.added.length, 'test')})`
        : !o.changed
          ? `${o.file} is up to date`
          : `${would('update')} ${o.file} (${plural(tests, 'test')})`;
      const lines = [`pull: suite ${q(o.suite)}: ${head}`];
      if (!o.created) {
        for (const name of o.added) lines.push(`  + ${q(name)}`);
        for (const u of o.updated) lines.push(`  ~ ${q(u.name)}: ${u.keys.join(', ')}`);
      }
      if (o.localOnly.length > 0) {
        lines.push(
          `  ${plural(o.localOnly.length, 'local test')} not in the account, kept (sync would create them): ${o.localOnly.map(q).join(', ')}`,
        );
      }
      for (const r of o.residual) lines.push(`  ! ${r}`);
      io.stdout(`${lines.join('\n')}\n`);
      return false;
    }
  }
}
