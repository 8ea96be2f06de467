import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveGate,
  evaluateSuiteGate,
  formatPercent,
  meetsRate,
  roundBelowOne,
  tightenOverrides,
  wilson,
} from '../../src/gate.js';
import { testOutcome } from '../../src/outcome.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, errored, fail, pass, results, suite, testResult } from './helpers/results.js';

const gateOf = (tests: ReturnType<typeof pass>[], gate = {}, overrides = {}) =>
  evaluate(results([suite('refunds', tests, gate)], { gateOverrides: overrides })).suites[0]!.gate;

const tenWithSevenPassing = () => [
  ...Array.from({ length: 7 }, (_, i) => pass(`ok ${i}`)),
  ...Array.from({ length: 3 }, (_, i) => fail(`bad ${i}`)),
];

describe('suite gate rules', () => {
  it('explains a failed pass rate with its numbers', () => {
    const g = gateOf(tenWithSevenPassing(), { minPassRate: 0.9 });
    expect(g.ok).toBe(false);
    expect(g.reasons).toEqual(['refunds: pass rate 7/10 = 70.0% < 90% required']);
  });

  it('meets a threshold exactly (counts, not floats)', () => {
    expect(gateOf(tenWithSevenPassing(), { minPassRate: 0.7 }).ok).toBe(true);
    const g = gateOf([...Array.from({ length: 9 }, (_, i) => pass(`p${i}`)), fail('f')], {
      minPassRate: 0.9,
    });
    expect(g.ok).toBe(true);
  });

  it('flaky counts as passing, skipped is left out of the rate', () => {
    const flaky = testResult('flaky', [
      attempt(1, 'error'),
      attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }, { retry: 1 }),
    ]);
    const g = gateOf([pass('a'), flaky, testResult('s', [], { skipped: true })]);
    expect(g).toMatchObject({ ok: true, passing: 2, considered: 2, passRate: 1 });
  });

  it('a suite whose tests were all skipped holds', () => {
    expect(gateOf([testResult('s', [], { skipped: true })])).toMatchObject({ ok: true, passRate: null });
  });

  it('counts error outcomes (timeouts included) against max_errors', () => {
    const g = gateOf([pass('a'), errored('b', 'timeout'), errored('c', 'error')], {
      minPassRate: 0,
      maxErrors: 1,
    });
    expect(g.reasons).toEqual(['refunds: 2 errors > 1 allowed (max_errors)']);
    expect(gateOf([pass('a'), errored('b', 'timeout')], { minPassRate: 0, maxErrors: 1 }).ok).toBe(true);
  });

  it('a required criterion failing in a failed test fails the gate whatever the pass rate', () => {
    const tests = [
      ...Array.from({ length: 19 }, (_, i) => pass(`p${i}`)),
      fail('Damaged product refund', { Accuracy: 'failed' }),
    ];
    const g = gateOf(tests, { minPassRate: 0.9 });
    expect(g.reasons).toEqual(['refunds › Damaged product refund: required criterion Accuracy failed']);
  });

  it('an optional criterion failing does not, and a required one in a passing test does not', () => {
    const tests = [
      ...Array.from({ length: 9 }, (_, i) => pass(`p${i}`)),
      fail('f', { Accuracy: 'passed', Empathy: 'failed' }),
    ];
    expect(gateOf(tests, { minPassRate: 0.9 }).ok).toBe(true);
    // A failed run that gives no result for a required criterion may have failed it.
    const silent = [...tests.slice(0, 9), fail('f', { Empathy: 'failed' })];
    expect(gateOf(silent, { minPassRate: 0.9 }).reasons).toEqual([
      'refunds › f: required criterion Accuracy failed',
    ]);
    const twoOfThree = testResult(
      'x',
      [
        attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }),
        attempt(2, 'failed', { Accuracy: 'failed' }),
        attempt(3, 'passed', { Accuracy: 'passed', Empathy: 'passed' }),
      ],
      { trials: 3, minPasses: 2 },
    );
    expect(gateOf([twoOfThree]).ok).toBe(true);
  });

  it('names counts for multi-trial required failures', () => {
    const t = testResult(
      'Store credit',
      [
        attempt(1, 'failed', { Accuracy: 'failed' }),
        attempt(2, 'failed', { Accuracy: 'failed' }),
        attempt(3, 'passed', { Accuracy: 'passed', Empathy: 'passed' }),
      ],
      { trials: 3, minPasses: 2 },
    );
    expect(gateOf([t], { minPassRate: 0 }).reasons).toEqual([
      'refunds › Store credit: required criterion Accuracy failed in 2/3 trials',
    ]);
  });

  it('fails on regressions only with fail_on_regression and a baseline; warns without a baseline', () => {
    const input = {
      name: 'refunds',
      gate: { minPassRate: 0, maxErrors: 0, failOnRegression: true },
      tests: [],
    };
    expect(evaluateSuiteGate({ ...input, regressions: ['T'] }).reasons).toEqual([
      'refunds › T: regression (passed in the baseline, fails now)',
    ]);
    expect(evaluateSuiteGate({ ...input, regressions: [] }).ok).toBe(true);
    const noBaseline = evaluateSuiteGate(input);
    expect(noBaseline.ok).toBe(true);
    expect(noBaseline.warnings[0]).toMatch(/no baseline/);
    expect(
      evaluateSuiteGate({ ...input, gate: { ...input.gate, failOnRegression: false }, regressions: ['T'] })
        .ok,
    ).toBe(true);
  });
});

