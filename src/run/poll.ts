// Waiting for runs. One paginated list call per suite batch (filtered by test_suite_run_id) per
// poll; a GET per run only for runs triggered one by one, where no batch call can serve. Between
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

/** Requests one poll makes: a page per 100 runs of each suite batch, a GET per single run. */
export function pollRequests(state: RunState): number {
  const { groups, singles } = planPoll(state);
  return groups.reduce((n, g) => n + Math.max(1, Math.ceil(g.work.size / 100)), 0) + singles.length;
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

/** Which in-flight attempts are read by a batch list and which need their own GET. */
export function planPoll(state: RunState): { groups: Group[]; singles: Work[] } {
  const groups = new Map<string, Group>();
  const singles: Work[] = [];
  for (const w of state.work) {
    if (!isInFlight(w) || w.runId === undefined) continue;
    if (w.via === 'suite' && w.testSuiteRunId !== undefined) {
      const k = `${w.suite}\u0000${w.testSuiteRunId}`;
      const g = groups.get(k) ?? { suite: w.suite, testSuiteRunId: w.testSuiteRunId, work: new Map() };
      g.work.set(w.runId, w);
      groups.set(k, g);
    } else {
      singles.push(w);
    }
  }
  return { groups: [...groups.values()], singles };
}

/** One poll of every in-flight run. Never throws for API errors; see PollResult. */
export async function pollOnce(state: RunState, ctx: PollContext): Promise<PollResult> {
  const { api, signal } = ctx;
  const call = signal ? { signal } : {};
  const result: PollResult = { changes: [], problems: [], listCalls: 0, getCalls: 0 };
  const { groups, singles } = planPoll(state);
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
  const gets = singles.map((w) =>
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
  await Promise.all([...lists, ...gets]);
  return result;
}
