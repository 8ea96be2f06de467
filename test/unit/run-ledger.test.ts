import { describe, expect, it } from 'vitest';
import type { TestRun } from '../../src/api/schemas.js';
import { pairKey } from '../../src/keys.js';
import { testOutcome } from '../../src/outcome.js';
import { Results } from '../../src/results.js';
import { assembleResults, incompleteReason } from '../../src/run/assemble.js';
import {
  capLogs,
  dueTimeouts,
  initialState,
  isRetryable,
  LOGS_LIMIT,
  observe,
  reviveForResume,
  spawnRetries,
  stopAll,
} from '../../src/run/ledger.js';
import { scheduleSuites } from '../../src/run/schedule.js';
import { selectTests } from '../../src/run/select.js';
import { RunState, type Work } from '../../src/run/state.js';
import { makeSuite } from './run-fixtures.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const refunds = makeSuite('refunds', [{ name: 'a', maxDurationSeconds: 60 }, 'b']);
const booking = makeSuite('booking', [{ name: 'c', trials: 2, minPasses: 1 }, { name: 'skip me' }]);
const ids = new Map([
  [pairKey('refunds', 'a'), 'id-a'],
  [pairKey('refunds', 'b'), 'id-b'],
  [pairKey('booking', 'c'), 'id-c'],
]);
const remote = new Map([
  ['refunds', ['id-a', 'id-b']],
  ['booking', ['id-c', 'id-skip']],
]);

function setup(retries = 0) {
  const selection = selectTests([refunds, booking], { grep: /^(refunds|booking\/c)/ });
  const schedules = scheduleSuites(selection, { testIds: ids, remoteSuiteTests: remote });
  const state = initialState({
    nonce: 'n0nce',
    startedAt: new Date(T0).toISOString(),
    settings: { tags: [], retries },
    schedules,
    testIds: ids,
  });
  return { selection, state };
}

const run = (over: Partial<TestRun> & Pick<TestRun, 'run_id' | 'test_id' | 'status'>): TestRun => ({
  triggered_by: 'api',
  created_at: new Date(T0).toISOString(),
  ...over,
});

const find = (state: RunState, test: string, trial = 1, retry = 0): Work => {
  const w = state.work.find((x) => x.test === test && x.trial === trial && x.retry === retry);
  if (!w) throw new Error(`no work ${test}/${trial}/${retry}`);
  return w;
};

describe('initialState', () => {
  it('makes suite batches and per-test work, trial-major, with keys, and validates', () => {
    const { state } = setup();
    expect(state.batches.map((b) => [b.suite, b.trial, b.status])).toEqual([['refunds', 1, 'queued']]);
    expect(state.work.map((w) => [w.test, w.trial, w.via])).toEqual([
      ['a', 1, 'suite'],
      ['b', 1, 'suite'],
      ['c', 1, 'test'],
      ['c', 2, 'test'],
    ]);
    expect(find(state, 'c', 2).key).toMatch(/^rg-n0nce-[0-9a-f]{32}$/);
    expect(find(state, 'c', 1).key).not.toBe(find(state, 'c', 2).key);
    expect(() => RunState.parse(JSON.parse(JSON.stringify(state)))).not.toThrow();
  });
});

