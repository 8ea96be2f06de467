import { describe, expect, it } from 'vitest';
import { checkBaseUrl, resolveApiConfig } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';

const refusal = (raw: string): string => {
  try {
    checkBaseUrl(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${raw} was accepted`);
};

describe('checkBaseUrl', () => {
  it('names the scheme and the URL the user gave, never "null"', () => {
    expect(refusal('file:///etc/passwd')).toBe(
      'base URL file:///etc/passwd uses file: it must use https (plain http is allowed only on loopback, for the simulator)',
    );
    for (const raw of [
      'file:///tmp/x',
      'data:text/plain,hi',
      'htps://api.telnyx.com/v2',
      'ftp://example.com/',
    ]) {
      const message = refusal(raw);
      expect(message).not.toContain('null');
      expect(message).toContain(`uses ${raw.slice(0, raw.indexOf(':'))}:`);
    }
    expect(refusal('http://api.telnyx.com/v2')).toMatch(
      /^base URL http:\/\/api\.telnyx\.com\/v2 uses http: /,
    );
  });

  it('never echoes credentials, a query or a fragment', () => {
    const message = refusal('http://user:s3cret@example.com/v2?token=abc#frag');
    expect(message).toContain('http://example.com/v2');
    for (const secret of ['user', 's3cret', 'token', 'abc', 'frag']) expect(message).not.toContain(secret);
  });

  it('accepts https anywhere and http on loopback, without a trailing slash', () => {
    expect(checkBaseUrl('https://api.telnyx.com/v2/')).toBe('https://api.telnyx.com/v2');
    expect(checkBaseUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(checkBaseUrl('http://[::1]:8080/')).toBe('http://[::1]:8080');
    expect(refusal('not a url')).toMatch(/is not a valid URL/);
  });

  it('applies to TELNYX_BASE_URL too', () => {
    expect(() => resolveApiConfig({}, { TELNYX_API_KEY: 'KEY_x', TELNYX_BASE_URL: 'file:///x' })).toThrow(
      /uses file: it must use https/,
    );
  });
});
