// The simulator over real loopback HTTP: codes, envelopes, pagination, idempotency, the run
// lifecycle, faults, rate limits and scenario determinism. Most tests drive a fake clock
// (the `now` seam) so lifecycle assertions never depend on timing.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  parseScenarioText,
  type Simulator,
  type SimulatorOptions,
  withSimulator,
} from '../../src/simulator/index.js';

const T = '/ai/assistants/tests';

interface Res {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted on field by field
  json: any;
}

interface CallOpts {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  auth?: string | null;
}

async function call(sim: Simulator, method: string, path: string, opts: CallOpts = {}): Promise<Res> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.auth !== null) headers.authorization = opts.auth ?? `Bearer ${sim.apiKey}`;
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const res = await fetch(`${sim.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

const testBody = (name: string, suite = 'refunds', extra: Record<string, unknown> = {}) => ({
  name,
  destination: '+15551234567',
  instructions: 'Act as a customer asking for a refund.',
  rubric: [
    { name: 'Accuracy', criteria: 'States the policy' },
    { name: 'Empathy', criteria: 'Acknowledges frustration' },
  ],
  test_suite: suite,
  ...extra,
});

async function createTest(sim: Simulator, name: string, suite = 'refunds', extra = {}): Promise<string> {
  const res = await call(sim, 'POST', T, { body: testBody(name, suite, extra) });
  expect(res.status).toBe(201);
  return res.json.test_id;
}

/** A fake clock: runs advance only when the test says so. */
function fakeClock(start = Date.parse('2026-05-01T12:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const ASSISTANTS = `
assistants:
  - id: asst-1
    versions:
      - { id: v-main, name: Main, main: true }
      - { id: v-good, name: Good }
      - id: v-bad
        name: Bad
        tests:
          "refunds/*": { criteria: { Accuracy: fail } }
`;

const scenario = (yaml: string) => parseScenarioText(yaml, 'inline.yaml');

describe('auth and routing', () => {
  it('answers 401 with code 10009 for a missing or wrong key, and counts those requests', async () => {
    await withSimulator({}, async (sim) => {
      const missing = await call(sim, 'GET', T, { auth: null });
      const wrong = await call(sim, 'GET', T, { auth: 'Bearer KEY_WRONG' });
      for (const res of [missing, wrong]) {
        expect(res.status).toBe(401);
        expect(res.json.errors[0].code).toBe('10009');
      }
      expect(sim.counts()).toEqual({ total: 2, byEndpoint: { 'GET /ai/assistants/tests': 2 }, faults: {} });
    });
  });

  it('answers 404 envelopes for unknown ids and unknown routes', async () => {
    await withSimulator({}, async (sim) => {
      for (const path of [
        `${T}/nope`,
        `${T}/nope/runs`,
        '/ai/assistants/asst-x/versions',
        '/no/such/route',
      ]) {
        const res = await call(sim, 'GET', path);
        expect(res.status, path).toBe(404);
        expect(res.json.errors[0]).toMatchObject({ code: '10005', title: 'Resource not found' });
      }
      expect(sim.counts().byEndpoint['GET (unmatched)']).toBe(1);
      const patch = await call(sim, 'PATCH', T, { body: {} });
      expect(patch.status).toBe(405);
      expect(sim.counts().byEndpoint['PATCH /ai/assistants/tests']).toBe(1);
    });
  });

  it('a port in use is a usage error', async () => {
    await withSimulator({}, async (sim) => {
      const port = Number(new URL(sim.url).port);
      await expect(withSimulator({ port }, async () => 0)).rejects.toBeInstanceOf(UsageError);
    });
  });
});

describe('tests CRUD', () => {
  it('creates (201, default channel), gets, partially updates and deletes (200, empty body)', async () => {
    await withSimulator({}, async (sim) => {
      const created = await call(sim, 'POST', T, { body: testBody('One') });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({
        name: 'One',
        telnyx_conversation_channel: 'web_chat',
        test_suite: 'refunds',
      });
      expect(created.json.test_id).toMatch(/^[0-9a-f-]{36}$/);
      const id = created.json.test_id;

      const updated = await call(sim, 'PUT', `${T}/${id}`, { body: { description: 'now described' } });
      expect(updated.status).toBe(200);
      expect(updated.json).toEqual({ ...created.json, description: 'now described' });
      expect((await call(sim, 'GET', `${T}/${id}`)).json).toEqual(updated.json);

      const deleted = await call(sim, 'DELETE', `${T}/${id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.text).toBe('');
      expect((await call(sim, 'GET', `${T}/${id}`)).status).toBe(404);
      expect((await call(sim, 'DELETE', `${T}/${id}`)).status).toBe(404);
    });
  });

  it('filters the list and returns distinct suite names', async () => {
    await withSimulator({}, async (sim) => {
      await createTest(sim, 'a', 'refunds');
      await createTest(sim, 'b', 'refunds', { telnyx_conversation_channel: 'sms_chat' });
      await createTest(sim, 'c', 'appointments', { destination: '+15550000000' });
      const names = async (q: string) =>
        (await call(sim, 'GET', `${T}?${q}`)).json.data.map((t: { name: string }) => t.name);
      expect(await names('test_suite=refunds')).toEqual(['a', 'b']);
      expect(await names('telnyx_conversation_channel=sms_chat')).toEqual(['b']);
      expect(await names(`destination=${encodeURIComponent('+15550000000')}`)).toEqual(['c']);
      expect((await call(sim, 'GET', `${T}/test-suites`)).json).toEqual({
        data: ['appointments', 'refunds'],
      });
    });
  });

  it('answers FastAPI 422s for bodies breaking the spec limits, without side effects', async () => {
    await withSimulator({}, async (sim) => {
      const cases: [Record<string, unknown>, (string | number)[], string][] = [
        [{ name: '' }, ['body', 'name'], 'string_too_short'],
        [{ name: 'x'.repeat(256) }, ['body', 'name'], 'string_too_long'],
        [{ instructions: 'x'.repeat(5001) }, ['body', 'instructions'], 'string_too_long'],
        [{ description: 'x'.repeat(1001) }, ['body', 'description'], 'string_too_long'],
        [{ test_suite: 'x'.repeat(101) }, ['body', 'test_suite'], 'string_too_long'],
        [{ max_duration_seconds: 0 }, ['body', 'max_duration_seconds'], 'greater_than_equal'],
        [{ max_duration_seconds: 3601 }, ['body', 'max_duration_seconds'], 'less_than_equal'],
        [{ rubric: [] }, ['body', 'rubric'], 'too_short'],
        [{ rubric: [{ name: 'A' }] }, ['body', 'rubric', 0, 'criteria'], 'missing'],
        [
          { rubric: [{ name: 'A', criteria: 'c', weight: 2 }] },
          ['body', 'rubric', 0, 'weight'],
          'extra_forbidden',
        ],
        [{ telnyx_conversation_channel: 'sms' }, ['body', 'telnyx_conversation_channel'], 'enum'],
        [{ destination: undefined }, ['body', 'destination'], 'missing'],
      ];
      for (const [patch, loc, type] of cases) {
        const res = await call(sim, 'POST', T, { body: { ...testBody('t'), ...patch } });
        expect(res.status, JSON.stringify(patch)).toBe(422);
        expect(res.json.detail).toContainEqual({ loc, msg: expect.any(String), type });
      }
      expect((await call(sim, 'POST', T, { raw: '{"name": ' })).json.detail[0].type).toBe('json_invalid');
      expect((await call(sim, 'POST', T, { raw: '' })).json.detail).toEqual([
        { loc: ['body'], msg: 'Field required', type: 'missing' },
      ]);
      const id = await createTest(sim, 'kept');
      const bad = await call(sim, 'PUT', `${T}/${id}`, {
        body: { name: 'renamed', max_duration_seconds: 9999 },
      });
      expect(bad.status).toBe(422);
      expect(sim.state.tests.get(id)?.name).toBe('kept');
      expect(sim.state.tests.size).toBe(1);
    });
  });
});

