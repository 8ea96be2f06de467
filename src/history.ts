// Memory across runs (--history FILE): one compact JSONL record per run, bounded to the last N
// runs, and what the recent records say about each test (its strip of outcomes, flips, passing
// streak) and suite (pass rate). Pure, except readHistoryFile/writeHistoryFile at the end.
// History informs people; it never changes a gate by itself.
import { z } from 'zod';
import { UsageError } from './errors.js';
import { JSON_FILE_LIMIT, mib, readCapped, writeFileAtomic } from './files.js';
import { hasNoVerdict } from './gate.js';
import { pairKey } from './keys.js';
import { testOutcome } from './outcome.js';
import type { HistorySnapshot, HistoryTestSnapshot, Results } from './results.js';
import { testFingerprint } from './run/select.js';
import type { SuiteDef, TestDef } from './suite/model.js';

export const HISTORY_SCHEMA = 'rubric-gate/history@1';
/** Runs kept in the file unless --history-limit says otherwise. */
export const DEFAULT_HISTORY_LIMIT = 50;
export const HISTORY_LIMIT_MAX = 10_000;
/** Recent runs a strip, a flip count and a suite's pass rate look at. */
export const HISTORY_WINDOW = 10;
/** A quarantined test that passed this many runs in a row is pointed out as ready to release. */
export const RELEASE_AFTER = 5;

const HistoryTest = z.object({
  suite: z.string(),
  test: z.string(),
  /** testFingerprint (run/select.ts) of the definition that ran. */
  def: z.string(),
  outcome: z.enum(['passed', 'failed', 'error', 'flaky']),
  /** Criteria that failed, when the outcome is failed. */
  failed: z.array(z.string()).optional(),
  /** Runs spent on the test (triggered attempts: trials and retries). */
  runs: z.number().int().min(0),
  quarantined: z.boolean().optional(),
  /** The shortest of its runs that the API finished, ms (when one did): when to look for results. */
  ms: z.number().min(0).optional(),
});
export type HistoryTest = z.infer<typeof HistoryTest>;

export const HistoryRecord = z.object({
  schema: z.literal(HISTORY_SCHEMA),
  /** When the run finished, ISO UTC. */
  at: z.string(),
  /** When its runs were first triggered: a --resume of the same run replaces its record. */
  started: z.string().optional(),
  commit: z.string().optional(),
  /** rubric-gate's version. */
  tool: z.string(),
  /** destination_version_id the run targeted; absent = main. */
  versionId: z.string().optional(),
  /** definitionsFingerprint (run/select.ts) of every loaded suite. */
  fingerprint: z.string().optional(),
  complete: z.boolean(),
  /** Tests with a verdict in this run (skipped and unfinished ones say nothing). */
  tests: z.array(HistoryTest),
});
export type HistoryRecord = z.infer<typeof HistoryRecord>;

