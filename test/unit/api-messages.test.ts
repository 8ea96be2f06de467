import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  collect,
  hasNextPage,
  ListChangedError,
  paginate,
  paginateParallel,
  readSnapshot,
} from '../../src/api/paginate.js';
import {
  type CallContext,
  formatIssues,
  invalidJsonError,
  networkError,
  parseErrorBody,
  schemaError,
  statusError,
  timeoutError,
} from '../../src/api/problems.js';
import { describeParams, encodeSegment, endpointKey, route } from '../../src/api/route.js';
import { TestPage } from '../../src/api/schemas.js';
import { ApiError, redact, secretProbe, UsageError } from '../../src/errors.js';

const KEY = 'KEY_CANARY_SECRET_123';
const ctx = (r = route('POST', '/ai/assistants/tests'), attempts = 1): CallContext => ({
  route: r,
  host: 'api.telnyx.com',
  attempts,
  secret: KEY,
});
const telnyx = (code: string, title: string, detail?: string) =>
  JSON.stringify({ errors: [{ code, title, ...(detail ? { detail } : {}) }] });

describe('route', () => {
  it('percent-encodes path params and keeps the template as the endpoint key', () => {
    const r = route('GET', '/ai/assistants/tests/test-suites/{suite_name}/runs', {
      suite_name: 'billing/refunds v2',
    });
    expect(r.path).toBe('/ai/assistants/tests/test-suites/billing%2Frefunds%20v2/runs');
    expect(endpointKey(r)).toBe('GET /ai/assistants/tests/test-suites/{suite_name}/runs');
  });

  it('refuses empty, "." and ".." segments', () => {
    expect(() => encodeSegment('test_id', '..')).toThrow(UsageError);
    expect(() => encodeSegment('test_id', '.')).toThrow(UsageError);
    expect(() => encodeSegment('test_id', '')).toThrow(UsageError);
    expect(encodeSegment('test_id', '...')).toBe('...');
  });

  it('names the resources a 404 may refer to', () => {
    const r = route('GET', '/ai/assistants/tests/{test_id}/runs/{run_id}', { test_id: 't1', run_id: 'r9' });
    expect(describeParams(r)).toBe('test "t1" or run "r9"');
  });
});

describe('parseErrorBody', () => {
  it('reads the Telnyx envelope', () => {
    expect(parseErrorBody(telnyx('10009', 'Authentication failed', 'The API key is invalid'))).toEqual({
      code: '10009',
      title: 'Authentication failed',
      detail: 'The API key is invalid',
    });
  });

  it('reads the FastAPI envelope as loc: msg pairs', () => {
    const body = JSON.stringify({
      detail: [
        { loc: ['body', 'name'], msg: 'String should have at most 255 characters', type: 'string_too_long' },
        { loc: ['body', 'rubric', 0, 'criteria'], msg: 'Field required', type: 'missing' },
      ],
    });
    expect(parseErrorBody(body).detail).toBe(
      'body.name: String should have at most 255 characters; body.rubric.0.criteria: Field required',
    );
  });

  it('copes with a string detail, plain text and HTML', () => {
    expect(parseErrorBody('{"detail":"Not Found"}')).toEqual({ detail: 'Not Found' });
    expect(parseErrorBody('upstream connect error')).toEqual({ detail: 'upstream connect error' });
    expect(parseErrorBody('<html><body>502</body></html>')).toEqual({});
    expect(parseErrorBody('')).toEqual({});
  });
});

