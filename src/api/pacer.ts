// Pacing to the API's advertised rate. Every answer may carry x-ratelimit-limit / -remaining /
// -reset (seconds until the quota is whole again; CONTRACT.md section 4). One pacer is shared
// by every request of a client, so parallel writers wait out one limit together instead of
// each discovering it with its own 429: while quota remains it is spread over the time to
// reset; once it is spent, nobody sends until it refills, then one per refill period. Without
// headers it never waits. Times are ms; `now` and `sleep` are injectable.
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
export const MAX_PACE_MS = 60_000;
/**
 * Sends are spaced this much wider than the quota allows, so arrival jitter does not cost a
 * 429. With a quota of 1 (no burst to absorb it) a send that reaches the server a few ms early
 * is refused, so the margin is learnt: it widens a little on every 429 and narrows back on
 * successes, settling where about 5 answers in 100 are 429s rather than none, because a 429
 * costs one refill period while a margin too wide costs every send. A lower target would chase
 * the 429s no margin prevents (a stalled machine, a burst of network jitter) up to the maximum.
 */
export const MARGIN = { min: 1.05, max: 1.5, up: 1.02, down: 0.999 };
/** A timer's usual lateness (ms), forgiven within the margin (see acquire). */
const TIMER_SLACK_MS = 2;
/** How many refill periods (quota spent on a success) are remembered: the period is their max. */
const PERIODS_KEPT = 16;

export class Pacer {
  /** No request is sent before this time (a spent quota, a Retry-After). */
  private holdUntil = 0;
  /** When the last request was actually sent. */
  private lastAt = Number.NEGATIVE_INFINITY;
  /** Spacing between sends (margin included). */
  private spacingMs = 0;
  /** The spacing the quota allows, without margin: no two sends are ever closer than this. */
  private floorMs = 0;
  /** The last refill periods seen (ms, no margin): reset times of answers with the quota spent. */
  private readonly periods: number[] = [];
  private margin = MARGIN.min;
  /** Turns are taken one at a time, spaced from the previous actual send (a late wake-up must
   * not squeeze the next gap). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly now: () => number,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>,
  ) {}

  /**
   * Wait for this request's turn, and take it; resolves to the time of the turn (pass it to
   * observe as `sentAt`). Rejects when `signal` aborts the wait. A retry that has just waited
   * out the server's own Retry-After passes `heldAlready` and does not wait for that hold a
   * second time (it is still spaced).
   */
  acquire(signal?: AbortSignal, heldAlready = false): Promise<number> {
    const turn = this.queue.then(async () => {
      const now = this.now();
      const at = Math.max(this.lastAt + this.spacingMs, heldAlready ? 0 : this.holdUntil);
      if (at > now) {
        signal?.throwIfAborted();
        await this.sleep(at - now, signal);
      }
      // Spaced from the actual send, so a late wake-up does not squeeze the next gap; but a
      // timer's usual lateness (a ms or two) is forgiven within the margin, or it would widen
      // every gap by that much. The gap never falls under the quota's own spacing.
      const sent = this.now();
      const forgiven = Math.min(TIMER_SLACK_MS, this.spacingMs - this.floorMs);
      this.lastAt = sent - at <= forgiven ? at : sent;
      // The actual send time, which observe() measures the server's answer from.
      return sent;
    });
    this.queue = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  /**
   * Learn from an answer's rate-limit headers (any status); `sentAt` is when its request was
   * sent. True when they said something.
   */
  observe(headers: HeaderBag, status = 200, sentAt = this.now()): boolean {
    const remaining = num(header(headers, 'x-ratelimit-remaining'));
    const reset = num(header(headers, 'x-ratelimit-reset'));
    if (remaining === undefined || reset === undefined) return false;
    const resetMs = Math.min(reset * 1000, MAX_PACE_MS);
    if (status === 429) {
      this.margin = Math.min(MARGIN.max, this.margin * MARGIN.up);
      if (remaining < 1) {
        // Refused: nobody sends until the server's next request is due, counted from now (it
        // measured `reset` before this answer arrived). A 429's reset is the shortfall, not the
        // whole period, so it only ever raises the period learnt (a first answer may be a 429).
        this.hold(resetMs * this.margin);
        this.learnPeriod(resetMs);
      } else this.spacingMs = Math.max(this.spacingMs, this.spacingFrom(resetMs, remaining));
      return true;
    }
    this.margin = Math.max(MARGIN.min, this.margin * MARGIN.down);
    if (remaining < 1) {
      // Spent by this very request: the next is due one refill period after it was sent (the
      // server took it no earlier), later if the quota is a window that resets as a whole.
      this.learnPeriod(resetMs);
      this.holdUntil = Math.max(this.holdUntil, sentAt + resetMs * this.margin);
    } else this.spacingMs = this.spacingFrom(resetMs, remaining);
    return true;
  }

  /** Nobody sends for `ms` from now (a Retry-After, or a spent quota). */
  hold(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, this.now() + Math.max(0, ms));
  }

  private spacingFrom(resetMs: number, remaining: number): number {
    this.floorMs = resetMs / remaining;
    return this.floorMs * this.margin;
  }

  /**
   * One refill period, from an answer with the quota spent. A partly refilled quota reports
   * less than a whole period, so the period is the longest of the last few.
   */
  private learnPeriod(resetMs: number): void {
    this.periods.push(resetMs);
    if (this.periods.length > PERIODS_KEPT) this.periods.shift();
    this.floorMs = Math.max(...this.periods);
    this.spacingMs = this.floorMs * this.margin;
  }
}