describe('overrides tighten, never loosen', () => {
  const configured = { minPassRate: 0.9, maxErrors: 2, failOnRegression: true };

  it('applies tighter values', () => {
    const { effective, warnings } = effectiveGate('s', configured, {
      minPassRate: 0.95,
      maxErrors: 0,
      failOnRegression: true,
    });
    expect(effective).toEqual({ minPassRate: 0.95, maxErrors: 0, failOnRegression: true });
    expect(warnings).toEqual([]);
    expect(
      effectiveGate('s', { ...configured, failOnRegression: false }, { failOnRegression: true }).effective
        .failOnRegression,
    ).toBe(true);
  });

  it('ignores each looser value with a warning', () => {
    const { effective, warnings } = effectiveGate('refunds', configured, {
      minPassRate: 0.5,
      maxErrors: 5,
      failOnRegression: false,
    });
    expect(effective).toEqual(configured);
    expect(warnings).toEqual([
      'refunds: --min-pass-rate 50% would loosen the suite gate (min_pass_rate 90%); ignored. Loosen a gate by editing the suite file.',
      'refunds: --max-errors 5 would loosen the suite gate (max_errors 2); ignored. Loosen a gate by editing the suite file.',
      'refunds: --fail-on-regression false would loosen the suite gate (fail_on_regression true); ignored. Loosen a gate by editing the suite file.',
    ]);
  });

  it('a loosening override cannot turn a failing gate into a passing one', () => {
    const ev = evaluate(
      results([suite('refunds', tenWithSevenPassing(), { minPassRate: 0.9 })], {
        gateOverrides: { minPassRate: 0.5 },
      }),
    );
    expect(ev.passed).toBe(false);
    expect(ev.warnings).toHaveLength(1);
    expect(ev.reasons).toEqual(['refunds: pass rate 7/10 = 70.0% < 90% required']);
  });

  it('a tightening override can fail a gate the suite file would pass', () => {
    const ev = evaluate(
      results([suite('refunds', tenWithSevenPassing(), { minPassRate: 0.7 })], {
        gateOverrides: { minPassRate: 0.8 },
      }),
    );
    expect(ev.reasons).toEqual(['refunds: pass rate 7/10 = 70.0% < 80% required']);
  });

  it('combines overrides by keeping the tightest', () => {
    expect(
      tightenOverrides(
        { minPassRate: 0.8, maxErrors: 3 },
        { minPassRate: 0.9, maxErrors: 1, failOnRegression: false },
        undefined,
      ),
    ).toEqual({
      minPassRate: 0.9,
      maxErrors: 1,
      failOnRegression: false,
    });
    expect(tightenOverrides(undefined, {})).toBeUndefined();
  });
});

describe('Wilson interval', () => {
  it('matches published values', () => {
    const r = (x: { low: number; high: number }) => [Number(x.low.toFixed(4)), Number(x.high.toFixed(4))];
    expect(r(wilson(5, 10))).toEqual([0.2366, 0.7634]);
    expect(r(wilson(0, 10))).toEqual([0, 0.2775]);
    expect(r(wilson(10, 10))).toEqual([0.7225, 1]);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('is reported over trials only when some test runs more than one trial', () => {
    expect(gateOf([pass('a'), pass('b')]).trialPassRate).toBeUndefined();
    const t = testResult(
      'x',
      [
        attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }),
        attempt(2, 'failed', { Accuracy: 'failed' }),
        attempt(3, 'timeout'),
      ],
      { trials: 3, minPasses: 1 },
    );
    const g = gateOf([t, pass('y')], { minPassRate: 0 });
    // The errored trial says nothing about behaviour: 2 passes of 3 decided trials.
    expect(g.trialPassRate).toMatchObject({ passed: 2, total: 3 });
    expect(g.trialPassRate?.interval.low).toBeCloseTo(wilson(2, 3).low, 10);
  });
});

