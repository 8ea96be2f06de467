// Pure bookkeeping over the run state: what to trigger, what a poll changed, which runs timed
// out, which attempts to retry. The orchestrator (run.ts) does the I/O and calls these.
import {
  isFinal,
  isInProgress,
  isTestStatus,
  TEST_STATUSES,
  type TestRun,
  type TestStatus,
} from '../api/schemas.js';
import { pairKey, tupleKey } from '../keys.js';
import { attemptVerdict, type Rubric } from '../outcome.js';
import type { SuiteSchedule } from './schedule.js';
import { idempotencyKey } from './schedule.js';
import type { Batch, RunSettings, RunState, Work, WorkStatus } from './state.js';
import { markUncertain, STATE_SCHEMA } from './state.js';

/** A status change of one attempt, for progress output and backoff reset. */
export interface Change {
  work: Work;
  from: WorkStatus;
  to: WorkStatus;
}

export const isInFlight = (w: Work): boolean => isInProgress(w.status);

/** `--against`: the baseline side is part of a trigger's identity, so it never shares a key. */
export type Side = Work['side'];
const sided = (parts: (string | number)[], side: Side) => (side === undefined ? parts : [...parts, side]);

export const batchKey = (nonce: string, suite: string, trial: number, side?: Side): string =>
  idempotencyKey(nonce, sided(['suite', suite, trial], side));
export const workKey = (
  nonce: string,
  suite: string,
  test: string,
  trial: number,
  retry: number,
  side?: Side,
): string => idempotencyKey(nonce, sided(['test', suite, test, trial, retry], side));

/** One attempt's identity: side, suite, test, trial, retry. */
export const attemptId = (w: Pick<Work, 'side' | 'suite' | 'test' | 'trial'>, retry: number): string =>
  tupleKey(w.side ?? '', w.suite, w.test, w.trial, retry);

export interface InitialStateInput {
  nonce: string;
  startedAt: string;
  apiHost?: string | undefined;
  settings: RunSettings;
  schedules: readonly SuiteSchedule[];
  testIds: ReadonlyMap<string, string>;
  /** `--against`: every trigger also for the baseline side, right after the candidate's. */
  against?: boolean | undefined;
  /** Sequential trials: trials of multi-trial tests start held (run/sequential.ts releases them). */
  sequential?: boolean | undefined;
}

/**
 * The ledger before any trigger: suite batches and one work item per test and trial, trial-major
 * so --max-in-flight gives every test its first trial before anyone's second.
 */
export function initialState(input: InitialStateInput): RunState {
  const { nonce, schedules, testIds } = input;
  const sides: Side[] = input.against ? [undefined, 'baseline'] : [undefined];
  const side = (s: Side) => (s === undefined ? {} : { side: s });
  const hold = (trials: number) => (input.sequential && trials > 1 ? { held: true } : {});
  const batches: Batch[] = [];
  const work: Work[] = [];
  const tests: RunState['tests'] = [];
  for (const sc of schedules) {
    for (const t of sc.tests) {
      const id = testIds.get(pairKey(sc.suite, t.test.name));
      if (id !== undefined) tests.push({ suite: sc.suite, name: t.test.name, testId: id });
    }
    for (let trial = 1; trial <= sc.batches; trial++) {
      for (const s of sides) {
        batches.push({
          suite: sc.suite,
          trial,
          key: batchKey(nonce, sc.suite, trial, s),
          status: 'queued',
          failures: 0,
          ...side(s),
          ...hold(sc.batches),
        });
      }
    }
  }
  const maxTrials = Math.max(0, ...schedules.flatMap((sc) => sc.tests.map((t) => t.trials)));
  for (let trial = 1; trial <= maxTrials; trial++) {
    for (const sc of schedules) {
      for (const t of sc.tests) {
        if (trial > t.trials) continue;
        const testId = testIds.get(pairKey(sc.suite, t.test.name));
        for (const s of sides) {
          const base = {
            suite: sc.suite,
            test: t.test.name,
            trial,
            retry: 0,
            criteria: [],
            failures: 0,
            ...side(s),
          };
          const withId = testId === undefined ? base : { ...base, testId };
          if (sc.mode === 'suite') {
            work.push({
              ...withId,
              via: 'suite',
              batch: batchKey(nonce, sc.suite, trial, s),
              status: 'queued',
              ...hold(t.trials),
            });
          } else if (testId === undefined) {
            work.push({
              ...withId,
              via: 'test',
              status: 'not_started',
              message: `no remote test named ${JSON.stringify(t.test.name)} in suite ${JSON.stringify(sc.suite)}: sync the suite first (run without --no-sync)`,
            });
          } else {
            work.push({
              ...withId,
              via: 'test',
              key: workKey(nonce, sc.suite, t.test.name, trial, 0, s),
              status: 'queued',
              ...hold(t.trials),
            });
          }
        }
      }
    }
  }
  return {
    schema: STATE_SCHEMA,
    nonce,
    startedAt: input.startedAt,
    ...(input.apiHost === undefined ? {} : { apiHost: input.apiHost }),
    settings: input.settings,
    tests,
    batches,
    work,
  };
}

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Why an API answer about a run cannot be taken at its word, or undefined when it can. */
export function undocumentedStatus(run: TestRun): string | undefined {
  if (!isTestStatus(run.status)) {
    return `the API reported run status ${JSON.stringify(run.status)}, which is not a documented run status (${TEST_STATUSES.join(', ')}); counted as an error`;
  }
  const odd = (run.detail_status ?? []).find((d) => !isTestStatus(d.status));
  if (odd) {
    return `the API reported criterion ${JSON.stringify(odd.name)} as ${JSON.stringify(odd.status)}, which is not a documented status; counted as an error`;
  }
  return undefined;
}

