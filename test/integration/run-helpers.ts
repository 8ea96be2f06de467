// Shared harness for the `run` integration tests: suite files in a temp dir, a simulator on
// loopback, a client whose retry waits are short, a clock in step with the simulator's scaled
// clock, and readers for what the run wrote.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { type ClientOptions, TelnyxClient } from '../../src/api/client.js';
import { memoryIo } from '../../src/io.js';
import { testOutcome } from '../../src/outcome.js';
import { Results } from '../../src/results.js';
import { type Clock, scaledClock } from '../../src/run/clock.js';
import { RunState, STATE_FILE } from '../../src/run/state.js';
import {
  type FaultRule,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';

export const KEY = 'KEY_RUN_TEST_SECRET';
/** Simulated seconds per real second, on both sides: a 60 s call takes 100 ms. */
export const SCALE = 600;

export interface SuiteSpec {
  suite: string;
  /** The suite file's name in the temp dir (default: "<suite>.yaml"). */
  file?: string;
  maxDuration?: number;
  tests: {
    name: string;
    trials?: number;
    min_passes?: number;
    tags?: string[];
    rubric?: string[];
    max_duration_seconds?: number;
  }[];
}

export function suiteYaml(spec: SuiteSpec): string {
  return stringify({
    suite: spec.suite,
    defaults: {
      channel: 'web_chat',
      destination: 'assistant-under-test',
      ...(spec.maxDuration === undefined ? {} : { max_duration_seconds: spec.maxDuration }),
    },
    tests: spec.tests.map((t) => ({
      name: t.name,
      instructions: `Act as a customer: ${t.name}`,
      rubric: (t.rubric ?? ['Accuracy', 'Empathy']).map((n) => ({ name: n, criteria: `${n} holds` })),
      ...(t.trials === undefined ? {} : { trials: t.trials }),
      ...(t.min_passes === undefined ? {} : { min_passes: t.min_passes }),
      ...(t.tags === undefined ? {} : { tags: t.tags }),
      ...(t.max_duration_seconds === undefined ? {} : { max_duration_seconds: t.max_duration_seconds }),
    })),
  });
}

export const names = (n: number, prefix = 't'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${String(i + 1).padStart(3, '0')}`);

export interface Harness {
  sim: Simulator;
  client: TelnyxClient;
  dir: string;
  outDir: string;
  /** Sleeps the orchestrator made (each poll follows one). */
  sleeps: () => number;
  clock: Clock;
  io: ReturnType<typeof memoryIo>;
  env: Record<string, string>;
  close: () => Promise<void>;
}

export async function harness(opts: {
  suites: SuiteSpec[];
  scenario?: unknown;
  faults?: FaultRule[];
  sim?: Partial<SimulatorOptions>;
  /** Overrides for the client (retry waits, timeouts, event capture). */
  client?: Partial<ClientOptions>;
}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-run-'));
  for (const s of opts.suites) writeFileSync(join(dir, s.file ?? `${s.suite}.yaml`), suiteYaml(s));
  const sim = await startSimulator({
    apiKey: KEY,
    clockScale: SCALE,
    scenario: Scenario.parse(opts.scenario ?? {}),
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...opts.sim,
  });
  // The client's own retry waits (backoff, Retry-After) shortened 100×: counts, not timings.
  const client = new TelnyxClient({
    apiKey: KEY,
    baseUrl: sim.url,
    sleep: (ms, signal) => delay(ms / 100, undefined, signal ? { signal } : undefined),
    ...opts.client,
  });
  let sleeps = 0;
  const scaled = scaledClock(SCALE);
  const clock: Clock = {
    now: scaled.now,
    sleep: (ms, signal) => {
      sleeps++;
      return scaled.sleep(ms, signal);
    },
  };
  const env = { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url };
  return {
    sim,
    client,
    dir,
    outDir: join(dir, 'out'),
    sleeps: () => sleeps,
    clock,
    io: memoryIo({ env, cwd: dir }),
    env,
    close: async () => {
      await client.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Poll delays in our (scaled) clock: 20-200 ms real. */
export const FAST_POLL = { startMs: 20 * SCALE, capMs: 200 * SCALE };

export const deps = (h: Harness, extra: { signal?: AbortSignal } = {}) => ({
  client: h.client,
  clock: h.clock,
  poll: FAST_POLL,
  ...extra,
});

export const readResults = (outDir: string): Results =>
  Results.parse(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')));

export const readRunState = (outDir: string): RunState =>
  RunState.parse(JSON.parse(readFileSync(join(outDir, STATE_FILE), 'utf8')));

export const count = (sim: Simulator, key: string): number => sim.counts().byEndpoint[key] ?? 0;

/** "suite/test" → outcome, from the results.json a run wrote. */
export const outcomesOf = (outDir: string): Record<string, string> =>
  Object.fromEntries(
    readResults(outDir).suites.flatMap((s) =>
      s.tests.map((t) => [`${s.name}/${t.name}`, testOutcome(t).outcome]),
    ),
  );

export const EP = {
  suiteTrigger: 'POST /ai/assistants/tests/test-suites/{suite_name}/runs',
  suiteList: 'GET /ai/assistants/tests/test-suites/{suite_name}/runs',
  testTrigger: 'POST /ai/assistants/tests/{test_id}/runs',
  getRun: 'GET /ai/assistants/tests/{test_id}/runs/{run_id}',
  testRuns: 'GET /ai/assistants/tests/{test_id}/runs',
} as const;

/** Runs the simulator holds per "suite/test name". */
export function runsPerTest(sim: Simulator): Map<string, number> {
  const out = new Map<string, number>();
  for (const run of sim.state.runs.values()) {
    const test = sim.state.tests.get(run.test_id);
    const k = `${run.test_suite ?? test?.test_suite}/${run.testName}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

/** Outcome per "suite/test" from the written results (through the shared outcome code). */
export { testOutcome } from '../../src/outcome.js';

/** The simulator's id of the remote test of that name. */
export const testIdOf = (hx: Harness, name: string): string => {
  const t = [...hx.sim.state.tests.values()].find((x) => x.name === name);
  if (!t) throw new Error(`no remote test ${name}`);
  return t.test_id;
};

/**
 * The client with one method replaced (timing, a crash around the real call, or an answer the
 * API could give); the rest as is.
 */
export function withMethod<K extends keyof TelnyxClient>(
  real: TelnyxClient,
  name: K,
  replace: (target: TelnyxClient) => TelnyxClient[K],
): TelnyxClient {
  return new Proxy(real, {
    get(target, prop, recv) {
      if (prop === name) return replace(target);
      const v: unknown = Reflect.get(target, prop, recv);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
