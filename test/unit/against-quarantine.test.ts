// --against with quarantine: a quarantined test's missing baseline verdict decides nothing, like
// its own missing verdict; --no-quarantine makes it count again.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/commands/report.js';
import { gateState } from '../../src/gate.js';
import { gateBlocks } from '../../src/promote.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, fail, pass, regressedAgainstMain, results, suite } from './helpers/results.js';

const against = { versionId: 'v-main', label: 'main' };
const baselinePass = [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' })];
const baselineNeverStarted = [attempt(1, 'not_started', {}, { message: 'never triggered' })];

describe('--against and quarantine', () => {
  const run = (noQuarantine: boolean) =>
    evaluate(
      results(
        [
          suite('s', [
            pass('kept', { againstAttempts: baselinePass }),
            pass('noisy', { quarantine: 'flaky upstream', againstAttempts: baselineNeverStarted }),
          ]),
        ],
        { against, ...(noQuarantine ? { noQuarantine: true } : {}) },
      ),
    );

  it('a quarantined test without a baseline verdict leaves the run complete', () => {
    expect(run(false).verdict).toBe('passed');
  });

  it('with --no-quarantine it is missing, so the run is incomplete', () => {
    const ev = run(true);
    expect(ev.verdict).toBe('incomplete');
    expect(JSON.stringify(ev)).toMatch(/on the baseline \(main\)/);
  });
});

describe('--against with a --baseline file', () => {
  it('the file may only add regressions: one found against the in-run baseline still fails the gate', () => {
    const run = regressedAgainstMain({ minPassRate: 0.5 });
    expect(evaluate(run).verdict).toBe('failed');
    // An older run in which b did not run: nothing to regress from there.
    const old = results([suite('s', [pass('a')], { minPassRate: 0.5, failOnRegression: true })]);
    const { evaluation } = decide(run, {}, { results: old, source: 'old.json' });
    expect(evaluation.verdict).toBe('failed');
    expect(evaluation.baseline?.regressions.map((r) => r.test)).toEqual(['b']);
  });
});

describe('a selection whose every test is quarantined', () => {
  const allQuarantined = (extra: Record<string, unknown> = {}) =>
    results(
      [
        suite('s', [
          pass('noisy', { quarantine: 'flaky upstream' }),
          fail('broken', { Accuracy: 'failed', Empathy: 'passed' }, { quarantine: 'known bug' }),
        ]),
      ],
      extra,
    );

  it('gates nothing: it fails like an empty selection, and is never promoted', () => {
    const ev = evaluate(allQuarantined());
    expect(ev.verdict).toBe('failed');
    expect(ev.cause).toMatch(/no test gates: every selected test is quarantined/);
    expect(ev.gating).toBe(0);
    expect(gateBlocks('v-1', { ...ev, testedVersionId: 'v-1' })).toBe('not promoted: a gate failed');
  });

  it('passes with --pass-with-no-tests (still never promoted), and gates with --no-quarantine', () => {
    const allowed = evaluate(allQuarantined({ passWithNoTests: true }));
    expect(allowed.verdict).toBe('passed');
    expect(gateBlocks('v-1', { ...allowed, testedVersionId: 'v-1' })).toBe(
      'not promoted: no test that gates ran',
    );
    const gating = evaluate(allQuarantined({ noQuarantine: true }));
    expect(gating.verdict).toBe('failed');
    expect(gating.gating).toBe(2);
  });
});

describe('--against with a baseline side still running', () => {
  it('the no-regression rule is undecided (not ✅) for a test that fails now against a missing baseline', () => {
    const basePending = [attempt(1, 'running', {}, { runId: 'run-b2' })];
    const r = results(
      [
        suite(
          's',
          [
            pass('a', { againstAttempts: baselinePass }),
            fail('b', { Accuracy: 'passed', Empathy: 'failed' }, { againstAttempts: basePending }),
          ],
          { failOnRegression: true, minPassRate: 0.5 },
        ),
      ],
      { against, versionId: 'v-cand' },
    );
    const ev = evaluate(r);
    expect(ev.verdict).toBe('incomplete');
    const rule = ev.suites[0]?.gate.rules.find((x) => x.rule === 'no_regression');
    expect(rule).toMatchObject({ ok: true, undecided: true });
    expect(rule?.message).toMatch(
      /regressions not decided: 1 test that does not pass now has no baseline verdict/,
    );
    expect(gateState(ev.suites[0]!.gate)).toBe('undecided');
  });
});
