// Pure retry policy: which failures are retried, and how long to wait before the next attempt.
// Follows the official Telnyx SDKs' decision rules (CONTRACT.md section 1) with two changes:
// full jitter instead of the SDKs' 0-25 % jitter (spreads many CI jobs hitting one account),
// and a POST is retried only when it is safe (it carries an Idempotency-Key), because a
// retried trigger without a key can create duplicate runs (CONTRACT.md section 8.7).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Response headers as undici gives them (lower-case names). */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** Upper bound for a server hint (retry-after-ms / Retry-After). */
  retryAfterCapMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, capMs: 8_000, retryAfterCapMs: 60_000 };

/** What went wrong with one attempt. */
export type Failure =
  | { kind: 'status'; status: number; headers: HeaderBag }
  /**
   * No (complete) response. `code` is the Node/undici error code (ECONNREFUSED, UND_ERR_SOCKET...);
   * `status` is set when the headers arrived but the body was cut off.
   */
  | { kind: 'network'; code?: string | undefined; status?: number | undefined }
  | { kind: 'timeout' };

/** Statuses the SDKs retry (408 Request Timeout, 409 Conflict / key in progress, 429, 5xx). */
export const isRetryableStatus = (status: number): boolean =>
  status === 408 || status === 409 || status === 429 || status >= 500;

/**
 * Connection errors where the request never reached the server, so even an unsafe POST can be
 * sent again. Anything else (socket closed mid-request, timeout) is ambiguous.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The request never reached the server (a connection error code, see NOT_SENT_CODES). */
export const isNotSentCode = (code: unknown): boolean => typeof code === 'string' && NOT_SENT_CODES.has(code);

/** A request may be replayed: not a POST, or a POST the server can deduplicate by its key. */
export const isReplaySafe = (method: HttpMethod, hasIdempotencyKey: boolean): boolean =>
  method !== 'POST' || hasIdempotencyKey;

const header = (headers: HeaderBag, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `x-should-retry: true|false` from the server, which overrides every other rule. */
export function shouldRetryHeader(headers: HeaderBag): boolean | undefined {
  const v = header(headers, 'x-should-retry')?.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** Whether this failure is worth another attempt (the attempt budget is checked by the caller). */
export function isRetryable(failure: Failure, replaySafe: boolean): boolean {
  switch (failure.kind) {
    case 'status': {
      // The server's hint can stop a retry, never make one of a write that may have acted:
      // a POST without an Idempotency-Key that a 500 says to retry could act twice.
      const hint = shouldRetryHeader(failure.headers);
      if (hint === false) return false;
      const safe = replaySafe || failure.status === 429; // 429: "not processed"
      if (hint === true) return safe;
      // 429 means "not processed": safe to send again even without a key.
      return isRetryableStatus(failure.status) && safe;
    }
    case 'network':
      return replaySafe || (failure.code !== undefined && NOT_SENT_CODES.has(failure.code));
    case 'timeout':
      return replaySafe;
  }
}

/** Full jitter (AWS, "Exponential Backoff And Jitter"): uniform(0, min(cap, base * 2^n)). */
export function fullJitterMs(retriesSoFar: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retriesSoFar));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

/**
 * The server's wait hint in ms, or undefined when absent, unparsable or not positive.
 * `retry-after-ms` (float ms, an SDK convention) wins over `Retry-After` (delay-seconds or an
 * HTTP-date, RFC 9110 section 10.2.3).
 */
export function parseRetryAfter(headers: HeaderBag, nowMs: number): number | undefined {
  const ms = header(headers, 'retry-after-ms')?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) {
    const v = Number.parseFloat(ms);
    if (v > 0) return Math.ceil(v);
  }
  const ra = header(headers, 'retry-after')?.trim();
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra)) {
    const v = Number.parseFloat(ra) * 1000;
    return v > 0 ? Math.ceil(v) : undefined;
  }
  // An HTTP-date has a weekday or a month name; bare garbage must not parse as a date.
  if (!/[a-z]{3}/i.test(ra)) return undefined;
  const at = Date.parse(ra);
  if (Number.isNaN(at)) return undefined;
  const v = at - nowMs;
  return v > 0 ? v : undefined;
}

