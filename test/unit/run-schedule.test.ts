import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { pairKey } from '../../src/keys.js';
import {
  checkMaxCallMinutes,
  checkMaxRuns,
  estimate,
  formatEstimate,
  idempotencyKey,
  keyText,
  scheduleSuites,
} from '../../src/run/schedule.js';
import { selectTests } from '../../src/run/select.js';
import { makeSuite } from './run-fixtures.js';

const refunds = makeSuite('refunds', [
  { name: 'a', maxDurationSeconds: 300, tags: ['smoke'] },
  { name: 'b', maxDurationSeconds: 120 },
]);
const booking = makeSuite('booking', [{ name: 'c', trials: 3, minPasses: 2 }, { name: 'd' }]);

const ids = new Map([
  [pairKey('refunds', 'a'), 'id-a'],
  [pairKey('refunds', 'b'), 'id-b'],
  [pairKey('booking', 'c'), 'id-c'],
  [pairKey('booking', 'd'), 'id-d'],
]);
const remote = new Map([
  ['refunds', ['id-a', 'id-b']],
  ['booking', ['id-c', 'id-d']],
]);
const ctx = { testIds: ids, remoteSuiteTests: remote };

describe('scheduleSuites', () => {
  it('triggers a whole suite in one call when nothing needs per-test triggers', () => {
    const [r] = scheduleSuites(selectTests([refunds]), ctx);
    expect(r).toMatchObject({ suite: 'refunds', mode: 'suite', batches: 1 });
  });

  it('uses per-test triggers for a partial selection, mixed trials, or --max-in-flight', () => {
    const partial = scheduleSuites(selectTests([refunds], { tags: ['smoke'] }), ctx);
    expect(partial[0]).toMatchObject({ mode: 'per-test', reason: 'only part of the suite is selected' });
    expect(partial[0]?.tests.map((t) => t.key)).toEqual(['refunds/a']);

    const mixed = scheduleSuites(selectTests([booking]), ctx);
    expect(mixed[0]).toMatchObject({ mode: 'per-test', reason: 'tests have different trial counts' });

    const limited = scheduleSuites(selectTests([refunds]), { ...ctx, maxInFlight: 2 });
    expect(limited[0]?.mode).toBe('per-test');
  });

  it('uniform trials become one suite trigger per trial', () => {
    const [r] = scheduleSuites(selectTests([refunds], { trials: 3 }), ctx);
    expect(r).toMatchObject({ mode: 'suite', batches: 3 });
  });

  it('a remote suite with extra tests, or a local test missing remotely, is per-test', () => {
    const extra = new Map([['refunds', ['id-a', 'id-b', 'id-z']]]);
    expect(
      scheduleSuites(selectTests([refunds]), { testIds: ids, remoteSuiteTests: extra })[0]?.reason,
    ).toMatch(/remote suite holds tests/);
    const missing = new Map([[pairKey('refunds', 'a'), 'id-a']]);
    expect(
      scheduleSuites(selectTests([refunds]), { testIds: missing, remoteSuiteTests: remote })[0]?.reason,
    ).toBe('some tests do not exist remotely');
  });

  it('leaves out suites with nothing selected', () => {
    expect(
      scheduleSuites(selectTests([refunds, booking], { grep: /^booking/ }), ctx).map((s) => s.suite),
    ).toEqual(['booking']);
  });
});

