// The API client against the real simulator over loopback: every method, pagination, retries
// and their limits, error messages, cancellation and timeouts. Waits are injected (recorded,
// not slept) so the file is fast and asserts on counts, not timings.
import { Agent, type Dispatcher } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ClientEvent, type ClientOptions, TelnyxClient } from '../../src/api/client.js';
import { collect } from '../../src/api/paginate.js';
import type { CreateTestBody } from '../../src/api/schemas.js';
import { ApiError, exitCodeForError } from '../../src/errors.js';
import { type FaultRule, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';

const KEY = 'KEY_CANARY_SECRET_123';
const SUITE = 'billing/refunds'; // a '/' in a path param must be percent-encoded

const scenario = Scenario.parse({
  seed: 7,
  assistants: [
    {
      id: 'assistant-support',
      name: 'Support',
      versions: [
        { id: 'v-main', name: 'main', main: true },
        { id: 'v-candidate', name: 'candidate' },
      ],
    },
  ],
});

let sim: Simulator;
/** Everything the client produced in this file: checked for the key at the end. */
const seen: { errors: unknown[]; events: ClientEvent[] } = { errors: [], events: [] };
const clients: TelnyxClient[] = [];

interface Harness {
  client: TelnyxClient;
  waits: number[];
  events: ClientEvent[];
  headers: Record<string, string>[];
}

/** A client whose backoff waits are recorded and skipped, and whose sent headers are captured. */
function harness(over: Partial<ClientOptions> = {}): Harness {
  const waits: number[] = [];
  const events: ClientEvent[] = [];
  const headers: Record<string, string>[] = [];
  const dispatcher = new Agent().compose(
    (dispatch: Dispatcher['dispatch']): Dispatcher['dispatch'] =>
      (opts, handler) => {
        headers.push({ ...(opts.headers as Record<string, string>) });
        return dispatch(opts, handler);
      },
  );
  const client = new TelnyxClient({
    apiKey: KEY,
    baseUrl: sim.url,
    userAgent: 'rubric-gate-test',
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    onEvent: (e) => {
      events.push(e);
      seen.events.push(e);
    },
    dispatcher,
    ...over,
  });
  clients.push(client);
  return { client, waits, events, headers };
}

/** The rejection of p, recorded for the key check. */
async function failure(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  seen.errors.push(err);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

const body = (name: string, suite = SUITE): CreateTestBody => ({
  name,
  destination: '+15551234567',
  instructions: 'Ask for a refund of order 1234.',
  rubric: [{ name: 'polite', criteria: 'The assistant is polite.' }],
  telnyx_conversation_channel: 'web_chat',
  test_suite: suite,
});

const count = (endpoint: string): number => sim.counts().byEndpoint[endpoint] ?? 0;
const fault = (rule: FaultRule): void => sim.setFaults([rule]);

beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, scenario });
});
afterEach(() => {
  sim.setFaults([]);
});
beforeEach(() => {
  sim.resetCounts();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await sim?.close();
});

