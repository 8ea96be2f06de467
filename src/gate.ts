// Suite gates: pure functions of test outcomes (and regressions, when a baseline is given).
// Every rule carries a message with its numbers, so a verdict explains itself.
import { type ErrorKind, isPass, type TestOutcome } from './outcome.js';
import type { Results } from './results.js';
import type { GateSettings } from './suite/model.js';

export type GateOverrides = NonNullable<Results['gateOverrides']>;

export type GateRuleKind = 'min_pass_rate' | 'max_errors' | 'required_criterion' | 'no_regression';

export interface GateRule {
  rule: GateRuleKind;
  ok: boolean;
  /** Not decided yet: tests without a verdict could still tip it either way (ok is true). */
  undecided?: boolean;
  message: string;
  /** The test a per-test rule is about. */
  test?: string;
}

export interface Interval {
  low: number;
  high: number;
}

export interface TrialPassRate {
  passed: number;
  /** Trials with a behaviour verdict (passed or failed); errored trials say nothing about behaviour. */
  total: number;
  rate: number;
  /** Wilson score interval, 95%. */
  interval: Interval;
}

export interface SuiteGate {
  suite: string;
  /** As written in the suite file. */
  configured: GateSettings;
  /** After flag overrides (which may only tighten). */
  effective: GateSettings;
  ok: boolean;
  /** (passed + flaky) / non-skipped tests; null when every test was skipped. */
  passRate: number | null;
  passing: number;
  considered: number;
  errors: number;
  /** Non-skipped tests without a verdict yet (still running, timed out, never started ...). */
  unfinished: number;
  /** Only when some test runs more than one trial. */
  trialPassRate?: TrialPassRate;
  rules: GateRule[];
  /** Messages of the rules that failed. */
  reasons: string[];
  warnings: string[];
}

export interface GateTestInput {
  name: string;
  outcome: TestOutcome;
}

/**
 * How a suite's gate reads in a report: failed, passed, or undecided while tests of the suite
 * have no verdict (`ok` stays true then, but a missing result could still add an error or a
 * failed required criterion, so it is not shown as passed).
 */
export function gateState(
  g: Pick<SuiteGate, 'ok' | 'unfinished' | 'rules'>,
): 'passed' | 'failed' | 'undecided' {
  if (!g.ok) return 'failed';
  return g.unfinished > 0 || g.rules.some((r) => r.undecided) ? 'undecided' : 'passed';
}

export interface SuiteGateInput {
  name: string;
  gate: GateSettings;
  tests: readonly GateTestInput[];
  /** Names of tests that passed in the baseline and fail now; undefined when there is no baseline. */
  regressions?: readonly string[];
  /** Tests that do not pass now whose baseline result is missing: each may be a regression. */
  maybeRegressed?: readonly string[];
}

/**
 * `x` rounded to `digits` decimals, except that a value below `ceiling` never rounds up to it:
 * a pass rate of 1999/2000 is 99.9%, not a 100.0% that reads as every test passing.
 */
export const roundBelow = (x: number, digits: number, ceiling: number): number => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return x < ceiling && r >= ceiling ? (Math.round(ceiling * f) - 1) / f : r;
};

/** "70.0%" for measured rates. */
export const formatPercent = (rate: number, digits = 1): string =>
  `${roundBelow(rate * 100, digits, 100).toFixed(digits)}%`;

/** A rate as a number of `digits` decimals (the Action's pass-rate output), never 1 below 1. */
export const roundBelowOne = (rate: number, digits: number): number => roundBelow(rate, digits, 1);

/**
 * n of `of` meets a rate: the quotient compared as a double, which is monotonic in the true
 * ratio (19/20 and 0.95 are the same double), so a count short of the rate fails whatever its
 * size below 2^52, where a slack on n would pass 2 of 3 against 0.6666666667.
 */
export const meetsRate = (n: number, of: number, rate: number): boolean => (of === 0 ? true : n / of >= rate);
/** "90%" or "92.5%" for configured thresholds: no noise digits. */
export const formatThreshold = (rate: number): string => `${Number((rate * 100).toFixed(4))}%`;