/** Read JSONL; a bad line is an error at file:line saying what to do, never silently dropped. */
export function parseHistory(text: string, file: string): HistoryRecord[] {
  const out: HistoryRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const fail = (why: string) =>
      new UsageError(
        `${file}:${i + 1}:1: ${why}. Is this a rubric-gate --history file? Delete the line (or the file, to start the history over).`,
      );
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (err) {
      throw fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = HistoryRecord.safeParse(data);
    if (!parsed.success) {
      const schema = (data as { schema?: unknown } | null)?.schema;
      const issue = parsed.error.issues[0];
      throw fail(
        schema !== HISTORY_SCHEMA
          ? `expected a record with schema "${HISTORY_SCHEMA}", found ${typeof schema === 'string' ? `"${schema}"` : 'none'}`
          : `${issue?.path.join('.') || 'record'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    out.push(parsed.data);
  });
  return out;
}

export function renderHistory(records: readonly HistoryRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/**
 * Append one run and keep only the last `limit` runs. A record of the same run (a --resume after
 * an interrupted run: same start) replaces the earlier one, so a run is never counted twice.
 */
export function appendBounded(
  records: readonly HistoryRecord[],
  record: HistoryRecord,
  limit = DEFAULT_HISTORY_LIMIT,
): HistoryRecord[] {
  const last = records.at(-1);
  const kept =
    last && record.started !== undefined && last.started === record.started ? records.slice(0, -1) : records;
  return [...kept, record].slice(-Math.max(1, limit));
}

/** The record of one run: every test with a verdict, under the definition it ran with. */
export function historyRecord(
  results: Results,
  suites: readonly SuiteDef[],
  meta: { tool: string; commit?: string | undefined; fingerprint?: string | undefined },
): HistoryRecord {
  const defs = new Map(suites.flatMap((s) => s.tests.map((t) => [pairKey(s.name, t.name), t])));
  const tests: HistoryTest[] = [];
  for (const s of results.suites) {
    for (const t of s.tests) {
      const def = defs.get(pairKey(s.name, t.name));
      const o = testOutcome(t);
      if (!def || o.outcome === 'skipped' || hasNoVerdict(o)) continue;
      const entry: HistoryTest = {
        suite: s.name,
        test: t.name,
        def: testFingerprint(def),
        outcome: o.outcome,
        runs: t.attempts.filter((a) => a.runId !== undefined).length,
      };
      if (o.outcome === 'failed') entry.failed = o.failedCriteria.map((c) => c.name);
      const ms = shortestRun(t.attempts);
      if (ms !== undefined) entry.ms = ms;
      if (t.quarantine !== undefined) entry.quarantined = true;
      tests.push(entry);
    }
  }
  const record: HistoryRecord = {
    schema: HISTORY_SCHEMA,
    at: results.finishedAt,
    started: results.startedAt,
    tool: meta.tool,
    complete: results.complete,
    tests,
  };
  if (meta.commit) record.commit = meta.commit;
  if (results.versionId !== undefined) record.versionId = results.versionId;
  if (meta.fingerprint) record.fingerprint = meta.fingerprint;
  return record;
}

/** The shortest duration among attempts the API finished (passed, failed or error with a run). */
function shortestRun(attempts: Results['suites'][number]['tests'][number]['attempts']): number | undefined {
  let min: number | undefined;
  for (const a of attempts) {
    if (a.runId === undefined || a.durationMs === undefined || a.undocumented !== undefined) continue;
    if (a.status !== 'passed' && a.status !== 'failed' && a.status !== 'error') continue;
    min = min === undefined ? a.durationMs : Math.min(min, a.durationMs);
  }
  return min === undefined ? undefined : Math.round(min);
}

/**
 * How long each test's runs took lately: the shortest over the last HISTORY_WINDOW records
 * (pairKey → ms). The shortest, so a run is never looked for later than the fastest
 * it has been; the run loop looks even earlier (poll.ts EXPECTED_FRACTION).
 */
export function expectedDurations(records: readonly HistoryRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records.slice(-HISTORY_WINDOW)) {
    for (const t of r.tests) {
      if (t.ms === undefined) continue;
      const k = pairKey(t.suite, t.test);
      out.set(k, Math.min(out.get(k) ?? Number.POSITIVE_INFINITY, t.ms));
    }
  }
  return out;
}

const LETTER: Record<HistoryTest['outcome'], 'P' | 'F' | 'E'> = {
  passed: 'P',
  flaky: 'P', // passed after a retry of an infrastructure error: a pass for behaviour
  failed: 'F',
  error: 'E',
};

/** Changes between P and F along a strip; errors in between say nothing about behaviour. */
export function countFlips(strip: string): number {
  let flips = 0;
  let prev: string | undefined;
  for (const c of strip) {
    if (c === 'E') continue;
    if (prev !== undefined && c !== prev) flips++;
    prev = c;
  }
  return flips;
}

/** Flaky by history: the outcome went one way and came back (✅❌✅, ❌✅❌), not a single change. */
export const isFlakyStrip = (strip: string): boolean => countFlips(strip) >= 2;

/** Passes in a row at the end of a strip. */
export function passStreak(strip: string): number {
  let n = 0;
  for (let i = strip.length - 1; i >= 0 && strip[i] === 'P'; i--) n++;
  return n;
}

/**
 * A test's recent outcomes, oldest first: its latest runs in the records (newest last) under the
 * definition it has now, found under its name or a former one (renamed_from), back to the first
 * run of another definition, at most `window` of them.
 */
/** A record's tests by pairKey, built once per record (a linear scan per test was quadratic). */
const recordIndex = new WeakMap<HistoryRecord, Map<string, { test: HistoryTest; at: number }>>();
function testsOf(record: HistoryRecord): Map<string, { test: HistoryTest; at: number }> {
  let index = recordIndex.get(record);
  if (!index) {
    index = new Map();
    record.tests.forEach((t, at) => {
      const k = pairKey(t.suite, t.test);
      if (!index?.has(k)) index?.set(k, { test: t, at });
    });
    recordIndex.set(record, index);
  }
  return index;
}

export function testStrip(
  records: readonly HistoryRecord[],
  suite: string,
  test: Pick<TestDef, 'name' | 'renamedFrom'>,
  def: string,
  window = HISTORY_WINDOW,
): string {
  const names = new Set([test.name, ...test.renamedFrom]);
  const letters: string[] = [];
  for (let i = records.length - 1; i >= 0 && letters.length < window; i--) {
    const byName = testsOf(records[i]!);
    // The record's first entry under any of the names, as a scan of the record would find.
    let entry: { test: HistoryTest; at: number } | undefined;
    for (const n of names) {
      const hit = byName.get(pairKey(suite, n));
      if (hit && (!entry || hit.at < entry.at)) entry = hit;
    }
    if (!entry) continue;
    if (entry.test.def !== def) break;
    letters.push(LETTER[entry.test.outcome]);
  }
  return letters.reverse().join('');
}

/**
 * What the history (this run's record last) says about the tests that ran now and about each
 * suite: the snapshot the results carry for every report.
 */
export function summarizeHistory(
  records: readonly HistoryRecord[],
  suites: readonly SuiteDef[],
  options: { source?: string | undefined; window?: number; releaseAfter?: number } = {},
): HistorySnapshot {
  const window = options.window ?? HISTORY_WINDOW;
  const current = records.at(-1);
  const defs = new Map(suites.flatMap((s) => s.tests.map((t) => [pairKey(s.name, t.name), t])));
  const tests: HistoryTestSnapshot[] = [];
  for (const e of current?.tests ?? []) {
    const def = defs.get(pairKey(e.suite, e.test));
    if (!def) continue;
    const strip = testStrip(records, e.suite, def, e.def, window);
    const flips = countFlips(strip);
    tests.push({
      suite: e.suite,
      test: e.test,
      strip,
      flips,
      flaky: isFlakyStrip(strip),
      passStreak: passStreak(strip),
    });
  }
  const recent = records.slice(-window);
  const suiteRows = suites.flatMap((s) => {
    let runs = 0;
    let passing = 0;
    let total = 0;
    for (const r of recent) {
      const mine = r.tests.filter((t) => t.suite === s.name);
      if (mine.length === 0) continue;
      runs++;
      total += mine.length;
      passing += mine.filter((t) => LETTER[t.outcome] === 'P').length;
    }
    return runs === 0 ? [] : [{ suite: s.name, runs, passing, total }];
  });
  return {
    ...(options.source === undefined ? {} : { source: options.source }),
    runs: records.length,
    window,
    releaseAfter: options.releaseAfter ?? RELEASE_AFTER,
    tests,
    suites: suiteRows,
  };
}

/** The records in a history file; a file that does not exist yet is an empty history. */
export async function readHistoryFile(path: string, shownAs = path): Promise<HistoryRecord[]> {
  let text: string | undefined;
  try {
    text = readCapped(path, JSON_FILE_LIMIT);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new UsageError(`--history ${shownAs}: cannot read (${code ?? String(err)})`);
  }
  if (text === undefined) {
    throw new UsageError(
      `--history ${shownAs}: larger than ${mib(JSON_FILE_LIMIT)}; is this a history file written by rubric-gate?`,
    );
  }
  return parseHistory(text, shownAs);
}

/** Replace the file in one rename, so a killed run never leaves half a history. */
export function writeHistoryFile(path: string, records: readonly HistoryRecord[]): void {
  writeFileAtomic(path, renderHistory(records));
}
