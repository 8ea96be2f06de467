// Sync of a large suite under a rate limit: from nothing (every test created), then again with
// no change (reads only). The client and the concurrency are the CLI's defaults; the
// simulator's token bucket answers 429 with Retry-After when the rate is exceeded. The
// simulator runs in the bench's process by default; `simulator: 'process'` gives it its own,
// as the real API has (then the client's work on the event loop cannot delay the moment the
// server sees a request arrive, which a 1-request bucket judges to the millisecond).
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TelnyxClient } from '../../src/api/client.js';
import { preparePlan } from '../../src/commands/plan.js';
import { memoryIo } from '../../src/io.js';
import { hasWrites } from '../../src/plan.js';
import type { RateLimit, RequestCounts } from '../../src/simulator/index.js';
import { DEFAULT_CONCURRENCY, syncPlan } from '../../src/sync.js';
import { benchSimulator, KEY, round, writeSuite } from './harness.js';
import type { SimMessage } from './sim-process.js';

export interface SyncBenchOptions {
  tests: number;
  perSecond: number;
  latencyMs: number;
  /** Parallel writes; default the CLI's. */
  concurrency?: number;
  /** Token-bucket size of the simulator's rate limit; default perSecond. */
  burst?: number;
  /** Where the simulator runs: in the bench's process (default) or its own. */
  simulator?: 'in-process' | 'process';
}

/** What the bench needs of a simulator, wherever it runs. */
interface BenchSim {
  url: string;
  counts(): Promise<RequestCounts>;
  resetCounts(): Promise<void>;
  setRateLimit(limit: RateLimit): Promise<void>;
  close(): Promise<void>;
}

async function inProcess(latencyMs: number, rateLimit: RateLimit): Promise<BenchSim> {
  const sim = await benchSimulator({ scale: 1, latencyMs, rateLimit });
  return {
    url: sim.url,
    counts: async () => sim.counts(),
    resetCounts: async () => sim.resetCounts(),
    setRateLimit: async (limit) => sim.setRateLimit(limit),
    close: () => sim.close(),
  };
}

async function ownProcess(latencyMs: number, rateLimit: RateLimit): Promise<BenchSim> {
  // fork() passes on this process's loader flags (tsx), so the child runs TypeScript too.
  const child: ChildProcess = fork(join(import.meta.dirname, 'sim-process.ts'), [
    JSON.stringify({ latencyMs, rateLimit }),
  ]);
  const ask = async <T>(m: SimMessage): Promise<T> => {
    const answer = once(child, 'message');
    child.send(m);
    return (await answer)[0] as T;
  };
  const [ready] = (await once(child, 'message')) as [{ url: string }];
  return {
    url: ready.url,
    counts: () => ask<RequestCounts>({ type: 'counts' }),
    resetCounts: () => ask<void>({ type: 'reset' }),
    setRateLimit: (limit) => ask<void>({ type: 'rate-limit', limit }),
    close: async () => {
      const exited = once(child, 'exit');
      child.send({ type: 'close' } satisfies SimMessage);
      await exited;
    },
  };
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
  simulator: 'in-process' | 'process';
  fromNothing: SyncPhase;
  noChange: SyncPhase;
}

const WRITE = /^(POST|PUT|DELETE) \/ai\/assistants\/tests(\/\{test_id\})?$/;
const LIST = 'GET /ai/assistants/tests';

async function syncOnce(
  sim: BenchSim,
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
  await sim.resetCounts();
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
  const all = await sim.counts();
  const counts = all.byEndpoint;
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
    requests: all.total,
    floorSeconds: round(floorSeconds, 2),
    ratio: floorSeconds > 0 ? round(seconds / floorSeconds, 2) : 0,
  };
}

export async function benchSync(o: SyncBenchOptions): Promise<SyncBench> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-bench-sync-'));
  writeSuite(dir, o.tests);
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY;
  // The rate limiter and the latency are real time here: the sync does not wait on runs.
  const limit = { perSecond: o.perSecond, burst: o.burst ?? o.perSecond };
  const sim = await (o.simulator === 'process' ? ownProcess : inProcess)(o.latencyMs, limit);
  try {
    const fromNothing = await syncOnce(sim, dir, o, concurrency);
    // A later sync (the next CI run) starts with a full bucket.
    await sim.setRateLimit(limit);
    const noChange = await syncOnce(sim, dir, o, concurrency);
    return {
      tests: o.tests,
      perSecond: o.perSecond,
      burst: o.burst ?? o.perSecond,
      latencyMs: o.latencyMs,
      concurrency,
      simulator: o.simulator ?? 'in-process',
      fromNothing,
      noChange,
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx test/bench/sync-bench.ts [--bursts 50,10,1] [--runs 3] [--tests 1000] [--rate 50]
// [--simulator process]`: one JSON line per sync from nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      bursts: { type: 'string', default: '50,10,1' },
      runs: { type: 'string', default: '1' },
      tests: { type: 'string', default: '1000' },
      rate: { type: 'string', default: '50' },
      simulator: { type: 'string', default: 'in-process' },
    },
  });
  const simulator = values.simulator === 'process' ? 'process' : 'in-process';
  for (const burst of values.bursts.split(',').map(Number))
    for (let i = 0; i < Number(values.runs); i++) {
      const r = await benchSync({
        tests: Number(values.tests),
        perSecond: Number(values.rate),
        latencyMs: 20,
        burst,
        simulator,
      });
      const f = r.fromNothing;
      console.log(
        JSON.stringify({
          burst,
          simulator,
          seconds: f.seconds,
          ratio: f.ratio,
          writeRequests: f.writeRequests,
          rateLimited: f.rateLimited,
          failedWrites: f.failedWrites,
        }),
      );
    }
}