/** Wilson score interval for a binomial proportion (z = 1.96 for 95%). */
export function wilson(successes: number, n: number, z = 1.96): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Combine overrides, keeping the tightest of each (used when flags add to recorded overrides). */
export function tightenOverrides(...all: readonly (GateOverrides | undefined)[]): GateOverrides | undefined {
  const out: GateOverrides = {};
  for (const o of all) {
    if (o?.minPassRate !== undefined) out.minPassRate = Math.max(out.minPassRate ?? 0, o.minPassRate);
    if (o?.maxErrors !== undefined)
      out.maxErrors = Math.min(out.maxErrors ?? Number.POSITIVE_INFINITY, o.maxErrors);
    if (o?.failOnRegression !== undefined)
      out.failOnRegression = Boolean(out.failOnRegression) || o.failOnRegression;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Apply flag overrides to a suite's gate. Overrides may only tighten: a looser value is
 * ignored with a warning, because loosening a gate must be a reviewed change to the suite file.
 */
export function effectiveGate(
  suite: string,
  configured: GateSettings,
  overrides: GateOverrides | undefined,
): { effective: GateSettings; warnings: string[] } {
  const effective = { ...configured };
  const warnings: string[] = [];
  const loosen = (flag: string, asked: string, kept: string) =>
    warnings.push(
      `${suite}: ${flag} ${asked} would loosen the suite gate (${kept}); ignored. Loosen a gate by editing the suite file.`,
    );
  if (overrides?.minPassRate !== undefined) {
    if (overrides.minPassRate >= configured.minPassRate) effective.minPassRate = overrides.minPassRate;
    else
      loosen(
        '--min-pass-rate',
        formatThreshold(overrides.minPassRate),
        `min_pass_rate ${formatThreshold(configured.minPassRate)}`,
      );
  }
  if (overrides?.maxErrors !== undefined) {
    if (overrides.maxErrors <= configured.maxErrors) effective.maxErrors = overrides.maxErrors;
    else loosen('--max-errors', String(overrides.maxErrors), `max_errors ${configured.maxErrors}`);
  }
  if (overrides?.failOnRegression !== undefined) {
    if (overrides.failOnRegression) effective.failOnRegression = true;
    else if (configured.failOnRegression) loosen('--fail-on-regression', 'false', 'fail_on_regression true');
  }
  return { effective, warnings };
}

/**
 * Trial error kinds that are not evidence of anything: the run has no verdict yet (still running,
 * never started, not recorded) or the API's answer could not be taken at its word (a pass
 * without a result for every required criterion, an undocumented status). A timeout is an
 * error (max_errors counts it), and the run that hit it is incomplete anyway.
 */
export const NO_VERDICT: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'pending',
  'not_started',
  'missing',
  'no_criteria',
  'undocumented',
]);

/**
 * A test without a verdict: it neither passed nor failed, and a trial that gave no evidence
 * could still tip it. Such a test is missing from the results, not an error to tolerate.
 */
export const hasNoVerdict = (o: TestOutcome): boolean =>
  o.outcome === 'error' &&
  o.trialOutcomes.some((t) => t.errorKind !== undefined && NO_VERDICT.has(t.errorKind));

/**
 * Rules over the tests that have a verdict. While some have none (an unfinished run), a rule
 * fails only when no missing result could rescue it, and is otherwise `undecided`: gate
 * arithmetic over absent results is never reported as a failure.
 */
