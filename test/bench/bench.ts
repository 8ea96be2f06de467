// The benchmark: rubric-gate against the plain-SDK approach (requests, detection lag), sync of
// 1,000 tests under a rate limit, CLI start-up time and peak memory. Prints a table and writes
// test/bench/results.json. Not part of the vitest suite; run on demand:
//   npx tsx test/bench/bench.ts [--sizes 10,100,1000] [--out FILE]     (about 3 minutes)
//   npx tsx test/bench/bench.ts --render test/bench/results.json         (print a saved run again)
// Uses the built CLI for start-up and memory: run `npm run build` first after changing src/.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { node24 } from '../e2e/node24.js';
import { benchPeakMemory, benchStartup, buildWithFlags, type PeakMemory, type Startup } from './cli-bench.js';
import { type Durations, type Machine, machine, ROOT, round } from './harness.js';
import { compareRun, type RunComparison, type ToolRun } from './run-compare.js';
import { benchSequential, type SequentialBench } from './sequential-bench.js';
import { benchSync, type SyncBench } from './sync-bench.js';

/** Latency of every request, ms of API time. */
const LATENCY_MS = 20;
/** Runs end one by one between these many simulated seconds after the trigger. */
const DURATIONS: Durations = { minSeconds: 20, maxSeconds: 80 };
const SDK_INTERVAL_MS = 2_000;
const SYNC = { tests: 1_000, perSecond: 50 };
/** Bursts below the rate, each a separate sync from nothing. */
const SYNC_BURSTS = [10, 1];
/** The issue's scale for memory and CPU: 10,000 tests (5 suite files of 2,000). */
const MEMORY_TESTS = 10_000;
const STARTUP_RUNS = 21;

/**
 * The clock of the run comparison at every size: a scale multiplies every real millisecond a
 * tool spends on its own work (rendering reports, say) into simulated time, so one moderate
 * scale for all sizes keeps the comparison about polling, not about the machine.
 */
export const COMPARE_SCALE = 2;
/** The SDK loop (n requests every 2 s) only where the machine can keep its pace. */
const SDK_MAX_TESTS = 1_000;

export const TARGETS = {
  requestRatioMin: 20,
  requestRatioFromTests: 100,
  syncRatioMax: 1.2,
  noChangeListsMax: 10,
  /** `--version`, `--help` and `validate suites`, each against bare `node -e ""`. */
  startupRatioMax: 1.5,
  peakMemoryMiBMax: 200,
  /** CPU of the 10,000-test run with the bundle's V8 flags ÷ the same run built without them. */
  flagCpuRatioMax: 1.25,
  /** CPU per test of the 10,000-test run ÷ that of the 1,000-test run, in each mode. */
  cpuPerTestGrowthMax: 1.2,
} as const;

/** Sizes of the CPU series (the 10,000-test suite-mode run is the memory row's). */
const CPU_SERIES = [100, 1_000, 10_000] as const;
type SeriesMode = 'suite' | 'per-test';

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
  /** When missed: by how much. */
  missedBy?: string;
}

