// Sync of a large suite under a rate limit: from nothing (every test created), then again with
// no change (reads only). The client and the concurrency are the CLI's defaults; the
// simulator's token bucket answers 429 with Retry-After when the rate is exceeded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TelnyxClient } from '../../src/api/client.js';
import { preparePlan } from '../../src/commands/plan.js';
import { memoryIo } from '../../src/io.js';
import { hasWrites } from '../../src/plan.js';
import type { Simulator } from '../../src/simulator/index.js';
import { DEFAULT_CONCURRENCY, syncPlan } from '../../src/sync.js';
import { benchSimulator, KEY, round, writeSuite } from './harness.js';

export interface SyncBenchOptions {
  tests: number;
  perSecond: number;
  latencyMs: number;
  /** Parallel writes; default the CLI's. */
  concurrency?: number;
  /** Token-bucket size of the simulator's rate limit; default perSecond. */
  burst?: number;
}

export interface SyncPhase {
  seconds: number;
  /** Writes the plan needed (creates + updates + deletes). */
  plannedWrites: number;
  /** Write requests sent, 429s and retries included. */
  writeRequests: number;
  failedWrites: number;
  listRequests: number;
  /** Answers that were 429 (the rate limiter or a fault). */
  rateLimited: number;
  requests: number;
  /** plannedWrites / perSecond: the least time the rate limit allows for the writes. */
  floorSeconds: number;
  /** seconds / floorSeconds (0 when there was nothing to write). */
  ratio: number;
}

export interface SyncBench {
  tests: number;
  perSecond: number;
  burst: number;
  latencyMs: number;
  concurrency: number;
  fromNothing: SyncPhase;
  noChange: SyncPhase;
}

const WRITE = /^(POST|PUT|DELETE) \/ai\/assistants\/tests(\/\{test_id\})?$/;
const LIST = 'GET /ai/assistants/tests';

async function syncOnce(
  sim: Simulator,
  dir: string,
  o: SyncBenchOptions,
  concurrency: number,
): Promise<SyncPhase> {
  let rateLimited = 0;
  // What the CLI builds: default timeouts, retries, and Retry-After handling (real time).
  const client = new TelnyxClient({
    apiKey: KEY,
    baseUrl: sim.url,
    onEvent: (e) => {
      if (e.type === 'response' && e.status === 429) rateLimited++;
    },
  });
  sim.resetCounts();
  const io = memoryIo({ env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url }, cwd: dir });
  const started = performance.now();
  let plannedWrites = 0;
  let failedWrites = 0;
  try {
    const { plan } = await preparePlan(['.'], { client }, io);
    plannedWrites = plan.changes.length;
    if (hasWrites(plan, false)) {
      const report = await syncPlan(client, plan, { prune: false, concurrency });
      failedWrites = report.counts.failed + report.counts.notStarted;
    }
  } finally {
    await client.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const counts = sim.counts().byEndpoint;
  const sumOf = (pred: (k: string) => boolean) =>
    Object.entries(counts).reduce((n, [k, v]) => n + (pred(k) ? v : 0), 0);
  const floorSeconds = plannedWrites / o.perSecond;
  return {
    seconds: round(seconds, 2),
    plannedWrites,
    writeRequests: sumOf((k) => WRITE.test(k)),
    failedWrites,
    listRequests: counts[LIST] ?? 0,
    rateLimited,
    requests: sim.counts().total,
    floorSeconds: round(floorSeconds, 2),
    ratio: floorSeconds > 0 ? round(seconds / floorSeconds, 2) : 0,
  };
}

export async function benchSync(o: SyncBenchOptions): Promise<SyncBench> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-bench-sync-'));
  writeSuite(dir, o.tests);
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  // The rate limiter and the latency are real time here: the sync does not wait on runs.
  const sim = await benchSimulator({
    scale: 1,
    latencyMs: o.latencyMs,
    rateLimit: { perSecond: o.perSecond, burst: o.burst ?? o.perSecond },
  });
  try {
    const fromNothing = await syncOnce(sim, dir, o, concurrency);
    // A later sync (the next CI run) starts with a full bucket.
    sim.setRateLimit({ perSecond: o.perSecond, burst: o.burst ?? o.perSecond });
    const noChange = await syncOnce(sim, dir, o, concurrency);
    return {
      tests: o.tests,
      perSecond: o.perSecond,
      burst: o.burst ?? o.perSecond,
      latencyMs: o.latencyMs,
      concurrency,
      fromNothing,
      noChange,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