export function evaluateSuiteGate(input: SuiteGateInput, overrides?: GateOverrides): SuiteGate {
  const { name: suite } = input;
  const { effective, warnings } = effectiveGate(suite, input.gate, overrides);
  const ran = input.tests.filter((t) => t.outcome.outcome !== 'skipped');
  const unfinished = ran.filter((t) => hasNoVerdict(t.outcome)).length;
  const passing = ran.filter((t) => isPass(t.outcome.outcome)).length;
  const errors = ran.filter((t) => t.outcome.outcome === 'error' && !hasNoVerdict(t.outcome)).length;
  const rules: GateRule[] = [];

  const considered = ran.length;
  const passRate = considered === 0 ? null : passing / considered;
  const required = formatThreshold(effective.minPassRate);
  // Compare counts, not floats: 9/10 must meet 0.9 exactly.
  const meets = (n: number) => meetsRate(n, considered, effective.minPassRate);
  if (considered === 0) {
    rules.push({
      rule: 'min_pass_rate',
      ok: true,
      message: `${suite}: no test to gate (every test skipped or quarantined)`,
    });
  } else if (unfinished === 0) {
    const ok = meets(passing);
    const rate = `pass rate ${passing}/${considered} = ${formatPercent(passing / considered)}`;
    rules.push({
      rule: 'min_pass_rate',
      ok,
      message: `${suite}: ${rate} ${ok ? '>=' : '<'} ${required} required`,
    });
  } else if (!meets(passing + unfinished)) {
    rules.push({
      rule: 'min_pass_rate',
      ok: false,
      message: `${suite}: pass rate cannot reach ${required} even if the ${unfinished} test${unfinished === 1 ? '' : 's'} without a verdict pass: ${passing} of ${considered} passed`,
    });
  } else {
    rules.push({
      rule: 'min_pass_rate',
      ok: true,
      undecided: true,
      message: `${suite}: pass rate not decided: ${passing} of ${considered} passed, ${unfinished} without a verdict (${required} required)`,
    });
  }

  const errorsOk = errors <= effective.maxErrors;
  rules.push({
    rule: 'max_errors',
    ok: errorsOk,
    message: `${suite}: ${errors} error${errors === 1 ? '' : 's'} ${errorsOk ? '<=' : '>'} ${effective.maxErrors} allowed (max_errors)`,
  });

  for (const t of ran) {
    if (t.outcome.outcome !== 'failed') continue;
    for (const c of t.outcome.failedCriteria) {
      if (!c.required) continue;
      const counts = c.trials > 1 ? ` in ${c.failedTrials}/${c.trials} trials` : '';
      rules.push({
        rule: 'required_criterion',
        ok: false,
        test: t.name,
        message: `${suite} › ${t.name}: required criterion ${c.name} failed${counts}`,
      });
    }
  }

  if (effective.failOnRegression) {
    if (input.regressions === undefined) {
      warnings.push(`${suite}: fail_on_regression is set but no baseline was given; regressions not checked`);
    } else if (input.regressions.length === 0) {
      const open = input.maybeRegressed?.length ?? 0;
      rules.push(
        open === 0
          ? { rule: 'no_regression', ok: true, message: `${suite}: no regression against the baseline` }
          : {
              rule: 'no_regression',
              ok: true,
              undecided: true,
              message: `${suite}: regressions not decided: ${open} test${open === 1 ? '' : 's'} that do${open === 1 ? 'es' : ''} not pass now ha${open === 1 ? 's' : 've'} no baseline verdict`,
            },
      );
    } else {
      for (const test of input.regressions) {
        rules.push({
          rule: 'no_regression',
          ok: false,
          test,
          message: `${suite} › ${test}: regression (passed in the baseline, fails now)`,
        });
      }
    }
  }

  const gate: SuiteGate = {
    suite,
    configured: { ...input.gate },
    effective,
    ok: rules.every((r) => r.ok),
    passRate,
    passing,
    considered,
    errors,
    unfinished,
    rules,
    reasons: rules.filter((r) => !r.ok).map((r) => r.message),
    warnings,
  };
  const trialPassRate = trialRate(ran.map((t) => t.outcome));
  if (trialPassRate) gate.trialPassRate = trialPassRate;
  return gate;
}

/** Pass rate over trials with its Wilson interval, when some test runs more than one trial. */
export function trialRate(outcomes: readonly TestOutcome[]): TrialPassRate | undefined {
  if (!outcomes.some((o) => o.trials > 1)) return undefined;
  const passed = outcomes.reduce((n, o) => n + o.passes, 0);
  const total = outcomes.reduce((n, o) => n + o.passes + o.failures, 0);
  if (total === 0) return undefined;
  return { passed, total, rate: passed / total, interval: wilson(passed, total) };
}

/** "trial pass rate 20/30 = 66.7% (95% CI 48.8%–80.8%)" */
export function formatTrialRate(t: TrialPassRate): string {
  return `trial pass rate ${t.passed}/${t.total} = ${formatPercent(t.rate)} (95% CI ${formatPercent(t.interval.low)}–${formatPercent(t.interval.high)})`;
}
