// rubric-gate against what a user would write with the official `telnyx` SDK: the loop its docs
// teach (trigger, then retrieve each run every 2 s) and a better plain loop (trigger, then list
// the runs every 5 s). Same simulator, same suites, same run durations; all on the simulator's
// scaled clock. rubric-gate runs twice: a first run, then one with --history from it (a team's
// CI has run the suite before), which knows how long each test takes. In suite mode every tool
// triggers whole suites; in per-test mode every test is triggered on its own (rubric-gate:
// --max-in-flight, as --shard, --tag and --grep also do). Measured: requests made, when each
// tool saw each run final, and when its report was on disk.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import Telnyx from 'telnyx';
import { TelnyxClient } from '../../src/api/client.js';
import { collect } from '../../src/api/paginate.js';
import { isFinal, type TestRun } from '../../src/api/schemas.js';
import { preparePlan } from '../../src/commands/plan.js';
import { runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { Results } from '../../src/results.js';
import { DEFAULT_END_SLACK_MS, DEFAULT_POLL_POLICY, type PollPolicy } from '../../src/run/poll.js';
import type { Simulator } from '../../src/simulator/index.js';
import { syncPlan } from '../../src/sync.js';
import {
  benchSimulator,
  type Durations,
  KEY,
  round,
  spreadScenario,
  suiteOf,
  testNames,
  writeSuite,
} from './harness.js';

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
  /** Suite triggers, or one trigger per test. Default suite. */
  mode?: Mode;
  /** Also run the SDK's retrieve-every-run loop (n requests every 2 s: skipped at large sizes). */
  sdk?: boolean;
}

export type Mode = 'suite' | 'per-test';

export interface ToolRun {
  tool: 'rubric-gate' | 'rubric-gate --history' | 'telnyx SDK' | 'list-poller';
  /** HTTP requests the tool sent during the run (rubric-gate: its pre-run list included). */
  requests: number;
  byEndpoint: Record<string, number>;
  /** Simulated seconds from the last run turning final to the tool seeing it final. */
  detectionLagS: number;
  /** The same lag over every run: mean and 95th percentile, simulated seconds. */
  meanLagS: number;
  p95LagS: number;
  maxLagS?: number;
  /**
   * Simulated seconds from the last run turning final to the tool having seen every run final:
   * when its verdict is known (reportLagS adds writing the reports).
   */
  verdictLagS?: number;
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
  /** Absent in older files: suite. */
  mode?: Mode;
  rubricGate: ToolRun;
  /** The same run again with --history from the first (absent in older files). */
  rubricGateHistory?: ToolRun;
  /** Absent where skipped (large sizes). */
  sdk?: ToolRun;
  /** A plain SDK user who lists the runs every 5 s (absent in older files). */
  listPoller?: ToolRun;
  /** SDK requests / rubric-gate requests, where the SDK loop ran. */
  requestRatio?: number;
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
    lastSeen: Math.max(...seen.values()),
    detectionLagS: round(last.lag, 2),
    meanLagS: round(sorted.reduce((a, b) => a + b, 0) / sorted.length, 2),
    p95LagS: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0, 2),
    maxLagS: round(sorted.at(-1) ?? 0, 2),
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
    maxLagS: l.maxLagS,
    verdictLagS: simulatedS(l.lastSeen - l.lastEnd, o),
    reportLagS: simulatedS(m.reportsAtMs - l.lastEnd, o),
    totalS: simulatedS(m.reportsAtMs - m.startedMs, o),
    correct: m.correct,
  };
}

/** Real ms as simulated seconds. */
const simulatedS = (ms: number, o: RunCompareOptions): number => round((ms * o.scale) / 1000, 2);

/** Our client, noting when each run was first seen final (listed, or read on its own). */
class SeeingClient extends TelnyxClient {
  readonly seen = new Map<string, number>();