describe('pagination', () => {
  it('pages with page[number]/page[size] (default 20, max 100) and the Meta envelope', async () => {
    await withSimulator({}, async (sim) => {
      for (let i = 0; i < 25; i++) await createTest(sim, `t${i}`);
      const first = await call(sim, 'GET', T);
      expect(first.json.data).toHaveLength(20);
      expect(first.json.meta).toEqual({ page_number: 1, page_size: 20, total_pages: 2, total_results: 25 });
      const second = await call(sim, 'GET', `${T}?page[number]=2`);
      expect(second.json.data.map((t: { name: string }) => t.name)).toEqual([
        't20',
        't21',
        't22',
        't23',
        't24',
      ]);
      const encoded = await call(sim, 'GET', `${T}?page%5Bnumber%5D=3&page%5Bsize%5D=10`);
      expect(encoded.json.data).toHaveLength(5);
      expect(encoded.json.meta).toMatchObject({ page_number: 3, page_size: 10, total_pages: 3 });
      expect((await call(sim, 'GET', `${T}?page[number]=9`)).json.data).toEqual([]);
      expect((await call(sim, 'GET', `${T}?page[size]=100`)).status).toBe(200);
      for (const [name, value, type] of [
        ['page[size]', '101', 'less_than_equal'],
        ['page[size]', '0', 'greater_than_equal'],
        ['page[number]', '0', 'greater_than_equal'],
        ['page[number]', 'abc', 'int_parsing'],
      ]) {
        const res = await call(sim, 'GET', `${T}?${name}=${value}`);
        expect(res.status, `${name}=${value}`).toBe(422);
        expect(res.json.detail[0]).toMatchObject({ loc: ['query', name], type });
      }
    });
  });
});

