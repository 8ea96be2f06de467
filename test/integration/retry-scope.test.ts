// --retries re-runs infrastructure trouble only. An attempt whose answer left the contract (an
// undocumented status) or a `failed` run without its rubric results is the API's verdict or
// unknowable: a retry's pass would hide a failed run. Ground truth: the simulator's runs.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestRun } from '../../src/api/schemas.js';
import { runCommand } from '../../src/commands/run.js';
import { deps, EP, type Harness, harness, outcomesOf, runsPerTest, withMethod } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// Test a fails its first run and passes the second: a retry of the first would turn it flaky-green.
const SCENARIO = { tests: { '*': { duration_seconds: 30 }, 's/a': { sequence: ['fail', 'pass'] } } };
const SUITES = [{ suite: 's', tests: [{ name: 'a' }, { name: 'b' }] }];

describe('--retries never replaces a run the API may have failed', () => {
  it.each([2, 4])(
    'a final status read as an undocumented value (%i reads): no retry, exit 3',
    async (count) => {
      h = await harness({
        suites: SUITES,
        scenario: SCENARIO,
        faults: [{ kind: 'rewrite-status', value: 'completed', count, match: { endpoint: EP.suiteList } }],
      });
      const code = await runCommand(['.'], { outDir: h.outDir, retries: 1 }, h.io, deps(h));
      expect(code).toBe(3);
      expect(outcomesOf(h.outDir)['s/a']).toBe('error');
      expect(runsPerTest(h.sim).get('s/a')).toBe(1);
    },
  );

  it('a failed run whose rubric results are missing when it is read: no retry, exit 3', async () => {
    h = await harness({ suites: SUITES, scenario: SCENARIO });
    const stripped = new Set<string>();
    const strip = (r: TestRun): TestRun => {
      if (r.status !== 'failed' || stripped.has(r.run_id)) return r;
      stripped.add(r.run_id);
      const { detail_status: _, ...rest } = r;
      return rest as TestRun;
    };
    let client = withMethod(
      h.client,
      'listSuiteRuns',
      (t) =>
        async function* (...args: Parameters<typeof t.listSuiteRuns>) {
          for await (const r of t.listSuiteRuns(...args)) yield strip(r);
        },
    );
    client = withMethod(
      client,
      'getRun',
      (t) =>
        async (...args) =>
          strip(await t.getRun(...args)),
    );
    const code = await runCommand(['.'], { outDir: h.outDir, retries: 1 }, h.io, { ...deps(h), client });
    expect(code).toBe(3);
    expect(outcomesOf(h.outDir)['s/a']).toBe('error');
    expect(runsPerTest(h.sim).get('s/a')).toBe(1);
  });
});

describe('a trigger answered 429 every time', () => {
  it('is never re-sent under a new key: a 429 written after the API acted would hide its run', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }] }],
      scenario: { tests: { '*': { duration_seconds: 30 }, 's/a': { sequence: ['fail', 'pass'] } } },
      faults: [{ kind: 'status-after', status: 429, match: { endpoint: EP.testTrigger } }],
    });
    const flags = { outDir: h.outDir, retries: 1, maxInFlight: 1 };
    expect(await runCommand(['.'], flags, h.io, deps(h))).toBe(3);
    expect(runsPerTest(h.sim).get('s/a')).toBe(1);
    // Resumed without the fault: the same key, so the API answers with the run it made.
    h.sim.setFaults([]);
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(1);
    expect(runsPerTest(h.sim).get('s/a')).toBe(1);
    expect(outcomesOf(h.outDir)['s/a']).toBe('failed');
  });
});