describe('every method against the simulator', () => {
  it('tests: create, get, update, list with filters, suite names, delete', async () => {
    const { client } = harness();
    const created = await client.createTest(body('refund happy path'));
    expect(created).toMatchObject({ name: 'refund happy path', test_suite: SUITE });
    expect(await client.getTest(created.test_id)).toMatchObject({ test_id: created.test_id });

    const updated = await client.updateTest(created.test_id, {
      ...body('refund happy path'),
      description: 'v2',
    });
    expect(updated.description).toBe('v2');

    const other = await client.createTest(body('other suite test', 'smoke'));
    const inSuite = await collect(client.listTests({ testSuite: SUITE }));
    expect(inSuite.map((t) => t.test_id)).toContain(created.test_id);
    expect(inSuite.map((t) => t.test_id)).not.toContain(other.test_id);
    expect(await client.listSuiteNames()).toEqual(expect.arrayContaining([SUITE, 'smoke']));

    await client.deleteTest(other.test_id);
    const gone = await failure(client.getTest(other.test_id));
    expect(gone.details.status).toBe(404);
    // the part after the arrow (not just the path) says which id was not found
    expect(gone.message.split('→')[1]).toContain(other.test_id);
    expect(count('DELETE /ai/assistants/tests/{test_id}')).toBe(1);
  });

  it('runs: trigger a suite (encoded name), list its runs, trigger a test, list and get runs', async () => {
    const { client } = harness();
    const t1 = await client.createTest(body('runs a', 'runs suite & more?'));
    const t2 = await client.createTest(body('runs b', 'runs suite & more?'));

    const suiteRuns = await client.triggerSuite('runs suite & more?');
    expect(suiteRuns.map((r) => r.test_id).sort()).toEqual([t1.test_id, t2.test_id].sort());
    const suiteRunId = suiteRuns[0]?.test_suite_run_id;
    expect(suiteRunId).toBeTruthy();
    expect(count('POST /ai/assistants/tests/test-suites/{suite_name}/runs')).toBe(1);

    const listed = await collect(client.listSuiteRuns('runs suite & more?', { testSuiteRunId: suiteRunId }));
    expect(listed.map((r) => r.run_id).sort()).toEqual(suiteRuns.map((r) => r.run_id).sort());

    const run = await client.triggerTest(t1.test_id, { versionId: 'v-candidate' });
    expect(run.test_id).toBe(t1.test_id);
    const runs = await collect(client.listTestRuns(t1.test_id));
    expect(runs.map((r) => r.run_id)).toEqual(expect.arrayContaining([run.run_id, suiteRuns[0]?.run_id]));
    expect((await client.getRun(t1.test_id, run.run_id)).run_id).toBe(run.run_id);
  });

  it('versions and canary deploys: list, get, canary lifecycle, promote', async () => {
    const { client } = harness();
    const versions = await client.listVersions('assistant-support');
    expect(versions.map((v) => v.version_id)).toEqual(expect.arrayContaining(['v-main', 'v-candidate']));
    expect((await client.getVersion('assistant-support', 'v-candidate')).version_id).toBe('v-candidate');

    expect(await client.getCanary('assistant-support')).toBeUndefined();
    const rules = [{ serve: { rollout: [{ version_id: 'v-candidate', weight: 10 }] } }];
    const canary = await client.createCanary('assistant-support', { rules });
    expect(canary.assistant_id).toBe('assistant-support');
    expect((await client.getCanary('assistant-support'))?.rules).toHaveLength(1);
    const updated = await client.updateCanary('assistant-support', {
      rules: [{ serve: { rollout: [{ version_id: 'v-candidate', weight: 25 }] } }],
    });
    expect(updated.rules[0]?.serve.rollout?.[0]?.weight).toBe(25);
    await client.deleteCanary('assistant-support');
    expect(await client.getCanary('assistant-support')).toBeUndefined();

    const promoted = await client.promoteVersion('assistant-support', 'v-candidate');
    expect(promoted.id).toBe('assistant-support');
    expect(count('POST /ai/assistants/{assistant_id}/versions/{version_id}/promote')).toBe(1);
  });
});

describe('pagination', () => {
  it('walks more than 100 items with page[size]=100, one request per page', async () => {
    const { client, headers } = harness();
    for (let i = 0; i < 230; i++) await client.createTest(body(`bulk ${i}`, 'bulk'));
    sim.resetCounts();
    const all = await collect(client.listTests({ testSuite: 'bulk' }));
    expect(all).toHaveLength(230);
    expect(new Set(all.map((t) => t.test_id)).size).toBe(230);
    expect(count('GET /ai/assistants/tests')).toBe(3);
    expect(client.stats.byEndpoint['GET /ai/assistants/tests']).toBe(3);
    expect(headers).toHaveLength(233);
  });
});

