// Waiting for runs, by list calls only: one paginated list per suite batch (filtered by
// test_suite_run_id), and for runs triggered one by one (per-test mode, shards, retries) a read
// of their suite's run history, where they appear too, newest first as far back as the oldest
// of them. A run such a read did not show gets its own GET, so correctness never depends on the
// order; the cost is per page, not per run.
//
// Cadence: one poll every `startMs` (4.8 s) while polls succeed, so a result is seen at most that
// late, as a plain 5 s list-poller sees it; capped exponential backoff with full jitter while
// polls fail. The reads themselves are what is cheaper (reads.ts): finished runs are read through
// the `status=completed` filter, so a batch costs the pages of its finished runs, not of all of
// them. Rate limits (429 + Retry-After) and 5xx are retried inside the client; a poll that still
// fails is not fatal: the runs go on remotely, so we warn, back off and poll again.
import pLimit from 'p-limit';
import type { TelnyxClient } from '../api/client.js';
import { isInProgress } from '../api/schemas.js';
import { ApiError, isNotFound } from '../errors.js';
import { tupleKey } from '../keys.js';
import { type Change, isInFlight, observe, settle } from './ledger.js';
import { markUncertain, type RunState, type Work } from './state.js';

/** The API calls a run makes; TelnyxClient satisfies it. */
export type RunApi = Pick<
  TelnyxClient,
  'triggerSuite' | 'triggerTest' | 'listSuiteRuns' | 'listTestRuns' | 'getRun' | 'getVersion'
>;

export interface PollPolicy {
  /** Time between two polls while they succeed, ms: how late a result may be seen. */
  startMs: number;
  /** Largest wait after polls that failed, ms. */
  capMs: number;
  /**
   * Each batch (and suite history) is read without the status filter at least this often, ms:
   * the check that the filter does what we take it to do, and the read that sees runs in a
   * status the filter may leave out (an undocumented one). Default 60 s.
   */
  verifyMs?: number;
  /** With --history, the poll for the last runs comes this long after they are expected done. */
  endSlackMs?: number;
  /**
   * Polls failing without a break for this long end the command (exit 3, runs listed for
   * --resume): a runs are only timed out on a sighting, so without --timeout an API that never
   * answers again would keep the job waiting forever. Default 30 min.
   */
  outageMs?: number;
}

export const DEFAULT_OUTAGE_MS = 30 * 60_000;

export const DEFAULT_END_SLACK_MS = 250;

export const DEFAULT_POLL_POLICY: PollPolicy = { startMs: 4_800, capMs: 20_000, verifyMs: 60_000 };

/**
 * Delay before the next poll. After a poll that went well (`failures` 0): `startMs`. After
 * failed polls: full jitter (AWS, "Exponential Backoff And Jitter") over min(cap, start * 2^n),
 * never under `startMs`.
 */