describe('observe', () => {
  it('records the run, its criteria, and the API-measured duration once final', () => {
    const { state } = setup();
    const w = find(state, 'a');
    expect(
      observe(w, run({ run_id: 'r1', test_id: 'id-a', status: 'pending', test_suite_run_id: 's1' }), T0),
    ).toEqual({
      work: w,
      from: 'queued',
      to: 'pending',
    });
    expect(w.activeAt).toBeUndefined();
    observe(w, run({ run_id: 'r1', test_id: 'id-a', status: 'running' }), T0 + 1000);
    expect(w.activeAt).toBe(new Date(T0 + 1000).toISOString());
    expect(observe(w, run({ run_id: 'r1', test_id: 'id-a', status: 'running' }), T0 + 2000)).toBeUndefined();
    const c = observe(
      w,
      run({
        run_id: 'r1',
        test_id: 'id-a',
        status: 'failed',
        completed_at: new Date(T0 + 42_000).toISOString(),
        detail_status: [
          { name: 'Accuracy', status: 'passed' },
          { name: 'Empathy', status: 'failed' },
        ],
        conversation_id: 'conv-1',
      }),
      T0 + 50_000,
    );
    expect(c?.to).toBe('failed');
    expect(w).toMatchObject({
      runId: 'r1',
      testSuiteRunId: 's1',
      durationMs: 42_000,
      conversationId: 'conv-1',
    });
    expect(isRetryable(w)).toBe(false);
    // A pass without a final result for a criterion of the rubric is an error, so it is retried.
    const rubric = [
      { name: 'Accuracy', required: false },
      { name: 'Empathy', required: false },
    ];
    const unjudged = {
      ...w,
      status: 'passed' as const,
      criteria: [{ name: 'Accuracy', status: 'error' as const }],
    };
    expect(isRetryable(unjudged, rubric)).toBe(true);
    expect(
      isRetryable(
        { ...unjudged, criteria: rubric.map((c) => ({ name: c.name, status: 'passed' as const })) },
        rubric,
      ),
    ).toBe(false);
  });

  it.each([
    ['another test (a run id reused across tests)', { run_id: 'r1', test_id: 'id-b' }, /named test "id-b"/],
    [
      'another run (a GET answered with another run)',
      { run_id: 'r2', test_id: 'id-a' },
      /answered for run "r2"/,
    ],
  ])(
    'an answer naming %s is never taken as the result: an error without a verdict, not retried',
    (_, ids, why) => {
      const { state, selection } = setup(1);
      const w = find(state, 'a');
      observe(w, run({ run_id: 'r1', test_id: 'id-a', status: 'running' }), T0);
      const passed = [
        { name: 'Accuracy', status: 'passed' },
        { name: 'Empathy', status: 'passed' },
      ];
      const c = observe(w, run({ ...ids, status: 'passed', detail_status: passed }), T0 + 1000);
      expect(c?.to).toBe('error');
      expect(w.undocumented).toMatch(why);
      expect(w.runId).toBe('r1');
      const results = assembleResults({
        state,
        selection,
        startedAt: new Date(T0).toISOString(),
        finishedAt: new Date(T0 + 2000).toISOString(),
      });
      const a = results.suites.flatMap((x) => x.tests).find((t) => t.name === 'a');
      expect(a && testOutcome(a).outcome).toBe('error');
      // Its run may exist and have failed: a new key could only add a second run.
      expect(spawnRetries(state, { retries: 1 }).filter((x) => x.test === 'a')).toEqual([]);
    },
  );
});

describe('retries', () => {
  it('re-runs error, timeout and criteria-less verdicts, never behavioural failures, within budget', () => {
    const { state } = setup(1);
    const a = find(state, 'a');
    const b = find(state, 'b');
    const c1 = find(state, 'c', 1);
    const c2 = find(state, 'c', 2);
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'error' }), T0);
    observe(
      b,
      run({
        run_id: 'rb',
        test_id: 'id-b',
        status: 'failed',
        detail_status: [{ name: 'Accuracy', status: 'failed' }],
      }),
      T0,
    );
    observe(c1, run({ run_id: 'rc1', test_id: 'id-c', status: 'passed' }), T0); // no criteria: error outcome
    observe(
      c2,
      run({
        run_id: 'rc2',
        test_id: 'id-c',
        status: 'passed',
        detail_status: [{ name: 'Accuracy', status: 'passed' }],
      }),
      T0,
    );
    const added = spawnRetries(state, { retries: 1, maxRuns: 5 });
    // budget: 4 committed, --max-runs 5 → one retry only (the first in order)
    expect(added.map((w) => [w.test, w.trial, w.retry, w.via])).toEqual([['a', 1, 1, 'test']]);
    expect(c1.message).toMatch(/not retried: --max-runs 5 reached/);
    expect(spawnRetries(state, { retries: 1, maxRuns: 5 })).toEqual([]);

    const more = spawnRetries(state, { retries: 1 });
    expect(more.map((w) => [w.test, w.trial, w.retry])).toEqual([['c', 1, 1]]);
    // A retried attempt is not retried beyond --retries.
    observe(added[0] as Work, run({ run_id: 'ra2', test_id: 'id-a', status: 'error' }), T0);
    expect(spawnRetries(state, { retries: 1 })).toEqual([]);
  });
});

