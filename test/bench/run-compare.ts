// rubric-gate against the approach a user would write with the official `telnyx` SDK: trigger
// the suite, then retrieve each run every 2 s until it is final. Same simulator, same suite,
// same run durations; both on the simulator's scaled clock. Measured: requests made, when each
// tool saw the last run final, and when its report was on disk.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Telnyx from 'telnyx';
import { TelnyxClient } from '../../src/api/client.js';
import { isFinal, type TestRun } from '../../src/api/schemas.js';
import { preparePlan } from '../../src/commands/plan.js';
import { runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { Results } from '../../src/results.js';
import { scaledClock } from '../../src/run/clock.js';
import type { PollPolicy } from '../../src/run/poll.js';
import type { Simulator } from '../../src/simulator/index.js';
import { syncPlan } from '../../src/sync.js';
import { benchSimulator, type Durations, KEY, round, SUITE, spreadScenario, writeSuite } from './harness.js';

export interface RunCompareOptions {
  tests: number;
  /** Simulated seconds per real second, for the simulator and both tools. */
  scale: number;
  /** Latency of every request, in simulated ms (the fault sleeps latencyMs / scale real ms). */
  latencyMs: number;
  durations: Durations;
  /** The SDK loop's wait between two retrieves of one run, simulated ms. */
  sdkIntervalMs: number;
  /** rubric-gate's poll backoff; default the CLI's (DEFAULT_POLL_POLICY). For experiments. */
  poll?: PollPolicy;
}

export interface ToolRun {
  tool: 'rubric-gate' | 'telnyx SDK' | 'list-poller';
  /** HTTP requests the tool sent during the run (rubric-gate: its pre-run list included). */
  requests: number;
  byEndpoint: Record<string, number>;
  /** Simulated seconds from the last run turning final to the tool seeing it final. */
  detectionLagS: number;
  /** The same lag over every run: mean and 95th percentile, simulated seconds. */
  meanLagS: number;
  p95LagS: number;
  /** Simulated seconds from the last run turning final to the report being written. */
  reportLagS: number;
  /** Simulated seconds from the start to the report. */
  totalS: number;
  /** Every run final and passed in the tool's output. */
  correct: boolean;
  /** SDK only: the mean simulated seconds between two retrieves of one run (2 s when unthrottled). */
  achievedIntervalS?: number;
}

export interface RunComparison {
  tests: number;
  scale: number;
  rubricGate: ToolRun;
  sdk: ToolRun;
  /** A plain SDK user who lists the suite batch's runs every 5 s (absent in older files). */
  listPoller?: ToolRun;
  /** SDK requests / rubric-gate requests. */
  requestRatio: number;
}

/** The list-poller's fixed interval, simulated ms. */
export const LIST_POLLER_INTERVAL_MS = 5_000;

/** When a run turned final on the simulator (real epoch ms). */
function finalAt(sim: Simulator, runId: string): number {
  const r = sim.state.runs.get(runId);
  if (!r) throw new Error(`bench: run ${runId} is not on the simulator`);
  return r.createdMs + r.durationMs;
}

/**
 * Detection lags in simulated seconds, from when each run turned final to when the tool first
 * saw it final (`seen`, real epoch ms by run id), plus the last run's lag and when it ended.
 */
function lags(sim: Simulator, seen: ReadonlyMap<string, number>, scale: number) {
  const rows = [...seen].map(([id, at]) => ({
    end: finalAt(sim, id),
    lag: ((at - finalAt(sim, id)) * scale) / 1000,
  }));
  const last = rows.reduce((a, b) => (b.end > a.end ? b : a));
  const sorted = rows.map((r) => r.lag).sort((a, b) => a - b);
  return {
    lastEnd: last.end,
    detectionLagS: round(last.lag, 2),
    meanLagS: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    p95LagS: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0, 2),
  };
}