describe('runs', () => {
  it('moves pending -> starting -> running -> passed on the scaled clock, lazily', async () => {
    const clock = fakeClock();
    // 60 simulated s at 60x = 1000 real ms: pending <100, starting <200, running <1000.
    await withSimulator({ now: clock.now, clockScale: 60 }, async (sim) => {
      const id = await createTest(sim, 'life');
      const trigger = await call(sim, 'POST', `${T}/${id}/runs`);
      expect(trigger.status).toBe(201);
      expect(trigger.json).toMatchObject({ status: 'pending', test_id: id, triggered_by: 'api' });
      expect(trigger.json.detail_status).toBeUndefined();
      const get = async () => (await call(sim, 'GET', `${T}/${id}/runs/${trigger.json.run_id}`)).json;
      clock.advance(150);
      expect((await get()).status).toBe('starting');
      clock.advance(350);
      const running = await get();
      expect(running.status).toBe('running');
      expect(running.conversation_id).toEqual(expect.any(String));
      expect(running.completed_at).toBeUndefined();
      clock.advance(500);
      const done = await get();
      expect(done).toMatchObject({
        status: 'passed',
        detail_status: [
          { name: 'Accuracy', status: 'passed' },
          { name: 'Empathy', status: 'passed' },
        ],
        completed_at: '2026-05-01T12:00:01.000Z',
        updated_at: '2026-05-01T12:00:01.000Z',
      });
      expect(done.logs).toContain('evaluation: Empathy passed');
    });
  });

  it('finishes a run in ~100 ms of real time with a large clockScale', async () => {
    await withSimulator({ clockScale: 600 }, async (sim) => {
      const id = await createTest(sim, 'fast');
      const run = (await call(sim, 'POST', `${T}/${id}/runs`, { body: {} })).json;
      let status = run.status;
      for (let i = 0; i < 100 && status !== 'passed'; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await call(sim, 'GET', `${T}/${id}/runs/${run.run_id}`)).json.status;
      }
      expect(status).toBe('passed');
    });
  });

  it('triggers a suite: one run per test sharing one test_suite_run_id; lists and filters them', async () => {
    const clock = fakeClock();
    await withSimulator({ now: clock.now, scenario: scenario(ASSISTANTS) }, async (sim) => {
      const ids = [await createTest(sim, 'a'), await createTest(sim, 'b'), await createTest(sim, 'c')];
      await createTest(sim, 'other', 'appointments');
      const res = await call(sim, 'POST', `${T}/test-suites/refunds/runs`, { body: {} });
      expect(res.status).toBe(201);
      expect(Array.isArray(res.json)).toBe(true);
      expect(res.json.map((r: { test_id: string }) => r.test_id)).toEqual(ids);
      const batch = res.json[0].test_suite_run_id;
      expect(new Set(res.json.map((r: { test_suite_run_id: string }) => r.test_suite_run_id))).toEqual(
        new Set([batch]),
      );
      expect(new Set(res.json.map((r: { run_id: string }) => r.run_id)).size).toBe(3);

      await call(sim, 'POST', `${T}/test-suites/refunds/runs`); // a second batch, no body at all
      const all = await call(sim, 'GET', `${T}/test-suites/refunds/runs`);
      expect(all.json.meta.total_results).toBe(6);
      const mine = await call(sim, 'GET', `${T}/test-suites/refunds/runs?test_suite_run_id=${batch}`);
      expect(mine.json.data).toHaveLength(3);
      expect((await call(sim, 'GET', `${T}/test-suites/refunds/runs?status=pending`)).json.data).toHaveLength(
        6,
      );
      clock.advance(60_000);
      expect(
        (await call(sim, 'GET', `${T}/test-suites/refunds/runs?status=completed`)).json.data,
      ).toHaveLength(6);
      expect((await call(sim, 'GET', `${T}/test-suites/refunds/runs?status=pending`)).json.data).toHaveLength(
        0,
      );

      const unknown = await call(sim, 'POST', `${T}/test-suites/nope/runs`, { body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.json.errors[0].code).toBe('10005');
      const badVersion = await call(sim, 'POST', `${T}/test-suites/refunds/runs`, {
        body: { destination_version_id: 'v-missing' },
      });
      expect(badVersion.status).toBe(400);
      expect(badVersion.json.errors[0].code).toBe('10015');
      expect(
        (await call(sim, 'POST', `${T}/${ids[0]}/runs`, { body: { destination_version_id: 'v-x' } })).status,
      ).toBe(400);
      expect(sim.state.runs.size).toBe(6);
    });
  });

  it('decodes percent-encoded suite names, and routes an escaped "/" nowhere, as an ASGI server does', async () => {
    await withSimulator({}, async (sim) => {
      await createTest(sim, 'a', 'team refunds');
      const path = `${T}/test-suites/${encodeURIComponent('team refunds')}/runs`;
      expect((await call(sim, 'POST', path)).status).toBe(201);
      expect((await call(sim, 'GET', path)).json.data).toHaveLength(1);
      expect(sim.counts().byEndpoint['GET /ai/assistants/tests/test-suites/{suite_name}/runs']).toBe(1);
      // The SDK sends "/" as %2F; the server decodes the path before routing, so it splits there.
      await createTest(sim, 'b', 'team/refunds');
      const slashed = `${T}/test-suites/${encodeURIComponent('team/refunds')}/runs`;
      expect((await call(sim, 'POST', slashed)).status).toBe(404);
    });
  });

  it('lists per-test runs newest first and 404s a run of another test', async () => {
    const clock = fakeClock();
    await withSimulator({ now: clock.now }, async (sim) => {
      const a = await createTest(sim, 'a');
      const b = await createTest(sim, 'b');
      const first = (await call(sim, 'POST', `${T}/${a}/runs`)).json.run_id;
      clock.advance(10);
      const second = (await call(sim, 'POST', `${T}/${a}/runs`)).json.run_id;
      const list = await call(sim, 'GET', `${T}/${a}/runs`);
      expect(list.json.data.map((r: { run_id: string }) => r.run_id)).toEqual([second, first]);
      expect((await call(sim, 'GET', `${T}/${b}/runs/${first}`)).status).toBe(404);
      await call(sim, 'DELETE', `${T}/${a}`);
      expect(sim.state.runs.size).toBe(0);
    });
  });

  it('tracks the high-water mark of runs in progress', async () => {
    const clock = fakeClock();
    await withSimulator({ now: clock.now }, async (sim) => {
      for (const n of ['a', 'b', 'c']) await createTest(sim, n);
      await call(sim, 'POST', `${T}/test-suites/refunds/runs`);
      expect(sim.maxRunsInProgress()).toBe(3);
      clock.advance(2_000);
      const id = await createTest(sim, 'd');
      await call(sim, 'POST', `${T}/${id}/runs`);
      expect(sim.maxRunsInProgress()).toBe(3);
    });
  });
});

