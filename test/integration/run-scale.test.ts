// A 200-test suite against the simulator: one suite trigger, one paginated list call per poll,
// a GET only for the last run or two when that is cheaper than the pages listing them; and the same run under 429s, 5xx and dropped connections still ends with
// the right outcomes and exactly one run per test.
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import {
  count,
  deps,
  EP,
  type Harness,
  harness,
  names,
  readResults,
  readRunState,
  runsPerTest,
  testOutcome,
} from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const scenario = {
  seed: 3,
  tests: {
    '*': { outcome: 'pass', duration_seconds: 60 },
    'big/t01*': { outcome: 'fail', criteria: { Empathy: 'fail' } },
  },
};

describe('run at scale', () => {
  it('200 tests: one suite trigger, a few list requests per poll, no GET per run', async () => {
    h = await harness({
      suites: [{ suite: 'big', maxDuration: 120, tests: names(200).map((name) => ({ name })) }],
      scenario,
    });
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h));
    const out = h.io.out.join('');
    expect(out).toMatch(/Starting 200 runs \(1 suite trigger\), worst case 400 call minutes/);

    expect(count(h.sim, EP.suiteTrigger)).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(0);
    const lists = count(h.sim, EP.suiteList);
    const gets = count(h.sim, EP.getRun);
    const polls = h.sleeps();
    // 200 runs = 2 pages of 100: at most 2 requests per poll, and at least one poll. A GET
    // replaces a list only for a tail smaller than the pages (1 run < 2 pages): never one per run.
    expect(polls).toBeGreaterThan(0);
    expect(lists).toBeGreaterThan(0);
    expect(lists + gets).toBeLessThanOrEqual(2 * polls);
    expect(gets).toBeLessThanOrEqual(polls);
    expect(gets).toBeLessThan(20);

    const results = readResults(h.outDir);
    expect(results.complete).toBe(true);
    const tests = results.suites[0]?.tests ?? [];
    expect(tests).toHaveLength(200);
    const failed = tests.filter((t) => testOutcome(t).outcome === 'failed').map((t) => t.name);
    // t010..t019 match "big/t01*"
    expect(failed).toEqual(names(19).slice(9));
    expect(tests.filter((t) => testOutcome(t).outcome === 'passed')).toHaveLength(190);
    expect(tests.every((t) => t.attempts.length === 1 && t.attempts[0]?.testSuiteRunId)).toBe(true);
    expect(code).toBe(1); // the gate (min_pass_rate 1.0) fails on the scripted failures
    // The finished state is on disk too (written after the reports): every run final.
    const state = readRunState(h.outDir);
    expect(state.finishedAt).toBeDefined();
    expect(state.work.map((w) => w.status).filter((s) => s !== 'passed' && s !== 'failed')).toEqual([]);
  });

  it('200 tests triggered one by one (--max-in-flight): polled by list calls too, no GET per run', async () => {
    h = await harness({
      suites: [{ suite: 'big', maxDuration: 120, tests: names(200).map((name) => ({ name })) }],
      scenario,
    });
    const code = await runCommand(['.'], { outDir: h.outDir, maxInFlight: 200 }, h.io, deps(h));
    expect(code).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(200);
    // Per poll, the suite's history read costs what a batch read costs: 2 pages of 100, plus at
    // most one page of runs started meanwhile; a GET only for a tail smaller than that.
    const lists = count(h.sim, EP.suiteList);
    const gets = count(h.sim, EP.getRun);
    expect(lists).toBeGreaterThan(0);
    expect(lists + gets).toBeLessThanOrEqual(3 * h.sleeps());
    expect(gets).toBeLessThanOrEqual(2 * h.sleeps());
    expect(gets).toBeLessThan(20);
    const tests = readResults(h.outDir).suites[0]?.tests ?? [];
    expect(tests.filter((t) => testOutcome(t).outcome === 'failed').map((t) => t.name)).toEqual(
      names(19).slice(9),
    );
  });

  it('under 429s, 5xx and dropped connections: right outcomes, no test triggered twice', async () => {
    h = await harness({
      suites: [{ suite: 'flaky', maxDuration: 120, tests: names(40).map((name) => ({ name })) }],
      scenario,
      // On the run's endpoints only: sync has its own fault tests.
      faults: [
        { kind: 'status', status: 429, retryAfter: 1, match: { endpoint: EP.testTrigger }, probability: 0.2 },
        { kind: 'status', status: 503, match: { endpoint: EP.testTrigger }, probability: 0.1 },
        { kind: 'drop-after', match: { endpoint: EP.testTrigger }, probability: 0.2 },
        { kind: 'status', status: 429, retryAfter: 1, match: { endpoint: EP.getRun }, probability: 0.2 },
        { kind: 'status', status: 500, match: { endpoint: EP.getRun }, probability: 0.2 },
      ],
    });
    // --max-in-flight forces per-test triggers (40 POSTs that can be retried) and per-run GETs.
    const code = await runCommand(['.'], { outDir: h.outDir, maxInFlight: 15, retries: 1 }, h.io, deps(h));
    const results = readResults(h.outDir);
    expect(results.complete).toBe(true);
    const runs = runsPerTest(h.sim);
    expect(runs.size).toBe(40);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    const outcomes = (results.suites[0]?.tests ?? []).map((t) => testOutcome(t).outcome);
    expect(outcomes.filter((o) => o === 'passed')).toHaveLength(40);
    // The faults really happened: more trigger requests than runs.
    expect(count(h.sim, EP.testTrigger)).toBeGreaterThan(40);
    expect(h.sim.maxRunsInProgress()).toBeLessThanOrEqual(15);
    expect(code).toBe(0);
  });
});