/**
 * An answer that names another test or run than this attempt's (a run id reused across tests, a
 * GET answered with another run): never taken as its result. Undefined when it is ours.
 */
export function foreignAnswer(w: Pick<Work, 'testId' | 'runId'>, run: TestRun): string | undefined {
  if (w.testId !== undefined && run.test_id !== w.testId)
    return `the API's answer about run ${JSON.stringify(w.runId ?? run.run_id)} named test ${JSON.stringify(run.test_id)}, not this test (${JSON.stringify(w.testId)})`;
  if (w.runId !== undefined && run.run_id !== w.runId)
    return `the API answered for run ${JSON.stringify(run.run_id)} when asked about this test's run ${JSON.stringify(w.runId)}`;
  return undefined;
}

/**
 * An attempt whose result cannot be told from the API's answers: an error without a verdict
 * (the gate is incomplete, never green), and never re-run under a new key, since its run (or a
 * second one) may exist and have failed.
 */
export function unknowable(w: Work, why: string, nowMs: number): Change | undefined {
  const message = `${why}; its result cannot be told, so it counts as an error and is not retried`;
  w.undocumented = message;
  markUncertain(w);
  w.completedAt ??= iso(nowMs);
  return settle(w, 'error', message);
}

/**
 * The most of a run's logs kept: its first and last halves, with what was cut said between. The
 * logs go into the state file (rewritten while polling) and every report, for every attempt: a
 * few long conversation logs must not make a 10,000-test run hold gigabytes.
 */
export const LOGS_LIMIT = 64 * 1024;

export function capLogs(logs: string): string {
  if (logs.length <= LOGS_LIMIT) return logs;
  const half = LOGS_LIMIT / 2;
  return `${logs.slice(0, half)}\n… (${logs.length - LOGS_LIMIT} characters of the run's logs left out here) …\n${logs.slice(-half)}`;
}

/** Apply what the API reported about this attempt's run; the change, if its status moved. */
export function observe(w: Work, run: TestRun, nowMs: number): Change | undefined {
  const foreign = foreignAnswer(w, run);
  if (foreign !== undefined) return unknowable(w, foreign, nowMs);
  const from = w.status;
  w.runId ??= run.run_id;
  w.testId ??= run.test_id;
  if (run.test_suite_run_id !== undefined) w.testSuiteRunId = run.test_suite_run_id;
  w.triggeredAt ??= iso(nowMs);
  w.seenAt = iso(nowMs);
  w.createdAt ??= run.created_at;
  if (run.conversation_id !== undefined) w.conversationId = run.conversation_id;
  if (run.logs !== undefined) w.logs = capLogs(run.logs);
  // An undocumented status is final for us at once: an error that names it, never a pass and
  // never a wait until the timeout.
  const odd = undocumentedStatus(run);
  if (odd !== undefined) {
    w.criteria = (run.detail_status ?? []).map((d) => ({
      name: d.name,
      status: isTestStatus(d.status) ? d.status : 'error',
    }));
    w.completedAt ??= iso(nowMs);
    w.undocumented = odd;
    // When only a criterion's status left the contract, the run's own (documented) status still
    // says how it ended, which decides whether --retries may re-run it (isRetryable).
    if (isTestStatus(run.status)) w.remoteStatus = run.status;
    else delete w.remoteStatus;
    return settle(w, 'error', odd);
  }
  const status = run.status as TestStatus;
  w.remoteStatus = status;
  w.status = status;
  if (status !== 'pending') w.activeAt ??= iso(nowMs);
  w.criteria = (run.detail_status ?? []).map((d) => ({ name: d.name, status: d.status as TestStatus }));
  if (isFinal(status)) {
    w.completedAt = run.completed_at ?? w.completedAt ?? iso(nowMs);
    // The API's own timestamps give the real duration (the simulator's scaled clock included).
    const apiMs = Date.parse(w.completedAt) - Date.parse(run.created_at);
    const ourMs = nowMs - Date.parse(w.triggeredAt);
    w.durationMs = Number.isFinite(apiMs) && apiMs >= 0 ? apiMs : Math.max(0, ourMs);
    delete w.message;
  }
  return from === w.status ? undefined : { work: w, from, to: w.status };
}

