// A test is its (suite, name) pair, whatever the names hold: "/" and NUL are legal in both, so a
// key that joins them with either can make two tests one. Ground truth is the simulator's: every
// remote test gets its own run, and every result names a run of its own test.
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { testOutcome } from '../../src/outcome.js';
import { deps, type Harness, harness, readResults } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Per (suite, test) as the results show them: outcome, and the (suite, name) of each attempt's remote run. */
function attributed(hx: Harness) {
  return readResults(hx.outDir).suites.flatMap((s) =>
    s.tests.map((t) => ({
      suite: s.name,
      test: t.name,
      outcome: testOutcome(t).outcome,
      runsOf: t.attempts.map((a) => {
        const run = a.runId === undefined ? undefined : hx.sim.state.runs.get(a.runId);
        const remote = run && hx.sim.state.tests.get(run.test_id);
        return remote && [remote.test_suite, remote.name];
      }),
    })),
  );
}

/** Runs the simulator holds per remote test id. */
const runsPerTestId = (hx: Harness): number[] => {
  const out = new Map<string, number>();
  for (const id of hx.sim.state.tests.keys()) out.set(id, 0);
  for (const run of hx.sim.state.runs.values()) out.set(run.test_id, (out.get(run.test_id) ?? 0) + 1);
  return [...out.values()];
};

describe('tests whose joined names would collide', () => {
  it('suite "a/b" test "c" cannot meet suite "a" test "b/c": a suite name with "/" is refused, nothing sent', async () => {
    // Keys join suite and test with "/"; a suite name cannot hold one (it would split the API path
    // of the suite's runs), so the joined texts stay one to one.
    h = await harness({
      suites: [
        { suite: 'a/b', file: 'ab.yaml', tests: [{ name: 'c' }] },
        { suite: 'a', file: 'a.yaml', tests: [{ name: 'b/c' }, { name: 'd' }] },
      ],
      scenario: { tests: { '*': { duration_seconds: 30 } } },
    });
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h));
    expect(code).toBe(2);
    expect(h.io.err.join('')).toMatch(/ab\.yaml:1:8: suite: a suite name cannot hold "\/"/);
    expect(h.sim.state.tests.size).toBe(0);
    expect(h.sim.state.runs.size).toBe(0);
  });

  it.each([
    ['suite triggers', {}],
    // One trigger per test: each with its own Idempotency-Key, which must differ.
    ['per-test triggers', { maxInFlight: 1 }],
  ])(
    'a failing test never borrows the pass of another whose names join to the same text with NUL (%s)',
    async (_, flags) => {
      h = await harness({
        suites: [
          { suite: 'x', file: 'x.yaml', tests: [{ name: 'a\u0000b' }] },
          { suite: 'x\u0000a', file: 'xa.yaml', tests: [{ name: 'b' }] },
        ],
        scenario: {
          tests: {
            '*': { duration_seconds: 30 },
            'x/a\u0000b': { outcome: 'fail', criteria: { Accuracy: 'fail' } },
          },
        },
      });
      const code = await runCommand(['.'], { outDir: h.outDir, retries: '1', ...flags }, h.io, deps(h));
      expect(runsPerTestId(h)).toEqual([1, 1]);
      expect(attributed(h)).toEqual([
        { suite: 'x', test: 'a\u0000b', outcome: 'failed', runsOf: [['x', 'a\u0000b']] },
        { suite: 'x\u0000a', test: 'b', outcome: 'passed', runsOf: [['x\u0000a', 'b']] },
      ]);
      expect(code).toBe(1);
    },
  );
});