describe('idempotency', () => {
  it('replays a successful response with Idempotent-Replayed and no new side effect', async () => {
    await withSimulator({}, async (sim) => {
      const headers = { 'idempotency-key': 'create-1' };
      const first = await call(sim, 'POST', T, { body: testBody('once'), headers });
      const again = await call(sim, 'POST', T, { body: testBody('once'), headers });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.json).toEqual(first.json);
      expect(sim.state.tests.size).toBe(1);

      const other = await call(sim, 'POST', T, { body: testBody('different'), headers });
      expect(other.status).toBe(422);
      expect(other.json.errors[0].code).toBe('10027');
      const elsewhere = await call(sim, 'POST', `${T}/${first.json.test_id}/runs`, { body: {}, headers });
      expect(elsewhere.status).toBe(422);
      expect(sim.state.runs.size).toBe(0);
    });
  });

  it('rejects invalid keys with 400 code 10015', async () => {
    await withSimulator({}, async (sim) => {
      for (const key of ['has space', 'colon:not-in-spec', 'x'.repeat(256), '']) {
        const res = await call(sim, 'POST', T, { body: testBody('k'), headers: { 'idempotency-key': key } });
        expect(res.status, key).toBe(400);
        expect(res.json.errors[0].code).toBe('10015');
      }
      expect(sim.state.tests.size).toBe(0);
    });
  });

  it('answers 409 (code 10036) while the first request with the key is in progress', async () => {
    await withSimulator({}, async (sim) => {
      const id = await createTest(sim, 'slow');
      sim.setFaults([{ kind: 'latency', latencyMs: 300, count: 1 }]);
      const headers = { 'idempotency-key': 'trigger-1' };
      const slow = call(sim, 'POST', `${T}/${id}/runs`, { body: {}, headers });
      await new Promise((r) => setTimeout(r, 50));
      const clash = await call(sim, 'POST', `${T}/${id}/runs`, { body: {}, headers });
      expect(clash.status).toBe(409);
      expect(clash.json.errors[0].code).toBe('10036');
      expect((await slow).status).toBe(201);
      expect(sim.state.runs.size).toBe(1);
    });
  });

  it('does not replay failures, and replays a success whose answer was lost (drop-after)', async () => {
    await withSimulator({ scenario: scenario(ASSISTANTS) }, async (sim) => {
      const id = await createTest(sim, 'x');
      const headers = { 'idempotency-key': 'retry-me' };
      const body = { destination_version_id: 'v-nope' };
      expect((await call(sim, 'POST', `${T}/${id}/runs`, { body, headers })).status).toBe(400);
      const again = await call(sim, 'POST', `${T}/${id}/runs`, { body, headers });
      expect(again.status).toBe(400);
      expect(again.headers.get('idempotent-replayed')).toBeNull();

      sim.setFaults([{ kind: 'drop-after', count: 1 }]);
      const key = { 'idempotency-key': 'lost-answer' };
      await expect(call(sim, 'POST', `${T}/${id}/runs`, { body: {}, headers: key })).rejects.toThrow();
      expect(sim.state.runs.size).toBe(1);
      const retry = await call(sim, 'POST', `${T}/${id}/runs`, { body: {}, headers: key });
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.json.run_id).toBe([...sim.state.runs.keys()][0]);
      expect(sim.state.runs.size).toBe(1);
    });
  });
});

