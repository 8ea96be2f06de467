// Compare a run with a baseline run (e.g. the last main-branch results.json): regressions,
// fixes and new tests, per test and per criterion. Also reads results files (for --baseline,
// `report` and `merge`) with errors located at file:line:col.
import { isPass, type Outcome, type TestOutcome, testOutcome } from './outcome.js';
import type { Results, TestResult } from './results.js';

export type Change = 'regression' | 'fixed' | 'new' | 'unchanged';
export type CriterionState = 'passed' | 'failed';

export interface CriterionChange {
  name: string;
  change: Change;
  before?: CriterionState;
  after?: CriterionState;
}

export interface TestChange {
  suite: string;
  test: string;
  change: Change;
  /** Absent for a new test. */
  before?: Outcome;
  after: Outcome;
  criteria: CriterionChange[];
}

export interface BaselineComparison {
  /** Every test that ran now (skipped tests are not compared). */
  tests: TestChange[];
  regressions: TestChange[];
  fixed: TestChange[];
  new: TestChange[];
  /** Criteria that passed in the baseline and fail now, including in tests that still pass. */
  criterionRegressions: { suite: string; test: string; criterion: string }[];
}

/**
 * A criterion's verdict in one test, on the test's own terms: it fails when it failed in
 * more trials than min_passes leaves room for, and passes when it passed in at least
 * min_passes trials. Otherwise (errors, missing results) it has no verdict.
 */
export function criterionStates(test: TestResult, outcome: TestOutcome): Map<string, CriterionState> {
  const tally = new Map<string, { passed: number; failed: number }>();
  for (const t of outcome.trialOutcomes) {
    if (t.status === 'error' || !t.last) continue;
    for (const c of t.last.criteria) {
      const n = tally.get(c.name) ?? { passed: 0, failed: 0 };
      if (c.status === 'passed') n.passed++;
      else if (c.status === 'failed') n.failed++;
      tally.set(c.name, n);
    }
  }
  const states = new Map<string, CriterionState>();
  for (const [name, n] of tally) {
    if (n.failed > test.trials - test.minPasses) states.set(name, 'failed');
    else if (n.passed >= test.minPasses) states.set(name, 'passed');
  }
  return states;
}

const changeOf = (before: boolean | undefined, after: boolean): Change => {
  if (before === undefined) return 'new';
  if (before && !after) return 'regression';
  if (!before && after) return 'fixed';
  return 'unchanged';
};

const key = (suite: string, test: string) => JSON.stringify([suite, test]);

export function compareWithBaseline(current: Results, baseline: Results): BaselineComparison {
  const before = new Map<string, { test: TestResult; outcome: TestOutcome }>();
  for (const s of baseline.suites) {
    for (const t of s.tests) {
      if (!t.skipped) before.set(key(s.name, t.name), { test: t, outcome: testOutcome(t) });
    }
  }
  const tests: TestChange[] = [];
  const criterionRegressions: BaselineComparison['criterionRegressions'] = [];
  for (const s of current.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const now = testOutcome(t);
      const then = before.get(key(s.name, t.name));
      tests.push({
        suite: s.name,
        test: t.name,
        change: testChange(then?.outcome.outcome, now.outcome),
        ...(then ? { before: then.outcome.outcome } : {}),
        after: now.outcome,
        criteria: criteriaChanges(then && criterionStates(then.test, then.outcome), criterionStates(t, now)),
      });
      for (const c of tests.at(-1)?.criteria ?? []) {
        if (c.change === 'regression')
          criterionRegressions.push({ suite: s.name, test: t.name, criterion: c.name });
      }
    }
  }
  return {
    tests,
    regressions: tests.filter((t) => t.change === 'regression'),
    fixed: tests.filter((t) => t.change === 'fixed'),
    new: tests.filter((t) => t.change === 'new'),
    criterionRegressions,
  };
}

/**
 * Regression: passed (or flaky) there, failed now. Fixed: failed there, passes now.
 * Errors are infrastructure, gated by max_errors, so they neither regress nor fix.
 */
function testChange(before: Outcome | undefined, after: Outcome): Change {
  if (before === undefined) return 'new';
  if (isPass(before) && after === 'failed') return 'regression';
  if (before === 'failed' && isPass(after)) return 'fixed';
  return 'unchanged';
}

function criteriaChanges(
  before: Map<string, CriterionState> | undefined,
  after: Map<string, CriterionState>,
): CriterionChange[] {
  const out: CriterionChange[] = [];
  for (const [name, state] of after) {
    const was = before?.get(name);
    const change =
      before === undefined || was === undefined ? 'new' : changeOf(was === 'passed', state === 'passed');
    out.push({ name, change, ...(was ? { before: was } : {}), after: state });
  }
  return out;
}
