// --changed-since <ref>: run only the tests whose definition differs from the same test in the
// suite files at a git ref, plus new ones. The old files are read with git itself (ls-tree and
// cat-file, into a scratch copy of their paths) and loaded by the same loader as the current
// ones, so both sides are compared as the same model. The diff and the selection are pure.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from './errors.js';
import { pairKey } from './keys.js';
import type { Results, SuiteResult, TestResult } from './results.js';
import { canonical, type SelectedTest, testFingerprint } from './run/select.js';
import type { Env } from './suite/interpolate.js';
import { DEFAULT_SUITE_PATHS, loadSuites } from './suite/load.js';
import type { SuiteDef, TestDef } from './suite/model.js';

/** Why a test is selected by --changed-since. */
export type Change = 'new' | 'changed';

/** The fix for a ref git cannot find, in every message about one: CI clones are shallow. */
const FETCH_HINT =
  'In GitHub Actions, check out the full history (actions/checkout with fetch-depth: 0) or fetch the ref first (git fetch origin <branch>).';

/**
 * How a test is judged, apart from what it runs: its required criteria, whether it is
 * quarantined, and its suite's gate. A change here can turn a passing test's result into a
 * failed gate (a failing criterion made required, a quarantine lifted), so it counts as a change.
 */
const judgedBy = (s: SuiteDef, t: TestDef): string =>
  canonical({
    required: t.rubric
      .filter((c) => c.required)
      .map((c) => c.name)
      .sort(),
    quarantined: t.quarantine !== undefined,
    gate: s.gate,
  });

/**
 * Tests that are new or whose definition (every synced field, trials, min_passes) or judging
 * (judgedBy) differs from the same test in `old`. A test is the same when its suite matches and
 * its name, or one of its renamed_from names, is a test there.
 */
export function diffDefinitions(current: readonly SuiteDef[], old: readonly SuiteDef[]): Map<string, Change> {
  const oldSuites = new Map(
    old.map((s) => [s.name, { suite: s, tests: new Map(s.tests.map((t) => [t.name, t])) }]),
  );
  const out = new Map<string, Change>();
  for (const s of current) {
    const before = oldSuites.get(s.name);
    for (const t of s.tests) {
      const was = [t.name, ...t.renamedFrom].map((n) => before?.tests.get(n)).find((x) => x !== undefined);
      if (!was || !before) out.set(pairKey(s.name, t.name), 'new');
      else if (testFingerprint(was) !== testFingerprint(t) || judgedBy(before.suite, was) !== judgedBy(s, t))
        out.set(pairKey(s.name, t.name), 'changed');
    }
  }
  return out;
}

/**
 * Keys of the tests whose definition reads an environment variable (`${VAR}`, directly or through
 * `defaults:`). Both sides of --changed-since resolve with today's environment, so a value that
 * changed since the ref (a workflow's `env:`, outside the suite files) would not show: such a test
 * always counts as changed. Found by loading the files again with every defined variable's value
 * marked: a test that reads one differs (or no longer validates).
 */
export async function testsReadingEnv(
  current: readonly SuiteDef[],
  paths: readonly string[],
  opts: { cwd: string; env: Env },
): Promise<Set<string>> {
  const marked = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_, k) =>
        typeof k === 'string' && opts.env[k] !== undefined ? `${opts.env[k]}\u2063` : undefined,
    },
  );
  const probe = await loadSuites(paths, { cwd: opts.cwd, env: marked });
  const seen = new Map<string, string>();
  for (const s of probe.suites)
    for (const t of s.tests) seen.set(pairKey(s.name, t.name), testFingerprint(t));
  const out = new Set<string>();
  for (const s of current) {
    for (const t of s.tests) {
      const key = pairKey(s.name, t.name);
      if (seen.get(key) !== testFingerprint(t)) out.add(key);
    }
  }
  return out;
}

/** The suites with only the changed tests (suites left empty are dropped): what the run triggers. */
export function onlyChanged(suites: readonly SuiteDef[], changed: ReadonlyMap<string, Change>): SuiteDef[] {
  return suites
    .map((s) => ({ ...s, tests: s.tests.filter((t) => changed.has(pairKey(s.name, t.name))) }))
    .filter((s) => s.tests.length > 0);
}

export const unchangedReason = (ref: string): string => `unchanged since ${ref}`;

/**
 * The filters' selection (no shard) with the tests they selected but that did not change marked
 * skipped "unchanged since <ref>": the skeleton restoreUnchanged fills in.
 */
export function markUnchanged(
  selection: readonly SelectedTest[],
  changed: ReadonlyMap<string, Change>,
  ref: string,
): SelectedTest[] {
  return selection.map((s) =>
    s.selected && !changed.has(pairKey(s.suite.name, s.test.name))
      ? { ...s, selected: false, skipReason: unchangedReason(ref) }
      : s,
  );
}

/**
 * Every loaded test back in the results, in file order: what the run recorded for the tests it
 * was given, and the skeleton's skipped entry for the rest (unchanged, or filtered out).
 */
export function restoreUnchanged(run: Results, skeleton: readonly SuiteResult[]): Results {
  const ran = new Map<string, TestResult>();
  for (const s of run.suites) for (const t of s.tests) ran.set(pairKey(s.name, t.name), t);
  return {
    ...run,
    suites: skeleton.map((s) => ({
      ...s,
      tests: s.tests.map((t) => ran.get(pairKey(s.name, t.name)) ?? t),
    })),
  };
}

