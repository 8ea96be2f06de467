// Idempotency-Key handling (CONTRACT.md section 1): a key's first successful response is
// replayed for 24 h; a key in flight answers 409; a key reused for another request answers 422.
// Records are keyed by the key alone and compare method, path and the exact body bytes, so a
// client that reuses one key for two different triggers hears about it.
import { LIMITS } from '../api/schemas.js';
import { type Reply, telnyxError } from './replies.js';

const TTL_MS = 24 * 3_600_000;
const POINTER = '/header/Idempotency-Key';

interface Entry {
  fingerprint: string;
  startedMs: number;
  reply?: Reply; // undefined while in progress
}

export type Begin = { kind: 'proceed' } | { kind: 'answer'; reply: Reply };

export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  /** Check a key before handling. `header` is every value the request sent for the header. */
  begin(header: string[], method: string, path: string, body: string, nowMs: number): Begin {
    if (header.length !== 1 || !LIMITS.idempotencyKey.test(header[0] ?? '')) {
      const why = header.length > 1 ? 'must be sent once' : 'must match ^[A-Za-z0-9_-]{1,255}$';
      return {
        kind: 'answer',
        reply: telnyxError(400, '10015', `Invalid Idempotency-Key header: it ${why}`, { pointer: POINTER }),
      };
    }
    const key = header[0] ?? '';
    const fingerprint = `${method} ${path}\n${body}`;
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.startedMs > TTL_MS) this.entries.delete(key);
    const live = this.entries.get(key);
    if (!live) {
      this.entries.set(key, { fingerprint, startedMs: nowMs });
      return { kind: 'proceed' };
    }
    if (live.fingerprint !== fingerprint) {
      return {
        kind: 'answer',
        reply: telnyxError(422, '10027', 'This Idempotency-Key was already used for a different request', {
          pointer: POINTER,
        }),
      };
    }
    if (!live.reply) {
      return {
        kind: 'answer',
        reply: telnyxError(409, '10036', 'A request with this Idempotency-Key is already being processed', {
          pointer: POINTER,
        }),
      };
    }
    return {
      kind: 'answer',
      reply: { ...live.reply, headers: { ...live.reply.headers, 'idempotent-replayed': 'true' } },
    };
  }

  /** Record the outcome: only successful responses are kept for replay. */
  finish(key: string, reply: Reply): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (reply.status >= 200 && reply.status < 300) entry.reply = reply;
    else this.entries.delete(key);
  }
}
