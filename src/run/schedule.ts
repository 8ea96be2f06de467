// How the selected tests are triggered, and what that may cost. Pure.
//
// A suite is triggered in one call (one run per test, all sharing a test_suite_run_id, polled
// with one list call) whenever that trigger runs exactly the selected tests: the whole suite is
// selected, the remote suite holds exactly those tests, and no --max-in-flight needs runs started
// one at a time. Trials are then N suite triggers (one batch per trial) when every test of the
// suite has the same trial count. Everything else uses per-test triggers, polled one GET per run.
// --retries never forces per-test triggers for the first attempt: only the re-runs are per test.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import { pairKey } from '../keys.js';
import { trialBounds } from '../sequential.js';
import type { SelectedTest } from './select.js';

/**
 * The API does not document the default of max_duration_seconds ("uses system default timeout",
 * CONTRACT.md 2.2). For a worst case and for timeouts we assume its maximum, 3600 s.
 */
export const ASSUMED_MAX_DURATION_SECONDS = 3600;

export type TriggerMode = 'suite' | 'per-test';

export interface SuiteSchedule {
  suite: string;
  mode: TriggerMode;
  /** Why per-test triggers are used (shown in verbose output and the report). */
  reason?: string;
  /** Selected tests of this suite, in file order. */
  tests: SelectedTest[];
  /** Suite mode: the number of suite triggers (one per trial). */
  batches: number;
}

export interface ScheduleContext {
  maxInFlight?: number | undefined;
  /** test_id of each local test that exists remotely, by "suite/name" key. */
  testIds: ReadonlyMap<string, string>;
  /** Every remote test_id in each managed suite (a suite trigger runs all of them). */
  remoteSuiteTests: ReadonlyMap<string, readonly string[]>;
}

export function scheduleSuites(selection: readonly SelectedTest[], ctx: ScheduleContext): SuiteSchedule[] {
  const bySuite = new Map<string, SelectedTest[]>();
  for (const s of selection) {
    const list = bySuite.get(s.suite.name) ?? [];
    list.push(s);
    bySuite.set(s.suite.name, list);
  }
  const out: SuiteSchedule[] = [];
  for (const [suite, all] of bySuite) {
    const tests = all.filter((s) => s.selected);
    if (tests.length === 0) continue;
    const reason = perTestReason(suite, all, tests, ctx);
    const batches = tests[0]?.trials ?? 1;
    out.push(
      reason === undefined
        ? { suite, mode: 'suite', tests, batches }
        : { suite, mode: 'per-test', reason, tests, batches: 0 },
    );
  }
  return out;
}

function perTestReason(
  suite: string,
  all: readonly SelectedTest[],
  tests: readonly SelectedTest[],
  ctx: ScheduleContext,
): string | undefined {
  if (ctx.maxInFlight !== undefined) return '--max-in-flight starts runs one at a time';
  if (tests.length < all.length) return 'only part of the suite is selected';
  if (new Set(tests.map((t) => t.trials)).size > 1) return 'tests have different trial counts';
  const local = tests.map((t) => ctx.testIds.get(pairKey(t.suite.name, t.test.name)));
  if (local.some((id) => id === undefined)) return 'some tests do not exist remotely';
  const remote = new Set(ctx.remoteSuiteTests.get(suite) ?? []);
  if (remote.size !== local.length || !local.every((id) => id !== undefined && remote.has(id))) {
    return 'the remote suite holds tests that are not in the suite file (sync --prune removes them)';
  }
  return undefined;
}

export interface Estimate {
  /** Runs the first attempts start at most (trials and --against sides included, retries not). */
  runs: number;
  /** Sequential trials: the runs when every test passes at once (= runs otherwise). */
  bestRuns: number;
  /** Their call minutes (max_duration_seconds each), rounded up. */
  bestCaseMinutes: number;
  /** 2 with --against: each test runs on the candidate and on the baseline. */
  sides: number;
  /** Extra runs --retries may add at worst. */
  retryRuns: number;
  /** Sum of max_duration_seconds over `runs`, in minutes, rounded up. */
  worstCaseMinutes: number;
  /** Tests counted at ASSUMED_MAX_DURATION_SECONDS because they set no max_duration_seconds. */
  assumedDurations: number;
  suiteTriggers: number;
  testTriggers: number;
}

export const maxDurationOf = (s: SelectedTest): number =>
  s.test.maxDurationSeconds ?? ASSUMED_MAX_DURATION_SECONDS;

export interface EstimateOptions {
  /** 2 with --against. */
  sides?: number | undefined;
  /** Sequential trials (not --all-trials): a decided test stops early. */
  sequential?: boolean | undefined;
}

