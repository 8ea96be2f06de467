import fc from 'fast-check';
// The in-run comparison's pieces: the one-sided Fisher exact test, which --against triggers may
// share a wave (sides.ts), and what a run spent.
import { describe, expect, it } from 'vitest';
import { fisherOneSided } from '../../src/compare.js';
import { spentOf } from '../../src/run/sequential.js';
import { splitWave } from '../../src/run/sides.js';
import type { Batch, RunState, Work } from '../../src/run/state.js';

describe('fisherOneSided', () => {
  it('matches the hypergeometric tail', () => {
    expect(fisherOneSided(3, 0, 0, 3)).toBeCloseTo(1 / 20, 12);
    expect(fisherOneSided(5, 0, 0, 5)).toBeCloseTo(1 / 252, 12);
    expect(fisherOneSided(1, 0, 0, 1)).toBeCloseTo(0.5, 12);
    expect(fisherOneSided(2, 1, 1, 2)).toBeCloseTo(10 / 20, 12);
    expect(fisherOneSided(2, 2, 2, 2)).toBeCloseTo(53 / 70, 12);
    // The candidate doing better is never evidence of a regression.
    expect(fisherOneSided(0, 3, 3, 0)).toBeCloseTo(1, 12);
    expect(fisherOneSided(0, 0, 2, 1)).toBe(1);
  });
});

const work = (over: Partial<Work>): Work => ({
  suite: 's',
  test: 't',
  trial: 1,
  retry: 0,
  via: 'test',
  status: 'queued',
  criteria: [],
  failures: 0,
  ...over,
});
const state = (w: Work[], b: Batch[] = []): RunState => ({
  schema: 'rubric-gate/run-state@1',
  nonce: 'n',
  startedAt: '2026-01-01T00:00:00Z',
  settings: { tags: [], retries: 0 },
  tests: [],
  batches: b,
  work: w,
});

describe('splitWave (--against)', () => {
  it("sends a baseline trigger only after the candidate's trigger of the same test", () => {
    const cand = work({ key: 'c' });
    const base = work({ key: 'b', side: 'baseline' });
    const other = work({ key: 'o', side: 'baseline', test: 'u' });
    const s = state([cand, base, other]);
    const { now, later } = splitWave(s, { batches: [], work: [cand, base, other] });
    expect(now.work).toEqual([cand, other]);
    expect(later.work).toEqual([base]);
    // Next: the candidate's trigger resolved, so the baseline goes.
    cand.status = 'pending';
    expect(splitWave(s, later).now.work).toEqual([base]);
  });

  it('holds either side while the other has a failed trigger that will be re-sent', () => {
    const cand = work({ key: 'c', failures: 1 });
    const base = work({ key: 'b', side: 'baseline' });
    const s = state([cand, base]);
    expect(splitWave(s, { batches: [], work: [base] }).now.work).toEqual([]);
    cand.status = 'pending';
    expect(splitWave(s, { batches: [], work: [base] }).now.work).toEqual([base]);
  });

  it('never lets both sides of a test wait for each other (the run would never end)', () => {
    // The baseline's trial 1 failed and will be re-sent; the candidate's trial 2 is fresh.
    const base1 = work({ key: 'b1', side: 'baseline', failures: 1 });
    const cand2 = work({ key: 'c2', trial: 2 });
    const s = state([base1, cand2]);
    const first = splitWave(s, { batches: [], work: [base1, cand2] });
    expect(first.now.work).toEqual([base1]);
    expect(first.later.work).toEqual([cand2]);
    // Both sides unresolved: the candidate goes first, the baseline after it.
    const cand1 = work({ key: 'c1', failures: 1 });
    const both = state([base1, cand1]);
    const second = splitWave(both, { batches: [], work: [base1, cand1] });
    expect(second.now.work).toEqual([cand1]);
    expect(second.later.work).toEqual([base1]);
  });

  it('whatever the wave, something goes when the queue is not empty', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            side: fc.constantFrom(undefined, 'baseline' as const),
            test: fc.constantFrom('t', 'u'),
            trial: fc.integer({ min: 1, max: 2 }),
            failures: fc.integer({ min: 0, max: 2 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (xs) => {
          const items = xs.map((x, i) =>
            work({
              key: `k${i}`,
              test: x.test,
              trial: x.trial,
              failures: x.failures,
              ...(x.side ? { side: x.side } : {}),
            }),
          );
          expect(splitWave(state(items), { batches: [], work: items }).now.work.length).toBeGreaterThan(0);
        },
      ),
    );
  });

  it('treats a suite trigger as touching every test of its suite', () => {
    const batch: Batch = { suite: 's', trial: 1, key: 'k', status: 'queued', failures: 0 };
    const base = work({ key: 'b', side: 'baseline', test: 'any' });
    const elsewhere = work({ key: 'e', side: 'baseline', suite: 'x' });
    const s = state([base, elsewhere], [batch]);
    const { now, later } = splitWave(s, { batches: [batch], work: [base, elsewhere] });
    expect(now).toEqual({ batches: [batch], work: [elsewhere] });
    expect(later.work).toEqual([base]);
  });
});

describe('spentOf', () => {
  it('counts started runs and their minutes on both sides, and the runs saved', () => {
    const s = state([
      work({ runId: 'r1', durationMs: 90_000, status: 'passed' }),
      work({ runId: 'r2', durationMs: 30_000, status: 'failed', side: 'baseline' }),
      work({ status: 'queued' }),
    ]);
    s.notNeeded = 4;
    expect(spentOf(s)).toEqual({ runs: 2, callMinutes: 2, runsSaved: 4 });
  });
});