export interface Delay {
  ms: number;
  /**
   * 'retry-after': the server's retry-after-ms / Retry-After. 'rate-limit': a 429's
   * x-ratelimit-reset, more precise than a Retry-After that only rounds it up to whole seconds.
   */
  source: 'retry-after' | 'rate-limit' | 'backoff';
}

const seconds = (s: string | undefined): number | undefined =>
  s !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(s) ? Number(s) : undefined;

/**
 * A 429's spent quota, in ms until the server has a request again: x-ratelimit-reset when
 * x-ratelimit-remaining is 0 (CONTRACT.md section 4: "seconds until reset"). Undefined when the
 * headers are absent, or when they do not explain the 429 (quota left: some other limit).
 */
export function rateLimitResetMs(headers: HeaderBag): number | undefined {
  const remaining = seconds(header(headers, 'x-ratelimit-remaining'));
  const reset = seconds(header(headers, 'x-ratelimit-reset'));
  // A reset of 0 with the quota spent explains nothing (a server rounding down to whole seconds
  // sends it for the last second of every window): the caller backs off instead.
  if (remaining === undefined || reset === undefined || remaining >= 1 || reset <= 0) return undefined;
  return Math.ceil(reset * 1000);
}

/**
 * The least wait before rate-limited retry number `n` (1-based) of one call: a reset of a few ms
 * is obeyed the first two times, but a server that keeps answering 429 with one is not asked
 * again at that pace (then 25 ms, doubling, up to 5 s).
 */
export const rateLimitFloorMs = (n: number): number => (n <= 2 ? 0 : Math.min(5_000, 25 * 2 ** (n - 3)));

/**
 * The server's own wait for a failed answer, or undefined. retry-after-ms is exact and wins. On a
 * 429, a spent quota's x-ratelimit-reset wins over a Retry-After that says no more than its
 * whole-second rounding (delay-seconds cannot say 20 ms; some servers answer at least 1 s): both
 * say the same, and waiting the whole second would idle every writer for a 20 ms refill. A
 * Retry-After longer than that is the server asking for more, and is obeyed.
 */
export function serverDelay(failure: Failure, nowMs: number): Delay | undefined {
  if (failure.kind !== 'status') return undefined;
  const { headers } = failure;
  const exact = parseRetryAfter({ 'retry-after-ms': header(headers, 'retry-after-ms') }, nowMs);
  if (exact !== undefined) return { ms: exact, source: 'retry-after' };
  const hint = parseRetryAfter(headers, nowMs);
  const reset = failure.status === 429 ? rateLimitResetMs(headers) : undefined;
  if (reset !== undefined && (hint === undefined || hint <= Math.max(1000, Math.ceil(reset / 1000) * 1000)))
    return { ms: reset, source: 'rate-limit' };
  return hint === undefined ? undefined : { ms: hint, source: 'retry-after' };
}

/**
 * How long to wait before retry number `retriesSoFar + 1`; `rateLimitedSoFar`: this call's
 * earlier retries after a spent quota (see rateLimitFloorMs).
 */
export function retryDelay(
  failure: Failure,
  retriesSoFar: number,
  policy: BackoffPolicy,
  random: () => number,
  nowMs: number,
  rateLimitedSoFar = 0,
): Delay {
  const hint = serverDelay(failure, nowMs);
  if (hint?.source === 'rate-limit')
    return {
      ms: Math.min(Math.max(hint.ms, rateLimitFloorMs(rateLimitedSoFar + 1)), policy.retryAfterCapMs),
      source: hint.source,
    };
  if (hint !== undefined) return { ms: Math.min(hint.ms, policy.retryAfterCapMs), source: hint.source };
  return { ms: fullJitterMs(retriesSoFar, policy, random), source: 'backoff' };
}
