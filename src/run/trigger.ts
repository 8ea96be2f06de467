// Starting runs. Every trigger carries the Idempotency-Key recorded in the state file, so any
// re-send (the client's retries, our next round, or --resume) is replayed by the API instead of
// starting a second run. A run is ours only when an answer to our key names it: a trigger whose
// outcome is unknown is sent again with the same key, never matched against the run history
// (nothing in a run ties it to a trigger: another job's run of the same test, or one of our own
// triggers still in flight, would look the same, and adopting it could turn a failing version
// green). The history is read only past the key's replay window (reconcile.ts). The state is
// persisted the moment a trigger returns.
import { isNotSentCode } from '../api/backoff.js';
import type { TestRun } from '../api/schemas.js';
import { ApiError, UsageError } from '../errors.js';
import { type Change, iso, observe, settle, unknowable } from './ledger.js';
import { isFatal, type RunApi } from './poll.js';
import { CLOCK_SKEW_MS, scanRuns } from './reconcile.js';
import { type Batch, clearUncertain, markUncertain, type RunState, type Work } from './state.js';

/** Failed trigger rounds (each already retried by the client) before an attempt is given up. */
export const MAX_TRIGGER_ROUNDS = 3;

export interface TriggerContext {
  api: RunApi;
  state: RunState;
  now: () => number;
  signal?: AbortSignal | undefined;
  /** Called after every trigger that changed the state (writes the state file). */
  persist: () => void;
  /** Set once a trigger with --version succeeded: the API knows the version. */
  version: { id?: string | undefined; confirmed: boolean };
  /** Wall clock (the API's time base) for reconciliation; default Date.now. */
  wallNow?: () => number;
  /** Counts reconciliations and the runs they read (for the debug line and tests). */
  stats?: ReconcileStats;
  /**
   * --resume: when the run first started. A send time reaches the state file only after the
   * answer, so a trigger the state shows unsent may have gone out any time since (a crash while
   * it was on the wire, or a throttled write lost).
   */
  unsentSince?: string | undefined;
}

export interface ReconcileStats {
  reconciliations: number;
  runsRead: number;
}

export interface TriggerOutcome {
  changes: Change[];
  problems: string[];
  /** Runs a suite trigger started for remote tests that are not in the suite file. */
  extraRuns: number;
}

/** A trigger job's outcome before anything happened (or when it sent nothing). */
export const noOutcome = (): TriggerOutcome => ({ changes: [], problems: [], extraRuns: 0 });

/**
 * A 400 on the first trigger with --version is the API refusing the version ("must exist or a
 * 400 error will be returned", CONTRACT.md 2.6/2.8). Nothing has run yet, so it is a usage error.
 * The API's 400 code (10015) is generic, so a 400 that names the Idempotency-Key is told apart
 * by its text.
 */
function versionError(err: unknown, ctx: TriggerContext): UsageError | undefined {
  if (!ctx.version.id || ctx.version.confirmed) return undefined;
  if (!(err instanceof ApiError) || err.details.status !== 400) return undefined;
  if (/idempotency/i.test(`${err.details.detail ?? ''} ${err.message}`)) return undefined;
  return new UsageError(
    `--version ${ctx.version.id}: the API refused it (${err.details.detail ?? err.message}). Nothing was triggered. Check the version id (GET /ai/assistants/{assistant_id}/versions lists them).`,
  );
}

/**
 * What a failed trigger tells us about the remote side:
 * - refused: a 4xx the API answers before acting (400, 404, 422...): no run, and re-sending cannot help;
 * - unsent: the request never reached the API, or was not processed (429): no run;
 * - unknown: the API may have acted (408, 409 key in progress, 5xx, reset or timeout after sending);
 * - started: a 2xx whose body could not be read: the run exists.
 */
export type TriggerFailure = 'refused' | 'unsent' | 'unknown' | 'started';

export function classifyFailure(err: unknown): TriggerFailure {
  const status = err instanceof ApiError ? err.details.status : undefined;
  if (status === undefined) {
    const code = (err as { cause?: { code?: unknown } } | null)?.cause?.code;
    return isNotSentCode(code) ? 'unsent' : 'unknown';
  }
  if (status >= 200 && status < 300) return 'started';
  if (status === 429) return 'unsent';
  if (status === 408 || status === 409 || status >= 500) return 'unknown';
  return 'refused';
}