describe('faults', () => {
  it('status faults answer with the envelope and retry headers, for `count` requests only', async () => {
    const faults = [
      {
        kind: 'status' as const,
        status: 503,
        retryAfter: 2,
        retryAfterMs: 1500,
        shouldRetry: true,
        count: 1,
        match: { endpoint: 'GET /ai/assistants/tests' },
      },
      {
        kind: 'status' as const,
        status: 429,
        count: 1,
        match: { method: 'get', endpoint: '/ai/assistants/tests' },
      },
    ];
    await withSimulator({ faults }, async (sim) => {
      const first = await call(sim, 'GET', T);
      expect(first.status).toBe(503);
      expect(first.json.errors[0].code).toBe('10007');
      expect(first.headers.get('retry-after')).toBe('2');
      expect(first.headers.get('retry-after-ms')).toBe('1500');
      expect(first.headers.get('x-should-retry')).toBe('true');
      const second = await call(sim, 'GET', T);
      expect(second.status).toBe(429);
      expect(second.json.errors[0]).toMatchObject({ code: '10011', title: 'Too many requests' });
      expect((await call(sim, 'GET', `${T}/test-suites`)).status).toBe(200);
      expect((await call(sim, 'GET', T)).status).toBe(200);
      expect(sim.counts().byEndpoint['GET /ai/assistants/tests']).toBe(3);
    });
  });

  it('drop-before has no side effect; drop-after, malformed and truncated do', async () => {
    await withSimulator({}, async (sim) => {
      sim.setFaults([{ kind: 'drop-before', count: 1 }]);
      await expect(call(sim, 'POST', T, { body: testBody('a') })).rejects.toThrow();
      expect(sim.state.tests.size).toBe(0);

      sim.setFaults([{ kind: 'drop-after', count: 1 }]);
      await expect(call(sim, 'POST', T, { body: testBody('b') })).rejects.toThrow();
      expect(sim.state.tests.size).toBe(1);

      sim.setFaults([{ kind: 'malformed', count: 1 }]);
      const malformed = await call(sim, 'POST', T, { body: testBody('c') });
      expect(malformed.status).toBe(201);
      expect(() => JSON.parse(malformed.text)).toThrow();
      expect(sim.state.tests.size).toBe(2);

      sim.setFaults([{ kind: 'truncated', count: 1 }]);
      await expect(call(sim, 'GET', T)).rejects.toThrow();
      expect((await call(sim, 'GET', T)).json.data).toHaveLength(2);
      expect(sim.counts().total).toBe(5);
    });
  });

  it('latency delays, then answers normally', async () => {
    await withSimulator({ faults: [{ kind: 'latency', latencyMs: 200, count: 1 }] }, async (sim) => {
      const started = Date.now();
      const res = await call(sim, 'GET', `${T}/test-suites`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(res.json).toEqual({ data: [] });
    });
  });

  it('applies probabilistic faults from the seeded PRNG, the same way for the same seed', async () => {
    const pattern = async (seed: number) =>
      withSimulator(
        { scenario: scenario(`seed: ${seed}`), faults: [{ kind: 'status', status: 500, probability: 0.5 }] },
        async (sim) => {
          const statuses: number[] = [];
          for (let i = 0; i < 30; i++) statuses.push((await call(sim, 'GET', `${T}/test-suites`)).status);
          return statuses.join(',');
        },
      );
    const a = await pattern(7);
    expect(a).toContain('500');
    expect(a).toContain('200');
    expect(await pattern(7)).toBe(a);
    expect(await pattern(8)).not.toBe(a);
  });

  it('rate-limits with a token bucket: 429 code 10011 with Retry-After, refilled over time', async () => {
    const clock = fakeClock();
    await withSimulator({ now: clock.now, rateLimit: { perSecond: 2, burst: 3 } }, async (sim) => {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(sim, 'GET', T)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const limited = await call(sim, 'GET', T);
      expect(limited.json.errors[0]).toEqual(
        expect.objectContaining({
          code: '10011',
          detail: 'You have exceeded the maximum number of allowed requests.',
        }),
      );
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      clock.advance(500);
      expect((await call(sim, 'GET', T)).status).toBe(200);
      expect((await call(sim, 'GET', T)).status).toBe(429);
      expect(sim.counts().total).toBe(8);
      sim.setRateLimit(undefined);
      expect((await call(sim, 'GET', T)).status).toBe(200);
    });
  });

  it('counts every request per route template and resets', async () => {
    await withSimulator({}, async (sim) => {
      const id = await createTest(sim, 'a');
      await call(sim, 'POST', `${T}/${id}/runs`);
      await call(sim, 'POST', `${T}/${id}/runs`);
      await call(sim, 'GET', `${T}/test-suites/refunds/runs`);
      expect(sim.counts()).toEqual({
        total: 4,
        byEndpoint: {
          'POST /ai/assistants/tests': 1,
          'POST /ai/assistants/tests/{test_id}/runs': 2,
          'GET /ai/assistants/tests/test-suites/{suite_name}/runs': 1,
        },
        faults: {},
      });
      sim.resetCounts();
      expect(sim.counts()).toEqual({ total: 0, byEndpoint: {}, faults: {} });
    });
  });
});

describe('versions and canary deploys', () => {
  const withAssistant = (fn: (sim: Simulator) => Promise<void>, opts: SimulatorOptions = {}) =>
    withSimulator({ scenario: scenario(ASSISTANTS), ...opts }, fn);
  const A = '/ai/assistants/asst-1';
  const rollout = (weight: number, version_id = 'v-good') => ({
    rules: [{ serve: { rollout: [{ version_id, weight }] } }],
  });

  it('lists versions newest first, gets, updates and deletes non-main ones', async () => {
    await withAssistant(async (sim) => {
      const list = await call(sim, 'GET', `${A}/versions`);
      expect(list.json.data.map((v: { version_id: string }) => v.version_id)).toEqual([
        'v-bad',
        'v-good',
        'v-main',
      ]);
      expect((await call(sim, 'GET', `${A}/versions/v-good`)).json).toMatchObject({
        id: 'asst-1',
        version_name: 'Good',
      });
      expect((await call(sim, 'GET', `${A}/versions/v-zzz`)).status).toBe(404);
      const upd = await call(sim, 'POST', `${A}/versions/v-good`, { body: { version_name: 'Better' } });
      expect(upd.json.version_name).toBe('Better');
      expect((await call(sim, 'POST', `${A}/versions/v-main`, { body: { version_name: 'x' } })).status).toBe(
        400,
      );
      expect((await call(sim, 'DELETE', `${A}/versions/v-main`)).status).toBe(400);
      const del = await call(sim, 'DELETE', `${A}/versions/v-bad`);
      expect(del.status).toBe(204);
      expect((await call(sim, 'GET', `${A}/versions`)).json.data).toHaveLength(2);
    });
  });

  it('promote makes the version main and deletes any canary config', async () => {
    await withAssistant(async (sim) => {
      expect((await call(sim, 'GET', `${A}/canary-deploys`)).status).toBe(404);
      const created = await call(sim, 'POST', `${A}/canary-deploys`, { body: rollout(10) });
      expect(created.status).toBe(200);
      expect(created.json).toMatchObject({ assistant_id: 'asst-1', rules: rollout(10).rules });
      const promoted = await call(sim, 'POST', `${A}/versions/v-good/promote`);
      expect(promoted.status).toBe(200);
      expect(promoted.json.version_id).toBe('v-good');
      expect(sim.state.assistants.get('asst-1')?.mainVersionId).toBe('v-good');
      expect((await call(sim, 'GET', `${A}/canary-deploys`)).status).toBe(404);
      expect(sim.state.canaries.size).toBe(0);
    });
  });

  it('creates (200), replaces (PUT 200) and deletes (204) a canary; validates rules with 422', async () => {
    await withAssistant(async (sim) => {
      expect((await call(sim, 'PUT', `${A}/canary-deploys`, { body: rollout(5) })).status).toBe(404);
      expect((await call(sim, 'POST', `${A}/canary-deploys`, { body: rollout(5) })).status).toBe(200);
      expect((await call(sim, 'POST', `${A}/canary-deploys`, { body: rollout(6) })).status).toBe(400);
      const pinned = {
        rules: [
          {
            match: [{ attribute: 'caller_number', operator: 'in', values: ['+15550001111'] }],
            serve: { version_id: 'v-bad' },
          },
          { serve: { rollout: [{ version_id: 'v-good', weight: 20 }] } },
        ],
      };
      const put = await call(sim, 'PUT', `${A}/canary-deploys`, { body: pinned });
      expect(put.status).toBe(200);
      expect((await call(sim, 'GET', `${A}/canary-deploys`)).json.rules).toEqual(pinned.rules);

      const invalid: [unknown, (string | number)[]][] = [
        [
          { rules: [{ serve: { version_id: 'v-good', rollout: [{ version_id: 'v-good', weight: 5 }] } }] },
          ['body', 'rules', 0, 'serve'],
        ],
        [{ rules: [{ serve: {} }] }, ['body', 'rules', 0, 'serve']],
        [rollout(100), ['body', 'rules', 0, 'serve', 'rollout']],
        [rollout(101), ['body', 'rules', 0, 'serve', 'rollout', 0, 'weight']],
        [rollout(5, 'v-unknown'), ['body', 'rules', 0, 'serve', 'rollout', 0, 'version_id']],
        [
          {
            rules: [
              {
                match: [{ attribute: 'a', operator: 'equals', values: ['x'] }],
                serve: { version_id: 'v-good' },
              },
            ],
          },
          ['body', 'rules', 0, 'match', 0, 'operator'],
        ],
        [{ rules: [{}] }, ['body', 'rules', 0, 'serve']],
      ];
      for (const [body, loc] of invalid) {
        const res = await call(sim, 'PUT', `${A}/canary-deploys`, { body });
        expect(res.status, JSON.stringify(body)).toBe(422);
        expect(res.json.detail.map((d: { loc: unknown }) => d.loc)).toContainEqual(loc);
      }
      expect((await call(sim, 'GET', `${A}/canary-deploys`)).json.rules).toEqual(pinned.rules);
      expect((await call(sim, 'DELETE', `${A}/canary-deploys`)).status).toBe(204);
      expect((await call(sim, 'DELETE', `${A}/canary-deploys`)).status).toBe(404);
    });
  });
});

describe('scenario outcomes', () => {
  const finalRuns = async (sim: Simulator, clock: ReturnType<typeof fakeClock>, runIds: string[]) => {
    clock.advance(3_600_000);
    return Promise.all(
      runIds.map(async (runId) => {
        const run = sim.state.runs.get(runId);
        return (await call(sim, 'GET', `${T}/${run?.test_id}/runs/${runId}`)).json;
      }),
    );
  };

  it('applies sequences, per-criterion results, error and hang outcomes', async () => {
    const clock = fakeClock();
    const sc = scenario(`
tests:
  "*": { outcome: pass }
  "refunds/flaky": { sequence: [error, fail, pass] }
  "refunds/picky": { criteria: { Empathy: fail } }
  "refunds/broken": { outcome: error, criteria: { Accuracy: pass } }
  "refunds/stuck": { outcome: hang }
`);
    await withSimulator({ now: clock.now, scenario: sc }, async (sim) => {
      const flaky = await createTest(sim, 'flaky');
      for (const n of ['picky', 'broken', 'stuck']) await createTest(sim, n);
      const flakyRuns = [];
      for (let i = 0; i < 4; i++) flakyRuns.push((await call(sim, 'POST', `${T}/${flaky}/runs`)).json.run_id);
      const batch = (await call(sim, 'POST', `${T}/test-suites/refunds/runs`)).json;
      const done = await finalRuns(sim, clock, [
        ...flakyRuns,
        ...batch.map((r: { run_id: string }) => r.run_id),
      ]);
      expect(done.slice(0, 4).map((r) => r.status)).toEqual(['error', 'failed', 'passed', 'passed']);
      expect(done[0].detail_status).toBeUndefined();
      expect(done[1].detail_status).toEqual([
        { name: 'Accuracy', status: 'failed' },
        { name: 'Empathy', status: 'failed' },
      ]);
      const [, picky, broken, stuck] = done.slice(4);
      expect(picky).toMatchObject({
        status: 'failed',
        detail_status: [{ status: 'passed' }, { status: 'failed' }],
      });
      expect(broken).toMatchObject({
        status: 'error',
        detail_status: [{ name: 'Accuracy', status: 'passed' }],
      });
      expect(stuck.status).toBe('running');
      expect(stuck.completed_at).toBeUndefined();
      expect(sim.maxRunsInProgress()).toBeGreaterThanOrEqual(1);
    });
  });

  it('applies per-version overrides only when the trigger names that version', async () => {
    const clock = fakeClock();
    await withSimulator({ now: clock.now, scenario: scenario(ASSISTANTS) }, async (sim) => {
      const id = await createTest(sim, 'v');
      const runIds = [];
      for (const body of [{}, { destination_version_id: 'v-bad' }, { destination_version_id: 'v-good' }]) {
        runIds.push((await call(sim, 'POST', `${T}/${id}/runs`, { body })).json.run_id);
      }
      const [main, bad, good] = await finalRuns(sim, clock, runIds);
      expect(main.status).toBe('passed');
      expect(bad).toMatchObject({
        status: 'failed',
        detail_status: [
          { name: 'Accuracy', status: 'failed' },
          { name: 'Empathy', status: 'passed' },
        ],
      });
      expect(good.status).toBe('passed');
      expect(bad.logs).toContain('v-bad');
    });
  });

  it('gives the same outcomes for the same seed, whatever the trigger order', async () => {
    const outcomes = async (seed: number, reverse: boolean) => {
      const clock = fakeClock();
      const sc = scenario(`seed: ${seed}\ntests:\n  "*": { probability: 0.5 }\n`);
      return withSimulator({ now: clock.now, scenario: sc }, async (sim) => {
        const ids = [];
        for (let i = 0; i < 24; i++) ids.push(await createTest(sim, `t${i}`));
        const order = reverse ? [...ids].reverse() : ids;
        const byTest = new Map<string, string>();
        for (const id of order) byTest.set(id, (await call(sim, 'POST', `${T}/${id}/runs`)).json.run_id);
        const runs = await finalRuns(
          sim,
          clock,
          ids.map((id) => byTest.get(id) ?? ''),
        );
        return runs.map((r) => r.status).join(',');
      });
    };
    const a = await outcomes(42, false);
    expect(a).toContain('passed');
    expect(a).toContain('failed');
    expect(await outcomes(42, true)).toBe(a);
    expect(await outcomes(43, false)).not.toBe(a);
  });
});
