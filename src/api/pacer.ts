// Pacing to the API's advertised rate. Every answer may carry x-ratelimit-limit / -remaining /
// -reset (seconds until the quota is whole again; CONTRACT.md section 4); a 429 may carry
// Retry-After. One pacer is shared by every request of a client, so parallel writers wait out
// one limit together instead of each discovering it with its own 429: when the quota is spent,
// nobody sends until it refills; otherwise the remaining quota is spread over the time to reset.
// Without headers it never waits. Times are ms; `now` and `sleep` are injectable.
import type { HeaderBag } from './backoff.js';

const header = (h: HeaderBag, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

const num = (s: string | undefined): number | undefined => {
  if (s === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
};

/** Longest wait the pacer itself imposes from headers (a Retry-After is capped by the client). */
const MAX_PACE_MS = 60_000;
/**
 * Sends are spaced this much wider than the quota allows, so arrival jitter does not cost a 429.
 * It widens on every 429 met while pacing and narrows back slowly on successes (the jitter of a
 * busy machine or network is learnt, not guessed).
 */
const MARGIN = { min: 1.1, max: 1.5, up: 1.2, down: 0.99 };

export class Pacer {
  /** No request is sent before this time (a spent quota, a Retry-After). */
  private holdUntil = 0;
  /** When the last request was actually sent. */
  private lastAt = Number.NEGATIVE_INFINITY;
  /** Spacing between sends while the quota lasts. */
  private spacingMs = 0;
  /** The last reset times seen with the quota spent (ms). */
  private readonly spent: number[] = [];
  private margin = MARGIN.min;
  /** Turns are taken one at a time, spaced from the previous actual send (a late wake-up must
   * not squeeze the next gap). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {}

  /**
   * Wait for this request's turn, and take it. Rejects when `signal` aborts the wait. A retry
   * that has just waited out the server's own Retry-After passes `heldAlready` and does not
   * wait for that hold a second time.
   */
  acquire(signal?: AbortSignal, heldAlready = false): Promise<void> {
    const turn = this.queue.then(async () => {
      const now = this.now();
      const at = Math.max(this.lastAt + this.spacingMs, heldAlready ? 0 : this.holdUntil);
      if (at > now) {
        signal?.throwIfAborted();
        await this.sleep(at - now, signal);
      }
      // Spaced from the actual send: a late wake-up must not squeeze the next gap.
      this.lastAt = Math.max(this.now(), at);
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  /**
   * Learn from an answer's rate-limit headers (any status). True when they said something: on a
   * 429 they are more precise than a whole-second Retry-After, so the caller holds on those.
   */
  observe(headers: HeaderBag, status = 200): boolean {
    const remaining = num(header(headers, 'x-ratelimit-remaining'));
    const reset = num(header(headers, 'x-ratelimit-reset'));
    if (remaining === undefined || reset === undefined) return false;
    this.margin =
      status === 429
        ? Math.min(MARGIN.max, this.margin * MARGIN.up)
        : Math.max(MARGIN.min, this.margin * MARGIN.down);
    if (status === 429) this.spent.length = 0; // the period learnt so far was too short
    const resetMs = Math.min(reset * 1000 * this.margin, MAX_PACE_MS);
    if (remaining < 1) {
      // Spent: nobody sends until it refills, then one per refill period until an answer says
      // more (a queue of writers released at once would only meet a 429 each). A partly refilled
      // quota reports less than a whole period, so the period is the longest of the last few.
      this.hold(resetMs);
      this.spent.push(resetMs);
      if (this.spent.length > 16) this.spent.shift();
      this.spacingMs = Math.max(...this.spent);
    } else {
      this.spacingMs = resetMs / remaining;
    }
    return true;
  }

  /** Nobody sends for `ms` from now (a Retry-After, or a spent quota). */
  hold(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + Math.max(0, ms));
  }
}
