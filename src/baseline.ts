// Compare a run with a baseline run (e.g. the last main-branch results.json): regressions,
// fixes and new tests, per test and per criterion. The baseline is first reduced to a snapshot
// (its per-test outcomes and criterion verdicts) that the results store, so a re-render or a
// merge compares with exactly what the run compared with. Pure.

import { pairKey } from './keys.js';
import { isPass, type Outcome, type TestOutcome, testOutcome } from './outcome.js';
import type { BaselineSnapshot, BaselineTest, Results, TestResult } from './results.js';

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

/** What a comparison needs from a baseline run: every test that ran there (skipped ones say nothing). */
export function baselineSnapshot(baseline: Results, source?: string): BaselineSnapshot {
  const tests: BaselineTest[] = [];
  for (const s of baseline.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const o = testOutcome(t);
      if (o.outcome === 'skipped') continue;
      tests.push({
        suite: s.name,
        test: t.name,
        outcome: o.outcome,
        criteria: Object.fromEntries(criterionStates(t, o)),
      });
    }
  }
  return { ...(source === undefined ? {} : { source }), tests };
}

// Better first: combining baselines keeps, per test, the best that any of them recorded.
const RANK: Record<BaselineTest['outcome'], number> = { passed: 0, flaky: 1, error: 2, failed: 3 };

/**
 * Several baselines as one (shards that recorded theirs, or `report --baseline` on results that
 * already carry one): a test or criterion that passed in any of them counts as passed before, so
 * the combination finds every regression each one finds. Combining can only add regressions.
 */
export function combineBaselines(
  ...all: readonly (BaselineSnapshot | undefined)[]
): BaselineSnapshot | undefined {
  const given = all.filter((b): b is BaselineSnapshot => b !== undefined);
  if (given.length === 0) return undefined;
  if (given.length === 1) return given[0];
  const byKey = new Map<string, BaselineTest>();
  for (const b of given) {
    for (const t of b.tests) {
      const k = pairKey(t.suite, t.test);
      const seen = byKey.get(k);
      if (!seen) {
        byKey.set(k, { ...t, criteria: { ...t.criteria } });
        continue;
      }
      if (RANK[t.outcome] < RANK[seen.outcome]) seen.outcome = t.outcome;
      for (const [name, state] of Object.entries(t.criteria)) {
        if (seen.criteria[name] !== 'passed') seen.criteria[name] = state;
      }
    }
  }
  const sources = [...new Set(given.flatMap((b) => (b.source === undefined ? [] : [b.source])))];
  return { ...(sources.length > 0 ? { source: sources.join(', ') } : {}), tests: [...byKey.values()] };
}

/** A baseline as given: a whole results file, or the snapshot results carry. */
export const asSnapshot = (b: Results | BaselineSnapshot): BaselineSnapshot =>
  'schema' in b ? baselineSnapshot(b) : b;

export function compareWithBaseline(
  current: Results,
  baseline: Results | BaselineSnapshot,
): BaselineComparison {
  const before = new Map(asSnapshot(baseline).tests.map((t) => [pairKey(t.suite, t.test), t]));
  const tests: TestChange[] = [];
  const criterionRegressions: BaselineComparison['criterionRegressions'] = [];
  for (const s of current.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const now = testOutcome(t);
      // Under its name, else under the first former name (renamed_from) the baseline has.
      const then =
        before.get(pairKey(s.name, t.name)) ??
        (t.renamedFrom ?? []).map((n) => before.get(pairKey(s.name, n))).find((x) => x !== undefined);
      tests.push({
        suite: s.name,
        test: t.name,
        change: testChange(then?.outcome, now.outcome),
        ...(then ? { before: then.outcome } : {}),
        after: now.outcome,
        criteria: criteriaChanges(then && new Map(Object.entries(then.criteria)), criterionStates(t, now)),
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