describe('statusError messages', () => {
  it('401 names the code and says to check TELNYX_API_KEY', () => {
    const e = statusError(ctx(), 401, telnyx('10009', 'Authentication failed'), { hadIdempotencyKey: true });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe(
      'POST /ai/assistants/tests → 401 Authentication failed (10009): check TELNYX_API_KEY (or --api-key)',
    );
    expect(e.details).toMatchObject({ method: 'POST', status: 401, code: '10009', attempts: 1 });
  });

  it('404 says which id', () => {
    const r = route('GET', '/ai/assistants/tests/{test_id}', { test_id: 'tst_42' });
    const e = statusError(ctx(r), 404, telnyx('10005', 'Resource not found'), { hadIdempotencyKey: false });
    expect(e.message).toContain('GET /ai/assistants/tests/tst_42 → 404 Resource not found (10005)');
    expect(e.message).toContain('test "tst_42" does not exist');
  });

  it('404 does not repeat the id when the server detail already names it', () => {
    const r = route('GET', '/ai/assistants/tests/{test_id}', { test_id: 'tst_42' });
    const e = statusError(
      ctx(r),
      404,
      telnyx('10005', 'Resource not found', 'Assistant test tst_42 not found.'),
      {
        hadIdempotencyKey: false,
      },
    );
    expect(e.message).toBe(
      'GET /ai/assistants/tests/tst_42 → 404 Resource not found (10005): Assistant test tst_42 not found',
    );
  });

  it('a 5xx on a POST without a key warns that it may have taken effect', () => {
    const r = route('POST', '/ai/assistants/{assistant_id}/versions/{version_id}/promote', {
      assistant_id: 'a1',
      version_id: 'v2',
    });
    const e = statusError(ctx(r), 503, '', { hadIdempotencyKey: false });
    expect(e.message).toBe(
      'POST /ai/assistants/a1/versions/v2/promote → 503 Service Unavailable: Telnyx server error; it may or may not have taken effect',
    );
  });

  it('422 lists loc: msg', () => {
    const body = JSON.stringify({
      detail: [{ loc: ['body', 'destination'], msg: 'Field required', type: 'missing' }],
    });
    const e = statusError(ctx(), 422, body, { hadIdempotencyKey: true });
    expect(e.message).toBe(
      'POST /ai/assistants/tests → 422 Unprocessable Entity: body.destination: Field required',
    );
  });

  it('429 after retries says rate limited and how many attempts', () => {
    const e = statusError(ctx(undefined, 5), 429, telnyx('10011', 'Too many requests'), {
      hadIdempotencyKey: true,
    });
    expect(e.message).toMatch(/→ 429 Too many requests \(10011\).*rate limited after 5 attempts/);
    expect(e.details.attempts).toBe(5);
  });

  it('never contains the key, even if the server echoes it', () => {
    const e = statusError(ctx(), 400, telnyx('10015', `bad header Bearer ${KEY}`, `got ${KEY}`), {
      hadIdempotencyKey: true,
    });
    expect(JSON.stringify({ m: e.message, d: e.details, s: e.stack })).not.toContain(KEY);
    expect(e.message).toContain('***');
  });

  /** No piece of 8 characters or more of the key anywhere in the error. */
  const leaks = (e: ApiError, key: string): string[] => {
    const all = JSON.stringify({ m: e.message, d: e.details, s: e.stack });
    const out: string[] = [];
    for (let k = 0; k + 8 <= key.length; k++)
      if (all.includes(key.slice(k, k + 8))) out.push(key.slice(k, k + 8));
    return out;
  };

  it('never contains part of the key where the detail is clipped inside it (it is redacted first)', () => {
    // The 500-character clip fell 2 characters before the echoed key ended: 51 of 53 were shown.
    for (let cut = 1; cut < KEY.length; cut++) {
      const echo = `${'x'.repeat(500 - 'authorization=Bearer '.length - (KEY.length - cut))}authorization=Bearer ${KEY} and more`;
      const e = statusError(ctx(), 401, telnyx('10009', 'Authentication failed', echo), {
        hadIdempotencyKey: false,
      });
      expect(leaks(e, KEY), `cut ${cut}`).toEqual([]);
    }
  });

  it('a 2xx body that is not JSON: the parse message never quotes the key', () => {
    const body = `${KEY} is not json`;
    let parseError: unknown;
    try {
      JSON.parse(body);
    } catch (err) {
      parseError = err;
    }
    const e = invalidJsonError(ctx(), 200, body, parseError);
    expect(leaks(e, KEY)).toEqual([]);
    expect(e.message).toMatch(/not valid JSON/);
  });

  it('redact: no piece of 8+ characters of a long key survives, whatever surrounds it (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 16, maxLength: 60 }),
        fc.array(fc.tuple(fc.string({ maxLength: 20 }), fc.nat(), fc.nat()), { maxLength: 5 }),
        (key, parts) => {
          const text = parts
            .map(([noise, a, b]) => {
              const from = a % key.length;
              return noise + key.slice(from, from + 8 + (b % key.length));
            })
            .join('');
          const out = redact(text, key);
          for (let k = 0; k + 8 <= key.length; k++) expect(out).not.toContain(key.slice(k, k + 8));
          // Text that shares nothing with the key is left as it is.
          expect(redact('run 123 passed', key.replace(/[run 123pasd]/g, 'Z'))).toBe('run 123 passed');
        },
      ),
    );
  });
});

