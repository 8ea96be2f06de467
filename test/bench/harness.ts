// Shared pieces of the benchmark: the machine it ran on, suite files of N tests, a scenario
// whose runs end at spread-out times, and simulators with a fixed latency on every request.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type FaultRule, type RateLimit, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const KEY = 'KEY_BENCH';
export const SUITE = 'bench';

/** Test names t0001..tNNNN (sorted order = creation order). */
export const testNames = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `t${String(i + 1).padStart(4, '0')}`);

/** Tests per suite file: larger runs are split over several suites, as the file limits require. */
export const TESTS_PER_FILE = 2_000;

/** The suite of test i (0-based) of n: `bench` while one file holds them all, else bench-1, -2... */
export const suiteOf = (i: number, n: number): string =>
  n <= TESTS_PER_FILE ? SUITE : `${SUITE}-${Math.floor(i / TESTS_PER_FILE) + 1}`;

/** Suite files of n tests in all, the shape a team would keep in git. */
export function writeSuite(dir: string, n: number): void {
  const bySuite = new Map<string, string[]>();
  testNames(n).forEach((name, i) => {
    const s = suiteOf(i, n);
    bySuite.set(s, [...(bySuite.get(s) ?? []), name]);
  });
  for (const [suite, names] of bySuite) {
    const doc = {
      suite,
      defaults: { channel: 'web_chat', destination: 'assistant-under-test', max_duration_seconds: 300 },
      tests: names.map((name) => ({
        name,
        instructions: `Act as a customer calling about case ${name}; ask for a refund.`,
        rubric: [
          { name: 'Accuracy', criteria: 'States the refund policy correctly' },
          { name: 'Empathy', criteria: "Acknowledges the customer's frustration" },
        ],
      })),
    };
    writeFileSync(join(dir, `${suite}.yaml`), stringify(doc));
  }
}

export interface Durations {
  minSeconds: number;
  maxSeconds: number;
}

/**
 * Every run passes after its own duration, spread evenly over [min, max] simulated seconds in a
 * scrambled order (7919 is prime, so i → 7919·i mod n is a permutation), so runs finish one by
 * one as real calls do, all shifted by a phase in [0, 5) s fixed per size: with round durations
 * the last run would end exactly on a 5 s poller's grid (80 s = 16 polls), a lag of nearly
 * nothing for it by construction. The phase is arbitrary, not chosen for any tool.
 */
export function spreadScenario(n: number, d: Durations): Scenario {
  const tests: Record<string, { outcome: 'pass'; duration_seconds: number }> = {};
  const phase = round((Math.abs(Math.sin(n)) * 10_000) % 5, 2);
  testNames(n).forEach((name, i) => {
    const rank = n === 1 ? 1 : ((i * 7919) % n) / (n - 1);
    tests[`${suiteOf(i, n)}/${name}`] = {
      outcome: 'pass',
      duration_seconds: phase + d.minSeconds + rank * (d.maxSeconds - d.minSeconds),
    };
  });
  return Scenario.parse({ seed: 1, tests });
}

/** A 'latency' fault on every request: `ms` of real time before each answer. */
export const latencyOnEverything = (ms: number): FaultRule[] => [{ kind: 'latency', latencyMs: ms }];

export async function benchSimulator(opts: {
  scale: number;
  scenario?: Scenario;
  latencyMs: number;
  rateLimit?: RateLimit;
}): Promise<Simulator> {
  return startSimulator({
    apiKey: KEY,
    clockScale: opts.scale,
    ...(opts.scenario ? { scenario: opts.scenario } : {}),
    faults: latencyOnEverything(opts.latencyMs),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
}

/** Requests the simulator counted, grouped for the table. */
export function requestsOf(sim: Simulator): { total: number; byEndpoint: Record<string, number> } {
  return sim.counts();
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the bench started (others may share the machine). */
  loadAverage: number;
  commit?: string;
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) cpu = line.split(':')[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() it is
  }
  let commit: string | undefined;
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  let load = 0;
  try {
    load = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    // not Linux
  }
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${process.arch}`,
    loadAverage: load,
    ...(commit ? { commit } : {}),
  };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