export function pollDelay(failures: number, policy: PollPolicy, random: () => number): number {
  if (failures <= 0) return policy.startMs;
  const ceiling = Math.min(policy.capMs, policy.startMs * 2 ** Math.min(failures, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(policy.startMs, Math.floor(r * ceiling));
}

/**
 * When a run started: the earlier of the API's created_at (what --history's durations are
 * measured from) and our trigger time, so neither a late trigger answer nor a clock skew
 * between us and the API makes a poll come later than it should.
 */
const startedMs = (w: Work): number => {
  const times = [w.createdAt, w.triggeredAt].flatMap((t) => (t === undefined ? [] : [Date.parse(t)]));
  return times.length === 0 ? Number.NaN : Math.min(...times);
};

/**
 * Ms from now until every in-flight run is expected to be done (from --history), when each has
 * an expectation; undefined otherwise. The run loop polls then rather than a cadence later, so
 * the last result of a run that behaves as before is seen right away.
 */
export function untilAllExpectedMs(
  state: RunState,
  nowMs: number,
  expectedMs: (w: Work) => number | undefined,
): number | undefined {
  let latest = Number.NEGATIVE_INFINITY;
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const expected = expectedMs(w);
    const from = startedMs(w);
    if (expected === undefined || Number.isNaN(from)) return undefined;
    latest = Math.max(latest, from + expected);
  }
  return latest === Number.NEGATIVE_INFINITY ? undefined : latest - nowMs;
}

/**
 * Ms until the runs still in flight can be expected to be done at the pace runs finished over
 * the last poll interval (`finished` in `intervalMs`), with a fifth to spare; undefined when
 * nothing finished. The run loop polls then instead of a cadence later when that is sooner, so
 * the end of a batch that finishes steadily is seen about when it comes; a straggler costs at
 * most one more poll.
 */
export function untilPaceDoneMs(inFlight: number, finished: number, intervalMs: number): number | undefined {
  if (inFlight <= 0 || finished <= 0 || !(intervalMs > 0)) return undefined;
  return Math.round(((inFlight * intervalMs) / finished) * 1.2);
}

/** A run known to take about `expectedMs` is not looked for before this fraction of it. */
export const EXPECTED_FRACTION = 0.75;

/**
 * Ms from now until the next poll, for a step between polls of `stepMs` counted from the end of
 * the last one: what the loop spent since (a per-test run's round of triggers takes seconds) is
 * time already waited, so a round cannot stretch the gap between two polls to itself plus a
 * whole step. Never negative; before the first poll, the step from now.
 */
export function fromLastPollMs(stepMs: number, now: number, lastPollEndAt: number | undefined): number {
  return Math.max(0, stepMs - (lastPollEndAt === undefined ? 0 : Math.max(0, now - lastPollEndAt)));
}

/**
 * Ms from now until a poll can find anything: the earliest moment an in-flight run may be final,
 * taking a run with an expected duration (from --history) as not final before
 * EXPECTED_FRACTION of it. A run without an expectation may be final at any time (0).
 */
export function untilUsefulMs(
  state: RunState,
  nowMs: number,
  expectedMs: (w: Work) => number | undefined,
): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const expected = expectedMs(w);
    const from = startedMs(w);
    if (expected === undefined || Number.isNaN(from)) return 0;
    earliest = Math.min(earliest, from + EXPECTED_FRACTION * expected);
  }
  return earliest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, earliest - nowMs);
}

/** Errors no amount of waiting fixes: stop the run (exit 3) instead of polling forever. */
export function isFatal(err: unknown): boolean {
  return err instanceof ApiError && (err.details.status === 401 || err.details.status === 403);
}

export interface PollContext {
  api: RunApi;
  now: () => number;
  signal?: AbortSignal | undefined;
  /** Parallel reads (lists and GETs). */
  concurrency?: number;
}

export interface PollResult {
  changes: Change[];
  /** Non-fatal failures (after the client's own retries), for a warning. */
  problems: string[];
  /** Things worth saying that are not failures (the status filter set aside). */
  notes: string[];
  /** 401/403: the caller stops. */
  fatal?: unknown;
  /** Reads and GETs the API answered: an outage is a poll with problems and none of these. */
  answered: number;
  /** Calls made, by kind (for tests and the debug line): list reads, of them filtered, GETs. */
  listCalls: number;
  filteredCalls: number;
  getCalls: number;
}

/** What one list read waits for: a suite batch, or the per-test runs of one suite. */
interface Target {
  /** suite, plus the batch id for a batch. */
  key: string;
  suite: string;
  testSuiteRunId?: string;
  /** In-flight runs by run id. */
  waiting: Map<string, Work>;
  /** Runs of ours this read covers, in flight or not (what an unfiltered read returns). */
  runs: number;
  /** Of them, the ones no longer in flight (what a filtered read returns). */
  done: number;
  /** History only: the oldest created_at among the waiting runs (API clock); NaN when unknown. */
  oldestMs: number;
}

