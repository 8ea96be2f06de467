// The Telnyx assistant-tests API client: the only code that knows URLs, headers and envelopes.
// Every response is validated with the zod schemas in schemas.ts; every failure is an ApiError
// whose message says what to do, and never contains the API key.
import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { checkBaseUrl, DEFAULT_BASE_URL } from '../config.js';
import { isNotFound, UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { type Call, type ClientEvent, type ClientStats, HttpTransport, type Sleep } from './http.js';
import { paginate, paginateParallel, readSnapshot } from './paginate.js';
import { route } from './route.js';
import {
  type Assistant,
  AssistantList,
  Assistant as AssistantSchema,
  type AssistantTest,
  AssistantTest as AssistantTestSchema,
  type CanaryDeploy,
  type CanaryDeployBody,
  CanaryDeploy as CanaryDeploySchema,
  type CreateTestBody,
  LIMITS,
  RunPage,
  SuiteNames,
  TestPage,
  type TestRun,
  TestRun as TestRunSchema,
  TriggerSuiteResponse,
  type UpdateTestBody,
} from './schemas.js';

export type { ClientEvent, ClientStats, Sleep };

export interface ClientOptions {
  apiKey: string;
  /** Default https://api.telnyx.com/v2. Must be https unless loopback (the simulator). */
  baseUrl?: string;
  /** Per attempt, not per call. Default 60 000 (the official SDK's). */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  maxRetries?: number;
  /** Longest wait honoured from retry-after-ms / Retry-After. Default 60 000. */
  retryAfterCapMs?: number;
  /** Cancels every request and backoff wait of this client. */
  signal?: AbortSignal;
  onEvent?: (e: ClientEvent) => void;
  /** Injectable for tests: the backoff wait (must reject when the signal aborts). */
  sleep?: Sleep;
  /** Injectable for tests: uniform [0, 1), used for jitter. */
  random?: () => number;
  userAgent?: string;
  /** An undici dispatcher to use instead of the client's own keep-alive Agent. */
  dispatcher?: Dispatcher;
}

/** Per-call options: every method takes these last. */
export interface CallOptions {
  signal?: AbortSignal;
}
export interface IdempotentOptions extends CallOptions {
  /** Reused for every retry of this call; generated when omitted. */
  idempotencyKey?: string;
}
export interface TriggerOptions extends IdempotentOptions {
  /** Run against this assistant version instead of main (destination_version_id). */
  versionId?: string;
}
export interface TestFilter {
  testSuite?: string;
  channel?: string;
  destination?: string;
}

const TESTS = '/ai/assistants/tests';
const TEST = `${TESTS}/{test_id}`;
const SUITE_RUNS = `${TESTS}/test-suites/{suite_name}/runs`;
const TEST_RUNS = `${TEST}/runs`;
const ASSISTANT = '/ai/assistants/{assistant_id}';
const VERSIONS = `${ASSISTANT}/versions`;
const VERSION_PATH = `${VERSIONS}/{version_id}`;
const CANARY = '/ai/assistants/{assistant_id}/canary-deploys';

/** The key for one logical call: the caller's (validated) or a fresh UUID. */
function idempotencyKey(given: string | undefined): string {
  if (given === undefined) return randomUUID();
  if (!LIMITS.idempotencyKey.test(given)) {
    throw new UsageError(`idempotency key must be 1-255 of A-Z a-z 0-9 _ - (got ${JSON.stringify(given)})`);
  }
  return given;
}

function positive(name: string, v: number | undefined, fallback: number, min: number): number {
  if (v === undefined) return fallback;
  if (!Number.isFinite(v) || v < min) throw new UsageError(`${name} must be a number >= ${min} (got ${v})`);
  return v;
}

export class TelnyxClient {
  private readonly http: HttpTransport;

  constructor(opts: ClientOptions) {
    if (!opts.apiKey) throw new UsageError('no API key: set TELNYX_API_KEY (or pass --api-key)');
    const maxRetries = positive('maxRetries', opts.maxRetries, 4, 0);
    if (!Number.isInteger(maxRetries))
      throw new UsageError(`maxRetries must be an integer (got ${maxRetries})`);
    this.http = new HttpTransport({
      apiKey: opts.apiKey,
      baseUrl: checkBaseUrl(opts.baseUrl ?? DEFAULT_BASE_URL),
      timeoutMs: positive('timeoutMs', opts.timeoutMs, 60_000, 1),
      maxRetries,
      backoff: {
        ...DEFAULT_BACKOFF,
        retryAfterCapMs: positive('retryAfterCapMs', opts.retryAfterCapMs, 60_000, 0),
      },
      userAgent: opts.userAgent ?? `rubric-gate/${VERSION}`,
      signal: opts.signal,
      onEvent: opts.onEvent,
      sleep: opts.sleep,
      random: opts.random,
      dispatcher: opts.dispatcher,
    });
  }

  /** What this client sent: requests (attempts), retries, and requests per endpoint. */
  get stats(): ClientStats {
    return this.http.stats;
  }

  /** Close idle keep-alive sockets. */
  close(): Promise<void> {
    return this.http.close();
  }

  private send<T>(call: Call<T>): Promise<T> {
    return this.http.send(call);
  }

  // --- tests -------------------------------------------------------------------------------

  listTests(filter: TestFilter = {}, opts: CallOptions = {}): AsyncIterable<AssistantTest> {
    return paginate(this.testPages(filter, opts));
  }

  /** Every matching test as one consistent snapshot (see readSnapshot): what sync plans from. */
  snapshotTests(filter: TestFilter = {}, opts: CallOptions = {}): Promise<AssistantTest[]> {
    const what = `the test list${filter.testSuite === undefined ? '' : ` of suite ${JSON.stringify(filter.testSuite)}`}`;
    return readSnapshot(this.testPages(filter, opts), (t) => t.test_id, what);
  }

  private testPages(filter: TestFilter, opts: CallOptions) {
    return (page: { 'page[number]': number; 'page[size]': number }) =>
      this.send({
        route: route('GET', TESTS),
        query: {
          test_suite: filter.testSuite,
          telnyx_conversation_channel: filter.channel,
          destination: filter.destination,
          ...page,
        },
        schema: TestPage,
        signal: opts.signal,
      });
  }

  async createTest(body: CreateTestBody, opts: IdempotentOptions = {}): Promise<AssistantTest> {
    return this.send({
      route: route('POST', TESTS),
      body,
      idempotencyKey: idempotencyKey(opts.idempotencyKey),
      schema: AssistantTestSchema,
      signal: opts.signal,
    });
  }

  async getTest(testId: string, opts: CallOptions = {}): Promise<AssistantTest> {
    return this.send({
      route: route('GET', TEST, { test_id: testId }),
      schema: AssistantTestSchema,
      signal: opts.signal,
    });
  }

  async updateTest(testId: string, body: UpdateTestBody, opts: CallOptions = {}): Promise<AssistantTest> {
    return this.send({
      route: route('PUT', TEST, { test_id: testId }),
      body,
      schema: AssistantTestSchema,
      signal: opts.signal,
    });
  }

  async deleteTest(testId: string, opts: CallOptions = {}): Promise<void> {
    await this.send({ route: route('DELETE', TEST, { test_id: testId }), signal: opts.signal });
  }

  async listSuiteNames(opts: CallOptions = {}): Promise<string[]> {
    const res = await this.send({
      route: route('GET', `${TESTS}/test-suites`),
      schema: SuiteNames,
      signal: opts.signal,
    });
    return res.data;
  }

  // --- runs --------------------------------------------------------------------------------

  /** `parallel`: read pages after the first that many at a time (the order of items is then moot). */
  listSuiteRuns(
    suite: string,
    filter: { testSuiteRunId?: string; status?: string } = {},
    opts: CallOptions & { parallel?: number } = {},
  ): AsyncIterable<TestRun> {
    const fetchPage = (page: { 'page[number]': number; 'page[size]': number }) =>
      this.send({
        route: route('GET', SUITE_RUNS, { suite_name: suite }),
        query: { test_suite_run_id: filter.testSuiteRunId, status: filter.status, ...page },
        schema: RunPage,
        signal: opts.signal,
      });
    return opts.parallel !== undefined && opts.parallel > 1
      ? paginateParallel(fetchPage, opts.parallel)
      : paginate(fetchPage);
  }

  async triggerSuite(suite: string, opts: TriggerOptions = {}): Promise<TestRun[]> {
    return this.send({
      route: route('POST', SUITE_RUNS, { suite_name: suite }),
      body: triggerBody(opts.versionId),
      idempotencyKey: idempotencyKey(opts.idempotencyKey),
      schema: TriggerSuiteResponse,
      signal: opts.signal,
    });
  }

  listTestRuns(
    testId: string,
    filter: { status?: string } = {},
    opts: CallOptions = {},
  ): AsyncIterable<TestRun> {
    return paginate((page) =>
      this.send({
        route: route('GET', TEST_RUNS, { test_id: testId }),
        query: { status: filter.status, ...page },
        schema: RunPage,
        signal: opts.signal,
      }),
    );
  }

  async triggerTest(testId: string, opts: TriggerOptions = {}): Promise<TestRun> {
    return this.send({
      route: route('POST', TEST_RUNS, { test_id: testId }),
      body: triggerBody(opts.versionId),
      idempotencyKey: idempotencyKey(opts.idempotencyKey),
      schema: TestRunSchema,
      signal: opts.signal,
    });
  }

  async getRun(testId: string, runId: string, opts: CallOptions = {}): Promise<TestRun> {
    return this.send({
      route: route('GET', `${TEST_RUNS}/{run_id}`, { test_id: testId, run_id: runId }),
      schema: TestRunSchema,
      signal: opts.signal,
    });
  }

  // --- versions and canary deploys ---------------------------------------------------------

  /**
   * The assistant as it serves live traffic: its `version_id` is the main version. Outside the
   * spec extract (the SDK's ai.assistants.retrieve), used only to tell which version is main.
   */
  async getAssistant(assistantId: string, opts: CallOptions = {}): Promise<Assistant> {
    return this.send({
      route: route('GET', ASSISTANT, { assistant_id: assistantId }),
      schema: AssistantSchema,
      signal: opts.signal,
    });
  }

  async listVersions(assistantId: string, opts: CallOptions = {}): Promise<Assistant[]> {
    const res = await this.send({
      route: route('GET', VERSIONS, { assistant_id: assistantId }),
      schema: AssistantList,
      signal: opts.signal,
    });
    return res.data;
  }

  async getVersion(assistantId: string, versionId: string, opts: CallOptions = {}): Promise<Assistant> {
    return this.send({
      route: route('GET', VERSION_PATH, { assistant_id: assistantId, version_id: versionId }),
      schema: AssistantSchema,
      signal: opts.signal,
    });
  }

  /** No Idempotency-Key exists for promote, so an ambiguous failure is not retried. */
  async promoteVersion(assistantId: string, versionId: string, opts: CallOptions = {}): Promise<Assistant> {
    return this.send({
      route: route('POST', `${VERSION_PATH}/promote`, { assistant_id: assistantId, version_id: versionId }),
      schema: AssistantSchema,
      signal: opts.signal,
    });
  }

  /** The assistant's canary config, or undefined when it has none (404). */
  async getCanary(assistantId: string, opts: CallOptions = {}): Promise<CanaryDeploy | undefined> {
    try {
      return await this.send({
        route: route('GET', CANARY, { assistant_id: assistantId }),
        schema: CanaryDeploySchema,
        signal: opts.signal,
      });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async createCanary(
    assistantId: string,
    body: CanaryDeployBody,
    opts: IdempotentOptions = {},
  ): Promise<CanaryDeploy> {
    return this.send({
      route: route('POST', CANARY, { assistant_id: assistantId }),
      body,
      idempotencyKey: idempotencyKey(opts.idempotencyKey),
      schema: CanaryDeploySchema,
      signal: opts.signal,
    });
  }

  async updateCanary(
    assistantId: string,
    body: CanaryDeployBody,
    opts: CallOptions = {},
  ): Promise<CanaryDeploy> {
    return this.send({
      route: route('PUT', CANARY, { assistant_id: assistantId }),
      body,
      schema: CanaryDeploySchema,
      signal: opts.signal,
    });
  }

  async deleteCanary(assistantId: string, opts: CallOptions = {}): Promise<void> {
    await this.send({ route: route('DELETE', CANARY, { assistant_id: assistantId }), signal: opts.signal });
  }
}

/** The official SDK sends `{}` when the optional trigger body is empty. */
const triggerBody = (versionId: string | undefined): { destination_version_id?: string } =>
  versionId === undefined ? {} : { destination_version_id: versionId };