/** Mark an attempt with a status of our own (timeout, not_started) and a reason. */
export function settle(
  w: Work,
  status: 'timeout' | 'not_started' | 'error',
  message: string,
): Change | undefined {
  const from = w.status;
  w.status = status;
  w.message = message;
  return from === status ? undefined : { work: w, from, to: status };
}

/**
 * Attempts --retries re-runs: infrastructure trouble (the API's `error`, our timeout, a trigger
 * never started), never a behavioural verdict. Not an answer outside the contract either: its run
 * may have failed, and a retry's pass would hide that. Nor a `failed` run whose rubric results
 * are missing: the API's own verdict is failed. A `passed` run without them may be re-run
 * (outcome.ts attemptVerdict decides, with the test's rubric when known): its retry can only
 * add a verdict the first could not give.
 */
export function isRetryable(w: Work, rubric: Rubric = []): boolean {
  const { status, criteria, undocumented } = w;
  // Only a criterion's status undocumented: the run's own error or pass is still its word.
  if (undocumented !== undefined) return w.remoteStatus === 'error' || w.remoteStatus === 'passed';
  if (status === 'error' || status === 'timeout' || status === 'not_started') return true;
  if (status !== 'passed') return false;
  return attemptVerdict({ status, criteria }, rubric).status === 'error';
}

/** Runs started or about to be (everything that was or will be triggered). */
export function runsCommitted(state: RunState): number {
  return state.work.filter((w) => w.status !== 'not_started' || w.runId !== undefined).length;
}

/**
 * The attempts --retries would re-run now (before the --max-runs budget): retryable, retries
 * left, a known test, never one whose run may exist (a new key could start a second run; only
 * the same key may be re-sent), and not re-run already.
 */
export function retriesDue(state: RunState, retries: number, rubricOf?: (w: Work) => Rubric): Work[] {
  if (retries <= 0) return [];
  const has = new Set(state.work.map((w) => attemptId(w, w.retry)));
  return state.work.filter(
    (w) =>
      isRetryable(w, rubricOf?.(w)) &&
      w.retry < retries &&
      w.testId !== undefined &&
      !w.uncertain &&
      !has.has(attemptId(w, w.retry + 1)),
  );
}

/**
 * Queue a per-test re-run for each retryable attempt that has retries left, within the
 * --max-runs budget. Returns the new work items (already appended to the state).
 */
export function spawnRetries(
  state: RunState,
  opts: { retries: number; maxRuns?: number | undefined; rubricOf?: (w: Work) => Rubric },
): Work[] {
  let budget = opts.maxRuns === undefined ? Number.POSITIVE_INFINITY : opts.maxRuns - runsCommitted(state);
  const added: Work[] = [];
  for (const w of retriesDue(state, opts.retries, opts.rubricOf)) {
    if (budget <= 0) {
      w.message = `${w.message ? `${w.message}; ` : ''}not retried: --max-runs ${opts.maxRuns} reached`;
      continue;
    }
    budget--;
    const next: Work = {
      suite: w.suite,
      test: w.test,
      testId: w.testId,
      trial: w.trial,
      retry: w.retry + 1,
      via: 'test',
      key: workKey(state.nonce, w.suite, w.test, w.trial, w.retry + 1, w.side),
      status: 'queued',
      criteria: [],
      failures: 0,
      ...(w.side === undefined ? {} : { side: w.side }),
    };
    state.work.push(next);
    added.push(next);
  }
  return added;
}

