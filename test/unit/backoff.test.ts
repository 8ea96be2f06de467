import { describe, expect, it } from 'vitest';
import {
  type BackoffPolicy,
  DEFAULT_BACKOFF,
  type Failure,
  fullJitterMs,
  isReplaySafe,
  isRetryable,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  shouldRetryHeader,
} from '../../src/api/backoff.js';

const NOW = Date.parse('2026-08-01T12:00:00Z');
const policy: BackoffPolicy = { baseMs: 500, capMs: 8_000, retryAfterCapMs: 60_000 };
const status = (s: number, headers: Record<string, string> = {}): Failure => ({
  kind: 'status',
  status: s,
  headers,
});

describe('fullJitterMs', () => {
  it('ceiling doubles from base per retry and stops at the cap', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => fullJitterMs(n, policy, top))).toEqual([
      499, 999, 1999, 3999, 7999, 7999, 7999,
    ]);
  });

  it('is uniform from zero (full jitter), not a fraction of the ceiling', () => {
    expect(fullJitterMs(3, policy, () => 0)).toBe(0);
    expect(fullJitterMs(3, policy, () => 0.5)).toBe(2000);
    expect(fullJitterMs(3, policy, () => 0.25)).toBe(1000);
  });

  it('clamps a misbehaving random source into [0, ceiling]', () => {
    expect(fullJitterMs(0, policy, () => 7)).toBe(500);
    expect(fullJitterMs(0, policy, () => -1)).toBe(0);
  });

  it('defaults follow the SDK: base 500 ms, cap 8 s, Retry-After cap 60 s', () => {
    expect(DEFAULT_BACKOFF).toEqual({ baseMs: 500, capMs: 8_000, retryAfterCapMs: 60_000 });
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds, integer or decimal', () => {
    expect(parseRetryAfter({ 'retry-after': '2' }, NOW)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': ' 1.5 ' }, NOW)).toBe(1500);
  });

  it('reads an HTTP-date relative to now', () => {
    const at = new Date(NOW + 30_000).toUTCString();
    expect(parseRetryAfter({ 'retry-after': at }, NOW)).toBe(30_000);
  });

  it('prefers retry-after-ms over Retry-After', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, NOW)).toBe(250);
    expect(parseRetryAfter({ 'retry-after-ms': '12.2' }, NOW)).toBe(13);
  });

  it('falls through a zero or garbage retry-after-ms to Retry-After', () => {
    expect(parseRetryAfter({ 'retry-after-ms': '0', 'retry-after': '3' }, NOW)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after-ms': 'soon', 'retry-after': '3' }, NOW)).toBe(3000);
  });

  it('ignores garbage, negatives, zero, past dates and absence', () => {
    for (const v of ['', 'soon', '-5', '0', '1e3', '12abc', 'NaN', 'Tomorrow']) {
      expect(parseRetryAfter({ 'retry-after': v }, NOW), v).toBeUndefined();
    }
    expect(parseRetryAfter({ 'retry-after': new Date(NOW - 5_000).toUTCString() }, NOW)).toBeUndefined();
    expect(parseRetryAfter({}, NOW)).toBeUndefined();
  });

  it('takes the first value of a repeated header', () => {
    expect(parseRetryAfter({ 'retry-after': ['4', '9'] }, NOW)).toBe(4000);
  });
});

describe('retryDelay', () => {
  it('honours the server hint on a status failure, capped at retryAfterCapMs', () => {
    expect(retryDelay(status(429, { 'retry-after': '2' }), 0, policy, () => 0.9, NOW)).toEqual({
      ms: 2000,
      source: 'retry-after',
    });
    expect(retryDelay(status(503, { 'retry-after': '3600' }), 0, policy, () => 0.9, NOW)).toEqual({
      ms: 60_000,
      source: 'retry-after',
    });
  });

  it('uses jittered backoff without a usable hint, and for connection failures', () => {
    expect(retryDelay(status(500), 2, policy, () => 0.5, NOW)).toEqual({ ms: 1000, source: 'backoff' });
    expect(retryDelay(status(429, { 'retry-after': 'later' }), 0, policy, () => 0.5, NOW)).toEqual({
      ms: 250,
      source: 'backoff',
    });
    expect(retryDelay({ kind: 'network', code: 'ECONNRESET' }, 1, policy, () => 0.5, NOW).ms).toBe(500);
    expect(retryDelay({ kind: 'timeout' }, 0, policy, () => 1, NOW).ms).toBe(500);
  });
});