/** Throw for failures that end the command; true when the trigger is given up for good. */
function onFailure(err: unknown, kind: TriggerFailure, failures: number, ctx: TriggerContext): boolean {
  if (ctx.signal?.aborted) return false;
  const usage = versionError(err, ctx);
  if (usage) throw usage;
  if (isFatal(err)) throw err;
  return kind === 'refused' || failures >= MAX_TRIGGER_ROUNDS;
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * A trigger given up on that --retries must not send again under a new key: its run may exist
 * (an unknown outcome, a 2xx), or the API refused it (a 4xx, a 429 that never let up: a new key
 * is refused the same way, and a refusal a proxy wrote after the API acted would hide a run).
 * Only one never sent (a refused connection) may be.
 */
const neverRetry = (kind: TriggerFailure, err: unknown): boolean =>
  kind !== 'unsent' || answeredRefusal(kind, err);

/** The API answered it with a refusal (a 4xx, 429 included): no trigger that "got no answer". */
const answeredRefusal = (kind: TriggerFailure, err: unknown): boolean =>
  kind === 'refused' || (err instanceof ApiError && err.details.status === 429);

const CUT_OFF = 'the run stopped while its trigger was being sent';

/** Why an attempt given up on may still have a run remotely, and how to recover it. */
function uncertainMessage(kind: TriggerFailure, message: string): string {
  const why =
    kind === 'started'
      ? 'the API accepted the trigger (2xx), so its runs exist, but its answer could not be read'
      : 'runs may have started remotely';
  return `${message}; ${why}: \`--resume\` (the Action's \`resume: true\`) replays the same Idempotency-Key and picks them up`;
}

/**
 * Whether the run history shows any run of `accept`'s tests, not already ours, created since
 * `sentAt`: 'none' only when the history was read conclusively; otherwise why it may have.
 */
async function anyRunSince(
  q: Lookup,
  sentAt: string,
  ctx: TriggerContext,
): Promise<{ kind: 'none' } | { kind: 'some'; why: string }> {
  const known = runOwners(ctx.state);
  const stats = ctx.stats;
  if (stats) stats.reconciliations++;
  try {
    const scan = await scanRuns(q.history(), {
      sinceMs: Date.parse(sentAt) - CLOCK_SKEW_MS,
      accept: (r) => !known.has(r.run_id) && q.accept(r),
    });
    if (stats) stats.runsRead += scan.read;
    if (scan.found.length > 0) {
      const n = scan.found.length;
      return {
        kind: 'some',
        why: `${n} run${n === 1 ? '' : 's'} of ${n === 1 ? 'its test' : 'its tests'} started since, and nothing ties ${n === 1 ? 'it' : 'them'} to this trigger`,
      };
    }
    if (!scan.conclusive) return { kind: 'some', why: `no run found in the ${scan.read} newest runs read` };
    return { kind: 'none' };
  } catch (err) {
    if (isFatal(err)) throw err;
    return { kind: 'some', why: `the run history could not be read: ${describe(err)}` };
  }
}

/**
 * Run id → the attempt it is attached to (the runs already ours), built once per run state and
 * kept up to date by attach (trigger answers are the only place an attempt gets a run id), so
 * checking an answer costs O(1), not a scan of every attempt (quadratic over 10,000 per-test
 * triggers).
 */
const owners = new WeakMap<RunState, Map<string, Work>>();
function runOwners(state: RunState): Map<string, Work> {
  let index = owners.get(state);
  if (!index) {
    index = new Map();
    for (const x of state.work) if (x.runId !== undefined && !index.has(x.runId)) index.set(x.runId, x);
    owners.set(state, index);
  }
  return index;
}

/**
 * An answer naming a run already recorded for another attempt: the API gave one run to two
 * triggers (two keys). Counting it twice would make one conversation two verdicts, so this
 * attempt gets none.
 */
function alreadyRecorded(w: Work, run: TestRun, ctx: TriggerContext, out: TriggerOutcome): boolean {
  const owners = runOwners(ctx.state);
  const other = owners.get(run.run_id);
  if (other === undefined || other === w) {
    owners.set(run.run_id, w);
    return false;
  }
  w.undocumented = `the API answered this trigger with run ${run.run_id}, which it had already given to ${other.suite} › ${other.test} trial ${other.trial}`;
  const c = settle(w, 'error', w.undocumented);
  if (c) out.changes.push(c);
  return true;
}

/** Record a run an answer to our key named for `w` (once: see alreadyRecorded). */
function attach(w: Work, run: TestRun, now: number, ctx: TriggerContext, out: TriggerOutcome): void {
  if (alreadyRecorded(w, run, ctx, out)) return;
  const c = observe(w, run, now);
  if (c) out.changes.push(c);
}

/**
 * The API replays a key's answer for 24 h only (CONTRACT.md 1): past that, the same key is a new
 * request and would start a second run. A trigger first sent longer ago than this (a --resume a
 * day later) is looked up in the run history before it is sent again. An hour short of the
 * window, for clock skew and the time the first send took.
 */
export const REPLAY_WINDOW_MS = 23 * 3_600_000;

interface Lookup {
  history: () => AsyncIterable<TestRun>;
  accept: (run: TestRun) => boolean;
}

/**
 * Before sending a trigger again: undefined while its key is still replayed (or it was never
 * sent); past the window, whether the run history shows a run it may have started. A run found
 * there is never adopted (it cannot be told from another job's), so the trigger is given up.
 * `sentAt` is when it was first sent, or on --resume, for one the state shows unsent, when the
 * run started (TriggerContext.unsentSince).
 */
async function pastReplay(
  sentAt: string | undefined,
  ctx: TriggerContext,
  q: Lookup,
): Promise<{ kind: 'none' } | { kind: 'some'; why: string } | undefined> {
  if (sentAt === undefined) return undefined;
  const wallNow = ctx.wallNow ?? Date.now;
  // An unreadable time is treated as old: the lookup costs a read, a wrong send a run.
  if (wallNow() - Date.parse(sentAt) <= REPLAY_WINDOW_MS) return undefined;
  return anyRunSince(q, sentAt, ctx);
}

const pastReplayMessage = (sentAt: string | undefined, startedAt: string, why: string): string =>
  `not sent again: ${sentAt === undefined ? `the run started at ${startedAt} and this trigger may have gone out then (no answer was recorded)` : `first sent at ${sentAt}`}, more than a day ago, so the API no longer replays its Idempotency-Key and a re-send could start a second run, and the run history cannot tell whether it started one (${why}). Check the suite's runs in the portal, then run without --resume`;

function adoptBatch(
  batch: Batch,
  items: Work[],
  runs: readonly TestRun[],
  ctx: TriggerContext,
  out: TriggerOutcome,
) {
  ctx.version.confirmed = true;
  const now = ctx.now();
  batch.status = 'triggered';
  batch.triggeredAt = iso(now);
  delete batch.message;
  const tsr = runs.find((r) => r.test_suite_run_id !== undefined)?.test_suite_run_id;
  if (tsr !== undefined) batch.testSuiteRunId = tsr;
  const byTest = new Map(items.map((w) => [w.testId, w]));
  const matched = new Map<string, Work>();
  for (const run of runs) {
    const w = byTest.get(run.test_id);
    if (!w) {
      // A second run of one of our tests: which of the two is its result cannot be told.
      const twice = matched.get(run.test_id);
      if (twice === undefined) out.extraRuns++;
      else {
        const c = unknowable(
          twice,
          `the suite trigger started more than one run of this test (${JSON.stringify(twice.runId)} and ${JSON.stringify(run.run_id)})`,
          now,
        );
        if (c) out.changes.push(c);
      }
      continue;
    }
    byTest.delete(run.test_id);
    matched.set(run.test_id, w);
    w.triggeredAt = iso(now);
    clearUncertain(w);
    attach(w, run, now, ctx, out);
  }
  for (const w of byTest.values()) {
    const c = settle(
      w,
      'not_started',
      `the suite trigger returned no run for this test (test_id ${w.testId ?? '?'})`,
    );
    if (c) out.changes.push(c);
  }
}

export async function triggerBatch(batch: Batch, ctx: TriggerContext): Promise<TriggerOutcome> {
  const out = noOutcome();
  const items = ctx.state.work.filter((w) => w.batch === batch.key && w.status === 'queued');
  const wallNow = ctx.wallNow ?? Date.now;
  const ours = new Set(items.flatMap((w) => (w.testId === undefined ? [] : [w.testId])));
  const lookup: Lookup = {
    history: () => ctx.api.listSuiteRuns(batch.suite, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => ours.has(r.test_id),
  };
  const past = await pastReplay(batch.sentAt ?? ctx.unsentSince, ctx, lookup);
  if (past?.kind === 'some') {
    batch.status = 'failed';
    batch.message = pastReplayMessage(batch.sentAt, ctx.state.startedAt, past.why);
    for (const w of items) {
      markUncertain(w); // never re-triggered under a new key (--retries)
      const c = settle(w, 'not_started', batch.message);
      if (c) out.changes.push(c);
    }
    ctx.persist();
    return out;
  }
  // Never sent, still replayed, or (past the window) certainly not started: send.
  if (past?.kind === 'none') batch.sentAt = iso(wallNow());
  batch.sentAt ??= iso(wallNow());
  let runs: TestRun[];
  try {
    runs = await ctx.api.triggerSuite(batch.suite, {
      idempotencyKey: batch.key,
      ...(ctx.version.id === undefined ? {} : { versionId: ctx.version.id }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (err) {
    // Whatever the failure, the next round sends the same key: the API replays the answer if it
    // acted, and acts now if it did not.
    const kind = classifyFailure(err);
    const message = `suite trigger failed: ${describe(err)}`;
    batch.failures++;
    if (onFailure(err, kind, batch.failures, ctx)) {
      const uncertain = kind === 'unknown' || kind === 'started';
      batch.status = 'failed';
      batch.message = uncertain ? uncertainMessage(kind, message) : message;
      for (const w of items) {
        if (neverRetry(kind, err)) markUncertain(w, answeredRefusal(kind, err));
        else delete w.refused;
        const c = settle(w, 'not_started', batch.message);
        if (c) out.changes.push(c);
      }
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${message} (will retry with the same Idempotency-Key)`);
    } else if (kind !== 'unsent') {
      // Cut off by a cancel or --timeout while it may have been on the wire: said as such when
      // the run stops (stopAll), not as "not triggered".
      batch.message = uncertainMessage(kind, CUT_OFF);
      for (const w of items) {
        markUncertain(w);
        w.message = batch.message;
      }
    }
    ctx.persist();
    return out;
  }
  adoptBatch(batch, items, runs, ctx, out);
  ctx.persist();
  return out;
}

export async function triggerWork(w: Work, ctx: TriggerContext): Promise<TriggerOutcome> {
  const out = noOutcome();
  if (w.testId === undefined || w.key === undefined) {
    const c = settle(w, 'not_started', 'no remote test id to trigger');
    if (c) out.changes.push(c);
    return out;
  }
  const testId = w.testId;
  const wallNow = ctx.wallNow ?? Date.now;
  const adopt = (run: TestRun) => {
    ctx.version.confirmed = true;
    const now = ctx.now();
    w.triggeredAt = iso(now);
    clearUncertain(w);
    attach(w, run, now, ctx, out);
  };
  const lookup: Lookup = {
    history: () => ctx.api.listTestRuns(testId, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => r.test_id === testId,
  };
  const past = await pastReplay(w.sentAt ?? ctx.unsentSince, ctx, lookup);
  if (past?.kind === 'some') {
    markUncertain(w);
    const c = settle(w, 'not_started', pastReplayMessage(w.sentAt, ctx.state.startedAt, past.why));
    if (c) out.changes.push(c);
    ctx.persist();
    return out;
  }
  if (past?.kind === 'none') w.sentAt = iso(wallNow());
  w.sentAt ??= iso(wallNow());
  try {
    adopt(
      await ctx.api.triggerTest(testId, {
        idempotencyKey: w.key,
        ...(ctx.version.id === undefined ? {} : { versionId: ctx.version.id }),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }),
    );
  } catch (err) {
    // The next round sends the same key (see triggerBatch).
    const kind = classifyFailure(err);
    const message = `trigger failed: ${describe(err)}`;
    w.failures++;
    if (onFailure(err, kind, w.failures, ctx)) {
      const uncertain = kind === 'unknown' || kind === 'started';
      if (neverRetry(kind, err)) markUncertain(w, answeredRefusal(kind, err));
      else delete w.refused;
      const c = settle(w, 'not_started', uncertain ? uncertainMessage(kind, message) : message);
      if (c) out.changes.push(c);
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${w.suite} › ${w.test}: ${message} (will retry with the same Idempotency-Key)`);
    } else if (kind !== 'unsent') {
      markUncertain(w);
      w.message = uncertainMessage(kind, CUT_OFF);
    }
  }
  ctx.persist();
  return out;
}
