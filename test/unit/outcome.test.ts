import { describe, expect, it } from 'vitest';
import { formatFailedCriterion, testOutcome, trialOutcome } from '../../src/outcome.js';
import { attempt, testResult } from './helpers/results.js';

const ok = { Accuracy: 'passed', Empathy: 'passed' } as const;
/** The rubric of the attempts below: nothing required unless a test says. */
const RUBRIC = [
  { name: 'Accuracy', required: false },
  { name: 'Empathy', required: false },
];
const requiring = (name: string) => RUBRIC.map((c) => ({ ...c, required: c.name === name }));

describe('trialOutcome', () => {
  it('is decided by the last attempt of the trial', () => {
    const attempts = [
      attempt(1, 'error'),
      attempt(1, 'passed', ok, { retry: 1 }),
      attempt(2, 'failed', { Accuracy: 'failed' }),
    ];
    expect(trialOutcome(1, attempts, RUBRIC)).toMatchObject({ status: 'passed', attempts: 2 });
    expect(trialOutcome(2, attempts, RUBRIC)).toMatchObject({
      status: 'failed',
      failedCriteria: ['Accuracy'],
    });
  });

  it('orders attempts by retry, not by position', () => {
    const attempts = [attempt(1, 'passed', ok, { retry: 1 }), attempt(1, 'timeout')];
    expect(trialOutcome(1, attempts, RUBRIC).status).toBe('passed');
  });

  it.each([
    ['error', 'error'],
    ['timeout', 'timeout'],
    ['not_started', 'not_started'],
  ] as const)('%s is an error trial', (status, kind) => {
    expect(trialOutcome(1, [attempt(1, status)], RUBRIC)).toMatchObject({
      status: 'error',
      errorKind: kind,
      pending: false,
    });
  });

  it.each(['pending', 'starting', 'running'] as const)(
    '%s (still in progress) is an error marked pending',
    (status) => {
      expect(trialOutcome(1, [attempt(1, status)], RUBRIC)).toMatchObject({
        status: 'error',
        errorKind: 'pending',
        pending: true,
      });
    },
  );

  it('a final run with no criterion results is an error', () => {
    expect(trialOutcome(1, [attempt(1, 'passed')], RUBRIC)).toMatchObject({
      status: 'error',
      errorKind: 'no_criteria',
    });
    expect(trialOutcome(1, [attempt(1, 'failed')], RUBRIC)).toMatchObject({
      status: 'error',
      errorKind: 'no_criteria',
    });
  });

  it('a run the API calls passed fails the trial when a required criterion failed', () => {
    const passedButRequiredFailed = [attempt(1, 'passed', { Accuracy: 'failed', Empathy: 'passed' })];
    expect(trialOutcome(1, passedButRequiredFailed, requiring('Accuracy'))).toMatchObject({
      status: 'failed',
      failedCriteria: ['Accuracy'],
    });
    // A criterion that is not required does not overrule the API's pass.
    expect(trialOutcome(1, passedButRequiredFailed, requiring('Empathy')).status).toBe('passed');
  });

  it('a pass needs a final result for every criterion of the rubric, required or not', () => {
    // The API promises one for each (detail_status): found by a review with every criterion in
    // error, all pending, or results naming none of the rubric, each a pass when none was required.
    for (const criteria of [
      { Accuracy: 'error', Empathy: 'error' },
      { Accuracy: 'pending', Empathy: 'passed' },
      { Accuracy: 'passed' },
      { Tone: 'passed', Brevity: 'passed' },
    ] as const) {
      const a = attempt(
        1,
        'passed',
        {},
        { criteria: Object.entries(criteria).map(([name, status]) => ({ name, status })) },
      );
      expect(trialOutcome(1, [a], RUBRIC), JSON.stringify(criteria)).toMatchObject({
        status: 'error',
        errorKind: 'no_criteria',
      });
    }
    // Extra results beside the rubric's are no obstacle.
    const extra = attempt(1, 'passed', { ...ok, Tone: 'failed' });
    expect(trialOutcome(1, [extra], RUBRIC).status).toBe('passed');
  });

  it('a trial with no attempt recorded is an error', () => {
    expect(trialOutcome(2, [attempt(1, 'passed', ok)], RUBRIC)).toMatchObject({
      status: 'error',
      errorKind: 'missing',
      attempts: 0,
    });
  });
});

