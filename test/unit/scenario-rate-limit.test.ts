// The simulator's rate limit as input: a scenario's `rate_limit` (zod-validated, errors at
// file:line:col) and `simulate --rate-limit RATE[/BURST]`; and the token bucket's promise that a
// client waiting the x-ratelimit-reset it is told is never early.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRateLimit } from '../../src/commands/simulate.js';
import { formatProblem, UsageError } from '../../src/errors.js';
import { RateLimiter } from '../../src/simulator/faults.js';
import { parseScenarioText, ScenarioFileError } from '../../src/simulator/index.js';
import { rateLimitOf } from '../../src/simulator/scenario.js';

function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'limits.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioFileError);
    return (err as ScenarioFileError).problems.map(formatProblem);
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario rate_limit', () => {
  it('reads per_second and an optional burst', () => {
    const s = parseScenarioText('seed: 1\nrate_limit:\n  per_second: 50\n  burst: 10\n', 'x.yaml');
    expect(s.rate_limit).toEqual({ per_second: 50, burst: 10 });
    expect(rateLimitOf(s.rate_limit ?? { per_second: 0 })).toEqual({ perSecond: 50, burst: 10 });
    expect(rateLimitOf({ per_second: 2.5 })).toEqual({ perSecond: 2.5 });
    expect(parseScenarioText('seed: 1\n', 'x.yaml').rate_limit).toBeUndefined();
  });

  it('names the file, line and column of a bad rate_limit', () => {
    expect(problems('rate_limit:\n  per_second: 0\n  burst: 1.5\n')).toEqual([
      'limits.yaml:2:15: rate_limit.per_second: Too small: expected number to be >0',
      'limits.yaml:3:10: rate_limit.burst: Invalid input: expected int, received number',
    ]);
    expect(problems('rate_limit:\n  per_secnd: 5\n')).toEqual([
      'limits.yaml:2:3: rate_limit.per_second: is required (number)',
      'limits.yaml:2:3: rate_limit.per_secnd: unknown key (did you mean "per_second"?)',
    ]);
    expect(problems('rate_limits: { per_second: 5 }\n')).toEqual([
      'limits.yaml:1:1: rate_limits: unknown key (did you mean "rate_limit"?)',
    ]);
  });
});

describe('simulate --rate-limit', () => {
  it('takes RATE or RATE/BURST', () => {
    expect(parseRateLimit('50/10')).toEqual({ perSecond: 50, burst: 10 });
    expect(parseRateLimit(' 50 / 1 ')).toEqual({ perSecond: 50, burst: 1 });
    expect(parseRateLimit('200')).toEqual({ perSecond: 200 });
    expect(parseRateLimit('0.5/1')).toEqual({ perSecond: 0.5, burst: 1 });
  });

  it.each(['', 'fast', '0', '50/0', '50/1.5', '-5', '50/', '/10', '50/10/2', '1e3'])(
    'rejects %j with a usage error saying the form',
    (text) => {
      expect(() => parseRateLimit(text)).toThrow(UsageError);
      expect(() => parseRateLimit(text)).toThrow(
        /--rate-limit expects <requests per second>\[\/<burst>\], e\.g\. 50 or 50\/10/,
      );
    },
  );
});

describe('the token bucket headers', () => {
  it('waiting x-ratelimit-reset from any answer finds the bucket whole again (never early)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 30 }),
        (perSecond, burst, gaps) => {
          let t = 0;
          const bucket = new RateLimiter({ perSecond, burst }, t);
          for (const gap of gaps) {
            t += gap;
            const reply = bucket.take(t);
            const headers = reply?.headers ?? bucket.headers();
            expect(headers['x-ratelimit-limit']).toBe(String(burst));
            if (reply) {
              expect(reply.status).toBe(429);
              expect(headers['x-ratelimit-remaining']).toBe('0');
            }
          }
          const reset = Number(bucket.headers()['x-ratelimit-reset']) * 1000;
          // Whole again: `burst` requests pass at once.
          const at = t + reset;
          for (let i = 0; i < burst; i++) expect(bucket.take(at)).toBeUndefined();
        },
      ),
    );
  });
});
