import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/duration.js';
import { UsageError } from '../../src/errors.js';

describe('parseDuration', () => {
  it.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['250ms', 250],
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '10x', '5m later', '-3s'])('rejects %j with a usage error naming the flag', (text) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(UsageError);
    expect(() => parseDuration(text, '--timeout')).toThrow(/--timeout/);
  });
});