describe('which failures are retried', () => {
  it('retries 408, 409, 429 and every 5xx; no other 4xx', () => {
    const retried = [400, 401, 403, 404, 408, 409, 418, 422, 429, 500, 501, 502, 503, 504, 599].filter(
      isRetryableStatus,
    );
    expect(retried).toEqual([408, 409, 429, 500, 501, 502, 503, 504, 599]);
  });

  it('x-should-retry is obeyed before the status rules, within replay safety', () => {
    expect(shouldRetryHeader({ 'x-should-retry': 'true' })).toBe(true);
    expect(shouldRetryHeader({ 'x-should-retry': 'FALSE' })).toBe(false);
    expect(shouldRetryHeader({ 'x-should-retry': 'maybe' })).toBeUndefined();
    expect(isRetryable(status(503, { 'x-should-retry': 'false' }), true)).toBe(false);
    expect(isRetryable(status(429, { 'x-should-retry': 'false' }), true)).toBe(false);
    expect(isRetryable(status(400, { 'x-should-retry': 'true' }), true)).toBe(true);
    // The hint never makes a write that may have acted safe to send again: an unkeyed POST is
    // not retried on it (a 429, "not processed", still is).
    expect(isRetryable(status(500, { 'x-should-retry': 'true' }), false)).toBe(false);
    expect(isRetryable(status(429, { 'x-should-retry': 'true' }), false)).toBe(true);
  });

  it('GET/PUT/DELETE, and POST with an Idempotency-Key, are replay-safe; a bare POST is not', () => {
    expect(isReplaySafe('GET', false)).toBe(true);
    expect(isReplaySafe('PUT', false)).toBe(true);
    expect(isReplaySafe('DELETE', false)).toBe(true);
    expect(isReplaySafe('POST', true)).toBe(true);
    expect(isReplaySafe('POST', false)).toBe(false);
  });

  it('replay-safe calls retry on retryable statuses, connection errors and timeouts', () => {
    expect(isRetryable(status(502), true)).toBe(true);
    expect(isRetryable(status(409), true)).toBe(true);
    expect(isRetryable(status(404), true)).toBe(false);
    expect(isRetryable(status(422), true)).toBe(false);
    expect(isRetryable({ kind: 'network', code: 'UND_ERR_SOCKET' }, true)).toBe(true);
    expect(isRetryable({ kind: 'network' }, true)).toBe(true);
    expect(isRetryable({ kind: 'timeout' }, true)).toBe(true);
  });

  it('an unkeyed POST retries only when the request certainly was not processed', () => {
    expect(isRetryable(status(429), false)).toBe(true);
    expect(isRetryable({ kind: 'network', code: 'ECONNREFUSED' }, false)).toBe(true);
    // Ambiguous: the server may have acted before failing.
    expect(isRetryable(status(500), false)).toBe(false);
    expect(isRetryable(status(503), false)).toBe(false);
    expect(isRetryable(status(408), false)).toBe(false);
    expect(isRetryable({ kind: 'network', code: 'UND_ERR_SOCKET' }, false)).toBe(false);
    expect(isRetryable({ kind: 'network', code: 'ECONNRESET' }, false)).toBe(false);
    expect(isRetryable({ kind: 'network' }, false)).toBe(false);
    expect(isRetryable({ kind: 'timeout' }, false)).toBe(false);
  });
});