/** What one tool's run measured, from when it saw each run final and when its report was on disk. */
function measured(
  sim: Simulator,
  o: RunCompareOptions,
  m: {
    tool: ToolRun['tool'];
    seen: ReadonlyMap<string, number>;
    requests: number;
    byEndpoint: Record<string, number>;
    startedMs: number;
    reportsAtMs: number;
    correct: boolean;
  },
): ToolRun {
  const l = lags(sim, m.seen, o.scale);
  return {
    tool: m.tool,
    requests: m.requests,
    byEndpoint: m.byEndpoint,
    detectionLagS: l.detectionLagS,
    meanLagS: l.meanLagS,
    p95LagS: l.p95LagS,
    reportLagS: simulatedS(m.reportsAtMs - l.lastEnd, o),
    totalS: simulatedS(m.reportsAtMs - m.startedMs, o),
    correct: m.correct,
  };
}

/** Real ms as simulated seconds. */
const simulatedS = (ms: number, o: RunCompareOptions): number => round((ms * o.scale) / 1000, 2);

/** Our client, noting when each run was first listed final (the run's poll is a batch list). */
class SeeingClient extends TelnyxClient {
  readonly seen = new Map<string, number>();

  override listSuiteRuns(...args: Parameters<TelnyxClient['listSuiteRuns']>): AsyncIterable<TestRun> {
    const pages = super.listSuiteRuns(...args);
    const seen = this.seen;
    return (async function* () {
      for await (const run of pages) {
        if (isFinal(run.status) && !seen.has(run.run_id)) seen.set(run.run_id, Date.now());
        yield run;
      }
    })();
  }
}

async function createTests(sim: Simulator, dir: string): Promise<void> {
  const client = new TelnyxClient({ apiKey: KEY, baseUrl: sim.url });
  try {
    const io = memoryIo({ env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url }, cwd: dir });
    const { plan } = await preparePlan(['.'], { client }, io);
    const report = await syncPlan(client, plan, { prune: false, concurrency: 16 });
    if (!report.complete) throw new Error('bench setup: the suite could not be created');
  } finally {
    await client.close();
  }
}

async function runRubricGate(sim: Simulator, dir: string, o: RunCompareOptions): Promise<ToolRun> {
  const client = new SeeingClient({
    apiKey: KEY,
    baseUrl: sim.url,
    sleep: (ms, signal) => delay(ms / o.scale, undefined, signal ? { signal } : undefined),
  });
  const outDir = join(dir, 'out');
  const io = memoryIo({ env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url }, cwd: dir });
  const started = Date.now();
  let code: number;
  try {
    // The CLI's defaults (poll policy, client retries), on the simulator's clock.
    code = await runCommand(['.'], { outDir }, io, {
      client,
      clock: scaledClock(o.scale),
      ...(o.poll ? { poll: o.poll } : {}),
    });
  } finally {
    await client.close();
  }
  const reportsAt = Date.now();
  const results = Results.parse(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')));
  const attempts = results.suites.flatMap((s) => s.tests.flatMap((t) => t.attempts));
  return measured(sim, o, {
    tool: 'rubric-gate',
    seen: client.seen,
    requests: client.stats.requests,
    byEndpoint: client.stats.byEndpoint,
    startedMs: started,
    reportsAtMs: reportsAt,
    correct:
      code === 0 &&
      client.seen.size === o.tests &&
      attempts.length === o.tests &&
      attempts.every((a) => a.status === 'passed'),
  });
}

