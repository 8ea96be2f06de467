// The evaluation of a results file: per-test outcomes, per-suite gates, baseline changes and
// the overall verdict, as one JSON-serialisable object that every reporter renders. Pure.
import {
  type BaselineComparison,
  type Change,
  type CriterionChange,
  compareWithBaseline,
} from './baseline.js';
import { evaluateSuiteGate, type SuiteGate, type TrialPassRate, trialRate } from './gate.js';
import { type TestOutcome, testOutcome } from './outcome.js';
import type { AttemptStatus, Results, TestResult } from './results.js';

export const EVALUATION_SCHEMA = 'rubric-gate/evaluation@1';

export interface Counts {
  /** Every test, skipped included. */
  total: number;
  passed: number;
  failed: number;
  error: number;
  flaky: number;
  skipped: number;
  /** Error outcomes whose run was still in progress remotely. */
  pending: number;
}

export interface TestRef {
  suite: string;
  test: string;
  file: string;
  line: number;
}

/** A test's outcome (outcome.ts) without the per-trial detail, plus what reports show. */
export interface TestEvaluation extends TestRef, Omit<TestOutcome, 'trialOutcomes'> {
  runIds: string[];
  conversationIds: string[];
  /** Why the test errored or was skipped, for humans (from the deciding attempt). */
  message?: string;
  /** Against the baseline, when one was given. */
  change?: Change;
  criteriaChanges?: CriterionChange[];
}

export interface SuiteEvaluation {
  name: string;
  file: string;
  counts: Counts;
  durationMs: number;
  gate: SuiteGate;
  tests: TestEvaluation[];
}

export interface PendingRun extends TestRef {
  trial: number;
  runId?: string;
  testSuiteRunId?: string;
  status: AttemptStatus;
}

export interface Evaluation {
  schema: typeof EVALUATION_SCHEMA;
  /** Every suite gate held and the run completed. */
  passed: boolean;
  complete: boolean;
  verdict: 'passed' | 'failed' | 'incomplete';
  /** Every failed rule with its numbers, plus why the run is incomplete. */
  reasons: string[];
  /** Ignored loosening overrides, unchecked rules. */
  warnings: string[];
  totals: Counts;
  /** (passed + flaky) / non-skipped tests, over all suites; null when nothing ran. */
  passRate: number | null;
  trialPassRate?: TrialPassRate;
  durationMs: number;
  suites: SuiteEvaluation[];
  flaky: TestRef[];
  /** Present only when a baseline was given. */
  baseline?: {
    regressions: TestRef[];
    fixed: TestRef[];
    new: TestRef[];
    criterionRegressions: BaselineComparison['criterionRegressions'];
  };
  pendingRuns: PendingRun[];
}

export interface EvaluateOptions {
  baseline?: Results;
}

const IN_PROGRESS = new Set<AttemptStatus>(['pending', 'starting', 'running']);
const uniq = (xs: readonly (string | undefined)[]): string[] => [
  ...new Set(xs.filter((x): x is string => Boolean(x))),
];

export function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, error: 0, flaky: 0, skipped: 0, pending: 0 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    error: a.error + b.error,
    flaky: a.flaky + b.flaky,
    skipped: a.skipped + b.skipped,
    pending: a.pending + b.pending,
  };
}

function countOutcomes(tests: readonly TestEvaluation[]): Counts {
  const c = emptyCounts();
  for (const t of tests) {
    c.total++;
    c[t.outcome]++;
    if (t.pending && t.outcome === 'error') c.pending++;
  }
  return c;
}

function testMessage(t: TestResult, o: TestOutcome): string | undefined {
  if (t.skipped) return t.skipReason;
  if (o.outcome === 'flaky') {
    const retried = o.trialOutcomes.find((x) => x.status === 'passed' && x.attempts > 1);
    const first = t.attempts.find((a) => a.trial === retried?.trial && a.retry === 0);
    const why = first ? `; first attempt: ${first.status}${first.message ? ` (${first.message})` : ''}` : '';
    return `passed after ${(retried?.attempts ?? 2) - 1} retr${retried?.attempts === 2 ? 'y' : 'ies'}${why}`;
  }
  if (o.outcome !== 'error') return undefined;
  const errored = o.trialOutcomes.filter((x) => x.status === 'error');
  const first = errored.find((x) => x.errorKind === o.errorKind) ?? errored[0];
  const detail = first?.last?.message;
  switch (first?.errorKind) {
    case 'pending':
      return `still ${first.last?.status ?? 'running'} remotely${detail ? `: ${detail}` : ''}`;
    case 'timeout':
      return detail ?? 'timed out waiting for the run to finish';
    case 'not_started':
      return detail ?? 'the run was never started';
    case 'no_criteria':
      return `the run ended with status ${first.last?.status ?? 'unknown'} but no rubric results`;
    case 'missing':
      return 'no attempt was recorded';
    default:
      return detail ?? 'the run ended in error';
  }
}

