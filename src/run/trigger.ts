// Starting runs. Every trigger carries the Idempotency-Key recorded in the state file, so any
// re-send (the client's retries, our next round, or --resume) is replayed by the API instead of
// starting a second run. A trigger whose outcome is unknown is reconciled against the run
// history (reconcile.ts), never assumed not to have happened. The state is persisted the moment
// a trigger returns.
import { isNotSentCode } from '../api/backoff.js';
import type { TestRun } from '../api/schemas.js';
import { ApiError, UsageError } from '../errors.js';
import { type Change, iso, observe, settle } from './ledger.js';
import { isFatal, type RunApi } from './poll.js';
import { CLOCK_SKEW_MS, type Match, matchSuiteTrigger, matchTestTrigger, scanRuns } from './reconcile.js';
import type { Batch, RunState, Work } from './state.js';

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
}

export interface ReconcileStats {
  reconciliations: number;
  runsRead: number;
  adopted: number;
}

export interface TriggerOutcome {
  changes: Change[];
  problems: string[];
  /** Runs a suite trigger started for remote tests that are not in the suite file. */
  extraRuns: number;
}

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

/** Why an attempt given up on may still have a run remotely, and how to recover it. */
function uncertainMessage(kind: TriggerFailure, message: string, extra: string | undefined): string {
  const why =
    kind === 'started'
      ? 'the API accepted the trigger (2xx), so its runs exist, but they could not be identified'
      : 'runs may have started remotely';
  return `${message}; ${why}${extra ? ` (${extra})` : ''}: \`rubric-gate run --resume\` replays the same Idempotency-Key and picks them up`;
}

/** Read a run history for the runs an unknown-outcome trigger may have made. */
async function reconcile(
  history: AsyncIterable<TestRun>,
  sentAt: string | undefined,
  accept: (run: TestRun) => boolean,
  match: (found: readonly TestRun[]) => Match,
  ctx: TriggerContext,
): Promise<Match> {
  const sent = sentAt === undefined ? Number.NEGATIVE_INFINITY : Date.parse(sentAt);
  const stats = ctx.stats;
  if (stats) stats.reconciliations++;
  try {
    const scan = await scanRuns(history, { sinceMs: sent - CLOCK_SKEW_MS, accept });
    if (stats) stats.runsRead += scan.read;
    const m = match(scan.found);
    if (m.kind === 'none' && !scan.conclusive) {
      return { kind: 'ambiguous', why: `no run found in the ${scan.read} newest runs read` };
    }
    return m;
  } catch (err) {
    if (isFatal(err)) throw err;
    return { kind: 'ambiguous', why: `the run history could not be read: ${describe(err)}` };
  }
}

/**
 * After a failure whose outcome is unknown (or a 2xx that could not be read): the runs the
 * trigger made, looked up in `history` among runs not already ours. Undefined when the failure
 * says nothing was started, or the command is stopping.
 */
async function lookUp(
  err: unknown,
  kind: TriggerFailure,
  ctx: TriggerContext,
  q: Lookup & { sentAt: string | undefined },
): Promise<Match | undefined> {
  if ((kind !== 'unknown' && kind !== 'started') || ctx.signal?.aborted || isFatal(err)) return undefined;
  return runsSince(q, q.sentAt, ctx);
}

/** The runs a trigger sent at `sentAt` may have made, looked up among runs not already ours. */
function runsSince(q: Lookup, sentAt: string | undefined, ctx: TriggerContext): Promise<Match> {
  const known = knownRuns(ctx.state);
  return reconcile(q.history(), sentAt, (r) => !known.has(r.run_id) && q.accept(r), q.match, ctx);
}

/** Known run ids: a run adopted once is never adopted again by another trigger. */
const knownRuns = (state: RunState): Set<string> =>
  new Set(state.work.flatMap((w) => (w.runId === undefined ? [] : [w.runId])));

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
  match: (found: readonly TestRun[]) => Match;
}

/**
 * Before sending a trigger again: undefined while its key is still replayed (or it was never
 * sent), else what the run history says it started, as for an unknown outcome ('none' only when
 * the history was read conclusively).
 */
async function pastReplay(
  sentAt: string | undefined,
  ctx: TriggerContext,
  q: Lookup,
): Promise<Match | undefined> {
  if (sentAt === undefined) return undefined;
  const wallNow = ctx.wallNow ?? Date.now;
  // An unreadable time is treated as old: the lookup costs a read, a wrong send a run.
  if (wallNow() - Date.parse(sentAt) <= REPLAY_WINDOW_MS) return undefined;
  return runsSince(q, sentAt, ctx);
}