describe('retries', () => {
  it('waits out a 429 with Retry-After: 2, then succeeds', async () => {
    const { client, waits, events } = harness();
    fault({
      match: { method: 'GET', endpoint: '/ai/assistants/tests/test-suites' },
      kind: 'status',
      status: 429,
      retryAfter: 2,
      count: 1,
    });
    await client.listSuiteNames();
    expect(waits).toEqual([2000]);
    expect(events.filter((e) => e.type === 'retry')).toEqual([
      expect.objectContaining({ status: 429, delayMs: 2000, delaySource: 'retry-after', attempt: 1 }),
    ]);
    expect(count('GET /ai/assistants/tests/test-suites')).toBe(2);
    expect(client.stats).toMatchObject({ requests: 2, retries: 1 });
  });

  it('retries a trigger dropped after the server acted, with the same key: exactly one run', async () => {
    const { client, headers } = harness();
    const t = await client.createTest(body('drop-after'));
    headers.length = 0;
    sim.resetCounts();
    fault({
      match: { method: 'POST', endpoint: '/ai/assistants/tests/{test_id}/runs' },
      kind: 'drop-after',
      count: 1,
    });

    const run = await client.triggerTest(t.test_id);
    expect(count('POST /ai/assistants/tests/{test_id}/runs')).toBe(2);
    const keys = headers.map((h) => h['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);

    const runs = await collect(client.listTestRuns(t.test_id));
    expect(runs.map((r) => r.run_id)).toEqual([run.run_id]);
    expect([...sim.state.runs.values()].filter((r) => r.test_id === t.test_id)).toHaveLength(1);
  });

  it('each logical trigger gets its own key; a caller key is sent as given', async () => {
    const { client, headers } = harness();
    const t = await client.createTest(body('keys'));
    headers.length = 0;
    await client.triggerTest(t.test_id);
    await client.triggerTest(t.test_id, { idempotencyKey: 'my-key_1' });
    const keys = headers.map((h) => h['idempotency-key']);
    expect(keys[0]).not.toBe(keys[1]);
    expect(keys[1]).toBe('my-key_1');
    expect(headers[0]?.authorization).toBe(`Bearer ${KEY}`);
  });

  it('recovers from a burst of 5xx', async () => {
    const { client, waits } = harness();
    fault({
      match: { method: 'GET', endpoint: '/ai/assistants/tests' },
      kind: 'status',
      status: 503,
      count: 3,
    });
    await collect(client.listTests({ testSuite: 'smoke' }));
    expect(count('GET /ai/assistants/tests')).toBe(4);
    // full jitter with random() = 0.5: half of 500, 1000, 2000
    expect(waits).toEqual([250, 500, 1000]);
  });

  it('gives up after maxRetries and says so', async () => {
    const { client } = harness({ maxRetries: 2 });
    fault({ match: { method: 'GET' }, kind: 'status', status: 502 });
    const err = await failure(client.listSuiteNames());
    expect(err.details).toMatchObject({ status: 502, attempts: 3 });
    expect(err.message).toContain('after 3 attempts');
    expect(count('GET /ai/assistants/tests/test-suites')).toBe(3);
  });

  it('does not retry when the server sends x-should-retry: false', async () => {
    const { client, waits } = harness();
    fault({ match: { method: 'GET' }, kind: 'status', status: 503, shouldRetry: false, count: 1 });
    const err = await failure(client.listSuiteNames());
    expect(err.details).toMatchObject({ status: 503, attempts: 1 });
    expect(waits).toEqual([]);
    expect(count('GET /ai/assistants/tests/test-suites')).toBe(1);
  });

  it('does not retry promote (no Idempotency-Key) on an ambiguous failure', async () => {
    const { client } = harness();
    fault({ match: { method: 'POST' }, kind: 'status', status: 503, count: 1 });
    const err = await failure(client.promoteVersion('assistant-support', 'v-main'));
    expect(err.details).toMatchObject({ status: 503, attempts: 1 });
    expect(count('POST /ai/assistants/{assistant_id}/versions/{version_id}/promote')).toBe(1);
  });

  it('rate limit: a 429 that persists ends in a "rate limited" error', async () => {
    const { client, waits } = harness({ maxRetries: 1 });
    fault({ match: { method: 'GET' }, kind: 'status', status: 429, retryAfterMs: 150 });
    const err = await failure(client.listSuiteNames());
    expect(err.details.status).toBe(429);
    expect(err.message).toMatch(/rate limited after 2 attempts/);
    expect(waits).toEqual([150]);
  });
});

describe('errors', () => {
  it('a malformed body is an ApiError naming the endpoint', async () => {
    const { client } = harness();
    fault({ match: { method: 'GET', endpoint: '/ai/assistants/tests/test-suites' }, kind: 'malformed' });
    const err = await failure(client.listSuiteNames());
    expect(err.message).toMatch(/^GET \/ai\/assistants\/tests\/test-suites → 20\d .*not valid JSON/);
  });

  it('a truncated body is an ApiError naming the endpoint (a GET is retried first)', async () => {
    const { client } = harness({ maxRetries: 1 });
    fault({ match: { method: 'GET', endpoint: '/ai/assistants/tests' }, kind: 'truncated' });
    const err = await failure(collect(client.listTests()));
    expect(err.message).toMatch(
      /^GET \/ai\/assistants\/tests → 200 but the response body was cut off .*after 2 attempts$/,
    );
    expect(count('GET /ai/assistants/tests')).toBe(2);
    expect(exitCodeForError(err)).toBe(3);
  });

  it('a truncated trigger answer is retried with the same key: one run', async () => {
    const { client, headers } = harness();
    const t = await client.createTest(body('truncated trigger'));
    headers.length = 0;
    fault({ match: { endpoint: 'POST /ai/assistants/tests/{test_id}/runs' }, kind: 'truncated', count: 1 });
    const run = await client.triggerTest(t.test_id);
    expect(headers.map((h) => h['idempotency-key'])).toEqual([
      headers[0]?.['idempotency-key'],
      headers[0]?.['idempotency-key'],
    ]);
    expect([...sim.state.runs.values()].filter((r) => r.test_id === t.test_id).map((r) => r.run_id)).toEqual([
      run.run_id,
    ]);
  });

  it('401: the message says to check TELNYX_API_KEY and never shows the key', async () => {
    const wrong = 'KEY_CANARY_SECRET_WRONG_456';
    const { client } = harness({ apiKey: wrong });
    const err = await failure(client.createTest(body('unauthorised')));
    expect(err.details.status).toBe(401);
    expect(err.details.attempts).toBe(1);
    expect(err.message).toMatch(/^POST \/ai\/assistants\/tests → 401 .*TELNYX_API_KEY/);
    expect(`${err.message}${err.stack}${JSON.stringify(err.details)}`).not.toContain(wrong);
  });

  it('422 lists what the server rejected', async () => {
    const { client } = harness();
    const err = await failure(client.createTest({ ...body('x'), name: 'n'.repeat(300) }));
    expect(err.details.status).toBe(422);
    expect(err.message).toMatch(/→ 422 .*name/);
  });

  it('a connection error names the host and the call', async () => {
    const { client, waits } = harness({ baseUrl: 'http://127.0.0.1:1/v2', maxRetries: 1 });
    const err = await failure(client.getTest('t1'));
    expect(err.message).toMatch(
      /^GET \/ai\/assistants\/tests\/t1 → could not reach 127\.0\.0\.1:1: connection refused/,
    );
    expect(err.details.attempts).toBe(2);
    expect(err.details.status).toBeUndefined();
    expect(waits).toHaveLength(1);
  });
});

describe('cancellation and timeouts', () => {
  it('abort cancels a backoff wait at once (real sleep, 60 s Retry-After)', async () => {
    const ac = new AbortController();
    const { client } = harness({
      sleep: undefined,
      signal: ac.signal,
      onEvent: (e) => {
        seen.events.push(e);
        if (e.type === 'retry') ac.abort();
      },
    });
    fault({ match: { method: 'GET' }, kind: 'status', status: 429, retryAfter: 60 });
    const err = await failure(client.listSuiteNames());
    expect(err.message).toBe('GET /ai/assistants/tests/test-suites → cancelled');
    expect(err.details.status).toBeUndefined();
    expect(count('GET /ai/assistants/tests/test-suites')).toBe(1);
    expect(exitCodeForError(err)).toBe(3);
  });

  it('a per-call signal aborts an in-flight request', async () => {
    const { client } = harness();
    fault({ match: { method: 'GET' }, kind: 'latency', latencyMs: 5_000 });
    const ac = new AbortController();
    const p = client.listSuiteNames({ signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await failure(p);
    expect(err.message).toContain('cancelled');
    expect(count('GET /ai/assistants/tests/test-suites')).toBe(1);
  });

  it('a slow answer hits the per-attempt timeout, is retried, then reported with the timeout', async () => {
    const { client, waits } = harness({ timeoutMs: 150, maxRetries: 1 });
    fault({ match: { method: 'GET' }, kind: 'latency', latencyMs: 3_000 });
    const err = await failure(client.getTest('slow-test'));
    expect(err.message).toBe(
      `GET /ai/assistants/tests/slow-test → no response from ${new URL(sim.url).host} within 150 ms (per-attempt timeout) after 2 attempts`,
    );
    expect(count('GET /ai/assistants/tests/{test_id}')).toBe(2);
    expect(waits).toHaveLength(1);
  });
});

describe('the API key', () => {
  it('never appears in any error, stack, cause or event produced above', () => {
    expect(seen.errors.length).toBeGreaterThan(10);
    expect(seen.events.length).toBeGreaterThan(10);
    for (const err of seen.errors) {
      const e = err as ApiError;
      const cause = e.cause instanceof Error ? `${e.cause.message}${e.cause.stack}` : String(e.cause);
      const all = `${e.message}\n${e.stack}\n${JSON.stringify(e.details)}\n${cause}`;
      expect(all).not.toContain(KEY);
      expect(all).not.toContain('SECRET');
    }
    expect(JSON.stringify(seen.events)).not.toContain('SECRET');
    if (process.env.SHOW_API_MESSAGES) console.log(seen.errors.map((e) => (e as Error).message).join('\n'));
  });
});