describe('testOutcome', () => {
  it('passed, failed, error for one trial', () => {
    expect(testOutcome(testResult('t', [attempt(1, 'passed', ok)])).outcome).toBe('passed');
    expect(testOutcome(testResult('t', [attempt(1, 'failed', { Accuracy: 'failed' })])).outcome).toBe(
      'failed',
    );
    expect(testOutcome(testResult('t', [attempt(1, 'timeout')]))).toMatchObject({
      outcome: 'error',
      errorKind: 'timeout',
    });
  });

  it('skipped tests are skipped whatever their attempts', () => {
    expect(testOutcome(testResult('t', [], { skipped: true })).outcome).toBe('skipped');
  });

  it('flaky: passed only because an errored attempt was retried', () => {
    const o = testOutcome(testResult('t', [attempt(1, 'error'), attempt(1, 'passed', ok, { retry: 1 })]));
    expect(o).toMatchObject({ outcome: 'flaky', passes: 1, errors: 0 });
  });

  it('trials 2/3 passing with min_passes 2 pass; 1/3 fail', () => {
    const t = (statuses: ('passed' | 'failed')[]) =>
      testResult(
        't',
        statuses.map((s, i) =>
          attempt(i + 1, s, s === 'passed' ? ok : { Accuracy: 'failed', Empathy: 'passed' }),
        ),
        { trials: 3, minPasses: 2 },
      );
    expect(testOutcome(t(['passed', 'failed', 'passed']))).toMatchObject({
      outcome: 'passed',
      passes: 2,
      failures: 1,
    });
    const failed = testOutcome(t(['passed', 'failed', 'failed']));
    expect(failed).toMatchObject({ outcome: 'failed', passes: 1, failures: 2 });
    expect(failed.failedCriteria).toEqual([{ name: 'Accuracy', required: true, failedTrials: 2, trials: 3 }]);
    expect(formatFailedCriterion(failed.failedCriteria[0]!)).toBe('Accuracy (2/3)');
  });

  it('failed only when errors could no longer reach min_passes; otherwise error', () => {
    const base = { trials: 3, minPasses: 2 };
    // 1 pass + 1 error could still make 2: undecided behaviour is an error.
    const undecided = testResult(
      't',
      [attempt(1, 'passed', ok), attempt(2, 'failed', { Accuracy: 'failed' }), attempt(3, 'timeout')],
      base,
    );
    expect(testOutcome(undecided)).toMatchObject({
      outcome: 'error',
      errorKind: 'timeout',
      passes: 1,
      failures: 1,
      errors: 1,
    });
    // 0 passes + 1 error cannot make 2: the behaviour failed.
    const lost = testResult(
      't',
      [
        attempt(1, 'failed', { Accuracy: 'failed' }),
        attempt(2, 'failed', { Empathy: 'failed' }),
        attempt(3, 'error'),
      ],
      base,
    );
    expect(testOutcome(lost).outcome).toBe('failed');
  });

  it('pending runs make an error outcome marked pending', () => {
    const o = testOutcome(testResult('t', [attempt(1, 'running')]));
    expect(o).toMatchObject({ outcome: 'error', pending: true, errorKind: 'pending' });
  });

  it('a decided test stays decided while another trial is still running', () => {
    const o = testOutcome(
      testResult('t', [attempt(1, 'passed', ok), attempt(2, 'passed', ok), attempt(3, 'running')], {
        trials: 3,
        minPasses: 2,
      }),
    );
    expect(o).toMatchObject({ outcome: 'passed', pending: true });
  });

  it('counts only criteria of failing trials, with required flags from the suite', () => {
    const o = testOutcome(
      testResult('t', [attempt(1, 'failed', { Accuracy: 'failed', Empathy: 'failed', Unknown: 'failed' })]),
    );
    expect(o.failedCriteria.map((c) => [c.name, c.required])).toEqual([
      ['Accuracy', true],
      ['Empathy', false],
      ['Unknown', false],
    ]);
    expect(formatFailedCriterion(o.failedCriteria[0]!)).toBe('Accuracy');
  });

  it('sums attempt durations, deriving them from timestamps when missing', () => {
    const o = testOutcome(
      testResult('t', [
        attempt(1, 'error', {}, { durationMs: 500 }),
        attempt(1, 'passed', ok, {
          retry: 1,
          durationMs: undefined,
          triggeredAt: '2026-01-01T00:00:00Z',
          completedAt: '2026-01-01T00:00:02.5Z',
        }),
      ]),
    );
    expect(o.durationMs).toBe(3000);
  });
});