/** Runs created this long before the oldest one we wait for still count (duplicate timestamps, skew). */
const HISTORY_SLACK_MS = 10_000;
/** History runs read beyond the ones we wait for before the rest get their own GET. */
const HISTORY_EXTRA = 200;
/** The filter value for finished runs: CONTRACT.md 2.5 lists it; its semantics are undocumented (8.1). */
export const FINISHED_FILTER = 'completed';
const PAGE = 100;
/** Pages an unfiltered read may cost every verifyMs; larger batches are read unfiltered less often. */
const VERIFY_PAGES = 10;
/** Polls between unfiltered reads while no filtered read has listed a finished run yet. */
const UNCONFIRMED_VERIFY_POLLS = 4;
/** The tail is never polled more often than this share of the cadence. */
const TAIL_FLOOR = 0.25;
/** Pages of one batch read in flight at once. */
const PARALLEL_PAGES = 4;
const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE));

/** Which in-flight attempts are read by a batch list and which by their suite's history. */
export function planPoll(state: RunState): Target[] {
  const targets = new Map<string, Target>();
  const created = (w: Work) => (w.createdAt === undefined ? Number.NaN : Date.parse(w.createdAt));
  for (const w of state.work) {
    if (!isInFlight(w) || w.runId === undefined) continue;
    const batch = w.via === 'suite' && w.testSuiteRunId !== undefined;
    const key = batch ? tupleKey(w.suite, w.testSuiteRunId ?? '') : tupleKey(w.suite);
    let t = targets.get(key);
    if (!t) {
      t = { key, suite: w.suite, waiting: new Map(), runs: 0, done: 0, oldestMs: Number.POSITIVE_INFINITY };
      if (batch && w.testSuiteRunId !== undefined) t.testSuiteRunId = w.testSuiteRunId;
      targets.set(key, t);
    }
    t.waiting.set(w.runId, w);
    if (!batch) t.oldestMs = Number.isNaN(t.oldestMs) ? t.oldestMs : Math.min(t.oldestMs, created(w));
  }
  // What each read would return: the batch's runs, or our per-test runs since the oldest waiting.
  for (const w of state.work) {
    if (w.runId === undefined) continue;
    const batch = w.via === 'suite' && w.testSuiteRunId !== undefined;
    const t = targets.get(batch ? tupleKey(w.suite, w.testSuiteRunId ?? '') : tupleKey(w.suite));
    if (!t || (!batch && !(created(w) >= t.oldestMs - HISTORY_SLACK_MS))) continue;
    t.runs++;
    if (!isInFlight(w)) t.done++;
  }
  return [...targets.values()];
}

/** What one read of a target saw. */
interface Read {
  seen: Set<string>;
  /** Newly final runs of ours: run id → created_at (ms). */
  finals: Map<string, number>;
  /** Every page was read (not stopped early). */
  exhaustive: boolean;
  /** The read went newest first throughout. */
  newestFirst: boolean;
  /** created_at of the last run read. */
  lastCreatedMs: number;
  /** A filtered read returned a run still in progress: the filter did not filter. */
  unfiltered: boolean;
}

/**
 * Polls every in-flight run, remembering across polls what it learnt about the status filter.
 *
 * A read through `status=completed` is used for a target when it costs fewer pages than an
 * unfiltered one and the target was read unfiltered within `verifyMs`. Only what such a read
 * shows is taken (a run listed final is final whatever the filter means); a run it does not show
 * is simply waited for. The filter is set aside for the rest of the command when a filtered read
 * lists a run still in progress (it filters nothing) or misses a run an earlier unfiltered read
 * saw final (it leaves finished runs out). So an API that ignores, inverts or narrows the filter
 * costs requests or lag, never a result.
 */
export class Poller {
  private filterOk = true;
  /** A filtered read has listed finished runs (and nothing in progress). */
  private confirmed = false;
  private readonly fullReadAt = new Map<string, number>();
  /** Runs an unfiltered read saw final, by target: the next filtered read must list them. */
  private readonly mustShow = new Map<string, Map<string, number>>();

  constructor(
    private readonly ctx: PollContext,
    private readonly policy: PollPolicy = DEFAULT_POLL_POLICY,
  ) {}

