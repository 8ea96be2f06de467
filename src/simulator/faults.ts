// Injected faults and the rate limiter. A request gets at most one fault: the first rule that
// matches, still has a count left, and wins its (seeded) probability draw.
import { mulberry32 } from './prng.js';
import { codeForStatus, type Reply, telnyxError } from './replies.js';

export type FaultKind =
  | 'status'
  | 'drop-before'
  | 'drop-after'
  | 'malformed'
  | 'truncated'
  | 'latency'
  | 'page-shift'
  | 'status-after'
  | 'html'
  | 'wrong-shape'
  | 'rewrite-status'
  | 'status-filter';

export interface FaultRule {
  /** endpoint: a route template ('/ai/assistants/tests/{test_id}/runs') or a counts() key ('POST /ai/...'). */
  match?: { method?: string; endpoint?: string };
  kind: FaultKind;
  /** For 'status' and 'status-after': 429, 500, 502, 503, 504, 408... */
  status?: number;
  /**
   * For 'rewrite-status': the status string every final run in the answer reports instead.
   * For 'status-filter' (run lists): what the list makes of its `status` query, since its
   * semantics are undocumented (CONTRACT.md 8.1): 'ignore' (every run), 'nothing' (no run),
   * 'inverted' (the runs that do not match).
   */
  value?: string;
  /** Seconds, or an HTTP date: sets Retry-After on 'status' faults. */
  retryAfter?: number | string;
  retryAfterMs?: number;
  shouldRetry?: boolean;
  /** For 'latency': delay, then answer normally. */
  latencyMs?: number;
  /**
   * For 'page-shift' (list endpoints, pages 2 and later only): the account changed since the
   * previous page was read, as if `shift` items (default 1) were inserted ahead of this page
   * (the previous page's last item is listed again) or, when negative, removed (this page's
   * first item is never listed). meta is unchanged.
   */
  shift?: number;
  /** Apply to the next N matching requests (default: unlimited). */
  count?: number;
  /** Apply with this probability (seeded PRNG), default 1. */
  probability?: number;
}

export class FaultEngine {
  private rules: { rule: FaultRule; left: number }[] = [];
  private readonly random: () => number;

  constructor(seed: number, rules: readonly FaultRule[] = []) {
    this.random = mulberry32(seed ^ 0x5eed);
    this.set(rules);
  }

  set(rules: readonly FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, left: rule.count ?? Number.POSITIVE_INFINITY }));
  }

  /**
   * The fault for this request, if any; consumes one use of its rule. `page` is the list page
   * asked for (page[number], default 1): a 'page-shift' rule only matches later pages.
   */
  pick(method: string, template: string | undefined, page = 1): FaultRule | undefined {
    for (const slot of this.rules) {
      if (slot.left <= 0 || !matches(slot.rule, method, template)) continue;
      if (slot.rule.kind === 'page-shift' && !(page > 1)) continue;
      const p = slot.rule.probability ?? 1;
      if (p < 1 && this.random() >= p) continue;
      slot.left -= 1;
      return slot.rule;
    }
    return undefined;
  }
}

function matches(rule: FaultRule, method: string, template: string | undefined): boolean {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.endpoint) {
    const [first, ...rest] = m.endpoint.trim().split(/\s+/);
    const wanted = rest.length > 0 ? rest.join(' ') : first;
    if (rest.length > 0 && first?.toUpperCase() !== method) return false;
    if (wanted !== template) return false;
  }
  return true;
}

/** The reply a 'status' fault sends: the Telnyx envelope plus the retry headers asked for. */
export function statusFaultReply(rule: FaultRule): Reply {
  const status = rule.status ?? 500;
  const headers: Record<string, string> = {};
  if (rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter);
  if (rule.retryAfterMs !== undefined) headers['retry-after-ms'] = String(rule.retryAfterMs);
  if (rule.shouldRetry !== undefined) headers['x-should-retry'] = String(rule.shouldRetry);
  const code = codeForStatus(status);
  const detail =
    status === 429
      ? 'You have exceeded the maximum number of allowed requests.'
      : `Injected fault: HTTP ${status}`;
  return telnyxError(status, code, detail, { headers });
}

export interface RateLimit {
  perSecond: number;
  /** Bucket size; default perSecond. */
  burst?: number;
}

/** A token bucket. take() answers the 429 to send, or undefined when a token was available. */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(
    private readonly limit: RateLimit,
    nowMs: number,
  ) {
    this.capacity = Math.max(1, limit.burst ?? limit.perSecond);
    this.tokens = this.capacity;
    this.last = nowMs;
  }

  take(nowMs: number): Reply | undefined {
    this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.last) / 1000) * this.limit.perSecond);
    this.last = nowMs;
    // A token, give or take floating-point noise (a client waiting the reset it was told
    // must find one).
    if (this.tokens >= 1 - 1e-9) {
      this.tokens = Math.max(0, this.tokens - 1);
      return undefined;
    }
    const waitSeconds = Math.max(1, Math.ceil((1 - this.tokens) / this.limit.perSecond));
    return telnyxError(429, '10011', 'You have exceeded the maximum number of allowed requests.', {
      headers: { 'retry-after': String(waitSeconds), ...this.headers() },
    });
  }

  /** x-ratelimit-* headers, as Telnyx sends them. */
  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.capacity),
      'x-ratelimit-remaining': String(Math.floor(this.tokens)),
      // Seconds until the bucket is full again, to the millisecond (the docs say "seconds until
      // reset" and do not say whole): a bucket of 1 at 50/s refills in 0.02 s, not 1 s. Rounded
      // up, so a client that waits what it is told is never early.
      'x-ratelimit-reset': String(
        Math.ceil(((this.capacity - this.tokens) / this.limit.perSecond) * 1000) / 1000,
      ),
    };
  }
}
