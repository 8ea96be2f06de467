// The HTTP shell: one logical call = up to 1 + maxRetries attempts over a keep-alive undici
// Agent, each with its own timeout, separated by cancellable backoff sleeps. Retries are done
// here rather than with undici's RetryAgent, which has no jitter and refuses POST
// (ci-conventions.md section 3.3).
import { STATUS_CODES } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent, type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { redact, secretProbe } from '../errors.js';
import {
  type BackoffPolicy,
  type Failure,
  isReplaySafe,
  isRetryable,
  retryDelay,
  serverDelay,
} from './backoff.js';
import { Pacer } from './pacer.js';
import {
  type CallContext,
  cancelledError,
  invalidJsonError,
  networkError,
  schemaError,
  statusError,
  timeoutError,
} from './problems.js';
import { endpointKey, type Route } from './route.js';

/** Hooks for logging and tests. Never carries the API key or a request body. */
export type ClientEvent =
  | {
      type: 'response';
      method: string;
      path: string;
      endpoint: string;
      attempt: number;
      status: number;
      ms: number;
    }
  | {
      type: 'retry';
      method: string;
      path: string;
      endpoint: string;
      /** The attempt that just failed (1-based). */
      attempt: number;
      delayMs: number;
      delaySource: 'retry-after' | 'rate-limit' | 'backoff';
      status?: number;
      reason: string;
    };

export interface ClientStats {
  /** HTTP requests actually sent (every attempt counts). */
  requests: number;
  /** Attempts after the first, summed over all calls. */
  retries: number;
  /** Requests per 'METHOD /route/template', the same keys as the simulator's counts(). */
  byEndpoint: Record<string, number>;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface TransportOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  backoff: BackoffPolicy;
  userAgent: string;
  signal?: AbortSignal | undefined;
  onEvent?: ((e: ClientEvent) => void) | undefined;
  sleep?: Sleep | undefined;
  random?: (() => number) | undefined;
  now?: (() => number) | undefined;
  dispatcher?: Dispatcher | undefined;
}

export interface Call<T> {
  route: Route;
  query?: Readonly<Record<string, string | number | undefined>>;
  /** JSON body; undefined sends no body. */
  body?: unknown;
  idempotencyKey?: string;
  /** Validates the 2xx body; omitted = the body is ignored (DELETE). */
  schema?: z.ZodType<T>;
  signal?: AbortSignal | undefined;
}

type Attempt =
  | { ok: true; status: number; body: string }
  | { ok: false; failure: Failure; body: string; error?: unknown };

/** Retries of one call refused by a spent quota (see send), on top of maxRetries. */
export const RATE_LIMITED_RETRIES = 20;
/**
 * The longest reset that budget is for: a token bucket refilling. A longer one (a window that
 * resets in minutes or a day) counts against maxRetries like any 429, so one call waits minutes
 * at most, not 20 capped waits.
 */
export const RATE_LIMITED_RESET_MAX_MS = 5_000;

/**
 * The most of a response body read. A page of 100 runs with long logs is far below it; a body
 * that never ends, or a huge one, ends the read instead of taking the memory (an endless body
 * held ~1 GB after 8 s on loopback). An error answer is only ever shown clipped, so it is read
 * to its first 64 KiB.
 */
/** JSON escapes that can spell a key's characters (\n, \t, \", \\ cannot: a key has none). */
const ESCAPE_SPELLING = /\\[u/]/;

export const BODY_LIMIT = 16 * 1024 * 1024;
export const ERROR_BODY_LIMIT = 64 * 1024;