export interface BenchResults {
  schema: 'rubric-gate/bench@1';
  date: string;
  machine: Machine;
  settings: {
    latencyMs: number;
    durations: Durations;
    sdkIntervalMs: number;
    sync: typeof SYNC;
    memoryTests: number;
    startupRuns: number;
  };
  runs: RunComparison[];
  sync: SyncBench;
  /** Fixed (--all-trials) against sequential trials on one realistic suite. */
  sequential?: SequentialBench;
  /** Sync from nothing at the same rate with smaller bursts (absent in older result files). */
  syncBursts?: SyncBench[];
  startup: Startup;
  peakMemory: PeakMemory;
  /** The same run built without the bundle's V8 flags: what the flags cost in CPU and save in memory. */
  peakMemoryNoFlags?: PeakMemory;
  /**
   * The same pair on Node 24, the Action's runtime (V8 12: the commands that run suites
   * re-execute themselves with a bounded young generation; see scripts/build.mjs).
   */
  peakMemoryNode24?: PeakMemory;
  peakMemoryNode24NoFlags?: PeakMemory;
  /** The built CLI at 100, 1,000 and 10,000 tests in suite and per-test mode: CPU per test. */
  cpuSeries?: { mode: SeriesMode; run: PeakMemory }[];
  targets: TargetCheck[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Requests a tool made to trigger and watch the runs (the sync's test list left out). */
export const watching = (t: ToolRun): number => t.requests - (t.byEndpoint['GET /ai/assistants/tests'] ?? 0);

/**
 * Pareto-ahead of the 5 s list-poller: no more requests, and p95 lag, max lag and last run to
 * reports each no worse than its own.
 */
function paretoCheck(c: RunComparison, rg: ToolRun, lp: ToolRun): TargetCheck {
  // Requests to watch the same runs: triggers and run reads. rubric-gate's sync lists the
  // suite's tests first (to check it matches the files), which the list-poller never does.
  const axes = [
    { name: 'requests', ours: watching(rg), theirs: watching(lp), unit: '' },
    { name: 'p95 lag', ours: rg.p95LagS, theirs: lp.p95LagS, unit: ' s' },
    { name: 'max lag', ours: rg.maxLagS ?? Number.NaN, theirs: lp.maxLagS ?? Number.NaN, unit: ' s' },
    { name: 'last run->reports', ours: rg.reportLagS, theirs: lp.reportLagS, unit: ' s' },
  ];
  const worse = axes.filter((a) => !(a.ours <= a.theirs));
  return {
    target: `${c.tests} tests, ${c.mode ?? 'suite'} mode, ${rg.tool}: Pareto-ahead of the 5 s list-poller (requests, p95 and max lag, last run->reports)`,
    measured: axes.map((a) => `${a.name} ${a.ours} vs ${a.theirs}${a.unit}`).join(', '),
    met: worse.length === 0,
    ...(worse.length === 0
      ? {}
      : { missedBy: worse.map((a) => `${a.name} ${round(a.ours - a.theirs, 2)}${a.unit} more`).join(', ') }),
  };
}

/** Each target, measured. Pure. */
export function checkTargets(r: Omit<BenchResults, 'targets'>): TargetCheck[] {
  const out: TargetCheck[] = [];
  for (const c of r.runs.filter((x) => x.tests >= TARGETS.requestRatioFromTests)) {
    const sdk = c.sdk;
    const ratio = c.requestRatio;
    if (sdk && ratio !== undefined) {
      out.push({
        target: `${c.tests} tests: >= ${TARGETS.requestRatioMin}x fewer requests than the SDK loop`,
        measured: `${ratio}x (${c.rubricGate.requests} vs ${sdk.requests})`,
        met: ratio >= TARGETS.requestRatioMin,
        ...(ratio >= TARGETS.requestRatioMin
          ? {}
          : { missedBy: `${pct(1 - ratio / TARGETS.requestRatioMin)} short` }),
      });
    }
    if (c.listPoller) {
      for (const rg of [c.rubricGate, ...(c.rubricGateHistory ? [c.rubricGateHistory] : [])]) {
        out.push(paretoCheck(c, rg, c.listPoller));
      }
    }
  }
  for (const b of [r.sync, ...(r.syncBursts ?? [])]) {
    const s = b.fromNothing;
    const syncMet = s.ratio <= TARGETS.syncRatioMax && s.failedWrites === 0;
    out.push({
      target: `sync of ${b.tests} tests at ${b.perSecond} req/s, burst ${b.burst}: <= ${TARGETS.syncRatioMax}x the rate-limit floor, 0 failed writes`,
      measured: `${s.seconds} s = ${s.ratio}x the ${s.floorSeconds} s floor, ${s.failedWrites} failed`,
      met: syncMet,
      ...(syncMet
        ? {}
        : {
            missedBy:
              s.failedWrites > 0
                ? `${s.failedWrites} failed writes`
                : `${pct(s.ratio / TARGETS.syncRatioMax - 1)} over the allowed time`,
          }),
    });
  }
  const n = r.sync.noChange;
  const ncMet = n.listRequests <= TARGETS.noChangeListsMax && n.writeRequests === 0;
  out.push({
    target: `no-change sync of ${r.sync.tests} tests: <= ${TARGETS.noChangeListsMax} list requests, 0 writes`,
    measured: `${n.listRequests} list requests, ${n.writeRequests} writes, ${n.seconds} s`,
    met: ncMet,
    ...(ncMet
      ? {}
      : { missedBy: `${n.listRequests - TARGETS.noChangeListsMax} lists / ${n.writeRequests} writes over` }),
  });
  for (const row of r.startup.rows) {
    const ok = row.ratio <= TARGETS.startupRatioMax;
    out.push({
      target: `start-up of ${row.command} <= ${TARGETS.startupRatioMax}x bare node`,
      measured: `${row.ratio}x: median ${row.medianMs} ms (node -e "": ${r.startup.nodeMedianMs} ms, Node ${r.startup.node})`,
      met: ok,
      ...(ok ? {} : { missedBy: `${round(row.ratio - TARGETS.startupRatioMax, 2)}x over` }),
    });
  }
  const memoryTargets = (pm: PeakMemory, nf: PeakMemory | undefined): void => {
    const on = pm.node ? `, Node ${pm.node}` : '';
    const memOk = pm.maxRssMiB < TARGETS.peakMemoryMiBMax && pm.exitCode === 0;
    out.push({
      target: `peak memory of a ${pm.tests}-test run < ${TARGETS.peakMemoryMiBMax} MiB${on}`,
      measured: `${pm.maxRssMiB} MiB RSS, ${pm.cpuSeconds} s CPU (exit ${pm.exitCode})`,
      met: memOk,
      ...(memOk ? {} : { missedBy: `${round(pm.maxRssMiB - TARGETS.peakMemoryMiBMax, 1)} MiB over` }),
    });
    if (!nf) return;
    const ratio = round(pm.cpuSeconds / nf.cpuSeconds, 2);
    const ok = ratio <= TARGETS.flagCpuRatioMax && nf.exitCode === 0;
    out.push({
      target: `CPU of that run with the bundle's V8 flags <= ${TARGETS.flagCpuRatioMax}x without them${on}`,
      measured: `${ratio}x: ${pm.cpuSeconds} s against ${nf.cpuSeconds} s (${nf.maxRssMiB} MiB without the flags)`,
      met: ok,
      ...(ok ? {} : { missedBy: `${round(ratio - TARGETS.flagCpuRatioMax, 2)}x over` }),
    });
  };
  memoryTargets(r.peakMemory, r.peakMemoryNoFlags);
  if (r.peakMemoryNode24) memoryTargets(r.peakMemoryNode24, r.peakMemoryNode24NoFlags);
  for (const mode of ['suite', 'per-test'] as const) {
    const rows = (r.cpuSeries ?? []).filter((x) => x.mode === mode).map((x) => x.run);
    const at = (n: number) => rows.find((x) => x.tests === n);
    const small = at(1_000);
    const large = at(10_000);
    if (!small || !large) continue;
    const growth = round(perTestMs(large) / perTestMs(small), 2);
    const ok = growth <= TARGETS.cpuPerTestGrowthMax && small.exitCode === 0 && large.exitCode === 0;
    out.push({
      target: `${mode} mode: CPU per test at 10,000 tests <= ${TARGETS.cpuPerTestGrowthMax}x that at 1,000`,
      measured: `${growth}x: ${rows.map((x) => `${perTestMs(x)} ms at ${x.tests}`).join(', ')}`,
      met: ok,
      ...(ok ? {} : { missedBy: `${round(growth - TARGETS.cpuPerTestGrowthMax, 2)}x over` }),
    });
  }
  return out;
}

/** CPU milliseconds per test of one run of the built CLI (start-up included). */
const perTestMs = (m: PeakMemory): number => round((m.cpuSeconds * 1000) / m.tests, 2);

/** Fixed-width text table. */
function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i] ?? 0)).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

