// Reconciling a trigger whose outcome is unknown (a 5xx or 409 after the API may have handled
// it, a connection reset after the request went out, a 2xx whose body could not be read): the
// runs it may have created are looked up in the run history instead of being assumed absent,
// and adopted when exactly one candidate matches. "None found" only ever leads to sending the
// SAME Idempotency-Key again, which the API deduplicates, so a missed run can never become a
// second one; an ambiguous history is reported, never guessed.
import { PAGE_SIZE } from '../api/paginate.js';
import type { TestRun } from '../api/schemas.js';
import { tupleKey } from '../keys.js';

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

export type Match =
  | { kind: 'none' }
  | { kind: 'found'; runs: TestRun[] }
  | { kind: 'ambiguous'; why: string };

/**
 * The runs one suite trigger created: one batch (test_suite_run_id) covering tests of ours, each
 * once. Two candidate batches (another job triggered the same suite meanwhile) are ambiguous.
 */
export function matchSuiteTrigger(found: readonly TestRun[]): Match {
  const groups = new Map<string, TestRun[]>();
  for (const r of found) {
    // A run without a batch id is a group of its own (its id could look like any batch id).
    const k = r.test_suite_run_id === undefined ? tupleKey('run', r.run_id) : tupleKey(r.test_suite_run_id);
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  if (groups.size === 0) return { kind: 'none' };
  if (groups.size > 1) {
    return { kind: 'ambiguous', why: `${groups.size} suite runs were started since the trigger was sent` };
  }
  const [runs = []] = groups.values();
  const tests = new Set(runs.map((r) => r.test_id));
  if (tests.size !== runs.length)
    return { kind: 'ambiguous', why: 'a test has two new runs in one suite run' };
  return { kind: 'found', runs };
}

/** The run one per-test trigger created: exactly one new run of the test. */
export function matchTestTrigger(found: readonly TestRun[]): Match {
  if (found.length === 0) return { kind: 'none' };
  if (found.length > 1) {
    return {
      kind: 'ambiguous',
      why: `${found.length} runs of the test were started since the trigger was sent`,
    };
  }
  return { kind: 'found', runs: [...found] };
}