  /** One poll of every in-flight run. Never throws for API errors; see PollResult. */
  async poll(state: RunState): Promise<PollResult> {
    const { signal } = this.ctx;
    const result: PollResult = {
      changes: [],
      problems: [],
      notes: [],
      answered: 0,
      listCalls: 0,
      filteredCalls: 0,
      getCalls: 0,
    };
    const limit = pLimit(this.ctx.concurrency ?? 8);
    const fail = (err: unknown) => {
      if (signal?.aborted) return;
      if (isFatal(err)) result.fatal ??= err;
      else result.problems.push(err instanceof Error ? err.message : String(err));
    };
    const unseen: Work[] = [];
    // The last few runs of a read cost less one GET each than the pages that list them.
    const reads = planPoll(state).filter((t) => {
      if (!this.byGet(t)) return true;
      for (const w of t.waiting.values()) unseen.push(w);
      return false;
    });
    await Promise.all(
      reads.map((t) =>
        limit(async () => {
          if (signal?.aborted || result.fatal) return;
          const { filtered } = this.choose(t);
          result.listCalls++;
          if (filtered) result.filteredCalls++;
          let read: Read;
          try {
            read = await this.read(t, filtered, result.changes);
          } catch (err) {
            fail(err);
            return; // read again next poll
          }
          result.answered++;
          if (filtered) this.check(t, read, result.notes);
          else {
            this.fullReadAt.set(t.key, this.ctx.now());
            const must = this.mustShow.get(t.key) ?? new Map<string, number>();
            for (const [id, at] of read.finals) must.set(id, at);
            this.mustShow.set(t.key, must);
            // A run an unfiltered read did not show gets its own GET: a per-test run past the
            // history read, or a batch's run gone from its list (its test deleted, say), which
            // no later read would show, so it would be waited for forever. A 404 settles it.
            if (t.testSuiteRunId === undefined || read.exhaustive) {
              for (const [id, w] of t.waiting) if (!read.seen.has(id)) unseen.push(w);
            }
          }
        }),
      ),
    );
    await Promise.all(unseen.map((w) => limit(() => this.get(w, result, fail))));
    return result;
  }

  private byGet = (t: Target): boolean => t.waiting.size < this.choose(t).cost;

  /**
   * How much of the cadence to wait before the next poll, in [TAIL_FLOOR, 1]. Only the last
   * few runs left (each read by one GET): the share their GETs are of the pages listing every
   * run would cost, so the tail is polled sooner while requests are spent no faster than one
   * full read per `startMs`.
   */
  cadenceShare(state: RunState): number {
    const targets = planPoll(state);
    if (targets.length === 0 || !targets.every(this.byGet)) return 1;
    const gets = targets.reduce((n, t) => n + t.waiting.size, 0);
    const full = targets.reduce((n, t) => n + pages(t.runs), 0);
    return Math.min(1, Math.max(TAIL_FLOOR, gets / full));
  }

  /**
   * Whether the next list read of a target goes through the filter, and the pages it costs.
   * The trigger's answer listed every run of a batch in progress: it counts as a full read.
   */
  private choose(t: Target): { filtered: boolean; cost: number } {
    const now = this.ctx.now();
    if (!this.fullReadAt.has(t.key)) this.fullReadAt.set(t.key, now);
    const last = this.fullReadAt.get(t.key) ?? now;
    // Until a filtered read has listed a finished run, an empty one may mean "none yet" or "the
    // filter matches nothing": unfiltered reads come every few polls until then.
    // A batch of more than VERIFY_PAGES pages is read unfiltered as much less often.
    const verifyMs = Math.min(
      (this.policy.verifyMs ?? DEFAULT_POLL_POLICY.verifyMs ?? 60_000) *
        Math.max(1, pages(t.runs) / VERIFY_PAGES),
      this.confirmed ? Number.POSITIVE_INFINITY : UNCONFIRMED_VERIFY_POLLS * this.policy.startMs,
    );
    const filtered = this.filterOk && pages(t.done) < pages(t.runs) && now - last < verifyMs;
    return { filtered, cost: filtered ? pages(t.done) : pages(t.runs) };
  }