export function render(r: BenchResults): string {
  const m = r.machine;
  const runRows = r.runs.flatMap((c) =>
    [
      c.rubricGate,
      ...(c.rubricGateHistory ? [c.rubricGateHistory] : []),
      ...(c.sdk ? [c.sdk] : []),
      ...(c.listPoller ? [c.listPoller] : []),
    ].map((t) => [
      String(c.tests),
      c.mode ?? 'suite',
      t.tool,
      `${t.requests} (${watching(t)})`,
      t === c.sdk ? `${c.requestRatio}x` : '',
      `${t.detectionLagS} s`,
      `${t.meanLagS} / ${t.p95LagS} / ${t.maxLagS ?? '-'} s`,
      `${t.reportLagS} s`,
      t.achievedIntervalS === undefined ? '' : `${t.achievedIntervalS} s`,
      t.correct ? 'yes' : 'NO',
    ]),
  );
  const s = r.sync;
  const syncRows = [s.fromNothing, s.noChange].map((p, i) => [
    i === 0 ? 'from nothing' : 'no change',
    `${p.seconds} s`,
    p.floorSeconds > 0 ? `${p.floorSeconds} s (${p.ratio}x)` : '-',
    String(p.plannedWrites),
    String(p.writeRequests),
    String(p.failedWrites),
    String(p.listRequests),
    String(p.rateLimited),
  ]);
  return [
    `rubric-gate benchmark, ${r.date}`,
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, load ${m.loadAverage}${m.commit ? `, commit ${m.commit}` : ''}`,
    `simulator: ${r.settings.latencyMs} ms latency on every request; runs end ${r.settings.durations.minSeconds}-${r.settings.durations.maxSeconds} s after the trigger (simulated time; clock ${[...new Set(r.runs.map((c) => `${c.scale}x`))].join(', ')})`,
    '',
    'Run a suite, rubric-gate (first run, then with --history from it) vs the SDK loop (trigger, then retrieve each run every 2 s; suite mode up to 1,000 tests) and a list-poller (trigger, then list the runs every 5 s). Per-test mode: every test triggered on its own. Lags in simulated seconds.',
    table(
      [
        'tests',
        'mode',
        'tool',
        'requests (watching)',
        'SDK/rg',
        'last-run lag',
        'lag mean/p95/max',
        'last run->report',
        'SDK interval',
        'correct',
      ],
      runRows,
    ),
    '',
    `Sync of ${s.tests} tests, rate limit ${s.perSecond} req/s (burst ${s.burst}), ${s.latencyMs} ms latency, ${s.concurrency} parallel writes`,
    table(['sync', 'time', 'floor', 'planned writes', 'write requests', 'failed', 'lists', '429s'], syncRows),
    '',
    `Sync from nothing at ${s.perSecond} req/s by burst size (the writes are paced to x-ratelimit-remaining/-reset)`,
    table(
      ['burst', 'time', 'floor', 'write requests', 'failed', '429s'],
      [s, ...(r.syncBursts ?? [])].map((b) => [
        String(b.burst),
        `${b.fromNothing.seconds} s`,
        `${b.fromNothing.floorSeconds} s (${b.fromNothing.ratio}x)`,
        String(b.fromNothing.writeRequests),
        String(b.fromNothing.failedWrites),
        String(b.fromNothing.rateLimited),
      ]),
    ),
    '',
    ...(r.sequential
      ? [
          `Trials ${r.sequential.mix.trials}, min_passes ${r.sequential.mix.minPasses}, ${r.sequential.tests} tests (${r.sequential.mix.stable} stable, ${r.sequential.mix.failing} failing, ${r.sequential.mix.noisy} noisy at ${r.sequential.mix.noisyPassChance * 100}% pass): fixed against sequential trials`,
          table(
            ['trials', 'runs', 'call minutes', 'passed', 'failed', 'wall (simulated min)'],
            (['fixed', 'sequential'] as const).map((k) => {
              const m = r.sequential![k];
              return [
                k,
                String(m.runs),
                String(m.callMinutes),
                String(m.passed),
                String(m.failed),
                String(m.wallMinutes),
              ];
            }),
          ),
          `sequential: ${r.sequential.runsSavedPercent}% fewer runs, ${r.sequential.minutesSavedPercent}% fewer call minutes, same verdicts: ${r.sequential.sameVerdicts ? 'yes' : 'NO'}`,
          '',
        ]
      : []),
    `CLI start-up, Node ${r.startup.node}, medians of ${r.startup.runs} interleaved runs (node -e "": ${r.startup.nodeMedianMs} ms${r.startup.envRemoved.length > 0 ? `; unset for both: ${r.startup.envRemoved.join(', ')}` : ''})`,
    table(
      ['command', 'median', 'p90', '÷ bare node'],
      r.startup.rows.map((s) => [s.command, `${s.medianMs} ms`, `${s.p90Ms} ms`, `${s.ratio}x`]),
    ),
    '',
    `rubric-gate run of ${r.peakMemory.tests} tests through the built CLI (sync from nothing, run, reports)`,
    table(
      ['node', 'build', 'V8 flags', 'peak RSS', 'CPU (user+sys)', 'wall', 'exit'],
      [r.peakMemory, r.peakMemoryNoFlags, r.peakMemoryNode24, r.peakMemoryNode24NoFlags].flatMap((m) =>
        m === undefined
          ? []
          : [
              [
                m.node ?? r.startup.node,
                m.build === 'dist' ? 'dist/cli.js' : m.build,
                m.build === 'dist' ? "the bundle's own" : m.v8Flags.join(' ') || 'none',
                `${m.maxRssMiB} MiB`,
                `${m.cpuSeconds} s`,
                `${m.seconds} s`,
                String(m.exitCode),
              ],
            ],
      ),
    ),
    '',
    ...(r.cpuSeries?.length
      ? [
          'CPU per test: the built CLI (its own V8 flags), sync from nothing, run, reports; per-test mode is --max-in-flight n',
          table(
            ['mode', 'tests', 'CPU (user+sys)', 'CPU per test', 'peak RSS', 'wall', 'exit'],
            r.cpuSeries.map(({ mode, run }) => [
              mode,
              String(run.tests),
              `${run.cpuSeconds} s`,
              `${perTestMs(run)} ms`,
              `${run.maxRssMiB} MiB`,
              `${run.seconds} s`,
              String(run.exitCode),
            ]),
          ),
          '',
        ]
      : []),
    'Targets',
    table(
      ['', 'target', 'measured', 'missed by'],
      r.targets.map((t) => [t.met ? 'met' : 'MISSED', t.target, t.measured, t.missedBy ?? '']),
    ),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sizes: { type: 'string' }, out: { type: 'string' }, render: { type: 'string' } },
  });
  if (values.render !== undefined) {
    // Print a saved results file again, with the targets re-checked (no measurement).
    const saved = JSON.parse(readFileSync(values.render, 'utf8')) as BenchResults;
    process.stdout.write(render({ ...saved, targets: checkTargets(saved) }));
    return;
  }
  const sizes = (values.sizes ?? '100,1000,5000').split(',').map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes: "${x}" is not a whole number >= 1`);
    return n;
  });
  const out = values.out ?? join(ROOT, 'test', 'bench', 'results.json');
  const say = (t: string) => process.stderr.write(`${t}\n`);

  const info = machine();
  say('start-up...');
  const startup = benchStartup(STARTUP_RUNS);
  const runs: RunComparison[] = [];
  for (const mode of ['suite', 'per-test'] as const) {
    for (const n of sizes) {
      const sdk = mode === 'suite' && n <= SDK_MAX_TESTS;
      say(
        `run of ${n} tests, ${mode} mode: rubric-gate twice${sdk ? ', the SDK loop' : ''}, the list-poller...`,
      );
      runs.push(
        await compareRun({
          tests: n,
          scale: COMPARE_SCALE,
          latencyMs: LATENCY_MS,
          durations: DURATIONS,
          sdkIntervalMs: SDK_INTERVAL_MS,
          mode,
          sdk,
        }),
      );
    }
  }
  say(`sync of ${SYNC.tests} tests at ${SYNC.perSecond} req/s...`);
  const sync = await benchSync({ ...SYNC, latencyMs: LATENCY_MS });
  // The same sync when the limit's burst is smaller than its rate (the pacer reads x-ratelimit-*).
  const syncBursts: SyncBench[] = [];
  for (const burst of SYNC_BURSTS) {
    say(`sync of ${SYNC.tests} tests at ${SYNC.perSecond} req/s, burst ${burst}...`);
    syncBursts.push(await benchSync({ ...SYNC, latencyMs: LATENCY_MS, burst }));
  }
  say('fixed against sequential trials...');
  const sequential = await benchSequential();
  say(`peak memory of a ${MEMORY_TESTS}-test run...`);
  const memory = { tests: MEMORY_TESTS, scale: 60, latencyMs: LATENCY_MS, durations: DURATIONS };
  const peakMemory = await benchPeakMemory(memory);
  say(`the same ${MEMORY_TESTS}-test run, built without the V8 flags...`);
  const flagless = buildWithFlags([]);
  const peakMemoryNoFlags = await benchPeakMemory({
    ...memory,
    cli: flagless.cli,
    build: 'no V8 flags',
  });
  say(`the same ${MEMORY_TESTS}-test run on Node 24 (the Action's runtime), with and without the flags...`);
  const node = node24();
  const peakMemoryNode24 = await benchPeakMemory({ ...memory, node });
  const peakMemoryNode24NoFlags = await benchPeakMemory({
    ...memory,
    node,
    cli: flagless.cli,
    build: 'no V8 flags',
  }).finally(flagless.dispose);

  const cpuSeries: { mode: SeriesMode; run: PeakMemory }[] = [];
  for (const mode of ['suite', 'per-test'] as const) {
    for (const tests of CPU_SERIES) {
      if (mode === 'suite' && tests === MEMORY_TESTS) {
        cpuSeries.push({ mode, run: peakMemory });
        continue;
      }
      say(`CPU of a ${tests}-test run, ${mode} mode...`);
      const args = mode === 'per-test' ? ['--max-in-flight', String(tests)] : [];
      cpuSeries.push({ mode, run: await benchPeakMemory({ ...memory, tests, args }) });
    }
  }

  const partial: Omit<BenchResults, 'targets'> = {
    schema: 'rubric-gate/bench@1',
    date: new Date().toISOString(),
    machine: info,
    settings: {
      latencyMs: LATENCY_MS,
      durations: DURATIONS,
      sdkIntervalMs: SDK_INTERVAL_MS,
      sync: SYNC,
      memoryTests: MEMORY_TESTS,
      startupRuns: STARTUP_RUNS,
    },
    runs,
    sync,
    syncBursts,
    sequential,
    startup,
    peakMemory,
    peakMemoryNoFlags,
    peakMemoryNode24,
    peakMemoryNode24NoFlags,
    cpuSeries,
  };
  const results: BenchResults = { ...partial, targets: checkTargets(partial) };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(render(results));
  say(`wrote ${out}`);
}

if (import.meta.filename === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  });
}