describe('what --retries may replace', () => {
  const ids = { run_id: 'r1', test_id: 'id-a' };
  const rubric = [{ name: 'Accuracy', required: true }];
  const after = (r: Partial<TestRun> & { status: string }) => {
    const w = find(setup(1).state, 'a');
    observe(w, run({ ...ids, ...r }), T0);
    return isRetryable(w, rubric);
  };
  it.each([
    ["the API's error", { status: 'error' }, true],
    ['a pass without its rubric results', { status: 'passed' }, true],
    ["a failure without its rubric results: the API's verdict", { status: 'failed' }, false],
    ['a failure', { status: 'failed', detail_status: [{ name: 'Accuracy', status: 'failed' }] }, false],
    ['an undocumented run status: its run may have failed', { status: 'completed' }, false],
    [
      'an error with an undocumented criterion status',
      { status: 'error', detail_status: [{ name: 'Accuracy', status: 'skipped' }] },
      true,
    ],
    [
      'a pass with an undocumented criterion status',
      { status: 'passed', detail_status: [{ name: 'Accuracy', status: 'skipped' }] },
      true,
    ],
    [
      'a failure with an undocumented criterion status',
      { status: 'failed', detail_status: [{ name: 'Accuracy', status: 'skipped' }] },
      false,
    ],
  ] as const)('%s: %s', (_, r, retryable) => {
    expect(after(r as Partial<TestRun> & { status: string })).toBe(retryable);
  });
});

describe('timeouts', () => {
  const policy = (lastProgressMs: number) => ({
    graceMs: 60_000,
    maxDurationSeconds: (w: Work) => (w.test === 'a' ? 60 : 3600),
    lastProgressMs,
  });

  it('counts from when the run left pending, plus grace', () => {
    const { state } = setup();
    const a = find(state, 'a');
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'running' }), T0);
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'running' }), T0 + 120_000);
    expect(dueTimeouts(state, T0 + 120_000, policy(T0))).toEqual([]);
    // Past the limit, but not seen since: the run may have finished while polls failed.
    expect(dueTimeouts(state, T0 + 500_000, policy(T0))).toEqual([]);
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'running' }), T0 + 120_001);
    const [c] = dueTimeouts(state, T0 + 120_001, policy(T0));
    expect(c).toMatchObject({ from: 'running', to: 'timeout' });
    expect(a.message).toMatch(/no final status 120 s after it started .*last seen running/);
  });

  it('a pending run is not late while the queue moves', () => {
    const { state } = setup();
    const a = find(state, 'a');
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'pending' }), T0);
    observe(a, run({ run_id: 'ra', test_id: 'id-a', status: 'pending' }), T0 + 200_000);
    expect(dueTimeouts(state, T0 + 200_000, policy(T0 + 150_000))).toEqual([]);
    expect(dueTimeouts(state, T0 + 200_000, policy(T0))).toHaveLength(1);
  });
});

describe('resume after retries stood in for attempts that never started', () => {
  it('triggers only what no retry replaced: never a trial twice, never its suite trigger again', () => {
    const { state } = setup(1);
    const a0 = find(state, 'a');
    const b0 = find(state, 'b');
    const batch = state.batches.find((x) => x.key === a0.batch);
    expect(batch && b0.batch === batch.key).toBe(true);
    // The suite trigger was refused: both attempts never started, and were retried per test.
    if (batch) batch.status = 'failed';
    for (const w of [a0, b0]) w.status = 'not_started';
    const retries = spawnRetries(state, { retries: 1 }).filter((w) => w.suite === 'refunds');
    const a1 = retries.find((w) => w.test === 'a');
    const b1 = retries.find((w) => w.test === 'b');
    if (!a1 || !b1) throw new Error('no retries');
    a1.status = 'not_started'; // refused too
    observe(
      b1,
      run({
        run_id: 'rb1',
        test_id: 'id-b',
        status: 'passed',
        detail_status: [{ name: 'Accuracy', status: 'passed' }],
      }),
      T0,
    );

    reviveForResume(state, T0 + 5000);
    expect([a0.status, a1.status, b0.status, b1.status]).toEqual([
      'not_started',
      'queued',
      'not_started',
      'passed',
    ]);
    expect(batch?.status).toBe('failed');
  });
});

