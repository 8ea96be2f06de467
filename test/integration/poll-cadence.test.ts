// The loop's wait before a poll is the cadence counted from the end of the last poll
// (poll.ts fromLastPollMs): a round of per-test triggers in between is time already waited.
// Checked by wiring, not by timing: every wait the loop asks its clock for is what
// fromLastPollMs returned, and rounds of triggers did come between polls.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { count, deps, EP, type Harness, harness, names, readResults } from './run-helpers.js';

const calls = vi.hoisted(() => [] as { args: [number, number, number | undefined]; wait: number }[]);
vi.mock('../../src/run/poll.js', async (original) => {
  const poll = await original<typeof import('../../src/run/poll.js')>();
  return {
    ...poll,
    fromLastPollMs: (step: number, now: number, lastPollEndAt: number | undefined) => {
      const wait = poll.fromLastPollMs(step, now, lastPollEndAt);
      calls.push({ args: [step, now, lastPollEndAt], wait });
      return wait;
    },
  };
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('poll cadence', () => {
  it('per-test rounds between polls: each wait is the step left since the last poll ended', async () => {
    const N = 12;
    const scenario = {
      seed: 3,
      tests: Object.fromEntries(
        names(N).map((n, i) => [`s/${n}`, { outcome: 'pass', duration_seconds: 30 + i * 5 }]),
      ),
    };
    h = await harness({ suites: [{ suite: 's', tests: names(N).map((name) => ({ name })) }], scenario });
    const waits: number[] = [];
    const clock = h.clock;
    const recording = {
      now: clock.now,
      sleep: (ms: number, signal?: AbortSignal) => {
        waits.push(ms);
        return clock.sleep(ms, signal);
      },
    };
    calls.length = 0;
    // --max-in-flight 3: every poll that sees runs finish frees room for a round of triggers.
    const code = await runCommand(['.'], { outDir: h.outDir, maxInFlight: 3 }, h.io, {
      ...deps(h),
      clock: recording,
    });
    expect(code, h.io.err.join('')).toBe(0);
    expect(readResults(h.outDir).complete).toBe(true);
    expect(count(h.sim, EP.testTrigger)).toBe(N);
    // The loop's non-zero waits (a zero wait follows a round cut at the cadence) are exactly what
    // fromLastPollMs returned, in order; after the first poll it counts from that poll's end.
    const asked = calls.map((c) => c.wait);
    expect(waits.filter((w) => w > 0)).toEqual(asked.filter((w) => w > 0));
    const afterPolls = calls.filter((c) => c.args[2] !== undefined);
    expect(afterPolls.length).toBeGreaterThan(2);
    for (const c of afterPolls) expect(c.args[1]).toBeGreaterThanOrEqual(c.args[2] as number);
  });
});
