// Scale the verdict must survive: a suite larger than a call's argument limit (push(...xs) of
// ~120k items overflows V8's stack), evaluated and gated like any other.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/commands/report.js';
import { bigResults } from './helpers/results.js';

describe('evaluate at scale', () => {
  it('a 150,000-test suite is evaluated, not a RangeError', () => {
    const r = bigResults(1, 150_000, 0);
    const { evaluation } = decide(r);
    expect(evaluation.totals.total).toBe(150_000);
    // bigResults: 1 in 50 failed, 1 in 50 errored (a timeout), 1 in 50 skipped.
    expect(evaluation.totals).toMatchObject({ passed: 141_000, failed: 3_000, error: 3_000, skipped: 3_000 });
    expect(evaluation.verdict).toBe('failed');
  });
});