export function evaluate(results: Results, options: EvaluateOptions = {}): Evaluation {
  const comparison = options.baseline ? compareWithBaseline(results, options.baseline) : undefined;
  const changes = new Map(comparison?.tests.map((c) => [JSON.stringify([c.suite, c.test]), c]));
  const pendingRuns: PendingRun[] = [];
  const allOutcomes: TestOutcome[] = [];

  const suites: SuiteEvaluation[] = results.suites.map((s) => {
    const outcomes = s.tests.map(testOutcome);
    allOutcomes.push(...outcomes);
    const tests = s.tests.map((t, i): TestEvaluation => {
      const o = outcomes[i]!;
      const ref = { suite: s.name, test: t.name, file: t.file, line: t.line };
      for (const a of t.attempts) {
        if (!IN_PROGRESS.has(a.status)) continue;
        // Only the deciding (latest) attempt of a trial can still be running.
        const latest = o.trialOutcomes.find((x) => x.trial === a.trial)?.last;
        if (latest !== a) continue;
        pendingRuns.push({
          ...ref,
          trial: a.trial,
          status: a.status,
          ...(a.runId ? { runId: a.runId } : {}),
          ...(a.testSuiteRunId ? { testSuiteRunId: a.testSuiteRunId } : {}),
        });
      }
      const change = changes.get(JSON.stringify([s.name, t.name]));
      const message = testMessage(t, o);
      return {
        ...ref,
        outcome: o.outcome,
        pending: o.pending,
        ...(o.errorKind ? { errorKind: o.errorKind } : {}),
        trials: o.trials,
        minPasses: o.minPasses,
        passes: o.passes,
        failures: o.failures,
        errors: o.errors,
        failedCriteria: o.failedCriteria,
        durationMs: o.durationMs,
        runIds: uniq(t.attempts.map((a) => a.runId)),
        conversationIds: uniq(t.attempts.map((a) => a.conversationId)),
        ...(message ? { message } : {}),
        ...(change ? { change: change.change, criteriaChanges: change.criteria } : {}),
      };
    });
    const regressions = comparison
      ? tests.filter((t) => t.change === 'regression').map((t) => t.test)
      : undefined;
    const gate = evaluateSuiteGate(
      {
        name: s.name,
        gate: s.gate,
        tests: s.tests.map((t, i) => ({ name: t.name, outcome: outcomes[i]! })),
        ...(regressions ? { regressions } : {}),
      },
      results.gateOverrides,
    );
    return {
      name: s.name,
      file: s.file,
      counts: countOutcomes(tests),
      durationMs: tests.reduce((n, t) => n + t.durationMs, 0),
      gate,
      tests,
    };
  });

  const totals = suites.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
  const ran = totals.total - totals.skipped;
  const reasons = suites.flatMap((s) => s.gate.reasons);
  if (!results.complete) {
    reasons.unshift(`incomplete: ${results.incompleteReason ?? 'the run did not finish'}`);
  }
  const passed = results.complete && suites.every((s) => s.gate.ok);
  const allTests = suites.flatMap((s) => s.tests);
  const toRef = (t: TestEvaluation): TestRef => ({
    suite: t.suite,
    test: t.test,
    file: t.file,
    line: t.line,
  });
  const evaluation: Evaluation = {
    schema: EVALUATION_SCHEMA,
    passed,
    complete: results.complete,
    verdict: !results.complete ? 'incomplete' : passed ? 'passed' : 'failed',
    reasons,
    warnings: uniq(suites.flatMap((s) => s.gate.warnings)),
    totals,
    passRate: ran === 0 ? null : (totals.passed + totals.flaky) / ran,
    durationMs: suites.reduce((n, s) => n + s.durationMs, 0),
    suites,
    flaky: allTests.filter((t) => t.outcome === 'flaky').map(toRef),
    pendingRuns,
  };
  const tr = trialRate(allOutcomes.filter((o) => o.outcome !== 'skipped'));
  if (tr) evaluation.trialPassRate = tr;
  if (comparison) {
    const pick = (c: Change) => allTests.filter((t) => t.change === c).map(toRef);
    evaluation.baseline = {
      regressions: pick('regression'),
      fixed: pick('fixed'),
      new: pick('new'),
      criterionRegressions: comparison.criterionRegressions,
    };
  }
  return evaluation;
}