/** The loop a user writes with the SDK: trigger the suite, then poll every run every 2 s. */
async function runSdk(sim: Simulator, dir: string, o: RunCompareOptions): Promise<ToolRun> {
  const byEndpoint: Record<string, number> = {};
  let requests = 0;
  const counting: typeof fetch = (input, init) => {
    requests++;
    const method = init?.method ?? 'GET';
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname.replace(/^\/v2/, '');
    const key = `${method} ${path.replace(/\/runs\/[^/]+$/, '/runs/{run_id}').replace(/tests\/[0-9a-f-]{36}/, 'tests/{test_id}')}`;
    byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
    return fetch(input, init);
  };
  const sdk = new Telnyx({ apiKey: KEY, baseURL: sim.url, fetch: counting });
  const wait = o.sdkIntervalMs / o.scale;
  const seenFinal = new Map<string, number>();
  const intervals: number[] = [];
  const started = Date.now();
  const triggered = await sdk.ai.assistants.tests.testSuites.runs.trigger(SUITE);
  const final = await Promise.all(
    triggered.map(async (first) => {
      let run = first;
      let last = Date.now();
      while (!isFinal(run.status)) {
        await delay(wait);
        run = await sdk.ai.assistants.tests.runs.retrieve(first.run_id, { test_id: first.test_id });
        const now = Date.now();
        intervals.push(now - last);
        last = now;
      }
      seenFinal.set(run.run_id, Date.now());
      return run;
    }),
  );
  writeFileSync(join(dir, 'sdk-results.json'), JSON.stringify(final));
  const meanInterval = intervals.reduce((a, b) => a + b, 0) / Math.max(1, intervals.length);
  return {
    ...measured(sim, o, {
      tool: 'telnyx SDK',
      seen: seenFinal,
      requests,
      byEndpoint,
      startedMs: started,
      reportsAtMs: Date.now(),
      correct: final.length === o.tests && final.every((r) => r.status === 'passed'),
    }),
    achievedIntervalS: simulatedS(meanInterval, o),
  };
}

/**
 * The better loop a plain SDK user writes: trigger the suite, then list the batch's runs
 * (filtered by test_suite_run_id, every page) every 5 s until all are final.
 */
async function runListPoller(sim: Simulator, dir: string, o: RunCompareOptions): Promise<ToolRun> {
  const client = new SeeingClient({ apiKey: KEY, baseUrl: sim.url });
  const started = Date.now();
  let runs: TestRun[];
  try {
    const triggered = await client.triggerSuite(SUITE);
    const tsr = triggered[0]?.test_suite_run_id;
    const final = new Map<string, TestRun>();
    for (;;) {
      for await (const run of client.listSuiteRuns(SUITE, tsr === undefined ? {} : { testSuiteRunId: tsr })) {
        if (isFinal(run.status)) final.set(run.run_id, run);
      }
      if (final.size >= triggered.length) break;
      await delay(LIST_POLLER_INTERVAL_MS / o.scale);
    }
    runs = [...final.values()];
  } finally {
    await client.close();
  }
  writeFileSync(join(dir, 'list-poller-results.json'), JSON.stringify(runs));
  return measured(sim, o, {
    tool: 'list-poller',
    seen: client.seen,
    requests: client.stats.requests,
    byEndpoint: client.stats.byEndpoint,
    startedMs: started,
    reportsAtMs: Date.now(),
    correct: runs.length === o.tests && runs.every((r) => r.status === 'passed'),
  });
}

/** A fresh simulator with the suite created, for fn; always cleaned up. */
async function withSuite<T>(
  o: RunCompareOptions,
  fn: (sim: Simulator, dir: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-bench-run-'));
  writeSuite(dir, o.tests);
  const sim = await benchSimulator({
    scale: o.scale,
    scenario: spreadScenario(o.tests, o.durations),
    latencyMs: o.latencyMs / o.scale,
  });
  try {
    await createTests(sim, dir);
    return await fn(sim, dir);
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One size: each tool runs the same suite once, on one simulator. */
export function compareRun(o: RunCompareOptions): Promise<RunComparison> {
  return withSuite(o, async (sim, dir) => {
    const rubricGate = await runRubricGate(sim, dir, o);
    const sdk = await runSdk(sim, dir, o);
    const listPoller = await runListPoller(sim, dir, o);
    return {
      tests: o.tests,
      scale: o.scale,
      rubricGate,
      sdk,
      listPoller,
      requestRatio: round(sdk.requests / rubricGate.requests, 1),
    };
  });
}

/** rubric-gate alone (e.g. to try another poll policy). */
export function benchRubricGate(o: RunCompareOptions): Promise<ToolRun> {
  return withSuite(o, (sim, dir) => runRubricGate(sim, dir, o));
}