describe('estimate', () => {
  it('counts runs with trials and worst-case minutes, unset durations at the API maximum', () => {
    const sel = selectTests([refunds, booking]);
    const e = estimate(sel, 1, scheduleSuites(sel, ctx));
    // a 300 + b 120 + c 3×3600 + d 3600 = 14820 s
    expect(e).toEqual({
      runs: 6,
      bestRuns: 6,
      bestCaseMinutes: 247,
      sides: 1,
      retryRuns: 6,
      worstCaseMinutes: 247,
      assumedDurations: 2,
      suiteTriggers: 1,
      testTriggers: 4,
    });
    expect(formatEstimate(e, 1)).toBe(
      'Starting 6 runs (1 suite trigger, 4 test triggers), worst case 247 call minutes (2 tests without max_duration_seconds counted at 60 min, the API maximum); --retries 1 may add up to 6 more',
    );
  });

  it('counts both --against sides, and the best case of sequential trials', () => {
    const sel = selectTests([refunds, booking]);
    const e = estimate(sel, 0, scheduleSuites(sel, ctx), { sides: 2, sequential: true });
    // c runs 3 trials with min_passes 2: at best 2 per side.
    expect(e).toMatchObject({ runs: 12, bestRuns: 10, sides: 2, worstCaseMinutes: 494 });
    expect(formatEstimate(e, 0)).toMatch(
      /^Starting up to 12 runs on the candidate and the baseline version \(2 suite triggers, 8 test triggers\), worst case 494 call minutes .*; best case 10 runs, 374 call minutes \(sequential trials stop once a test is decided; --all-trials runs them all\)$/,
    );
    expect(() => checkMaxCallMinutes(e, 493)).toThrow(/494 call minutes at worst.*--max-call-minutes 493/);
    expect(() => checkMaxCallMinutes(e, 494)).not.toThrow();
  });

  it('--max-runs refuses before anything starts', () => {
    const e = estimate(selectTests([refunds, booking]), 0);
    expect(() => checkMaxRuns(e, 5)).toThrow(UsageError);
    expect(() => checkMaxRuns(e, 5)).toThrow(/would start 6 runs, more than --max-runs 5/);
    expect(() => checkMaxRuns(e, 6)).not.toThrow();
    expect(() => checkMaxRuns(e, undefined)).not.toThrow();
  });
});

describe('idempotencyKey', () => {
  it('is deterministic per nonce and parts, distinct otherwise, and matches the API pattern', () => {
    const k = idempotencyKey('abc123', ['test', 'refunds', 'a', 1, 0]);
    expect(k).toBe(idempotencyKey('abc123', ['test', 'refunds', 'a', 1, 0]));
    expect(k).not.toBe(idempotencyKey('abc123', ['test', 'refunds', 'a', 1, 1]));
    expect(k).not.toBe(idempotencyKey('abc124', ['test', 'refunds', 'a', 1, 0]));
    // Parts are separated, so ("ab","c") and ("a","bc") differ.
    expect(idempotencyKey('n', ['ab', 'c'])).not.toBe(idempotencyKey('n', ['a', 'bc']));
    expect(k).toMatch(/^[A-Za-z0-9_-]{1,255}$/);
  });

  it('keeps the keys of earlier versions where no part holds a NUL (a resumed state file keeps its runs)', () => {
    expect(keyText(['test', 'refunds', 'a/b', 1, 0])).toBe('test\u0000refunds\u0000a/b\u00001\u00000');
    expect(keyText(['suite', 'refunds', 2, 'baseline'])).toBe('suite\u0000refunds\u00002\u0000baseline');
  });

  it('suite "x" test "a\\0b" and suite "x\\0a" test "b" get two keys', () => {
    expect(idempotencyKey('n', ['test', 'x', 'a\u0000b', 1, 0])).not.toBe(
      idempotencyKey('n', ['test', 'x\u0000a', 'b', 1, 0]),
    );
  });

  it('distinct parts (two or more, as every trigger has) never share a key text', () => {
    // NUL and the JSON characters, so a collision between the two forms would be reachable.
    const text = fc.string({
      unit: fc.constantFrom('a', '\u0000', '"', '[', ']', ',', '\\', 'u', '0'),
      maxLength: 6,
    });
    const parts = fc.array(fc.oneof(text, fc.nat(3)), { minLength: 2, maxLength: 5 });
    const differ = (a: readonly (string | number)[], b: readonly (string | number)[]) =>
      JSON.stringify(a.map(String)) !== JSON.stringify(b.map(String));
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        // The same parts split differently at their NULs: what a plain join would confuse.
        const resplit = a.map(String).join('\u0000').split('\u0000');
        if (resplit.length >= 2 && differ(a, resplit)) expect(keyText(resplit)).not.toBe(keyText(a));
        expect(keyText(a) === keyText(b)).toBe(!differ(a, b));
      }),
      { numRuns: 2000 },
    );
  });
});
