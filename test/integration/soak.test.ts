// The short version of `npm run soak` for every CI run: a few seeds of the chaos soak
// (test/soak/chaos.ts), each checking no duplicate run, no lost result, the fault-free verdict
// or exit 3 with what is missing, no invented flakiness, and well-formed reports.
import { describe, expect, it } from 'vitest';
import { soakSeed } from '../soak/chaos.js';

describe('chaos soak (short)', () => {
  it.each([1, 4, 8])('seed %i: every invariant holds', async (seed) => {
    const r = await soakSeed(seed, 30);
    expect(r.violations).toEqual([]);
    expect(r.faultsInjected).toBeGreaterThan(0);
  });
});
