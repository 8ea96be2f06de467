// Reading a run history for the runs a trigger may have started, for a trigger about to be sent
// again after the API stopped replaying its Idempotency-Key (--resume a day later): a re-send
// then is a new request. Only "none, read conclusively" lets it be sent; a run found is never
// adopted (nothing in a run ties it to a trigger: another job's run of the same test looks the
// same), so the trigger is given up instead. Within the replay window no history is read at all:
// the same key is sent again, and the API's replay is the proof.
import { PAGE_SIZE } from '../api/paginate.js';
import type { TestRun } from '../api/schemas.js';

/** Runs created up to this long before our send time still count (clock skew with the API). */
export const CLOCK_SKEW_MS = 120_000;
/** Most runs one reconciliation reads (10 pages of 100). */
export const MAX_RECONCILE_RUNS = 1_000;
/** In newest-first order, this many older runs in a row end the scan. */
const OLDER_STREAK = 50;

export interface Scan {
  /** Runs created since `sinceMs` that `accept` kept, without repeats. */
  found: TestRun[];
  /** The scan saw every run that could matter (end of list, or past them in newest-first order). */
  conclusive: boolean;
  /** Runs read; pages requested = ceil(read / 100) at most. */
  read: number;
}

/**
 * Read a run history for runs created since `sinceMs`. The contract does not promise an order,
 * so the scan stops early only while the history it has seen is newest-first; otherwise it reads
 * to the end or the bound, and a bound reached is inconclusive.
 */
export async function scanRuns(
  history: AsyncIterable<TestRun>,
  opts: { sinceMs: number; accept: (run: TestRun) => boolean; maxRuns?: number },
): Promise<Scan> {
  const max = opts.maxRuns ?? MAX_RECONCILE_RUNS;
  const seen = new Set<string>();
  const found: TestRun[] = [];
  let previous = Number.POSITIVE_INFINITY;
  let newestFirst = true;
  let olderStreak = 0;
  let read = 0;
  for await (const run of history) {
    read++;
    const created = Date.parse(run.created_at);
    if (!(created <= previous)) newestFirst = false;
    previous = Number.isFinite(created) ? created : previous;
    const recent = !Number.isFinite(created) || created >= opts.sinceMs;
    if (recent) {
      olderStreak = 0;
      if (!seen.has(run.run_id) && opts.accept(run)) found.push(run);
      seen.add(run.run_id);
    } else {
      olderStreak++;
    }
    if (newestFirst && olderStreak >= Math.min(OLDER_STREAK, PAGE_SIZE))
      return { found, conclusive: true, read };
    if (read >= max) return { found, conclusive: false, read };
  }
  return { found, conclusive: true, read };
}