/** Cost of the selection; pass schedules when known to count trigger calls. */
export function estimate(
  selection: readonly SelectedTest[],
  retries: number,
  schedules: readonly SuiteSchedule[] = [],
  opts: EstimateOptions = {},
): Estimate {
  const sides = opts.sides ?? 1;
  const selected = selection.filter((s) => s.selected);
  let runs = 0;
  let bestRuns = 0;
  let seconds = 0;
  let bestSeconds = 0;
  let assumed = 0;
  for (const s of selected) {
    const best = opts.sequential ? trialBounds(s.trials, s.minPasses).best : s.trials;
    runs += sides * s.trials;
    bestRuns += sides * best;
    seconds += sides * s.trials * maxDurationOf(s);
    bestSeconds += sides * best * maxDurationOf(s);
    if (s.test.maxDurationSeconds === undefined) assumed++;
  }
  let suiteTriggers = 0;
  let testTriggers = 0;
  for (const sc of schedules) {
    if (sc.mode === 'suite') suiteTriggers += sides * sc.batches;
    else testTriggers += sides * sc.tests.reduce((n, t) => n + t.trials, 0);
  }
  return {
    runs,
    bestRuns,
    bestCaseMinutes: Math.ceil(bestSeconds / 60),
    sides,
    retryRuns: runs * retries,
    worstCaseMinutes: Math.ceil(seconds / 60),
    assumedDurations: assumed,
    suiteTriggers,
    testTriggers,
  };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The line printed before anything is triggered. */
export function formatEstimate(e: Estimate, retries: number): string {
  const triggers =
    e.suiteTriggers + e.testTriggers > 0
      ? ` (${[
          e.suiteTriggers ? plural(e.suiteTriggers, 'suite trigger') : '',
          e.testTriggers ? plural(e.testTriggers, 'test trigger') : '',
        ]
          .filter(Boolean)
          .join(', ')})`
      : '';
  const retry =
    retries > 0 && e.retryRuns > 0 ? `; --retries ${retries} may add up to ${e.retryRuns} more` : '';
  const assumed =
    e.assumedDurations > 0
      ? ` (${plural(e.assumedDurations, 'test')} without max_duration_seconds counted at ${ASSUMED_MAX_DURATION_SECONDS / 60} min, the API maximum)`
      : '';
  const upTo = e.bestRuns < e.runs ? 'up to ' : '';
  const sides = e.sides > 1 ? ' on the candidate and the baseline version' : '';
  const best =
    e.bestRuns < e.runs
      ? `; best case ${plural(e.bestRuns, 'run')}, ${plural(e.bestCaseMinutes, 'call minute')} (sequential trials stop once a test is decided; --all-trials runs them all)`
      : '';
  return `Starting ${upTo}${plural(e.runs, 'run')}${sides}${triggers}, worst case ${plural(e.worstCaseMinutes, 'call minute')}${assumed}${best}${retry}`;
}

/** --max-call-minutes: refuse a run whose worst case (first attempts) exceeds the budget. */
export function checkMaxCallMinutes(e: Estimate, max: number | undefined): void {
  if (max === undefined || e.worstCaseMinutes <= max) return;
  throw new UsageError(
    `this run could take ${e.worstCaseMinutes} call minutes at worst (every trial to its max_duration_seconds), more than --max-call-minutes ${max}: set max_duration_seconds, narrow it with --grep, --tag or --shard, or raise --max-call-minutes`,
  );
}

/** --max-runs: refuse before anything is triggered (or synced). */
export function checkMaxRuns(e: Estimate, maxRuns: number | undefined): void {
  if (maxRuns === undefined || e.runs <= maxRuns) return;
  throw new UsageError(
    `this run would start ${e.runs} runs, more than --max-runs ${maxRuns}: narrow it with --grep, --tag or --shard, or raise --max-runs`,
  );
}

/**
 * Idempotency-Key for one trigger: a per-invocation nonce plus a hash of what is triggered, so a
 * replay of the same trigger (client retry, or --resume after a crash) gets the API's stored
 * answer instead of a second run, and a new invocation starts new runs. Matches the spec's
 * pattern ^[A-Za-z0-9_-]{1,255}$.
 */
export function idempotencyKey(nonce: string, parts: readonly (string | number)[]): string {
  const h = createHash('sha256').update(keyText(parts)).digest('hex').slice(0, 32);
  return `rg-${nonce}-${h}`;
}

/**
 * What the key hashes: distinct for distinct parts. The parts joined with NUL, as every earlier
 * version did (a state file resumed after an upgrade keeps its keys), unless a part holds a NUL
 * itself: then suite "x" test "a\0b" and suite "x\0a" test "b" would share a key, and the API
 * would answer the second trigger with the first one's run. Those parts are written as JSON,
 * which never holds a raw NUL, so it cannot equal a join of two or more parts either.
 */
export function keyText(parts: readonly (string | number)[]): string {
  const text = parts.map(String);
  return text.some((p) => p.includes('\u0000')) ? JSON.stringify(text) : text.join('\u0000');
}