describe('stop, resume and results', () => {
  it('a cancel leaves in-flight runs listed, never-triggered ones not started; resume brings them back', () => {
    const { state, selection } = setup();
    observe(find(state, 'a'), run({ run_id: 'ra', test_id: 'id-a', status: 'running' }), T0);
    observe(find(state, 'b'), run({ run_id: 'rb', test_id: 'id-b', status: 'running' }), T0);
    state.batches[0]!.status = 'triggered';
    const changes = stopAll(state, { queued: 'not triggered: cancelled' });
    expect(changes.map((c) => [c.work.test, c.to])).toEqual([
      ['c', 'not_started'],
      ['c', 'not_started'],
    ]);
    expect(find(state, 'a').status).toBe('running');

    const results = assembleResults({
      state,
      selection,
      startedAt: new Date(T0).toISOString(),
      finishedAt: new Date(T0 + 1000).toISOString(),
      stopReason: 'cancelled (SIGTERM)',
    });
    expect(() => Results.parse(results)).not.toThrow();
    expect(results.complete).toBe(false);
    expect(results.incompleteReason).toBe(
      'cancelled (SIGTERM); 2 runs are still in progress remotely; 2 runs were never started',
    );
    const skipped = results.suites[1]?.tests[1];
    expect(skipped).toMatchObject({ name: 'skip me', skipped: true, attempts: [] });
    expect(skipped?.skipReason).toMatch(/--grep/);
    const c = results.suites[1]?.tests[0];
    expect(c?.attempts.map((x) => [x.trial, x.status, x.message])).toEqual([
      [1, 'not_started', 'not triggered: cancelled'],
      [2, 'not_started', 'not triggered: cancelled'],
    ]);

    expect(reviveForResume(state, T0 + 5000)).toBe(2);
    expect(find(state, 'c', 1).status).toBe('queued');
    expect(find(state, 'a').status).toBe('running');
  });

  it("carries each test's renamed_from into the results (a --baseline finds it under a former name)", () => {
    const { state, selection } = setup();
    const a = selection.find((x) => x.test.name === 'a');
    if (!a) throw new Error('test a');
    const renamed = { ...a, test: { ...a.test, renamedFrom: ['old a'] } };
    const results = assembleResults({
      state,
      selection: selection.map((x) => (x === a ? renamed : x)),
      startedAt: new Date(T0).toISOString(),
      finishedAt: new Date(T0).toISOString(),
    });
    const tests = results.suites.flatMap((x) => x.tests);
    expect(tests.find((t) => t.name === 'a')?.renamedFrom).toEqual(['old a']);
    expect(tests.find((t) => t.name === 'b')).not.toHaveProperty('renamedFrom');
  });

  it('a complete run: outcomes come out right through outcome.ts (flaky after a retry)', () => {
    const { state, selection } = setup(1);
    const ok = [
      { name: 'Accuracy', status: 'passed' as const },
      { name: 'Empathy', status: 'passed' as const },
    ];
    observe(find(state, 'a'), run({ run_id: 'ra', test_id: 'id-a', status: 'error' }), T0);
    observe(
      find(state, 'b'),
      run({ run_id: 'rb', test_id: 'id-b', status: 'passed', detail_status: ok }),
      T0,
    );
    observe(
      find(state, 'c', 1),
      run({
        run_id: 'rc1',
        test_id: 'id-c',
        status: 'failed',
        detail_status: [{ name: 'Accuracy', status: 'failed' }],
      }),
      T0,
    );
    observe(
      find(state, 'c', 2),
      run({ run_id: 'rc2', test_id: 'id-c', status: 'passed', detail_status: ok }),
      T0,
    );
    const [retry] = spawnRetries(state, { retries: 1 });
    observe(retry as Work, run({ run_id: 'ra2', test_id: 'id-a', status: 'passed', detail_status: ok }), T0);
    expect(incompleteReason(state)).toBeUndefined();
    const results = Results.parse(
      assembleResults({ state, selection, startedAt: 'x', finishedAt: 'y', shard: { index: 1, total: 1 } }),
    );
    expect(results.complete).toBe(true);
    expect(results.shard).toBeUndefined();
    const outcomes = results.suites.flatMap((s) => s.tests.map((t) => [t.name, testOutcome(t).outcome]));
    expect(outcomes).toEqual([
      ['a', 'flaky'],
      ['b', 'passed'],
      ['c', 'passed'],
      ['skip me', 'skipped'],
    ]);
  });
});

describe('run logs', () => {
  it('are kept whole up to 64 KiB; longer ones keep their two ends and say what was cut', () => {
    expect(capLogs('short log')).toBe('short log');
    const exact = 'x'.repeat(LOGS_LIMIT);
    expect(capLogs(exact)).toBe(exact);
    const long = `START${'a'.repeat(LOGS_LIMIT * 3)}END`;
    const kept = capLogs(long);
    expect(kept.startsWith('START')).toBe(true);
    expect(kept.endsWith('END')).toBe(true);
    expect(kept).toContain(`… (${long.length - LOGS_LIMIT} characters of the run's logs left out here) …`);
    expect(kept.length).toBeLessThan(LOGS_LIMIT + 100);
    // As observed from the API: what the state file and every report then hold.
    const { state } = setup();
    const w = find(state, 'a');
    observe(w, run({ run_id: 'r1', test_id: 'id-a', status: 'running', logs: long }), T0);
    expect(w.logs).toBe(kept);
  });
});
