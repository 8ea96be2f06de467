// One polling mechanism for every mode: runs triggered one by one (--max-in-flight, --tag,
// --shard) are read from their suite's run history by list calls, as suite batches are, so a
// poll costs about the same pages in every mode. Counted on the simulator, per poll.
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { count, deps, EP, type Harness, harness, names, readResults, runsPerTest } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const N = 300;
// Runs end one by one over 200-800 simulated seconds (0.3-1.3 s real), in a scrambled order.
const scenario = {
  seed: 5,
  tests: Object.fromEntries(
    names(N).map((name, i) => [
      `big/${name}`,
      { outcome: 'pass', duration_seconds: 200 + (((i * 7919) % N) / (N - 1)) * 600 },
    ]),
  ),
};
// Every test but the last carries the tag: --tag selects part of the suite (per-test triggers).
const suite = {
  suite: 'big',
  maxDuration: 3000,
  tests: names(N).map((name, i) => ({ name, tags: i < N - 1 ? ['keep'] : [] })),
};

interface Cost {
  polls: number;
  reads: number;
  gets: number;
  runs: number;
}

async function measure(flags: Record<string, unknown>): Promise<Cost> {
  h = await harness({ suites: [suite], scenario });
  // A poll every 30 simulated seconds (50 ms real): about 25 polls over the runs.
  const code = await runCommand(['.'], { outDir: h.outDir, ...flags }, h.io, {
    ...deps(h),
    poll: { startMs: 30_000, capMs: 120_000 },
  });
  expect(code, h.io.err.join('')).toBe(0);
  expect(readResults(h.outDir).complete).toBe(true);
  const runs = runsPerTest(h.sim);
  expect([...runs.values()].every((n) => n === 1)).toBe(true);
  const cost = {
    polls: h.sleeps(),
    reads: count(h.sim, EP.suiteList),
    gets: count(h.sim, EP.getRun),
    runs: runs.size,
  };
  await h.close();
  h = undefined;
  return cost;
}

/** Poll requests per poll and per 100 runs waited for. */
const perPoll = (c: Cost) => (c.reads + c.gets) / c.polls / Math.max(1, c.runs / 100);

describe('polling cost by mode', () => {
  it('per-test triggers (--max-in-flight, --tag, --shard) poll at most 1.2x what a suite batch costs', async () => {
    const suiteMode = await measure({});
    expect(suiteMode.runs).toBe(N);
    expect(suiteMode.gets).toBeLessThanOrEqual(5); // only the last few runs, if any
    for (const flags of [{ maxInFlight: N }, { tag: ['keep'] }, { shard: '1/2' }]) {
      const perTest = await measure(flags);
      expect(perTest.runs).toBeGreaterThanOrEqual(N / 2);
      // No GET per run: a few for the last runs at most.
      expect(perTest.gets, JSON.stringify(flags)).toBeLessThanOrEqual(0.05 * perTest.runs);
      expect(
        perPoll(perTest),
        `${JSON.stringify(flags)}: ${JSON.stringify({ perTest, suiteMode })}`,
      ).toBeLessThanOrEqual(1.2 * perPoll(suiteMode) + 0.34);
    }
  });
});