export interface TimeoutPolicy {
  graceMs: number;
  /** max_duration_seconds of the attempt's test (assumed maximum when unset). */
  maxDurationSeconds: (w: Work) => number;
  /** Last time any attempt changed status: a queue that moves is not stuck. */
  lastProgressMs: number;
}

/**
 * Attempts past max_duration_seconds + grace. The clock starts when the run leaves pending: an
 * account with few concurrent calls queues runs, and a queued run is not late. A run still
 * pending counts from the later of its trigger and the last progress anywhere in the run, so a
 * queue that stopped moving still times out.
 */
export function dueTimeouts(state: RunState, nowMs: number, policy: TimeoutPolicy): Change[] {
  const changes: Change[] = [];
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const limitMs = policy.maxDurationSeconds(w) * 1000 + policy.graceMs;
    const since = w.activeAt
      ? Date.parse(w.activeAt)
      : Math.max(Date.parse(w.triggeredAt ?? iso(nowMs)), policy.lastProgressMs);
    if (nowMs - since <= limitMs) continue;
    // Only a sighting after the limit proves the run is late: while polls fail, the run may well
    // have finished (the global --timeout bounds that wait instead).
    if (w.seenAt !== undefined && Date.parse(w.seenAt) - since <= limitMs) continue;
    const seconds = Math.round(limitMs / 1000);
    const c = settle(
      w,
      'timeout',
      `no final status ${seconds} s after it ${w.activeAt ? 'started' : 'was queued'} (max_duration_seconds ${policy.maxDurationSeconds(w)} + ${Math.round(policy.graceMs / 1000)} s grace); last seen ${w.remoteStatus ?? 'pending'}`,
    );
    if (c) changes.push(c);
  }
  return changes;
}

/**
 * Global --timeout, cancel or a stopping error: queued attempts never start; in-flight ones stay
 * as they are, listed as still running remotely (no verdict yet; --resume picks them up).
 */
export function stopAll(state: RunState, how: { queued: string }): Change[] {
  const changes: Change[] = [];
  for (const w of state.work) {
    if (w.status !== 'queued') continue;
    // One whose trigger was cut off on the wire says so (trigger.ts): its run may exist.
    const c = settle(w, 'not_started', w.uncertain && w.message ? w.message : how.queued);
    if (c) changes.push(c);
  }
  for (const b of state.batches) if (b.status === 'queued') b.message = how.queued;
  return changes;
}

/**
 * Before resuming: attempts we had given up on (timeout) that were not retried are polled again,
 * since the run may have finished meanwhile; the per-run clock restarts from now. Attempts never
 * triggered are triggered with their key, unless a retry already stands in for them: sending
 * both would run the trial twice, and a failure of the first would hide behind the retry.
 */
export function reviveForResume(state: RunState, nowMs: number): number {
  const retried = new Set(state.work.map((w) => attemptId(w, w.retry)));
  let revived = 0;
  for (const w of state.work) {
    const hasNext = retried.has(attemptId(w, w.retry + 1));
    if (w.status === 'timeout' && w.runId !== undefined && !hasNext) {
      w.status = (w.remoteStatus && !isFinal(w.remoteStatus) ? w.remoteStatus : 'running') as TestStatus;
      w.activeAt = iso(nowMs);
      delete w.message;
      revived++;
    }
    // Never triggered because the last invocation stopped: trigger now, with the same key.
    const batch = w.batch === undefined ? undefined : state.batches.find((b) => b.key === w.batch);
    const retriggerable = w.key !== undefined || (batch !== undefined && batch.status !== 'triggered');
    if (w.status === 'not_started' && w.runId === undefined && retriggerable && !hasNext) {
      w.status = 'queued';
      w.failures = 0;
      delete w.message;
      delete w.refused; // sent again: what this send gets is what it says
      revived++;
    }
  }
  // A batch whose trigger failed or never happened is sent again with its key, if it still has
  // an attempt to trigger (not one a retry replaced).
  const toSend = new Set(state.work.flatMap((w) => (w.status === 'queued' && w.batch ? [w.batch] : [])));
  for (const b of state.batches) {
    if (b.status === 'triggered' || !toSend.has(b.key)) continue;
    b.status = 'queued';
    b.failures = 0;
    delete b.message;
  }
  delete state.finishedAt;
  return revived;
}