describe('overall verdict', () => {
  it('passes iff every suite gate holds and the run is complete', () => {
    const good = results([suite('a', [pass('x')]), suite('b', [pass('y')])]);
    expect(evaluate(good)).toMatchObject({ passed: true, verdict: 'passed', reasons: [] });
    const oneBad = results([suite('a', [pass('x')]), suite('b', [fail('y')])]);
    expect(evaluate(oneBad)).toMatchObject({ passed: false, verdict: 'failed' });
    const partial = evaluate({ ...good, complete: false, incompleteReason: 'timed out after 10m' });
    expect(partial).toMatchObject({ passed: false, complete: false, verdict: 'incomplete' });
    expect(partial.reasons).toEqual(['incomplete: timed out after 10m']);
  });

  it('totals and pass rate span suites', () => {
    const ev = evaluate(
      results([
        suite('a', [pass('x'), fail('y')], { minPassRate: 0 }),
        suite('b', [pass('z'), testResult('s', [], { skipped: true })]),
      ]),
    );
    expect(ev.totals).toEqual({
      total: 4,
      passed: 2,
      failed: 1,
      error: 0,
      flaky: 0,
      skipped: 1,
      unfinished: 0,
      pending: 0,
    });
    expect(ev.passRate).toBeCloseTo(2 / 3);
    expect(ev.passed).toBe(true);
  });

  it('is JSON-serialisable without loss', () => {
    const ev = evaluate(results([suite('a', [pass('x'), fail('y')])]));
    expect(JSON.parse(JSON.stringify(ev))).toEqual(ev);
  });

  it('lists pending remote runs and flaky tests', () => {
    const running = testResult('r', [attempt(1, 'running', {}, { runId: 'run-9', testSuiteRunId: 'tsr' })]);
    const flaky = testResult('f', [
      attempt(1, 'error'),
      attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }, { retry: 1 }),
    ]);
    const ev = evaluate(results([suite('a', [running, flaky])], { complete: false }));
    expect(ev.pendingRuns).toEqual([
      {
        suite: 'a',
        test: 'r',
        file: 'suites/s.yaml',
        line: 1,
        trial: 1,
        status: 'running',
        runId: 'run-9',
        testSuiteRunId: 'tsr',
      },
    ]);
    expect(ev.flaky.map((f) => f.test)).toEqual(['f']);
    expect(ev.totals.pending).toBe(1);
    expect(testOutcome(flaky).outcome).toBe('flaky');
  });
});

describe('rates at their boundaries', () => {
  it('n of N meets a min_pass_rate exactly as the decimal says (property, against integer arithmetic)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.nat(),
        fc.integer({ min: -2, max: 2 }),
        (of, k, nudge) => {
          const n = k % (of + 1);
          // A rate of 10 decimals right at n/of, or a step or two either side of it.
          const tenths = Math.min(10 ** 10, Math.max(0, Math.round((n / of) * 1e10) + nudge));
          const rate = Number(`${Math.floor(tenths / 1e10)}.${String(tenths % 1e10).padStart(10, '0')}`);
          const exact = BigInt(n) * 10n ** 10n >= BigInt(tenths) * BigInt(of);
          expect(meetsRate(n, of, rate)).toBe(exact);
        },
      ),
      { numRuns: 2000 },
    );
    // 2 of 3 is short of 0.6666666667; 19 of 20 meets 0.95; 7 of 10 meets 0.7.
    expect(meetsRate(2, 3, 0.6666666667)).toBe(false);
    expect(meetsRate(19, 20, 0.95)).toBe(true);
    expect(meetsRate(7, 10, 0.7)).toBe(true);
  });

  it('a rate below 1 is never shown as 100%', () => {
    expect(formatPercent(1999 / 2000)).toBe('99.9%');
    expect(formatPercent(19_999 / 20_000, 2)).toBe('99.99%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(2 / 3)).toBe('66.7%');
    expect(roundBelowOne(19_999 / 20_000, 4)).toBe(0.9999);
    expect(roundBelowOne(1, 4)).toBe(1);
    expect(roundBelowOne(2 / 3, 4)).toBe(0.6667);
  });
});
