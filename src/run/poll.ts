// Waiting for runs, by list calls only: one paginated list per suite batch (filtered by
// test_suite_run_id), and for runs triggered one by one (per-test mode, shards, retries) a read
// of their suite's run history, where they appear too, newest first as far as back as the oldest
// of them. A run such a read did not show (the API reordered or dropped it between pages) gets
// its own GET, so correctness never depends on the order; the cost is per page, not per run. Between
// polls: capped exponential backoff with full jitter, back to fast as soon as anything changed.
// Rate limits (429 + Retry-After) and 5xx are retried inside the client; a poll that still fails
// is not fatal: the runs go on remotely, so we warn, back off and poll again.
import pLimit from 'p-limit';
import type { TelnyxClient } from '../api/client.js';
import { ApiError } from '../errors.js';
import { type Change, isInFlight, observe, settle } from './ledger.js';
import type { RunState, Work } from './state.js';

/** The API calls a run makes; TelnyxClient satisfies it. */
export type RunApi = Pick<
  TelnyxClient,
  'triggerSuite' | 'triggerTest' | 'listSuiteRuns' | 'listTestRuns' | 'getRun' | 'getVersion'
>;

export interface PollPolicy {
  /** First delay ceiling after a change, ms. */
  startMs: number;
  /** Largest delay ceiling, ms. */
  capMs: number;
  /**
   * The ceiling also stays under this much per request a poll costs: a cheap poll (one page)
   * need not back off as far as a 10-page one, so small suites see results sooner.
   */
  capPerRequestMs?: number;
  /**
   * And under this fraction of the youngest in-flight run's age: while nothing has finished yet
   * the backoff must not outgrow the runs, or the first results (often many at once) are seen
   * a whole cap late.
   */
  ageFraction?: number;
}

export const DEFAULT_POLL_POLICY: PollPolicy = {
  startMs: 1500,
  capMs: 20_000,
  capPerRequestMs: 2500,
  ageFraction: 0.25,
};

/** Ms since the most recent trigger among in-flight runs; undefined when none is in flight. */
export function youngestInFlightAgeMs(state: RunState, nowMs: number): number | undefined {
  let youngest: number | undefined;
  for (const w of state.work) {
    if (!isInFlight(w) || w.triggeredAt === undefined) continue;
    const age = nowMs - Date.parse(w.triggeredAt);
    if (youngest === undefined || age < youngest) youngest = age;
  }
  return youngest;
}

/** Requests one poll makes: a page per 100 in-flight runs of each batch or suite history read. */
export function pollRequests(state: RunState): number {
  const { groups, histories } = planPoll(state);
  return (
    groups.reduce((n, g) => n + Math.max(1, Math.ceil(g.work.size / 100)), 0) +
    histories.reduce((n, h) => n + Math.max(1, Math.ceil(h.work.size / 100)), 0)
  );
}

/**
 * Delay before the next poll after `step` polls without a change: full jitter (AWS, "Exponential
 * Backoff And Jitter") over min(cap, start * 2^step), floored at start/2 so a lucky draw of 0
 * does not make an immediate request. The cap shrinks for cheap polls (capPerRequestMs) and for
 * young runs (ageFraction).
 */