describe('no-response messages', () => {
  it('connection errors name the host and the call', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const e = networkError(ctx(route('GET', '/ai/assistants/tests'), 3), err);
    expect(e.message).toBe(
      'GET /ai/assistants/tests → could not reach api.telnyx.com: connection refused (connect ECONNREFUSED 127.0.0.1:1) after 3 attempts',
    );
    expect(e.details.status).toBeUndefined();
    expect(e.cause).toBe(err);
  });

  it('timeouts say the timeout', () => {
    expect(timeoutError(ctx(), 1500).message).toBe(
      'POST /ai/assistants/tests → no response from api.telnyx.com within 1500 ms (per-attempt timeout)',
    );
  });
});

describe('schema mismatch', () => {
  it('names the endpoint and the field path', () => {
    const bad = {
      data: [0, 1, 2, 3].map((i) => ({
        test_id: `t${i}`,
        name: 'n',
        telnyx_conversation_channel: 'web_chat',
        rubric: [],
        created_at: 'x',
      })),
      meta: { page_number: 1, page_size: 20, total_pages: 1, total_results: 4 },
    };
    (bad.data[3] as Record<string, unknown>).telnyx_conversation_channel = 'fax';
    const parsed = TestPage.safeParse(bad);
    expect(parsed.success).toBe(false);
    const e = schemaError(ctx(route('GET', '/ai/assistants/tests')), 200, parsed.error?.issues ?? []);
    expect(e.message).toMatch(
      /^GET \/ai\/assistants\/tests → 200 response does not match the API schema: data\.3\.telnyx_conversation_channel: .*expected one of/,
    );
  });

  it('caps the number of issues shown', () => {
    const r = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string() }).safeParse({});
    expect(formatIssues(r.error?.issues ?? [], 2)).toMatch(/^a: .*; b: .*; and 2 more$/);
  });
});

describe('paginate', () => {
  const meta = (page_number: number, total_pages: number) => ({
    page_number,
    page_size: 2,
    total_pages,
    total_results: total_pages * 2,
  });

  it('walks pages with page[size]=100 until page_number >= total_pages', async () => {
    const asked: unknown[] = [];
    const items = await collect(
      paginate(async (q) => {
        asked.push(q);
        const n = q['page[number]'];
        return { data: [n * 10, n * 10 + 1], meta: meta(n, 3) };
      }),
    );
    expect(items).toEqual([10, 11, 20, 21, 30, 31]);
    expect(asked).toEqual([1, 2, 3].map((n) => ({ 'page[number]': n, 'page[size]': 100 })));
  });

  it('stops at an empty page even if meta claims more', async () => {
    let calls = 0;
    const items = await collect(
      paginate(async (q) => {
        calls++;
        return { data: q['page[number]'] === 1 ? ['a'] : [], meta: meta(q['page[number]'], 99) };
      }),
    );
    expect(items).toEqual(['a']);
    expect(calls).toBe(2);
  });

  it('does not loop when the server echoes a stale page_number', async () => {
    let calls = 0;
    await collect(
      paginate(async () => {
        calls++;
        return { data: ['x'], meta: meta(1, 2) };
      }),
    );
    expect(calls).toBe(2);
  });

  it('a server that ignores page[number] and claims 10,000 pages is read twice, not 10,000 times', async () => {
    // Every reader: the sequential walk, the parallel one, and the snapshot (3 reads, then an error).
    let calls = 0;
    const same = async () => {
      calls++;
      return { data: [{ id: 'a' }, { id: 'b' }], meta: { ...meta(1, 10_000), total_results: 20_000 } };
    };
    expect(await collect(paginate(same))).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(calls).toBe(2);
    calls = 0;
    expect(await collect(paginateParallel(same, 4))).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(calls).toBeLessThanOrEqual(1 + 4);
    calls = 0;
    await expect(readSnapshot(same, (x) => x.id, 'the list')).rejects.toThrow(ListChangedError);
    expect(calls).toBe(3 * 2);
  });

  it('hasNextPage', () => {
    expect(hasNextPage({ data: [1], meta: meta(1, 2) })).toBe(true);
    expect(hasNextPage({ data: [1], meta: meta(2, 2) })).toBe(false);
    expect(hasNextPage({ data: [], meta: meta(1, 2) })).toBe(false);
    expect(hasNextPage({ data: [1], meta: meta(1, 0) })).toBe(false);
  });
});