/** How many of the tests the filters selected changed, for the empty-selection refusal. */
export function countChanged(selection: readonly SelectedTest[], changed: ReadonlyMap<string, Change>) {
  const selected = selection.filter((s) => s.selected);
  return {
    selected: selected.length,
    changed: selected.filter((s) => changed.has(pairKey(s.suite.name, s.test.name))).length,
  };
}

// ---- git (the I/O shell) ----

interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function git(args: readonly string[], cwd: string): Promise<GitResult> {
  return new Promise((resolvePromise) => {
    execFile(
      'git',
      args,
      {
        cwd,
        encoding: 'buffer',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 127) : 0;
        resolvePromise({ code, stdout, stderr: stderr.toString('utf8').trim() });
      },
    );
  });
}

const text = (r: GitResult) => r.stdout.toString('utf8').trim();

/** The commit a ref names, or a usage error naming the fix (a shallow clone, a missing fetch). */
export async function resolveRef(ref: string, cwd: string): Promise<{ commit: string; top: string }> {
  if (ref.trim() === '' || ref.startsWith('-')) {
    throw new UsageError(
      `--changed-since "${ref}" is not a git ref; pass a branch, tag or commit, e.g. origin/main`,
    );
  }
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) {
    throw new UsageError(
      `--changed-since ${ref}: ${cwd} is not inside a git repository (${top.stderr || `git exited ${top.code}`}). ${FETCH_HINT}`,
    );
  }
  const found = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (found.code === 0) return { commit: text(found), top: text(top) };
  const shallow = text(await git(['rev-parse', '--is-shallow-repository'], cwd)) === 'true';
  throw new UsageError(
    shallow
      ? `--changed-since ${ref}: no such commit in this clone, which is shallow (it lacks the history). ${FETCH_HINT}`
      : `--changed-since ${ref}: git knows no commit, branch or tag by that name. Check the spelling. ${FETCH_HINT}`,
  );
}

/** The current commit, when the working directory is a git checkout (for history records). */
export async function headCommit(cwd: string): Promise<string | undefined> {
  const r = await git(['rev-parse', '--verify', '--quiet', 'HEAD'], cwd);
  return r.code === 0 ? text(r) || undefined : undefined;
}

export interface SuitesAtRef {
  commit: string;
  suites: SuiteDef[];
  /** Old files that could not be loaded: their tests count as changed. */
  warnings: string[];
}

/**
 * The suites the same paths held at `commit`: their files (blobs directly in a suite directory,
 * or the file itself) are copied from git into a scratch tree of the same layout and loaded
 * there, with the same environment, so `${VAR}` resolves the same way on both sides.
 */
export async function suitesAtRef(
  ref: string,
  paths: readonly string[],
  opts: { cwd: string; env: Env },
): Promise<SuitesAtRef> {
  const { commit, top } = await resolveRef(ref, opts.cwd);
  const scratch = await mkdtemp(path.join(tmpdir(), 'rubric-gate-changed-'));
  try {
    const wanted = (paths.length > 0 ? paths : DEFAULT_SUITE_PATHS).map((p) => {
      const rel = path.relative(top, path.resolve(opts.cwd, p)).split(path.sep).join('/');
      if (rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new UsageError(`--changed-since: ${p} is outside the git repository at ${top}`);
      }
      return rel;
    });
    for (const rel of wanted) await copyFromTree(commit, rel, top, scratch);
    const cwd = path.join(scratch, path.relative(top, opts.cwd));
    await mkdir(cwd, { recursive: true });
    // The copies, never the paths as given: an absolute one (or one through "..") would resolve
    // to the working tree, and both sides would be the current files, so nothing would change.
    const copies = paths.length > 0 ? wanted.map((rel) => path.join(scratch, rel)) : [];
    const { suites, problems } = await loadSuites(copies, { cwd, env: opts.env });
    const warnings = problems.map(
      (p) => `${ref}:${p.file}:${p.line}:${p.col}: ${p.message} (its tests count as changed)`,
    );
    return { commit, suites, warnings };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** One path of the tree at `commit` into `scratch`: a file, or the files directly in a directory. */
async function copyFromTree(commit: string, rel: string, top: string, scratch: string): Promise<void> {
  const entryOf = async (spec: string) => {
    const r = await git(['ls-tree', '-z', commit, '--', spec], top);
    if (r.code !== 0) throw new UsageError(`--changed-since: git ls-tree failed: ${r.stderr}`);
    return r.stdout
      .toString('utf8')
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta = '', name = ''] = line.split('\t');
        const [mode, type, sha] = meta.split(' ');
        return { mode, type, sha, name };
      });
  };
  const root = rel === '' ? [] : await entryOf(rel);
  const isTree = rel === '' || root.some((e) => e.type === 'tree' && e.name === rel);
  const files = isTree ? await entryOf(rel === '' ? '.' : `${rel}/`) : root;
  for (const f of files) {
    // Regular files only (a symlink's blob is its target's path, not the suite).
    if (f.type !== 'blob' || (f.mode !== '100644' && f.mode !== '100755') || !f.sha) continue;
    const blob = await git(['cat-file', 'blob', f.sha], top);
    if (blob.code !== 0) throw new UsageError(`--changed-since: git cat-file failed: ${blob.stderr}`);
    const dest = path.join(scratch, ...f.name.split('/'));
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, blob.stdout);
  }
}
