// The shared rate-limit pacer (src/api/pacer.ts) on a fake clock: sends are spaced from the
// previous actual send, a spent quota holds everyone until it refills, a partly refilled
// quota does not shrink the period, and without headers nothing ever waits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pacer } from '../../src/api/pacer.js';

function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

describe('Pacer', () => {
  it('never waits without rate-limit headers', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    for (let i = 0; i < 50; i++) await p.acquire();
    expect(p.observe({})).toBe(false);
    expect(c.sleeps).toEqual([]);
  });

  it('a spent quota holds every sender until it refills, then one per refill period', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    await p.acquire();
    expect(p.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.02' })).toBe(true);
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 5 }, () => p.acquire().then(() => sent.push(c.now()))));
    // 20 ms × 1.1 margin between sends, from the hold on.
    const gaps = sent.slice(1).map((t, i) => t - (sent[i] ?? 0));
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(22 - 1e-9);
    expect(sent[0]).toBeGreaterThanOrEqual(22 - 1e-9);
  });

  it('spreads a remaining quota over the time to reset', async () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    p.observe({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': '1' });
    const sent: number[] = [];
    for (let i = 0; i < 4; i++) {
      await p.acquire();
      sent.push(c.now());
    }
    expect(sent[3]! - sent[0]!).toBeCloseTo(3 * 110, 5);
  });

  it('a partly refilled quota does not shorten the period', () => {
    const c = fakeTime();
    const p = new Pacer(c.now, c.sleep);
    p.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.02' });
    p.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.005' });
    // biome-ignore lint/complexity/useLiteralKeys: reading the private period for the test
    expect(p['spacingMs']).toBeCloseTo(22, 5);
  });

  it('a late wake-up never squeezes the next gap (any lateness pattern)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 2, maxLength: 30 }),
        async (late) => {
          let t = 0;
          let i = 0;
          const p = new Pacer(
            () => t,
            async (ms) => {
              t += ms + (late[i++ % late.length] ?? 0);
            },
          );
          p.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.02' });
          const sent: number[] = [];
          await Promise.all(late.map(() => p.acquire().then(() => sent.push(t))));
          for (let k = 1; k < sent.length; k++)
            expect(sent[k]! - sent[k - 1]!).toBeGreaterThanOrEqual(22 - 1e-9);
        },
      ),
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
