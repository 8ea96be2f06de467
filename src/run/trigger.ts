// Starting runs. Every trigger carries the Idempotency-Key recorded in the state file, so any
// re-send (the client's retries, our next round, or --resume) is replayed by the API instead of
// starting a second run. The state is persisted the moment a trigger returns.
import { ApiError, UsageError } from '../errors.js';
import { type Change, observe, settle } from './ledger.js';
import { isFatal, type RunApi } from './poll.js';
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
}

export interface TriggerOutcome {
  changes: Change[];
  problems: string[];
  /** Runs a suite trigger started for remote tests that are not in the suite file. */
  extraRuns: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Statuses where sending the same request again cannot help. */
const isPermanent = (err: unknown): boolean => {
  const s = err instanceof ApiError ? err.details.status : undefined;
  return s !== undefined && s >= 400 && s < 500 && s !== 408 && s !== 409 && s !== 429;
};

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

/** Decide what a failed trigger means; throws for fatal ones. True when given up for good. */
function onFailure(err: unknown, failures: number, ctx: TriggerContext): boolean {
  if (ctx.signal?.aborted) return false;
  const usage = versionError(err, ctx);
  if (usage) throw usage;
  if (isFatal(err)) throw err;
  return isPermanent(err) || failures >= MAX_TRIGGER_ROUNDS;
}

const describe = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Given up on a trigger the API may still have acted on (409: the first attempt is still being
 * handled; 5xx or no answer at all): no run ids came back, so it stays not_started, but the
 * message says how to recover them, since a resume replays the same Idempotency-Key.
 */
function givenUp(err: unknown, message: string): string {
  const status = err instanceof ApiError ? err.details.status : undefined;
  const ambiguous = status === undefined || status === 409 || status >= 500;
  return ambiguous
    ? `${message}; runs may have started remotely: \`rubric-gate run --resume\` replays the same Idempotency-Key and picks them up`
    : message;
}

export async function triggerBatch(batch: Batch, ctx: TriggerContext): Promise<TriggerOutcome> {
  const out: TriggerOutcome = { changes: [], problems: [], extraRuns: 0 };
  const items = ctx.state.work.filter((w) => w.batch === batch.key && w.status === 'queued');
  let runs: Awaited<ReturnType<RunApi['triggerSuite']>>;
  try {
    runs = await ctx.api.triggerSuite(batch.suite, {
      idempotencyKey: batch.key,
      ...(ctx.version.id === undefined ? {} : { versionId: ctx.version.id }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (err) {
    batch.failures++;
    const message = `suite trigger failed: ${describe(err)}`;
    if (onFailure(err, batch.failures, ctx)) {
      batch.status = 'failed';
      batch.message = givenUp(err, message);
      for (const w of items) {
        const c = settle(w, 'not_started', batch.message);
        if (c) out.changes.push(c);
      }
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${message} (will retry with the same Idempotency-Key)`);
    }
    ctx.persist();
    return out;
  }
  ctx.version.confirmed = true;
  const now = ctx.now();
  batch.status = 'triggered';
  batch.triggeredAt = iso(now);
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
  try {
    const run = await ctx.api.triggerTest(w.testId, {
      idempotencyKey: w.key,
      ...(ctx.version.id === undefined ? {} : { versionId: ctx.version.id }),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    ctx.version.confirmed = true;
    const now = ctx.now();
    w.triggeredAt = iso(now);
    const c = observe(w, run, now);
    if (c) out.changes.push(c);
  } catch (err) {
    w.failures++;
    const message = `trigger failed: ${describe(err)}`;
    if (onFailure(err, w.failures, ctx)) {
      const c = settle(w, 'not_started', givenUp(err, message));
      if (c) out.changes.push(c);
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${w.suite} › ${w.test}: ${message} (will retry with the same Idempotency-Key)`);
    }
  }
  ctx.persist();
  return out;
}
