// Sequential trials decide a test with exactly the verdict all N trials would give for the same
// trial results: exhaustively over every pass/fail(/error) sequence for small N, and by
// fast-check (results arriving in any order) up to the schema's 100 trials.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testOutcome } from '../../src/outcome.js';
import type { Attempt, TestResult } from '../../src/results.js';
import { decidedVerdict, resultsNeeded, type TrialTally, trialsToKeepOpen } from '../../src/sequential.js';

type R = 'P' | 'F' | 'E';

const attempt = (trial: number, r: R): Attempt =>
  r === 'E'
    ? { trial, retry: 0, status: 'error', criteria: [], message: 'infrastructure' }
    : {
        trial,
        retry: 0,
        status: r === 'P' ? 'passed' : 'failed',
        criteria: [{ name: 'Accuracy', status: r === 'P' ? 'passed' : 'failed' }],
      };

const test = (trials: number, minPasses: number, attempts: Attempt[], sequential: boolean): TestResult => ({
  name: 't',
  file: 's.yaml',
  line: 1,
  tags: [],
  criteria: [{ name: 'Accuracy', required: true }],
  trials,
  minPasses,
  ...(sequential ? { sequential: true } : {}),
  skipped: false,
  attempts,
});

/**
 * The run loop's schedule in miniature: keep trialsToKeepOpen outstanding, trigger the lowest
 * untriggered trials, and let `pick` choose which outstanding trial finishes next. Returns the
 * trials that were triggered.
 */
function simulate(seq: readonly R[], minPasses: number, pick: (outstanding: number) => number = () => 0) {
  const n = seq.length;
  let triggered = 0;
  const outstanding: number[] = [];
  const done: number[] = [];
  for (let guard = 0; guard < 10 * n + 10; guard++) {
    const results = done.map((i) => seq[i]);
    const tally: TrialTally = {
      passes: results.filter((r) => r === 'P').length,
      failures: results.filter((r) => r === 'F').length,
      errors: results.filter((r) => r === 'E').length,
      open: n - done.length,
    };
    const more = Math.min(
      n - triggered,
      Math.max(0, trialsToKeepOpen(minPasses, tally) - outstanding.length),
    );
    for (let k = 0; k < more; k++) outstanding.push(triggered++);
    if (outstanding.length === 0) break;
    const [next] = outstanding.splice(pick(outstanding.length) % outstanding.length, 1);
    done.push(next!);
  }
  return done;
}

function check(seq: readonly R[], minPasses: number, pick?: (outstanding: number) => number) {
  const ran = simulate(seq, minPasses, pick);
  const all = testOutcome(
    test(
      seq.length,
      minPasses,
      seq.map((r, i) => attempt(i + 1, r)),
      false,
    ),
  );
  const sequential = testOutcome(
    test(
      seq.length,
      minPasses,
      ran.map((i) => attempt(i + 1, seq[i]!)),
      true,
    ),
  );
  return { ran, all, sequential };
}

function* sequences(n: number, alphabet: readonly R[]): Generator<R[]> {
  if (n === 0) {
    yield [];
    return;
  }
  for (const head of sequences(n - 1, alphabet)) for (const r of alphabet) yield [...head, r];
}

describe('sequential trials', () => {
  it('give the all-N verdict for every pass/fail sequence up to 8 trials', () => {
    let cases = 0;
    const wrong: string[] = [];
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= n; m++) {
        for (const seq of sequences(n, ['P', 'F'])) {
          const { ran, all, sequential } = check(seq, m);
          if (sequential.outcome !== all.outcome || ran.length > n) wrong.push(`${seq.join('')} min ${m}`);
          cases++;
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cases).toBe(3586); // sum over n of n · 2^n
  });

  it('give the all-N verdict for every pass/fail/error sequence up to 6 trials', () => {
    const wrong: string[] = [];
    for (let n = 1; n <= 6; n++) {
      for (let m = 1; m <= n; m++) {
        for (const seq of sequences(n, ['P', 'F', 'E'])) {
          const { all, sequential } = check(seq, m);
          if (sequential.outcome !== all.outcome) wrong.push(`${seq.join('')} min ${m}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('give the all-N verdict up to 100 trials, with results arriving in any order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }).chain((n) =>
          fc.record({
            seq: fc.array(fc.constantFrom<R>('P', 'P', 'P', 'F', 'E'), { minLength: n, maxLength: n }),
            m: fc.integer({ min: 1, max: n }),
            order: fc.array(fc.nat(), { minLength: 1, maxLength: 300 }),
          }),
        ),
        ({ seq, m, order }) => {
          let i = 0;
          const { all, sequential } = check(seq, m, () => order[i++ % order.length] ?? 0);
          expect(sequential.outcome).toBe(all.outcome);
          expect(sequential.passes).toBeLessThanOrEqual(all.passes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('trials 5, min_passes 3: 3 runs when all pass or all fail, 4 or 5 only when the sequence needs it', () => {
    const runs = (s: string) => check([...s] as R[], 3).ran.length;
    expect(runs('PPPPP')).toBe(3);
    expect(runs('FFFFF')).toBe(3);
    expect(runs('PPFPF')).toBe(4); // P P F: one more pass decides it
    expect(runs('PFFFP')).toBe(4); // P F F: one more failure decides it
    expect(runs('PPFFP')).toBe(5);
    expect(runs('PFPFP')).toBe(5);
    const decided = check([...'PPPFF'] as R[], 3).sequential;
    expect(decided.decidedAfter).toBe(3);
    expect(decided.outcome).toBe('passed');
  });

  it('keeps open the fewest results that could decide (brute force over every completion)', () => {
    const decidable = (m: number, t: TrialTally, k: number): boolean => {
      for (let a = 0; a <= k; a++)
        for (let b = 0; a + b <= k; b++) {
          const c = k - a - b;
          const next = {
            passes: t.passes + a,
            failures: t.failures + b,
            errors: t.errors + c,
            open: t.open - k,
          };
          if (decidedVerdict(m, next) !== undefined) return true;
        }
      return false;
    };
    for (let n = 1; n <= 9; n++)
      for (let m = 1; m <= n; m++)
        for (let p = 0; p <= n; p++)
          for (let f = 0; p + f <= n; f++)
            for (let e = 0; p + f + e <= n; e++) {
              const t = { passes: p, failures: f, errors: e, open: n - p - f - e };
              const k = resultsNeeded(m, t);
              if (decidedVerdict(m, t) !== undefined) {
                expect(k).toBe(0);
                continue;
              }
              expect(k).toBeGreaterThan(0);
              expect(decidable(m, t, k), JSON.stringify({ m, t, k })).toBe(true);
              if (k > 1) expect(decidable(m, t, k - 1)).toBe(false);
            }
  });

  it('leaves a test that is not decided without a verdict (missing trials are not skipped)', () => {
    // 2 of 5 passed, 3 never ran: the test could still pass or fail.
    const o = testOutcome(test(5, 3, [attempt(1, 'P'), attempt(2, 'P')], true));
    expect(o.outcome).toBe('error');
    expect(o.errorKind).toBe('missing');
    expect(o.decidedAfter).toBeUndefined();
  });
});
