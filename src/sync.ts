// The sync shell: reads the remote tests of the managed suites and applies a plan through the
// client with bounded concurrency. Convergence comes from re-planning against remote state: a
// sync killed halfway is finished by the next one, and content-derived Idempotency-Keys keep a
// retried create from making a second test.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { TelnyxClient } from './api/client.js';
import { ListChangedError } from './api/paginate.js';
import type { AssistantTest, CreateTestBody } from './api/schemas.js';
import { ApiError, IncompleteError, isNotFound, UsageError } from './errors.js';
import { type Plan, type PlanChange, planSuites } from './plan.js';
import type { SuiteDef } from './suite/model.js';

export const DEFAULT_CONCURRENCY = 4;

function checkConcurrency(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`concurrency must be an integer >= 1 (got ${n})`);
  return n;
}

/**
 * Every remote test of each managed suite, listed with `test_suite=<suite>`. Items reporting a
 * different suite are dropped, so a server that ignored the filter could never get another
 * suite's tests into a plan (and so never deleted).
 */
export async function fetchRemote(
  client: TelnyxClient,
  suites: readonly string[],
  opts: { concurrency?: number; signal?: AbortSignal } = {},
): Promise<Map<string, AssistantTest[]>> {
  const limit = pLimit(checkConcurrency(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const signal = opts.signal;
  const lists = await Promise.all(
    suites.map((suite) =>
      limit(async () => {
        // A snapshot, not a stream: sync creates what it does not see, so a test skipped by a
        // page that shifted mid-read would be created twice.
        const tests = await client.snapshotTests({ testSuite: suite }, signal ? { signal } : {});
        return [suite, tests.filter((t) => t.test_suite === undefined || t.test_suite === suite)] as const;
      }),
    ),
  );
  return new Map(lists);
}

/**
 * Read the managed suites and plan against them. A read of page-number pages can skip a test
 * while another writer deletes one before it and adds one after, and the count still matches
 * (readSnapshot cannot see it); planned on, the skipped test would be created twice. So a plan
 * that creates is confirmed: those suites are read again, and planned again from the new read
 * until two reads in a row list the same ids. Read-only plans cost no second read.
 */
export async function readAndPlan(
  client: TelnyxClient,
  local: readonly SuiteDef[],
  opts: {
    concurrency?: number;
    signal?: AbortSignal;
    /** false: the plan is only shown, never applied, so it needs no confirming read. */
    confirm?: boolean;
  } = {},
): Promise<{ remote: Map<string, AssistantTest[]>; plan: Plan }> {
  const names = local.map((s) => s.name);
  const remote = await fetchRemote(client, names, opts);
  for (let read = 1; ; read++) {
    const plan = planSuites(local, remote);
    if (opts.confirm === false) return { remote, plan };
    const creating = [...new Set(plan.changes.filter((c) => c.kind === 'create').map((c) => c.suite))];
    if (creating.length === 0) return { remote, plan };
    const again = await fetchRemote(client, creating, opts);
    const moved = creating.filter((suite) => !sameIds(remote.get(suite), again.get(suite)));
    if (moved.length === 0) return { remote, plan };
    if (read >= MAX_PLAN_READS) {
      throw new ListChangedError(
        `the test list of suite ${moved.map((s) => JSON.stringify(s)).join(', ')} changed between every two reads (${read + 1} reads); nothing was written, run again`,
      );
    }
    for (const suite of moved) remote.set(suite, again.get(suite) ?? []);
  }
}

/** Reads that back one plan, at most (each plan that creates is confirmed by a second). */
const MAX_PLAN_READS = 3;

const sameIds = (a: readonly AssistantTest[] = [], b: readonly AssistantTest[] = []): boolean => {
  const ids = new Set(a.map((t) => t.test_id));
  return ids.size === new Set(b.map((t) => t.test_id)).size && b.every((t) => ids.has(t.test_id));
};

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The Idempotency-Key of a create: a hash of suite + name + body, so a retried or re-run create
 * of the same content reuses it. `salt` (the ids of tests a previous key's replay pointed at)
 * moves past a replay of a test that has since been deleted. Matches ^[A-Za-z0-9_-]{1,255}$.
 */
export function createKey(body: CreateTestBody, salt: readonly string[] = []): string {
  const content = canonicalJson({ suite: body.test_suite ?? '', name: body.name, body, salt });
  return `rg-create-${createHash('sha256').update(content).digest('base64url')}`;
}

export type SyncStatus =
  /** Written. */
  | 'done'
  /** The write failed; `error` says why. */
  | 'failed'
  /** A delete left alone because --prune was not given. */
  | 'skipped'
  /** Not attempted: the sync was cancelled first. */
  | 'not-started';

export interface SyncResult {
  change: PlanChange;
  status: SyncStatus;
  /** The test written (the new id for a create). */
  testId?: string;
  error?: Error;
}

export interface SyncCounts {
  created: number;
  updated: number;
  renamed: number;
  deleted: number;
  failed: number;
  skippedDeletes: number;
  notStarted: number;
}

export interface SyncReport {
  results: SyncResult[];
  counts: SyncCounts;
  /** Every planned write (deletes only with prune) was made. */
  complete: boolean;
  /** Non-fatal problems worth showing, e.g. the post-create check could not be made. */
  warnings: string[];
  /** Why the creates could not be checked to exist (the sync is then not complete). */
  unverified?: string;
}

export interface SyncOptions {
  prune: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  /** Called as each write settles, e.g. for a progress line. */
  onResult?: (r: SyncResult) => void;
}

/** Refuse a plan with conflicts before any write: the user must say which test is ours. */
export function assertNoConflicts(plan: Plan): void {
  if (plan.conflicts.length === 0) return;
  const lines = plan.conflicts.map(
    (c) => `  ${c.suite} / ${JSON.stringify(c.name)}: ${c.testIds.join(', ')}`,
  );
  throw new UsageError(
    `sync refused: ${plan.conflicts.length} test name${plan.conflicts.length === 1 ? ' is' : 's are'} used by several remote tests in a managed suite:\n${lines.join('\n')}\nDelete the extra test ids (keep the one whose run history you want), then re-run.`,
  );
}

/** Rounds of "the create's key replayed a deleted test, so salt and create again". */
const MAX_STALE_REPLAYS = 3;

/**
 * Apply a plan: creates, updates and renames first, then (with prune) deletes, so a sync cut
 * short never removes a test before its replacements exist. One failed write does not stop or
 * hide the others: every result is collected, and the caller decides (see throwIfFailed).
 */
export async function syncPlan(client: TelnyxClient, plan: Plan, opts: SyncOptions): Promise<SyncReport> {
  assertNoConflicts(plan);
  const limit = pLimit(checkConcurrency(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const signal = opts.signal;
  const call = signal ? { signal } : {};
  const results = new Map<PlanChange, SyncResult>();
  const settle = (r: SyncResult) => {
    results.set(r.change, r);
    opts.onResult?.(r);
  };

  const apply = (change: PlanChange, write: () => Promise<string | undefined>) =>
    limit(async () => {
      if (signal?.aborted) return settle({ change, status: 'not-started' });
      try {
        const testId = await write();
        settle({ change, status: 'done', ...(testId === undefined ? {} : { testId }) });
      } catch (err) {
        settle({ change, status: 'failed', error: err instanceof Error ? err : new Error(String(err)) });
      }
    });

  const writes = plan.changes.filter((c) => c.kind !== 'delete');
  await Promise.all(
    writes.map((change) =>
      apply(change, async () => {
        if (change.kind === 'create') return create(client, change.body, [], call);
        if (change.kind === 'update')
          return (await client.updateTest(change.testId, change.body, call)).test_id;
        return undefined;
      }),
    ),
  );
  const warnings: string[] = [];
  let unverified: string | undefined;
  try {
    if (!signal?.aborted) await replaceStaleReplays(client, [...results.values()], { limit, call, settle });
  } catch (err) {
    // The creates were answered, but a key's replay may have named a test deleted or renamed
    // since: a create not checked is not known to exist, so the sync is not complete.
    unverified = err instanceof Error ? err.message : String(err);
    warnings.push(`could not check that the created tests exist: ${unverified}`);
  }
  // The id a create answered with is never deleted in the same sync: unchecked, it may be a
  // replay naming the very test planned for deletion (a rename reverted within the key's 24 h).
  const createdIds = new Set(
    [...results.values()].filter((r) => r.change.kind === 'create' && r.testId).map((r) => r.testId),
  );

  const deletes = plan.changes.filter((c) => c.kind === 'delete');
  if (opts.prune) {
    await Promise.all(
      deletes.map((change) =>
        apply(change, async () => {
          if (createdIds.has(change.testId)) {
            throw new IncompleteError(
              `not deleted: a create in this sync answered with this test's id; re-run sync to plan again`,
            );
          }
          try {
            await client.deleteTest(change.testId, call);
          } catch (err) {
            // Gone already (a retried DELETE whose first attempt took effect, another job's prune).
            if (!isNotFound(err)) throw err;
          }
          return change.testId;
        }),
      ),
    );
  } else {
    for (const change of deletes) settle({ change, status: 'skipped' });
  }

  const ordered = plan.changes.map((c) => results.get(c) ?? { change: c, status: 'not-started' as const });
  return {
    results: ordered,
    counts: countResults(ordered),
    complete: ordered.every(isSettledOk) && unverified === undefined,
    warnings,
    ...(unverified === undefined ? {} : { unverified }),
  };
}

const isSettledOk = (r: SyncResult): boolean => r.status === 'done' || r.status === 'skipped';

async function create(
  client: TelnyxClient,
  body: CreateTestBody,
  salt: readonly string[],
  call: { signal?: AbortSignal },
): Promise<string> {
  const created = await client.createTest(body, { ...call, idempotencyKey: createKey(body, salt) });
  return created.test_id;
}

/**
 * An Idempotency-Key is replayed for 24 h, even after the test it created was deleted (create,
 * prune, re-add the same content). Such a replay returns the id of a test that no longer exists,
 * so each created id is checked against the suite's list (one read per suite), a missing one is
 * confirmed with a GET (a list may lag), and a confirmed stale one is created again under a key
 * salted with the stale ids, which is just as deterministic for a re-run.
 */
async function replaceStaleReplays(
  client: TelnyxClient,
  results: SyncResult[],
  ctx: {
    limit: ReturnType<typeof pLimit>;
    call: { signal?: AbortSignal };
    settle: (r: SyncResult) => void;
  },
): Promise<void> {
  const salts = new Map<SyncResult['change'], string[]>();
  let pending = results.filter((r) => r.change.kind === 'create' && r.status === 'done');
  for (let round = 0; round < MAX_STALE_REPLAYS && pending.length > 0; round++) {
    const stale = await findMissing(client, pending, ctx);
    pending = [];
    await Promise.all(
      stale.map((r) =>
        ctx.limit(async () => {
          const change = r.change;
          if (change.kind !== 'create' || r.testId === undefined) return;
          const salt = [...(salts.get(change) ?? []), r.testId];
          salts.set(change, salt);
          try {
            const testId = await create(client, change.body, salt, ctx.call);
            const next: SyncResult = { change, status: 'done', testId };
            ctx.settle(next);
            pending.push(next);
          } catch (err) {
            ctx.settle({
              change,
              status: 'failed',
              error: err instanceof Error ? err : new Error(String(err)),
            });
          }
        }),
      ),
    );
  }
}

async function findMissing(
  client: TelnyxClient,
  created: SyncResult[],
  ctx: { limit: ReturnType<typeof pLimit>; call: { signal?: AbortSignal } },
): Promise<SyncResult[]> {
  const suites = [...new Set(created.map((r) => r.change.suite))];
  const listed = await fetchRemote(client, suites, ctx.call);
  const byId = new Map<string, AssistantTest>();
  for (const [suite, tests] of listed)
    for (const t of tests) byId.set(t.test_id, { test_suite: suite, ...t });
  // A replayed id can also name a test that was renamed since (sync with renamed_from, then the
  // old name back within 24 h): it exists, but it is not the test this create asked for.
  const notAsked = (r: SyncResult, t: AssistantTest): boolean =>
    t.name !== r.change.name || (t.test_suite !== undefined && t.test_suite !== r.change.suite);
  const misnamed = created.filter((r) => {
    const t = r.testId === undefined ? undefined : byId.get(r.testId);
    return t !== undefined && notAsked(r, t);
  });
  const unlisted = created.filter((r) => r.testId !== undefined && !byId.has(r.testId));
  const gone = await Promise.all(
    unlisted.map((r) =>
      ctx.limit(async () => {
        try {
          return notAsked(r, await client.getTest(r.testId ?? '', ctx.call));
        } catch (err) {
          if (isNotFound(err)) return true;
          throw err;
        }
      }),
    ),
  );
  return [...misnamed, ...unlisted.filter((_, i) => gone[i])];
}

export function countResults(results: readonly SyncResult[]): SyncCounts {
  const c: SyncCounts = {
    created: 0,
    updated: 0,
    renamed: 0,
    deleted: 0,
    failed: 0,
    skippedDeletes: 0,
    notStarted: 0,
  };
  for (const r of results) {
    if (r.status === 'failed') c.failed++;
    else if (r.status === 'not-started') c.notStarted++;
    else if (r.status === 'skipped') c.skippedDeletes++;
    else if (r.change.kind === 'create') c.created++;
    else if (r.change.kind === 'delete') c.deleted++;
    else if (r.change.renamedFrom !== undefined) c.renamed++;
    else c.updated++;
  }
  return c;
}

/** After the report is shown: the first failure as the error to exit with (ApiError → exit 3). */
export function throwIfFailed(report: SyncReport): void {
  const failed = report.results.filter((r) => r.status === 'failed');
  const first = failed[0]?.error;
  if (first) {
    if (failed.length === 1) throw first;
    if (first instanceof ApiError) {
      throw new ApiError(`${failed.length} sync writes failed; first: ${first.message}`, first.details, {
        cause: first,
      });
    }
    throw new Error(`${failed.length} sync writes failed; first: ${first.message}`, { cause: first });
  }
  if (report.unverified !== undefined) {
    throw new IncompleteError(
      `sync could not check that the ${report.counts.created} created test(s) exist (${report.unverified}); re-run sync: it plans again from what the account holds`,
    );
  }
  if (!report.complete) {
    throw new IncompleteError(`sync cancelled: ${report.counts.notStarted} planned writes were not made`);
  }
}