const pastReplayMessage = (sentAt: string, why: string): string =>
  `not sent again: first sent at ${sentAt}, more than a day ago, so the API no longer replays its Idempotency-Key and a re-send could start a second run, and the run history cannot tell whether it started one (${why}). Check the suite's runs in the portal, then run without --resume`;

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
  for (const run of runs) {
    const w = byTest.get(run.test_id);
    if (!w) {
      out.extraRuns++;
      continue;
    }
    byTest.delete(run.test_id);
    w.triggeredAt = iso(now);
    delete w.uncertain;
    const c = observe(w, run, now);
    if (c) out.changes.push(c);
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
  const out: TriggerOutcome = { changes: [], problems: [], extraRuns: 0 };
  const items = ctx.state.work.filter((w) => w.batch === batch.key && w.status === 'queued');
  const wallNow = ctx.wallNow ?? Date.now;
  const ours = new Set(items.flatMap((w) => (w.testId === undefined ? [] : [w.testId])));
  const lookup: Lookup = {
    history: () => ctx.api.listSuiteRuns(batch.suite, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => ours.has(r.test_id),
    match: matchSuiteTrigger,
  };
  const past = await pastReplay(batch.sentAt, ctx, lookup);
  if (past?.kind === 'found') {
    if (ctx.stats) ctx.stats.adopted += past.runs.length;
    adoptBatch(batch, items, past.runs, ctx, out);
    ctx.persist();
    return out;
  }
  if (past?.kind === 'ambiguous' && batch.sentAt !== undefined) {
    batch.status = 'failed';
    batch.message = pastReplayMessage(batch.sentAt, past.why);
    for (const w of items) {
      w.uncertain = true; // never re-triggered under a new key (--retries)
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
    const kind = classifyFailure(err);
    const message = `suite trigger failed: ${describe(err)}`;
    const m = await lookUp(err, kind, ctx, { ...lookup, sentAt: batch.sentAt });
    if (m?.kind === 'found') {
      if (ctx.stats) ctx.stats.adopted += m.runs.length;
      adoptBatch(batch, items, m.runs, ctx, out);
      ctx.persist();
      return out;
    }
    const ambiguity = m?.kind === 'ambiguous' ? m.why : undefined;
    batch.failures++;
    if (onFailure(err, kind, batch.failures, ctx)) {
      const uncertain = kind === 'unknown' || kind === 'started';
      batch.status = 'failed';
      batch.message = uncertain ? uncertainMessage(kind, message, ambiguity) : message;
      for (const w of items) {
        if (uncertain) w.uncertain = true;
        const c = settle(w, 'not_started', batch.message);
        if (c) out.changes.push(c);
      }
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${message} (will retry with the same Idempotency-Key)`);
    }
    ctx.persist();
    return out;
  }
  adoptBatch(batch, items, runs, ctx, out);
  ctx.persist();
  return out;
}

export async function triggerWork(w: Work, ctx: TriggerContext): Promise<TriggerOutcome> {
  const out: TriggerOutcome = { changes: [], problems: [], extraRuns: 0 };
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
    delete w.uncertain;
    const c = observe(w, run, now);
    if (c) out.changes.push(c);
  };
  const lookup: Lookup = {
    history: () => ctx.api.listTestRuns(testId, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => r.test_id === testId,
    match: matchTestTrigger,
  };
  const past = await pastReplay(w.sentAt, ctx, lookup);
  if (past?.kind === 'found' && past.runs[0]) {
    if (ctx.stats) ctx.stats.adopted++;
    adopt(past.runs[0]);
    ctx.persist();
    return out;
  }
  if (past?.kind === 'ambiguous' && w.sentAt !== undefined) {
    w.uncertain = true;
    const c = settle(w, 'not_started', pastReplayMessage(w.sentAt, past.why));
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
    const kind = classifyFailure(err);
    const message = `trigger failed: ${describe(err)}`;
    const m = await lookUp(err, kind, ctx, { ...lookup, sentAt: w.sentAt });
    if (m?.kind === 'found' && m.runs[0]) {
      if (ctx.stats) ctx.stats.adopted++;
      adopt(m.runs[0]);
      ctx.persist();
      return out;
    }
    const ambiguity = m?.kind === 'ambiguous' ? m.why : undefined;
    w.failures++;
    if (onFailure(err, kind, w.failures, ctx)) {
      const uncertain = kind === 'unknown' || kind === 'started';
      if (uncertain) w.uncertain = true;
      const c = settle(w, 'not_started', uncertain ? uncertainMessage(kind, message, ambiguity) : message);
      if (c) out.changes.push(c);
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${w.suite} › ${w.test}: ${message} (will retry with the same Idempotency-Key)`);
    }
  }
  ctx.persist();
  return out;
}
