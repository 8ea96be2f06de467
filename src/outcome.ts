// A test's outcome, derived from its recorded attempts. Pure.
// Each trial is decided by its LAST attempt (retries re-run attempts that ended in
// error/timeout/not_started); the test is decided by counting trials against min_passes.
import { isInProgress } from './api/schemas.js';
import type { Attempt, TestResult } from './results.js';
import { decidedVerdict } from './sequential.js';

export const OUTCOMES = ['passed', 'failed', 'error', 'flaky', 'skipped'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Why a trial (and so possibly a test) ended in error. */
export type ErrorKind =
  | 'error'
  | 'timeout'
  | 'not_started'
  | 'no_criteria'
  | 'pending'
  | 'missing'
  | 'undocumented';

export interface TrialOutcome {
  trial: number;
  status: 'passed' | 'failed' | 'error';
  errorKind?: ErrorKind;
  /** The run is still in progress remotely (partial results). */
  pending: boolean;
  /** Attempts made for this trial (1 + retries); 0 when none was recorded. */
  attempts: number;
  /** The deciding attempt, absent when no attempt was recorded. */
  last?: Attempt;
  /** Criteria the deciding attempt reported as failed. */
  failedCriteria: string[];
}

export interface FailedCriterion {
  name: string;
  required: boolean;
  /** Failing trials in which this criterion failed. */
  failedTrials: number;
  trials: number;
}

export interface TestOutcome {
  outcome: Outcome;
  /** Some trial's run was still in progress remotely when results were written. */
  pending: boolean;
  /** The most telling error kind, when outcome is `error`. */
  errorKind?: ErrorKind;
  trials: number;
  minPasses: number;
  passes: number;
  failures: number;
  errors: number;
  failedCriteria: FailedCriterion[];
  /** Sum of the recorded attempt durations. */
  durationMs: number;
  /**
   * Sequential trials: the verdict was decided after this many trials (fewer than `trials`), and
   * the others were not run. trialOutcomes then lists only the trials that ran.
   */
  decidedAfter?: number;
  trialOutcomes: TrialOutcome[];
}

/** Duration of one attempt: recorded, or derived from its timestamps. */
export function attemptDurationMs(a: Attempt): number {
  if (a.durationMs !== undefined) return a.durationMs;
  if (a.triggeredAt && a.completedAt) {
    const ms = Date.parse(a.completedAt) - Date.parse(a.triggeredAt);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  return 0;
}

/**
 * What one attempt says, from its status and rubric results: the single derivation the live
 * progress, the reports and the gates all use, so they never disagree about an attempt.
 */
export function attemptVerdict(
  a: Pick<Attempt, 'status' | 'criteria' | 'undocumented'>,
  /** The test's rubric: a pass must carry a final result for each of its criteria. */
  rubric: Rubric,
): {
  status: TrialOutcome['status'];
  errorKind?: ErrorKind;
} {
  if (a.undocumented !== undefined) return { status: 'error', errorKind: 'undocumented' };
  if (isInProgress(a.status)) return { status: 'error', errorKind: 'pending' };
  if (a.status === 'timeout' || a.status === 'not_started' || a.status === 'error') {
    return { status: 'error', errorKind: a.status };
  }
  // A final verdict without rubric results tells us nothing about behaviour.
  if (a.criteria.length === 0) return { status: 'error', errorKind: 'no_criteria' };
  if (a.status === 'failed') return { status: 'failed' };
  // A pass is evidence only with a final result for every criterion of the rubric: the API
  // promises one for each (CONTRACT: detail_status), and one missing, pending or in error was
  // never judged, so the pass may hide the failure that fails the gate (a run "passed" with every
  // criterion in error was a pass here when none was required).
  const judged = new Set(
    a.criteria.filter((c) => c.status === 'passed' || c.status === 'failed').map((c) => c.name),
  );
  if (rubric.some((c) => !judged.has(c.name))) return { status: 'error', errorKind: 'no_criteria' };
  // The API's overall status need not follow our `required` (a local notion): a run it calls
  // passed with a required criterion failed is a failure here, as that criterion alone fails it.
  const failedRequired = (name: string) => rubric.some((c) => c.required && c.name === name);
  if (a.criteria.some((c) => c.status === 'failed' && failedRequired(c.name))) return { status: 'failed' };
  return { status: 'passed' };
}

/** A test's rubric as a verdict needs it: each criterion's name, and whether it is required. */
export type Rubric = ReadonlyArray<{ readonly name: string; readonly required: boolean }>;

export function trialOutcome(trial: number, attempts: readonly Attempt[], rubric: Rubric): TrialOutcome {
  const mine = attempts.filter((a) => a.trial === trial).sort((a, b) => a.retry - b.retry);
  const last = mine.at(-1);
  // Per test and per report: fixed fields first, spreads last (on Node 20, properties added
  // after a leading spread cost tens of µs an object).
  if (!last) {
    return {
      trial,
      attempts: mine.length,
      pending: false,
      failedCriteria: [],
      status: 'error',
      errorKind: 'missing',
    };
  }
  const verdict = attemptVerdict(last, rubric);
  const required = rubric.filter((c) => c.required).map((c) => c.name);
  // In a failed run, a required criterion without a final result may be the one that failed:
  // counted as failed, so it still fails the gate.
  const judged = new Set(
    last.criteria.filter((c) => c.status === 'passed' || c.status === 'failed').map((c) => c.name),
  );
  const failedCriteria = [
    ...last.criteria.filter((c) => c.status === 'failed').map((c) => c.name),
    ...(verdict.status === 'failed' ? required.filter((name) => !judged.has(name)) : []),
  ];
  return {
    trial,
    attempts: mine.length,
    last,
    failedCriteria,
    status: verdict.status,
    pending: verdict.errorKind === 'pending',
    ...(verdict.errorKind === undefined ? {} : { errorKind: verdict.errorKind }),
  };
}

// Which error kind to name when several trials errored: the one a human should see first.
const ERROR_PRIORITY: readonly ErrorKind[] = [
  'pending',
  'timeout',
  'error',
  'no_criteria',
  'undocumented',
  'not_started',
  'missing',
];

export function testOutcome(test: TestResult): TestOutcome {
  const durationMs = test.attempts.reduce((sum, a) => sum + attemptDurationMs(a), 0);
  if (test.skipped) {
    return {
      trials: test.trials,
      minPasses: test.minPasses,
      durationMs,
      outcome: 'skipped',
      pending: false,
      passes: 0,
      failures: 0,
      errors: 0,
      failedCriteria: [],
      trialOutcomes: [],
    };
  }
  let trialOutcomes = Array.from({ length: test.trials }, (_, i) =>
    trialOutcome(i + 1, test.attempts, test.criteria),
  );
  // Sequential trials: trials never triggered were not needed when the ones that ran decide the
  // verdict whatever those would have said (sequential.ts). Recomputed from the attempts, never
  // taken from the file: when they do not decide it, the missing trials leave it without one.
  let notNeeded = 0;
  if (test.sequential === true) {
    const ran = trialOutcomes.filter((t) => t.attempts > 0);
    const tally = {
      passes: ran.filter((t) => t.status === 'passed').length,
      failures: ran.filter((t) => t.status === 'failed').length,
      errors: ran.filter((t) => t.status === 'error').length,
      open: trialOutcomes.length - ran.length,
    };
    if (tally.open > 0 && decidedVerdict(test.minPasses, tally) !== undefined) {
      trialOutcomes = ran;
      notNeeded = tally.open;
    }
  }
  const passes = trialOutcomes.filter((t) => t.status === 'passed').length;
  const failures = trialOutcomes.filter((t) => t.status === 'failed').length;
  const errors = trialOutcomes.length - passes - failures;
  const pending = trialOutcomes.some((t) => t.pending);

  let outcome: Outcome;
  if (passes >= test.minPasses) {
    // Flaky: a trial we count as passing only passed because an earlier attempt was retried.
    const retried = trialOutcomes.some((t) => t.status === 'passed' && t.attempts > 1);
    outcome = retried ? 'flaky' : 'passed';
  } else if (passes + errors + notNeeded < test.minPasses) {
    // Even if every errored (or unneeded) trial had passed, min_passes was out of reach.
    outcome = 'failed';
  } else {
    outcome = 'error';
  }

  const required = new Map(test.criteria.map((c) => [c.name, c.required]));
  const counts = new Map<string, number>();
  for (const t of trialOutcomes) {
    if (t.status !== 'failed') continue;
    for (const name of t.failedCriteria) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const failedCriteria = [...counts].map(([name, failedTrials]) => ({
    name,
    required: required.get(name) ?? false,
    failedTrials,
    trials: trialOutcomes.length,
  }));

  const kinds = new Set(trialOutcomes.flatMap((t) => (t.errorKind ? [t.errorKind] : [])));
  const errorKind = outcome === 'error' ? ERROR_PRIORITY.find((k) => kinds.has(k)) : undefined;
  return {
    trials: test.trials,
    minPasses: test.minPasses,
    durationMs,
    outcome,
    pending,
    passes,
    failures,
    errors,
    failedCriteria,
    trialOutcomes,
    ...(errorKind ? { errorKind } : {}),
    ...(notNeeded > 0 ? { decidedAfter: trialOutcomes.length } : {}),
  };
}

/** "Accuracy" for one trial, "Accuracy (2/3)" across several. */
export function formatFailedCriterion(c: FailedCriterion): string {
  return c.trials > 1 ? `${c.name} (${c.failedTrials}/${c.trials})` : c.name;
}

/** A passing outcome for gates and baselines. */
export const isPass = (o: Outcome): boolean => o === 'passed' || o === 'flaky';