export function pollDelay(
  step: number,
  policy: PollPolicy,
  random: () => number,
  requestsPerPoll = 1,
  youngestAgeMs = Number.POSITIVE_INFINITY,
): number {
  const bound = (per: number | undefined, x: number) =>
    per === undefined ? Number.POSITIVE_INFINITY : Math.max(policy.startMs, per * x);
  const cap = Math.min(
    policy.capMs,
    bound(policy.capPerRequestMs, requestsPerPoll),
    bound(policy.ageFraction, youngestAgeMs),
  );
  const ceiling = Math.min(cap, policy.startMs * 2 ** Math.min(Math.max(0, step), 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(Math.floor(policy.startMs / 2), Math.floor(r * ceiling));
}

/** Errors no amount of waiting fixes: stop the run (exit 3) instead of polling forever. */
export function isFatal(err: unknown): boolean {
  return err instanceof ApiError && (err.details.status === 401 || err.details.status === 403);
}

export interface PollContext {
  api: RunApi;
  now: () => number;
  signal?: AbortSignal | undefined;
  /** Parallel GETs for per-test runs. */
  concurrency?: number;
}

export interface PollResult {
  changes: Change[];
  /** Non-fatal failures (after the client's own retries), for a warning. */
  problems: string[];
  /** 401/403: the caller stops. */
  fatal?: unknown;
  /** Calls made, by kind (for tests and the debug line). */
  listCalls: number;
  getCalls: number;
}

interface Group {
  suite: string;
  testSuiteRunId: string;
  work: Map<string, Work>;
}

/** In-flight runs of one suite triggered one by one: read from the suite's run history. */
interface History {
  suite: string;
  work: Map<string, Work>;
  /** The oldest created_at among them (API clock); NaN when unknown. */
  oldestMs: number;
}

/** Runs created this long before the oldest one we wait for still count (duplicate timestamps, skew). */
const HISTORY_SLACK_MS = 60_000;
/** History runs read beyond the ones we wait for before the rest get their own GET. */
const HISTORY_EXTRA = 200;

/** Which in-flight attempts are read by a batch list and which by their suite's history. */
export function planPoll(state: RunState): { groups: Group[]; histories: History[] } {
  const groups = new Map<string, Group>();
  const histories = new Map<string, History>();
  for (const w of state.work) {
    if (!isInFlight(w) || w.runId === undefined) continue;
    if (w.via === 'suite' && w.testSuiteRunId !== undefined) {
      const k = `${w.suite}\u0000${w.testSuiteRunId}`;
      const g = groups.get(k) ?? { suite: w.suite, testSuiteRunId: w.testSuiteRunId, work: new Map() };
      g.work.set(w.runId, w);
      groups.set(k, g);
    } else {
      const h = histories.get(w.suite) ?? {
        suite: w.suite,
        work: new Map(),
        oldestMs: Number.POSITIVE_INFINITY,
      };
      h.work.set(w.runId, w);
      const created = w.createdAt === undefined ? Number.NaN : Date.parse(w.createdAt);
      h.oldestMs =
        Number.isNaN(created) || Number.isNaN(h.oldestMs) ? Number.NaN : Math.min(h.oldestMs, created);
      histories.set(w.suite, h);
    }
  }
  return { groups: [...groups.values()], histories: [...histories.values()] };
}

/** One poll of every in-flight run. Never throws for API errors; see PollResult. */
export async function pollOnce(state: RunState, ctx: PollContext): Promise<PollResult> {
  const { api, signal } = ctx;
  const call = signal ? { signal } : {};
  const result: PollResult = { changes: [], problems: [], listCalls: 0, getCalls: 0 };
  const { groups, histories } = planPoll(state);
  const limit = pLimit(ctx.concurrency ?? 8);
  const record = (c: Change | undefined) => {
    if (c) result.changes.push(c);
  };
  const fail = (err: unknown) => {
    if (signal?.aborted) return;
    if (isFatal(err)) result.fatal ??= err;
    else result.problems.push(err instanceof Error ? err.message : String(err));
  };

  const lists = groups.map((g) =>
    limit(async () => {
      if (signal?.aborted || result.fatal) return;
      result.listCalls++;
      try {
        for await (const run of api.listSuiteRuns(g.suite, { testSuiteRunId: g.testSuiteRunId }, call)) {
          const w = g.work.get(run.run_id);
          if (w && isInFlight(w)) record(observe(w, run, ctx.now()));
        }
      } catch (err) {
        fail(err);
      }
    }),
  );
  const unseen: Work[] = [];
  const reads = histories.map((h) =>
    limit(async () => {
      if (signal?.aborted || result.fatal) return;
      result.listCalls++;
      const waiting = new Map(h.work);
      try {
        let read = 0;
        let previous = Number.POSITIVE_INFINITY;
        let newestFirst = true;
        for await (const run of api.listSuiteRuns(h.suite, {}, call)) {
          read++;
          const w = waiting.get(run.run_id);
          if (w) {
            waiting.delete(run.run_id);
            if (isInFlight(w)) record(observe(w, run, ctx.now()));
          }
          if (waiting.size === 0) break;
          const created = Date.parse(run.created_at);
          if (!(created <= previous)) newestFirst = false;
          previous = created;
          // Newest first and already older than every run we wait for: the rest is older still.
          if (newestFirst && created < h.oldestMs - HISTORY_SLACK_MS) break;
          if (read >= h.work.size + HISTORY_EXTRA) break;
        }
      } catch (err) {
        fail(err);
        return; // read again next poll
      }
      unseen.push(...waiting.values());
    }),
  );
  await Promise.all([...lists, ...reads]);
  const gets = unseen.map((w) =>
    limit(async () => {
      if (signal?.aborted || result.fatal || w.testId === undefined || w.runId === undefined) return;
      result.getCalls++;
      try {
        const run = await api.getRun(w.testId, w.runId, call);
        if (isInFlight(w)) record(observe(w, run, ctx.now()));
      } catch (err) {
        // The run is gone: no later poll can bring it back.
        if (err instanceof ApiError && err.details.status === 404 && !signal?.aborted) {
          record(settle(w, 'error', `run ${w.runId} no longer exists (404)`));
        } else {
          fail(err);
        }
      }
    }),
  );
  await Promise.all(gets);
  return result;
}
