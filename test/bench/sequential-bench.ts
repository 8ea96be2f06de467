// Fixed against sequential trials: one realistic suite (most tests stable, some noisy) run twice
// against the simulator, once with --all-trials and once deciding each test as early as its
// verdict allows. Runs and call minutes are counted on the simulator; the verdicts must match.
//   npx tsx test/bench/sequential-bench.ts        (about 30 s; also part of test/bench/bench.ts)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { TelnyxClient } from '../../src/api/client.js';
import { runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { testOutcome } from '../../src/outcome.js';
import { scaledClock } from '../../src/run/clock.js';
import { Scenario } from '../../src/simulator/scenario.js';
import { benchSimulator, KEY, round } from './harness.js';

export const MIX = { stable: 85, failing: 5, noisy: 10, noisyPassChance: 0.7, trials: 5, minPasses: 3 };
const SCALE = 60;

export interface TrialsMode {
  runs: number;
  callMinutes: number;
  passed: number;
  failed: number;
  /** Wall time of the whole run, in simulated minutes (real time × the clock scale). */
  wallMinutes: number;
}

export interface SequentialBench {
  tests: number;
  mix: typeof MIX;
  fixed: TrialsMode;
  sequential: TrialsMode;
  sameVerdicts: boolean;
  /** 1 - sequential / fixed, percent. */
  runsSavedPercent: number;
  minutesSavedPercent: number;
}

const name = (kind: string, i: number) => `${kind}-${String(i + 1).padStart(3, '0')}`;

function setup(dir: string): Scenario {
  const tests: Record<string, unknown> = {};
  const names: string[] = [];
  const add = (kind: string, n: number, entry: Record<string, unknown>) => {
    for (let i = 0; i < n; i++) {
      const t = name(kind, i);
      names.push(t);
      // Calls of 1-3 minutes, spread so runs finish one by one.
      tests[`voice/${t}`] = { duration_seconds: 60 + ((names.length * 37) % 120), ...entry };
    }
  };
  add('stable', MIX.stable, { outcome: 'pass' });
  add('failing', MIX.failing, { outcome: 'fail' });
  add('noisy', MIX.noisy, { probability: MIX.noisyPassChance });
  writeFileSync(
    join(dir, 'voice.yaml'),
    stringify({
      suite: 'voice',
      defaults: { channel: 'phone_call', destination: '+15550100001', max_duration_seconds: 300 },
      tests: names.map((n) => ({
        name: n,
        instructions: `Call as a customer: ${n}`,
        rubric: [{ name: 'Resolves the request', criteria: 'Resolves what the caller asked for' }],
        trials: MIX.trials,
        min_passes: MIX.minPasses,
      })),
    }),
  );
  return Scenario.parse({ seed: 7, tests });
}

async function runMode(allTrials: boolean): Promise<{ mode: TrialsMode; verdicts: Map<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-seq-bench-'));
  const scenario = setup(dir);
  const sim = await benchSimulator({ scale: SCALE, scenario, latencyMs: 5 });
  const client = new TelnyxClient({ apiKey: KEY, baseUrl: sim.url });
  const started = performance.now();
  try {
    const io = memoryIo({ env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url }, cwd: dir });
    const outDir = join(dir, 'out');
    await runCommand(['.'], { outDir, ...(allTrials ? { allTrials: true } : {}) }, io, {
      client,
      clock: scaledClock(SCALE),
      poll: { startMs: 2_000, capMs: 10_000 },
    });
    const { readResultsFile } = await import('../../src/results-file.js');
    const results = await readResultsFile(join(outDir, 'results.json'), 'results.json');
    const verdicts = new Map(results.suites[0]!.tests.map((t) => [t.name, testOutcome(t).outcome]));
    // Simulated call time: each run's real duration times the clock scale.
    const ms = [...sim.state.runs.values()].reduce((n, r) => n + r.durationMs * SCALE, 0);
    const outcomes = [...verdicts.values()];
    return {
      verdicts,
      mode: {
        runs: sim.state.runs.size,
        callMinutes: round(ms / 60_000, 1),
        passed: outcomes.filter((o) => o === 'passed').length,
        failed: outcomes.filter((o) => o === 'failed').length,
        wallMinutes: round(((performance.now() - started) / 60_000) * SCALE, 1),
      },
    };
  } finally {
    await client.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchSequential(): Promise<SequentialBench> {
  const fixed = await runMode(true);
  const sequential = await runMode(false);
  const same =
    fixed.verdicts.size === sequential.verdicts.size &&
    [...fixed.verdicts].every(([k, v]) => sequential.verdicts.get(k) === v);
  return {
    tests: fixed.verdicts.size,
    mix: MIX,
    fixed: fixed.mode,
    sequential: sequential.mode,
    sameVerdicts: same,
    runsSavedPercent: round((1 - sequential.mode.runs / fixed.mode.runs) * 100, 1),
    minutesSavedPercent: round((1 - sequential.mode.callMinutes / fixed.mode.callMinutes) * 100, 1),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchSequential();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