describe('TelnyxClient response validation (undici MockAgent, no network)', () => {
  it('a response with a wrong field is an ApiError naming the endpoint and the field path', async () => {
    const { MockAgent } = await import('undici');
    const { TelnyxClient } = await import('../../src/api/client.js');
    const agent = new MockAgent();
    agent.disableNetConnect();
    const run = (i: number) => ({
      run_id: `r${i}`,
      test_id: 't1',
      // A wrong shape (statuses are free strings: an undocumented one is the ledger's business).
      status: i === 3 ? 42 : 'passed',
      triggered_by: 'api',
      created_at: '2026-08-01T00:00:00Z',
    });
    agent
      .get('https://api.telnyx.com')
      .intercept({ path: (p) => p.startsWith('/v2/ai/assistants/tests/t1/runs?'), method: 'GET' })
      .reply(200, {
        data: [0, 1, 2, 3].map(run),
        meta: { page_number: 1, page_size: 100, total_pages: 1, total_results: 4 },
      });
    // A garbled read is retried like a 5xx; with no retries allowed it is reported at once.
    const client = new TelnyxClient({ apiKey: KEY, dispatcher: agent, maxRetries: 0 });
    const err = await collect(client.listTestRuns('t1')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(
      /^GET \/ai\/assistants\/tests\/t1\/runs → 200 response does not match the API schema: data\.3\.status: .*expected string/,
    );
    expect(client.stats).toEqual({
      requests: 1,
      retries: 0,
      byEndpoint: { 'GET /ai/assistants/tests/{test_id}/runs': 1 },
    });
    await agent.close();
  });

  it('refuses a plain-http non-loopback base URL and a malformed idempotency key before sending', async () => {
    const { TelnyxClient } = await import('../../src/api/client.js');
    expect(() => new TelnyxClient({ apiKey: KEY, baseUrl: 'http://api.example.com/v2' })).toThrow(UsageError);
    const client = new TelnyxClient({ apiKey: KEY, baseUrl: 'http://127.0.0.1:1/v2' });
    await expect(client.triggerTest('t1', { idempotencyKey: 'has space' })).rejects.toThrow(UsageError);
    await expect(client.getTest('..')).rejects.toThrow(UsageError);
    await expect(collect(client.listSuiteRuns('.'))).rejects.toThrow(UsageError);
    expect(client.stats.requests).toBe(0);
    await client.close();
  });
});

describe('secretProbe', () => {
  it('finds exactly the texts redact would change (one scan, so answers are checked cheaply)', () => {
    const key = 'KEY_0123456789abcdefGHIJ.klmn+opq';
    const probe = secretProbe(key);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc
              .tuple(fc.nat(key.length), fc.nat(key.length))
              .map(([a, b]) => key.slice(Math.min(a, b), Math.max(a, b))),
          ),
          { maxLength: 6 },
        ),
        (parts) => {
          const text = parts.join('');
          expect(probe(text)).toBe(redact(text, key) !== text);
        },
      ),
      { numRuns: 500 },
    );
    expect(secretProbe('short-key')('a short-key b')).toBe(true);
    expect(secretProbe('short-key')('a short-ke b')).toBe(false);
  });
});
