// `run --against`: the candidate version compared with a baseline version that ran the same
// tests in the same run. The baseline side is reduced to the same snapshot a `--baseline` file
// is (baseline.ts), so regressions, fixes and criterion changes mean exactly what they mean
// there. With trials, a regression must also be significant: a one-sided Fisher exact test on
// the trial pass counts, p <= SIGNIFICANCE. Pure.
import {
  type BaselineComparison,
  baselineSnapshot,
  type Change,
  type CriterionChange,
  compareWithBaseline,
} from './baseline.js';
import { pairKey } from './keys.js';
import { type Outcome, type TestOutcome, testOutcome } from './outcome.js';
import type { BaselineSnapshot, Results, TestResult } from './results.js';

/** A regression with trials needs p <= this (one-sided Fisher exact test). */
export const SIGNIFICANCE = 0.05;

const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i++)
    logFactorials[i] = (logFactorials[i - 1] ?? 0) + Math.log(i);
  return logFactorials[n] ?? 0;
}
const logChoose = (n: number, k: number): number =>
  k < 0 || k > n ? Number.NEGATIVE_INFINITY : logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/**
 * One-sided Fisher exact test that the baseline passes more often than the candidate: the
 * probability, with both sides' trials and the total passes fixed, that the baseline gets at
 * least `basePass` of the passes by chance alone.
 */
export function fisherOneSided(
  basePass: number,
  baseFail: number,
  candPass: number,
  candFail: number,
): number {
  const n = basePass + baseFail; // baseline trials
  const passes = basePass + candPass;
  const total = n + candPass + candFail;
  if (n === 0 || n === total) return 1;
  const denom = logChoose(total, n);
  let p = 0;
  for (let x = basePass; x <= Math.min(n, passes); x++) {
    p += Math.exp(logChoose(passes, x) + logChoose(total - passes, n - x) - denom);
  }
  return Math.min(1, p);
}

/** One side of a test: what its trials said. */
export interface SideSummary {
  outcome: Outcome;
  passes: number;
  failures: number;
  errors: number;
  /** Trials that ran (fewer than the test's trials when decided early). */
  trialsRun: number;
}

export interface ComparisonRow {
  suite: string;
  test: string;
  file: string;
  line: number;
  trials: number;
  baseline: SideSummary;
  candidate: SideSummary;
  /** After the significance rule: a regression with trials that is not significant is 'unchanged'. */
  change: Change;
  /** Criteria whose verdict changed between the sides (passed → failed or failed → passed). */
  flipped: CriterionChange[];
  /** With trials (and a behaviour verdict on both sides): the one-sided Fisher p-value. */
  pValue?: number;
  /** A baseline pass and a candidate fail that the test did not find significant. */
  notSignificant?: boolean;
}

export interface InRunComparison {
  versionId: string;
  label: string;
  significance: number;
  rows: ComparisonRow[];
  /** In the shape a --baseline comparison has, for the gate and the regression lists. */
  comparison: BaselineComparison;
}

/** The baseline side of each test as a test result of its own (same definition, its attempts). */
export const baselineSide = (t: TestResult): TestResult => ({ ...t, attempts: t.againstAttempts ?? [] });

const summary = (o: TestOutcome): SideSummary => ({
  outcome: o.outcome,
  passes: o.passes,
  failures: o.failures,
  errors: o.errors,
  trialsRun: o.decidedAfter ?? o.trialOutcomes.length,
});

/** The baseline side reduced to a snapshot, exactly as a --baseline results file would be. */
export function againstSnapshot(results: Results): BaselineSnapshot {
  const label = results.against?.label ?? 'baseline';
  return baselineSnapshot(
    { ...results, suites: results.suites.map((s) => ({ ...s, tests: s.tests.map(baselineSide) })) },
    `--against ${label}`,
  );
}

/** The in-run comparison, or undefined when the run had no --against side. */
export function compareInRun(results: Results): InRunComparison | undefined {
  const against = results.against;
  if (!against) return undefined;
  const raw = compareWithBaseline(results, againstSnapshot(results));
  const byKey = new Map(raw.tests.map((c) => [pairKey(c.suite, c.test), c]));
  const rows: ComparisonRow[] = [];
  for (const s of results.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const c = byKey.get(pairKey(s.name, t.name));
      if (!c) continue;
      const cand = testOutcome(t);
      const base = testOutcome(baselineSide(t));
      const row: ComparisonRow = {
        suite: s.name,
        test: t.name,
        file: t.file,
        line: t.line,
        trials: t.trials,
        baseline: summary(base),
        candidate: summary(cand),
        change: c.change,
        flipped: c.criteria.filter((x) => x.change === 'regression' || x.change === 'fixed'),
      };
      const judged = base.passes + base.failures > 0 && cand.passes + cand.failures > 0;
      if (t.trials > 1 && judged) {
        row.pValue = fisherOneSided(base.passes, base.failures, cand.passes, cand.failures);
        if (row.change === 'regression' && row.pValue > SIGNIFICANCE) {
          row.change = 'unchanged';
          row.notSignificant = true;
        }
      }
      c.change = row.change;
      rows.push(row);
    }
  }
  const significant = new Set(
    rows.filter((r) => r.change === 'regression').map((r) => pairKey(r.suite, r.test)),
  );
  const comparison: BaselineComparison = {
    ...raw,
    regressions: raw.tests.filter((t) => significant.has(pairKey(t.suite, t.test))),
  };
  return { versionId: against.versionId, label: against.label, significance: SIGNIFICANCE, rows, comparison };
}

/** "passed → failed", "3/3 → 0/3 (p = 0.050)" pieces for reports. */
export function formatSide(s: SideSummary, trials: number): string {
  if (trials <= 1) return s.outcome;
  const of = s.trialsRun < trials ? ` of ${trials}` : '';
  return `${s.outcome} ${s.passes}/${s.passes + s.failures}${of}`;
}

export const formatP = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);