/** A response body up to `limit` bytes; past it the body is destroyed (the connection with it). */
async function readBody(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<{ text: string; cut: boolean }> {
  const pieces: Buffer[] = [];
  let total = 0;
  for await (const piece of body as AsyncIterable<Buffer>) {
    if (total + piece.length > limit) {
      pieces.push(piece.subarray(0, limit - total));
      body.destroy();
      return { text: Buffer.concat(pieces).toString('utf8'), cut: true };
    }
    pieces.push(piece);
    total += piece.length;
  }
  return { text: Buffer.concat(pieces, total).toString('utf8'), cut: false };
}

const defaultSleep: Sleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

export class HttpTransport {
  readonly stats: ClientStats = { requests: 0, retries: 0, byEndpoint: {} };
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly origin: URL;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly opts: TransportOptions) {
    this.origin = new URL(`${opts.baseUrl.replace(/\/+$/, '')}/`);
    this.ownsDispatcher = opts.dispatcher === undefined;
    // keepAliveTimeout below typical server idle timeouts (Node's default is 5 s) to avoid
    // reusing a socket the server is closing.
    this.dispatcher = opts.dispatcher ?? new Agent({ keepAliveTimeout: 4_000, connections: 16 });
    this.sleep = opts.sleep ?? defaultSleep;
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.pacer = new Pacer(this.now, this.sleep);
  }

  /** Shared by every request: the advertised rate limit, learnt from answers. */
  private readonly pacer: Pacer;

  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  /** Send one logical call, retrying per the policy; returns the validated body. */
  async send<T>(call: Call<T>): Promise<T> {
    const { route } = call;
    const signal = anySignal(this.opts.signal, call.signal);
    const replaySafe = isReplaySafe(route.method, call.idempotencyKey !== undefined);
    const ctx = (attempts: number): CallContext => ({
      route,
      host: this.origin.host,
      attempts,
      secret: this.opts.apiKey,
    });

    let heldAlready = false;
    // Retries of a spent quota (a 429 whose x-ratelimit-reset says when): each costs one refill
    // period, and the pacer widens its spacing after each, so they have their own budget instead
    // of using up maxRetries (a write refused twice by a 1-request quota must not fail).
    let rateLimited = 0;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw cancelledError(ctx(attempt - 1), signal.reason);
      const result = await this.attempt(call, attempt, signal, heldAlready);
      if (result.ok) {
        try {
          return this.decode(call, result, ctx(attempt));
        } catch (err) {
          // A garbled 2xx (cut-off or wrong-shape JSON, an HTML page from a proxy) to a safe read
          // is retried like a 5xx. A write is not: its 2xx means it happened, and the caller
          // decides (a trigger reconciles, see run/trigger.ts).
          if (route.method !== 'GET' || attempt > this.opts.maxRetries) throw err;
          heldAlready = await this.backoff(
            { kind: 'status', status: result.status, headers: {} },
            attempt,
            `${result.status} with an unreadable body`,
            signal,
            ctx,
          );
          continue;
        }
      }

      const { failure } = result;
      if (failure.kind === 'network' && signal?.aborted) throw cancelledError(ctx(attempt), signal.reason);
      const server = failure.kind === 'status' ? serverDelay(failure, this.now()) : undefined;
      const paced = server?.source === 'rate-limit' && server.ms <= RATE_LIMITED_RESET_MAX_MS;
      if (paced) rateLimited++;
      const budget = paced
        ? rateLimited <= RATE_LIMITED_RETRIES
        : attempt - rateLimited <= this.opts.maxRetries;
      const retry = budget && isRetryable(failure, replaySafe);
      if (!retry) throw this.failureError(failure, result, ctx(attempt), call);

      heldAlready = await this.backoff(
        failure,
        attempt,
        this.retryReason(failure, result.error),
        signal,
        ctx,
        paced ? rateLimited - 1 : 0,
      );
    }
  }

  /**
   * Announce a retry, then wait for it (cancellable); counts the retry. True: it waited a
   * Retry-After (a rate-limit reset is not: the retry then waits its pacer turn, spaced and
   * behind the writers already waiting, like any request).
   */
  private async backoff(
    failure: Failure,
    attempt: number,
    reason: string,
    signal: AbortSignal | undefined,
    ctx: (attempts: number) => CallContext,
    rateLimitedSoFar = 0,
  ): Promise<boolean> {
    const route = ctx(attempt).route;
    const wait = retryDelay(
      failure,
      attempt - 1,
      this.opts.backoff,
      this.random,
      this.now(),
      rateLimitedSoFar,
    );
    this.emit({
      type: 'retry',
      method: route.method,
      path: route.path,
      endpoint: endpointKey(route),
      attempt,
      delayMs: wait.ms,
      delaySource: wait.source,
      ...(failure.kind !== 'timeout' && failure.status !== undefined ? { status: failure.status } : {}),
      reason,
    });
    try {
      await this.sleep(wait.ms, signal);
    } catch (err) {
      throw cancelledError(ctx(attempt), signal?.reason ?? err);
    }
    if (signal?.aborted) throw cancelledError(ctx(attempt), signal.reason);
    this.stats.retries++;
    return wait.source === 'retry-after';
  }

  private failureError<T>(
    failure: Failure,
    result: Extract<Attempt, { ok: false }>,
    c: CallContext,
    call: Call<T>,
  ) {
    switch (failure.kind) {
      case 'status':
        return statusError(c, failure.status, result.body, {
          hadIdempotencyKey: call.idempotencyKey !== undefined,
        });
      case 'timeout':
        return timeoutError(c, this.opts.timeoutMs);
      case 'network':
        return networkError(c, result.error, failure.status);
    }
  }

  /** Short cause for a retry event: '503 Service Unavailable', 'ECONNRESET', 'timeout after 60000 ms'. */
  private retryReason(failure: Failure, error: unknown): string {
    if (failure.kind === 'timeout') return `no response within ${this.opts.timeoutMs} ms`;
    if (failure.kind === 'status') return `${failure.status} ${STATUS_CODES[failure.status] ?? 'HTTP error'}`;
    const msg = error instanceof Error ? error.message : String(error);
    const what = failure.code ? `${failure.code}: ${msg}` : msg;
    return failure.status === undefined ? what : `${failure.status} with a cut-off body (${what})`;
  }

  private decode<T>(call: Call<T>, result: { status: number; body: string }, c: CallContext): T {
    if (!call.schema) return undefined as T;
    let json: unknown;
    const body = this.scrub(result.body);
    try {
      json = JSON.parse(body);
    } catch (err) {
      throw invalidJsonError(c, result.status, body, err);
    }
    // A JSON escape (\u0041, \/) can spell the key so that no run of it shows in the text.
    if (ESCAPE_SPELLING.test(body)) json = this.scrubParsed(json);
    const parsed = call.schema.safeParse(json);
    if (!parsed.success) throw schemaError(c, result.status, parsed.error.issues);
    return parsed.data;
  }

  /**
   * A 2xx answer's text without the API key: a server that echoes the request (a run's logs
   * with its Authorization header) would put it in every report, the state file and the PR
   * comment. One scan for any piece redact masks (secretProbe); only then redact's own.
   */
  private scrub(text: string): string {
    this.keyProbe ??= secretProbe(this.opts.apiKey);
    return this.keyProbe(text) ? redact(text, this.opts.apiKey) : text;
  }

  private keyProbe: ((text: string) => boolean) | undefined;

  /** Every string (keys too) of a parsed answer scrubbed: iterative, as a hostile answer nests deep. */
  private scrubParsed(json: unknown): unknown {
    const clean = (v: string) => this.scrub(v);
    const stack: Array<Record<string, unknown> | unknown[]> = [];
    const visit = (v: unknown): unknown => {
      if (typeof v === 'string') return clean(v);
      if (v !== null && typeof v === 'object') stack.push(v as Record<string, unknown> | unknown[]);
      return v;
    };
    const root = visit(json);
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) node[i] = visit(node[i]);
        continue;
      }
      for (const key of Object.keys(node)) {
        const value = visit(node[key]);
        const name = clean(key);
        if (name === key && value === node[key]) continue;
        if (name !== key) delete node[key];
        // defineProperty, not assignment: JSON.parse makes "__proto__" an own key like any other.
        Object.defineProperty(node, name, { value, enumerable: true, writable: true, configurable: true });
      }
    }
    return root;
  }

  /** One HTTP exchange with its own timeout; never throws except for programming errors. */
  private async attempt<T>(
    call: Call<T>,
    attempt: number,
    signal: AbortSignal | undefined,
    heldAlready = false,
  ): Promise<Attempt> {
    const { route } = call;
    const url = new URL(route.path.replace(/^\/+/, ''), this.origin);
    for (const [k, v] of Object.entries(call.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.opts.apiKey}`,
      accept: route.method === 'DELETE' ? '*/*' : 'application/json',
      'user-agent': this.opts.userAgent,
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey !== undefined) headers['idempotency-key'] = call.idempotencyKey;

    let sentAt: number;
    try {
      sentAt = await this.pacer.acquire(signal, heldAlready);
    } catch (error) {
      return { ok: false, failure: { kind: 'network' }, body: '', error };
    }
    const timeout = AbortSignal.timeout(this.opts.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const key = endpointKey(route);
    this.stats.requests++;
    this.stats.byEndpoint[key] = (this.stats.byEndpoint[key] ?? 0) + 1;
    const started = this.now();
    let status: number | undefined;
    try {
      const res = await request(url, {
        method: route.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: combined,
        dispatcher: this.dispatcher,
      });
      status = res.statusCode;
      this.pacer.observe(res.headers, res.statusCode, sentAt);
      if (res.statusCode === 429) {
        // Every request waits out the server's hint, not only this one (this one also waits it
        // before its retry, see retryDelay). A spent quota's reset is already held by the pacer.
        const hint = serverDelay({ kind: 'status', status: 429, headers: res.headers }, this.now());
        if (hint?.source === 'retry-after')
          this.pacer.hold(Math.min(hint.ms, this.opts.backoff.retryAfterCapMs));
      }
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const { text: body, cut } = await readBody(res.body, ok ? BODY_LIMIT : ERROR_BODY_LIMIT);
      if (cut && ok) {
        // Not an answer we can read: like a body cut off (a write may have acted: never re-sent
        // under its key as if it had not).
        const error = Object.assign(
          new Error(`the response body is larger than ${BODY_LIMIT / 1024 / 1024} MiB`),
          {
            code: 'RG_BODY_TOO_LARGE',
          },
        );
        return { ok: false, failure: { kind: 'network', code: error.code, status }, body: '', error };
      }
      this.emit({
        type: 'response',
        method: route.method,
        path: route.path,
        endpoint: key,
        attempt,
        status: res.statusCode,
        ms: this.now() - started,
      });
      if (ok) return { ok: true, status: res.statusCode, body };
      return { ok: false, failure: { kind: 'status', status: res.statusCode, headers: res.headers }, body };
    } catch (error) {
      if (timeout.aborted && !signal?.aborted) return { ok: false, failure: { kind: 'timeout' }, body: '' };
      const code = (error as { code?: unknown } | null)?.code;
      return {
        ok: false,
        failure: { kind: 'network', code: typeof code === 'string' ? code : undefined, status },
        body: '',
        error,
      };
    }
  }

  private emit(e: ClientEvent): void {
    if (!this.opts.onEvent) return;
    // Defence in depth: events go to logs, so scrub the key from every string field.
    const scrubbed = Object.fromEntries(
      Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? redact(v, this.opts.apiKey) : v]),
    ) as ClientEvent;
    this.opts.onEvent(scrubbed);
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