  private async read(t: Target, filtered: boolean, changes: Change[]): Promise<Read> {
    const call = this.ctx.signal ? { signal: this.ctx.signal } : {};
    const filter = {
      ...(t.testSuiteRunId !== undefined ? { testSuiteRunId: t.testSuiteRunId } : {}),
      ...(filtered ? { status: FINISHED_FILTER } : {}),
    };
    const history = t.testSuiteRunId === undefined;
    // An unfiltered batch read lists a fixed set of runs: its pages are read a few at a time.
    // A filtered one grows while it is read (runs finish), and a page served before the one
    // ahead of it can miss a run pushed across their boundary; read in order, a run pushed
    // ahead is only listed twice. A history read stops early on the order it sees. Those two
    // come page by page.
    const opts = history || filtered ? call : { ...call, parallel: PARALLEL_PAGES };
    const out: Read = {
      seen: new Set(),
      finals: new Map(),
      exhaustive: true,
      newestFirst: true,
      lastCreatedMs: Number.POSITIVE_INFINITY,
      unfiltered: false,
    };
    const waiting = new Map(t.waiting);
    let read = 0;
    for await (const run of this.ctx.api.listSuiteRuns(t.suite, filter, opts)) {
      read++;
      out.seen.add(run.run_id);
      if (filtered && isInProgress(run.status)) out.unfiltered = true;
      const created = Date.parse(run.created_at);
      if (!(created <= out.lastCreatedMs)) out.newestFirst = false;
      out.lastCreatedMs = created;
      const w = waiting.get(run.run_id);
      if (w) {
        waiting.delete(run.run_id);
        const c = isInFlight(w) ? observe(w, run, this.ctx.now()) : undefined;
        if (c) changes.push(c);
        if (!isInFlight(w) && !isInProgress(run.status)) out.finals.set(run.run_id, created);
      }
      if (!history) continue;
      // The suite's history holds older runs too: stop once past every run we wait for.
      if (waiting.size === 0 || (out.newestFirst && created < t.oldestMs - HISTORY_SLACK_MS)) {
        out.exhaustive = false;
        break;
      }
      if (read >= t.runs + HISTORY_EXTRA) {
        out.exhaustive = false;
        break;
      }
    }
    return out;
  }

  /** After a filtered read: does the filter still look like it returns every finished run? */
  private check(t: Target, read: Read, notes: string[]): void {
    const must = this.mustShow.get(t.key);
    let missed = 0;
    if (must) {
      for (const [id, created] of must) {
        // Checkable: the read covered every run at least as new as this one.
        if (!read.exhaustive && !(read.newestFirst && created > read.lastCreatedMs)) continue;
        if (!read.seen.has(id)) missed++;
        must.delete(id);
      }
    }
    if (!read.unfiltered && missed === 0 && read.seen.size > 0) this.confirmed = true;
    if (!this.filterOk || (!read.unfiltered && missed === 0)) return;
    this.filterOk = false;
    notes.push(
      read.unfiltered
        ? `the API's status=${FINISHED_FILTER} filter listed runs still in progress; every run is read unfiltered from now on`
        : `the API's status=${FINISHED_FILTER} filter left out ${missed} finished run${missed === 1 ? '' : 's'}; every run is read unfiltered from now on`,
    );
  }

  private async get(w: Work, result: PollResult, fail: (err: unknown) => void): Promise<void> {
    const { signal } = this.ctx;
    if (signal?.aborted || result.fatal || w.testId === undefined || w.runId === undefined) return;
    result.getCalls++;
    try {
      const run = await this.ctx.api.getRun(w.testId, w.runId, signal ? { signal } : {});
      result.answered++;
      const c = isInFlight(w) ? observe(w, run, this.ctx.now()) : undefined;
      if (c) result.changes.push(c);
    } catch (err) {
      // The run is gone (its test deleted by another job), or not readable yet: an error, and
      // never re-run under a new key, since the run we hold the id of may still exist and fail.
      if (isNotFound(err) && !signal?.aborted) {
        markUncertain(w);
        const c = settle(
          w,
          'error',
          `run ${w.runId} was not found (404); it may have been deleted, so it is not retried`,
        );
        if (c) result.changes.push(c);
      } else {
        fail(err);
      }
    }
  }
}

/** One poll with a fresh Poller (no memory of the filter across polls): for tests. */
export function pollOnce(state: RunState, ctx: PollContext, policy?: PollPolicy): Promise<PollResult> {
  return new Poller(ctx, policy).poll(state);
}
