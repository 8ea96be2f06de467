// An answer about a run is taken as an attempt's result only when it names that attempt's test
// and run (a GET answered with another run: run-ledger.test.ts). A run id reused across tests, a GET answered with another run, or a suite trigger that
// starts a second run of one test cannot say which result is the test's: such an attempt is an
// error without a verdict (exit 3, never green) and is never re-run under a new key (its run, or
// the second one, may exist and have failed). Ground truth is the simulator's.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestRun } from '../../src/api/schemas.js';
import { runCommand } from '../../src/commands/run.js';
import {
  deps,
  type Harness,
  harness,
  KEY,
  outcomesOf,
  readResults,
  runsPerTest,
  testIdOf,
  withMethod,
} from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const attemptOf = (hx: Harness, test: string) =>
  readResults(hx.outDir)
    .suites.flatMap((s) => s.tests)
    .find((t) => t.name === test)?.attempts[0];

/** "alpha" fails, "beta" passes. */
const setup = () =>
  harness({
    suites: [{ suite: 's', tests: [{ name: 'alpha' }, { name: 'beta' }] }],
    scenario: { tests: { 's/alpha': { outcome: 'fail' }, '*': { outcome: 'pass' } } },
  });

describe('answers that name another test or run', () => {
  it('a suite run list whose item for our run names another test: no verdict, exit 3, never green', async () => {
    h = await setup();
    const hx = h;
    // The list reports alpha's run id as a passed run of beta (a run id reused across tests).
    const client = withMethod(
      hx.client,
      'listSuiteRuns',
      (target) =>
        async function* (...args: Parameters<typeof target.listSuiteRuns>) {
          for await (const run of target.listSuiteRuns(...args)) {
            yield run.test_id === testIdOf(hx, 'alpha')
              ? ({ ...run, test_id: testIdOf(hx, 'beta'), status: 'passed' } satisfies TestRun)
              : run;
          }
        },
    );
    const code = await runCommand(['.'], { outDir: hx.outDir, retries: 1 }, hx.io, { ...deps(hx), client });
    expect(code).toBe(3);
    expect(outcomesOf(hx.outDir)['s/alpha']).toBe('error');
    expect(attemptOf(hx, 'alpha')?.undocumented).toMatch(/named test .*, not this test/);
    // Not re-run under a new key: alpha's one run may have failed (it did).
    expect(runsPerTest(hx.sim).get('s/alpha')).toBe(1);
  });

  it('a suite trigger that starts two runs of one test: no verdict for it, and no third run', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'alpha' }, { name: 'beta' }] }],
      scenario: { tests: { '*': { outcome: 'pass' } } },
    });
    const hx = h;
    // The answer carries a second run of alpha (started here on the simulator, so it is real).
    const client = withMethod(hx.client, 'triggerSuite', (target) => async (...args) => {
      const runs = await target.triggerSuite(...args);
      const again = await fetch(`${hx.sim.url}/ai/assistants/tests/${testIdOf(hx, 'alpha')}/runs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: '{}',
      });
      const second = (await again.json()) as TestRun;
      return [...runs, { ...second, test_suite_run_id: runs[0]?.test_suite_run_id }];
    });
    const code = await runCommand(['.'], { outDir: hx.outDir, retries: 1 }, hx.io, { ...deps(hx), client });
    expect(code).toBe(3);
    expect(outcomesOf(hx.outDir)).toMatchObject({ 's/alpha': 'error', 's/beta': 'passed' });
    expect(attemptOf(hx, 'alpha')?.undocumented).toMatch(/started more than one run of this test/);
    expect(runsPerTest(hx.sim).get('s/alpha')).toBe(2);
    // Not reported as a run of a remote test missing from the files.
    expect(hx.io.err.join('') + hx.io.out.join('')).not.toMatch(/not in the suite files/);
  });
});

describe('a run we hold the id of, answered 404', () => {
  it('is an error never re-run under a new key: the run may exist (read lag) and fail', async () => {
    // The first read of the run history leaves out alpha's new run and its first GET is a 404
    // (read-after-write lag); alpha's run fails. Re-run under a new key, its pass made alpha
    // "flaky", a pass: exit 0 over a failed run.
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'alpha' }, { name: 'beta' }] }],
      scenario: {
        tests: { '*': { outcome: 'pass', duration_seconds: 60 }, 's/alpha': { sequence: ['fail', 'pass'] } },
      },
      faults: [
        {
          match: { method: 'GET', endpoint: '/ai/assistants/tests/{test_id}/runs/{run_id}' },
          kind: 'status',
          status: 404,
          count: 1,
        },
      ],
    });
    const hx = h;
    let first = true;
    const client = withMethod(
      hx.client,
      'listSuiteRuns',
      (target) =>
        async function* (...args: Parameters<typeof target.listSuiteRuns>) {
          const hide = first && args[1]?.testSuiteRunId === undefined;
          if (hide) first = false;
          for await (const run of target.listSuiteRuns(...args)) {
            if (!(hide && run.test_id === testIdOf(hx, 'alpha'))) yield run;
          }
        },
    );
    const code = await runCommand(['.'], { outDir: hx.outDir, maxInFlight: 2, retries: 1 }, hx.io, {
      ...deps(hx),
      client,
    });
    expect(code).not.toBe(0);
    expect(outcomesOf(hx.outDir)['s/alpha']).toBe('error');
    expect(attemptOf(hx, 'alpha')?.message).toMatch(/was not found \(404\)/);
    expect(runsPerTest(hx.sim).get('s/alpha')).toBe(1);
  });
});
