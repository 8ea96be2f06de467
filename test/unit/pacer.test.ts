// The shared rate-limit pacer (src/api/pacer.ts) on a fake clock: sends are spaced from the
// previous actual send, a spent quota holds everyone until it refills, a 429's sub-second reset
// holds only that long and never shrinks the period learnt, a timer's usual lateness is forgiven
// only within the margin, and without headers nothing ever waits. The last properties run the
// pacer against the simulator's own token bucket: whatever the quota and the timers' lateness,
// no two sends are closer than the quota allows, and a client alone never meets a 429.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MARGIN, Pacer } from '../../src/api/pacer.js';
import { RateLimiter } from '../../src/simulator/faults.js';

/** A fake clock whose sleeps end `late()` ms after they were due. */
function fakeTime(late: () => number = () => 0) {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms + late();
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

const spent = (resetSeconds: number) => ({
  'x-ratelimit-limit': '1',
  'x-ratelimit-remaining': '0',
  'x-ratelimit-reset': String(resetSeconds),
});

/** Timer lateness (ms): often none, often a ms or two, sometimes a long stall. */
const lateness = (max: number) =>
  fc.oneof(
    fc.constant(0),
    fc.double({ min: 0, max: 2, noNaN: true }),
    fc.double({ min: 0, max, noNaN: true }),
  );

const gapsOf = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));

describe('Pacer', () => {
  it('never waits without rate-limit headers', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    for (let i = 0; i < 50; i++) await p.acquire();
    expect(p.observe({})).toBe(false);
    expect(c.sleeps).toEqual([]);
  });

  it('a quota of 1: every send waits one refill period (with the margin) after the previous', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    const first = await p.acquire();
    expect(p.observe(spent(0.02), 200, first)).toBe(true);
    const sent: number[] = [first];
    await Promise.all(Array.from({ length: 5 }, () => p.acquire().then((at) => sent.push(at))));
    for (const g of gapsOf(sent)) expect(g).toBeCloseTo(20 * MARGIN.min, 9);
  });

  it('the hold of a spent quota counts from when its request was sent, not from the answer', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    const sentAt = await p.acquire();
    c.advance(15); // the answer takes 15 ms to arrive
    p.observe(spent(0.02), 200, sentAt);
    expect(await p.acquire()).toBeCloseTo(sentAt + 20 * MARGIN.min, 9);
  });

  it('spreads a remaining quota over the time to reset', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    p.observe({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' });
    const sent: number[] = [];
    for (let i = 0; i < 4; i++) sent.push(await p.acquire());
    expect((sent[3] ?? 0) - (sent[0] ?? 0)).toBeCloseTo(3 * 100 * MARGIN.min, 5);
  });

  it('a partly refilled quota does not shorten the period', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    const a = await p.acquire();
    p.observe(spent(0.02), 200, a);
    p.observe(spent(0.005), 200, a);
    const b = await p.acquire();
    expect(await p.acquire()).toBeGreaterThanOrEqual(b + 20);
  });

  it('a 429 with a sub-second reset holds everyone that long, not a second, and keeps the period', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    const a = await p.acquire();
    p.observe(spent(0.02), 200, a); // period learnt: 20 ms
    const b = await p.acquire();
    c.advance(30); // the answer arrives 30 ms later
    // Refused: the server's next token is 4 ms away.
    p.observe({ ...spent(0.004), 'retry-after': '1' }, 429, b);
    const answeredAt = c.now();
    const next = await p.acquire();
    // Held 4 ms (times the widened margin) from the answer: not the whole second of Retry-After.
    expect(next - answeredAt).toBeCloseTo(4 * MARGIN.min * MARGIN.up, 9);
    const after = await p.acquire();
    expect(after - next).toBeGreaterThanOrEqual(20); // the 4 ms shortfall did not become the period
  });

  it('widens its margin on 429s and narrows it back on successes, within bounds', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    const gapAfter = async (status: number, times: number) => {
      for (let i = 0; i < times; i++) p.observe(spent(0.02), status, c.now());
      const x = await p.acquire();
      return (await p.acquire()) - x;
    };
    expect(await gapAfter(200, 1)).toBeCloseTo(20 * MARGIN.min, 9);
    expect(await gapAfter(429, 1)).toBeCloseTo(20 * MARGIN.min * MARGIN.up, 9);
    expect(await gapAfter(429, 50)).toBeCloseTo(20 * MARGIN.max, 9);
    expect(await gapAfter(200, 2000)).toBeCloseTo(20 * MARGIN.min, 9);
  });

  it('forgives a timer a ms or two late only within the margin: no gap under the quota (any lateness)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(lateness(30), { minLength: 2, maxLength: 40 }),
        fc.integer({ min: 1, max: 100 }),
        async (late, periodMs) => {
          let i = 0;
          const c = fakeTime(() => late[i++ % late.length] ?? 0);
          const p = new Pacer(c.now, c.sleep);
          p.observe(spent(periodMs / 1000), 200, c.now());
          const sent: number[] = [];
          await Promise.all(late.map(() => p.acquire().then((at) => sent.push(at))));
          for (const g of gapsOf(sent)) expect(g).toBeGreaterThanOrEqual(periodMs - 1e-9);
        },
      ),
    );
  });

  it('against the simulator token bucket, whatever the quota and the timers: never two sends under the period, and no 429 once the quota is known', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }), // per second
        fc.integer({ min: 1, max: 20 }), // burst
        fc.array(lateness(5), { minLength: 1, maxLength: 20 }),
        async (perSecond, burst, late) => {
          let i = 0;
          const c = fakeTime(() => late[i++ % late.length] ?? 0);
          const p = new Pacer(c.now, c.sleep);
          const bucket = new RateLimiter({ perSecond, burst }, c.now());
          const refused: number[] = [];
          const sends: number[] = [];
          // One writer at a time, answered at once (no network): the headers are exact.
          for (let n = 0; n < 3 * burst + 20; n++) {
            const at = await p.acquire();
            sends.push(at);
            const limited = bucket.take(c.now());
            if (limited) refused.push(n);
            p.observe(limited?.headers ?? bucket.headers(), limited ? 429 : 200, at);
          }
          expect(refused).toEqual([]);
          // The quota itself: no window of sends holds more than the burst plus its refill.
          for (let a = 0; a < sends.length; a++)
            for (let b = a; b < sends.length; b++) {
              const span = (sends[b] ?? 0) - (sends[a] ?? 0);
              expect(b - a + 1).toBeLessThanOrEqual(burst + (span / 1000) * perSecond + 1e-6);
            }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an abort rejects the waiting turn and does not block the next one', async () => {
    const p = new Pacer(
      Date.now,
      (ms, signal) =>
        new Promise((res, rej) => {
          const t = setTimeout(res, ms);
          signal?.addEventListener(
            'abort',
            () => {
              clearTimeout(t);
              rej(new Error('aborted'));
            },
            { once: true },
          );
        }),
    );
    p.hold(10_000);
    const ac = new AbortController();
    const waiting = p.acquire(ac.signal);
    ac.abort();
    await expect(waiting).rejects.toBeDefined();
    p.hold(0);
  });
});
