import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestRun } from '../../src/api/schemas.js';
import { ApiError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { pairKey } from '../../src/keys.js';
import { initialState, observe } from '../../src/run/ledger.js';
import {
  EXPECTED_FRACTION,
  fromLastPollMs,
  planPoll,
  pollDelay,
  pollOnce,
  type RunApi,
  untilPaceDoneMs,
  untilUsefulMs,
} from '../../src/run/poll.js';
import {
  countByStatus,
  createProgress,
  formatChange,
  formatElapsed,
  formatLiveLine,
} from '../../src/run/progress.js';
import { scheduleSuites } from '../../src/run/schedule.js';
import { selectTests } from '../../src/run/select.js';
import type { RunState } from '../../src/run/state.js';
import { makeSuite } from './run-fixtures.js';

describe('pollDelay', () => {
  const policy = { startMs: 1000, capMs: 20_000 };
  it('the steady cadence while polls go well; full jitter up to the cap while they fail', () => {
    expect(pollDelay(0, policy, () => 0.5)).toBe(1000);
    expect(pollDelay(0, policy, () => 0)).toBe(1000);
    expect(pollDelay(3, policy, () => 0.5)).toBe(4000);
    expect(pollDelay(3, policy, () => 0)).toBe(1000); // never under the cadence
    expect(pollDelay(10, policy, () => 0.999)).toBe(19_980);
    expect(pollDelay(1000, policy, () => 1)).toBe(20_000);
  });
});

describe('untilUsefulMs', () => {
  it('waits for the earliest expected end among in-flight runs; any run without one: no wait', () => {
    const state = triggered(); // every run triggered at T0
    const all = new Map(state.work.map((w) => [w.test, 40_000]));
    expect(untilUsefulMs(state, T0, (w) => all.get(w.test))).toBe(EXPECTED_FRACTION * 40_000);
    expect(untilUsefulMs(state, T0 + 50_000, (w) => all.get(w.test))).toBe(0);
    all.set('b', 8_000);
    expect(untilUsefulMs(state, T0, (w) => all.get(w.test))).toBe(EXPECTED_FRACTION * 8_000);
    all.delete('c');
    expect(untilUsefulMs(state, T0, (w) => all.get(w.test))).toBe(0);
  });
});

const T0 = Date.parse('2026-01-01T00:00:00Z');
const suite = makeSuite('refunds', ['a', 'b', 'c']);
const partial = makeSuite('booking', ['d', 'e']);
const ids = new Map([
  [pairKey('refunds', 'a'), 'ia'],
  [pairKey('refunds', 'b'), 'ib'],
  [pairKey('refunds', 'c'), 'ic'],
  [pairKey('booking', 'd'), 'id'],
  [pairKey('booking', 'e'), 'ie'],
]);

function triggered(): RunState {
  const selection = selectTests([suite, partial], { grep: /refunds|booking\/d/ });
  const schedules = scheduleSuites(selection, {
    testIds: ids,
    remoteSuiteTests: new Map([
      ['refunds', ['ia', 'ib', 'ic']],
      ['booking', ['id', 'ie']],
    ]),
  });
  const state = initialState({
    nonce: 'n',
    startedAt: 'x',
    settings: { tags: [], retries: 0 },
    schedules,
    testIds: ids,
  });
  for (const w of state.work) {
    const run: TestRun = {
      run_id: `run-${w.test}`,
      test_id: w.testId ?? '',
      status: 'pending',
      triggered_by: 'api',
      created_at: new Date(T0).toISOString(),
      ...(w.via === 'suite' ? { test_suite_run_id: 'tsr-1' } : {}),
    };
    observe(w, run, T0);
  }
  return state;
}

/** A fake API serving fixed run statuses, counting calls. */
function fakeApi(
  status: (runId: string) => TestRun['status'],
  opts: { getError?: unknown; history?: string[] } = {},
) {
  const calls = { list: 0, get: 0 };
  const render = (runId: string, testId: string): TestRun => ({
    run_id: runId,
    test_id: testId,
    status: status(runId),
    triggered_by: 'api',
    created_at: new Date(T0).toISOString(),
    test_suite_run_id: 'tsr-1',
  });
  const api: RunApi = {
    triggerSuite: async () => [],
    triggerTest: async () => render('x', 'x'),
    getVersion: async () => ({ id: 'a', name: 'a', created_at: 'x', model: 'm', instructions: 'i' }),
    listTestRuns: () => (async function* () {})(),
    listSuiteRuns: (suite, filter) => {
      calls.list++;
      // A batch read (test_suite_run_id) or the suite's history, where per-test runs appear too.
      const batch = filter?.testSuiteRunId === 'tsr-1';
      expect(batch || suite === 'booking').toBe(true);
      const shown = batch ? ['a', 'b', 'c'] : (opts.history ?? ['d']);
      return (async function* () {
        for (const t of shown) yield render(`run-${t}`, `i${t}`);
      })();
    },
    getRun: async (testId, runId) => {
      calls.get++;
      if (opts.getError) throw opts.getError;
      return render(runId, testId);
    },
  };
  return { api, calls };
}

describe('pollOnce', () => {
  it('reads a suite batch and the per-test runs of a suite with one list call each, no GET', async () => {
    const state = triggered();
    const plan = planPoll(state);
    expect(plan.map((t) => [t.suite, t.testSuiteRunId, [...t.waiting.values()].map((w) => w.test)])).toEqual([
      ['refunds', 'tsr-1', ['a', 'b', 'c']],
      ['booking', undefined, ['d']],
    ]);

    const { api, calls } = fakeApi((id) => (id === 'run-b' || id === 'run-d' ? 'running' : 'pending'));
    const res = await pollOnce(state, { api, now: () => T0 + 1 });
    expect(calls).toEqual({ list: 2, get: 0 });
    expect(res.changes.map((c) => [c.work.test, c.to]).sort()).toEqual([
      ['b', 'running'],
      ['d', 'running'],
    ]);
  });

  it('a per-test run its suite history did not show (reordered, dropped) gets its own GET', async () => {
    const state = triggered();
    const { api, calls } = fakeApi((id) => (id === 'run-d' ? 'passed' : 'pending'), { history: ['x', 'y'] });
    const res = await pollOnce(state, { api, now: () => T0 + 1 });
    expect(calls).toEqual({ list: 2, get: 1 });
    expect(res.changes.map((c) => [c.work.test, c.to])).toEqual([['d', 'passed']]);
  });

  it('a 401 is fatal; a 5xx after retries is a problem to warn about; a 404 run is an error', async () => {
    const err = (status: number) =>
      new ApiError(`GET x → ${status}`, { method: 'GET', path: '/x', status, attempts: 3 });
    const fatal = await pollOnce(triggered(), {
      api: fakeApi(() => 'pending', { getError: err(401), history: [] }).api,
      now: () => T0,
    });
    expect(fatal.fatal).toBeInstanceOf(ApiError);

    const flaky = await pollOnce(triggered(), {
      api: fakeApi(() => 'pending', { getError: err(503), history: [] }).api,
      now: () => T0,
    });
    expect(flaky.fatal).toBeUndefined();
    expect(flaky.problems).toEqual(['GET x → 503']);

    const state = triggered();
    const gone = await pollOnce(state, {
      api: fakeApi(() => 'pending', { getError: err(404), history: [] }).api,
      now: () => T0,
    });
    expect(gone.changes.map((c) => [c.work.test, c.to])).toEqual([['d', 'error']]);
    expect(state.work.find((w) => w.test === 'd')?.message).toMatch(/was not found \(404\)/);
  });
});

describe('progress', () => {
  it('formats elapsed time and the live line', () => {
    expect(formatElapsed(42_400)).toBe('42 s');
    expect(formatElapsed(65_000)).toBe('1m 05s');
    expect(formatElapsed(3_720_000)).toBe('1h 02m');
    const counts = new Map([
      ['running', 2],
      ['passed', 5],
      ['queued', 0],
    ] as const);
    expect(formatLiveLine(counts, 65_000)).toBe('2 running · 5 passed  1m 05s');
  });

  it('non-TTY: one line per state change, not for triggers', () => {
    const state = triggered();
    const io = memoryIo({ isTTY: false });
    const p = createProgress(io, { startedMs: T0, trialsOf: () => 3 });
    const w = state.work[0]!;
    w.durationMs = 42_000;
    w.criteria = [{ name: 'Empathy', status: 'failed' }];
    p.update(
      state,
      [
        { work: w, from: 'queued', to: 'pending' },
        { work: w, from: 'running', to: 'failed' },
      ],
      T0,
    );
    expect(io.out).toEqual(['refunds › a [trial 1/3]: running → failed (42 s; Empathy)\n']);
    expect(formatChange({ work: { ...w, retry: 1 }, from: 'queued', to: 'not_started' }, 1)).toBe(
      'refunds › a [retry 1]: trigger → not started',
    );
  });

  it('TTY: names each failure on its own line as it happens, then redraws the live line', () => {
    const state = triggered();
    const io = memoryIo({ isTTY: true, env: { NO_COLOR: '1' } });
    const p = createProgress(io, { startedMs: T0, trialsOf: () => 1 });
    p.update(state, [], T0 + 1000);
    const [a, b] = state.work;
    a!.durationMs = 42_000;
    a!.criteria = [{ name: 'Empathy', status: 'failed' }];
    p.update(
      state,
      [
        { work: a!, from: 'running', to: 'failed' },
        { work: b!, from: 'pending', to: 'running' },
        { work: b!, from: 'running', to: 'timeout' },
      ],
      T0 + 3000,
    );
    expect(io.out.slice(1)).toEqual([
      '\r\x1b[2Kx refunds › a: running → failed (42 s; Empathy)\n',
      `x ${formatChange({ work: b!, from: 'running', to: 'timeout' }, 1)}\n`,
      `\r\x1b[2K${formatLiveLine(countByStatus(state), 3000)}`,
    ]);
    const coloured = memoryIo({ isTTY: true });
    createProgress(coloured, { startedMs: T0, trialsOf: () => 1 }).update(
      state,
      [{ work: a!, from: 'running', to: 'failed' }],
      T0,
    );
    expect(coloured.out[0]?.startsWith('\u001b[31mx\u001b[39m refunds › a: running → failed')).toBe(true);
  });

  it('TTY: rewrites one line in place', () => {
    const state = triggered();
    const io = memoryIo({ isTTY: true });
    const p = createProgress(io, { startedMs: T0, trialsOf: () => 1 });
    p.update(state, [], T0 + 3000);
    p.note('warning: x');
    p.done(state, T0 + 4000);
    expect(io.out).toEqual([
      '\r\x1b[2K4 pending  3 s',
      '\r\x1b[2Kwarning: x\n',
      '\r\x1b[2K4 pending  4 s',
      '\n',
    ]);
  });
});

describe('untilPaceDoneMs', () => {
  it('the time the runs left need at the pace runs finished last interval, a fifth to spare', () => {
    expect(untilPaceDoneMs(10, 40, 4_000)).toBe(1_200); // 10 runs at 10 per second: 1 s, +20%
    expect(untilPaceDoneMs(100, 10, 5_000)).toBe(60_000);
    expect(untilPaceDoneMs(0, 10, 5_000)).toBeUndefined(); // nothing left
    expect(untilPaceDoneMs(5, 0, 5_000)).toBeUndefined(); // no pace yet
    expect(untilPaceDoneMs(5, 3, 0)).toBeUndefined(); // no interval (the first poll)
  });
});

describe('fromLastPollMs', () => {
  it('a round of triggers since the last poll is time already waited: the next poll comes at most a step after the last one ended, and never before now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: undefined }),
        (step, now, lastEnd) => {
          const wait = fromLastPollMs(step, now, lastEnd);
          expect(wait).toBeGreaterThanOrEqual(0);
          // Before the first poll (or with a clock that went back), the whole step from now.
          if (lastEnd === undefined || lastEnd >= now) expect(wait).toBe(step);
          else expect(now + wait).toBe(Math.max(now, lastEnd + step));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('5,000 per-test triggers took 4.7 s after a poll: the next comes 0.1 s later, not 4.8', () => {
    expect(fromLastPollMs(4_800, 10_000 + 4_700, 10_000)).toBe(100);
  });
});