  override async getRun(...args: Parameters<TelnyxClient['getRun']>): Promise<TestRun> {
    const run = await super.getRun(...args);
    if (isFinal(run.status) && !this.seen.has(run.run_id)) this.seen.set(run.run_id, Date.now());
    return run;
  }

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

/** The suites of an n-test bench (several files above TESTS_PER_FILE). */
const suitesOf = (n: number): string[] => [...new Set(testNames(n).map((_, i) => suiteOf(i, n)))];

async function runRubricGate(
  sim: Simulator,
  dir: string,
  o: RunCompareOptions,
  history?: string,
): Promise<ToolRun> {
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
    // The CLI's defaults (poll policy, client retries), on the simulator's clock. Per-test mode:
    // --max-in-flight as large as the run, so every test is triggered on its own at once.
    code = await runCommand(
      ['.'],
      {
        outDir,
        ...(history ? { history } : {}),
        ...(o.mode === 'per-test' ? { maxInFlight: o.tests } : {}),
      },
      io,
      // Real time, as the simulator's run timestamps are (its runs are `scale` times shorter),
      // with the CLI's poll policy made as much shorter: what --history learns from the API's
      // timestamps then means the same as the tool's own clock, as in production.
      { client, poll: scaledPolicy(o.poll ?? DEFAULT_POLL_POLICY, o.scale) },
    );
  } finally {
    await client.close();
  }
  const reportsAt = Date.now();
  const results = Results.parse(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')));
  const attempts = results.suites.flatMap((s) => s.tests.flatMap((t) => t.attempts));
  const own = new Set(attempts.flatMap((a) => (a.runId === undefined ? [] : [a.runId])));
  const seen = ownOnly(client.seen, own);
  return measured(sim, o, {
    tool: history ? 'rubric-gate --history' : 'rubric-gate',
    seen,
    requests: client.stats.requests,
    byEndpoint: client.stats.byEndpoint,
    startedMs: started,
    reportsAtMs: reportsAt,
    correct:
      code === 0 &&
      seen.size === o.tests &&
      attempts.length === o.tests &&
      attempts.every((a) => a.status === 'passed'),
  });
}

/** A poll policy `scale` times faster. */
const scaledPolicy = (p: PollPolicy, scale: number): PollPolicy => ({
  startMs: p.startMs / scale,
  capMs: p.capMs / scale,
  verifyMs: (p.verifyMs ?? 60_000) / scale,
  endSlackMs: (p.endSlackMs ?? DEFAULT_END_SLACK_MS) / scale,
});

/** A suite's history lists earlier tools' runs too: only the tool's own runs count. */
const ownOnly = (seen: ReadonlyMap<string, number>, own: ReadonlySet<string>) =>
  new Map([...seen].filter(([id]) => own.has(id)));

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
  const triggered = (
    await Promise.all(
      suitesOf(o.tests).map((suite) => sdk.ai.assistants.tests.testSuites.runs.trigger(suite)),
    )
  ).flat();
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
 * The better loop a plain SDK user writes: trigger, then list the runs every 5 s until all are
 * final. Suite mode: each suite trigger's batch (filtered by test_suite_run_id, every page).
 * Per-test mode: one trigger per test (8 at a time), then each suite's run history, newest
 * first, read until every run of its own has been listed.
 */
async function runListPoller(sim: Simulator, dir: string, o: RunCompareOptions): Promise<ToolRun> {
  const client = new SeeingClient({ apiKey: KEY, baseUrl: sim.url });
  const started = Date.now();
  const final = new Map<string, TestRun>();
  const own = new Set<string>();
  try {
    const reads: { suite: string; filter: { testSuiteRunId?: string }; runs: Set<string> }[] = [];
    if (o.mode === 'per-test') {
      const tests = await collect(client.listTests({}));
      const limit = pLimit(8);
      const bySuite = new Map<string, Set<string>>();
      await Promise.all(
        tests.map((t) =>
          limit(async () => {
            const run = await client.triggerTest(t.test_id);
            const runs = bySuite.get(t.test_suite ?? '') ?? new Set<string>();
            runs.add(run.run_id);
            bySuite.set(t.test_suite ?? '', runs);
          }),
        ),
      );
      for (const [suite, runs] of bySuite) reads.push({ suite, filter: {}, runs });
    } else {
      for (const suite of suitesOf(o.tests)) {
        const triggered = await client.triggerSuite(suite);
        const tsr = triggered[0]?.test_suite_run_id;
        reads.push({
          suite,
          filter: tsr === undefined ? {} : { testSuiteRunId: tsr },
          runs: new Set(triggered.map((r) => r.run_id)),
        });
      }
    }
    for (const r of reads) for (const id of r.runs) own.add(id);
    for (;;) {
      for (const r of reads) {
        const listed = new Set<string>();
        for await (const run of client.listSuiteRuns(r.suite, r.filter)) {
          if (!r.runs.has(run.run_id)) continue;
          listed.add(run.run_id);
          if (isFinal(run.status)) final.set(run.run_id, run);
          if (listed.size === r.runs.size) break;
        }
      }
      if (final.size >= own.size) break;
      await delay(LIST_POLLER_INTERVAL_MS / o.scale);
    }
  } finally {
    await client.close();
  }
  const runs = [...final.values()];
  writeFileSync(join(dir, 'list-poller-results.json'), JSON.stringify(runs));
  return measured(sim, o, {
    tool: 'list-poller',
    seen: ownOnly(client.seen, own),
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
    if (process.env.RG_BENCH_KEEP) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One size and mode: each tool runs the same suites on one simulator: rubric-gate (first run,
 * then with --history from it), the SDK loop where asked, and the list-poller.
 */
export function compareRun(o: RunCompareOptions): Promise<RunComparison> {
  return withSuite(o, async (sim, dir) => {
    const history = join(dir, 'history.jsonl');
    // The first run's history file is written only with --history: a file to start from.
    writeFileSync(history, '');
    const rubricGate = await runRubricGate(sim, dir, o, history);
    const rubricGateHistory = await runRubricGate(sim, dir, o, history);
    const sdk = o.sdk === false ? undefined : await runSdk(sim, dir, o);
    const listPoller = await runListPoller(sim, dir, o);
    return {
      tests: o.tests,
      scale: o.scale,
      mode: o.mode ?? 'suite',
      rubricGate: { ...rubricGate, tool: 'rubric-gate' },
      rubricGateHistory,
      ...(sdk ? { sdk, requestRatio: round(sdk.requests / rubricGate.requests, 1) } : {}),
      listPoller,
    };
  });
}

/** rubric-gate alone (e.g. to try another poll policy). */
export function benchRubricGate(o: RunCompareOptions): Promise<ToolRun> {
  return withSuite(o, (sim, dir) => runRubricGate(sim, dir, o));
}
