// The local Telnyx simulator: a stateful loopback server implementing the assistant-tests,
// versions and canary-deploy endpoints as CONTRACT.md describes them. See docs/simulator.md.
import { UsageError } from '../errors.js';
import type { FaultRule, RateLimit } from './faults.js';
import { DEFAULT_SCENARIO, rateLimitOf, type Scenario } from './scenario.js';
import { type RequestCounts, SimServer } from './server.js';
import type { SimState } from './state.js';

export type { FaultKind, FaultRule, RateLimit } from './faults.js';
export { phaseAt, renderRun } from './lifecycle.js';
export type { RunPlan } from './outcome.js';
export { DEFAULT_SCENARIO, type Outcome, Scenario, type TestEntry } from './scenario.js';
export { loadScenario, parseScenarioText, ScenarioFileError } from './scenario-file.js';
export type { RequestCounts } from './server.js';
export type {
  AssistantRecord,
  CanaryRecord,
  RunRecord,
  SimState,
  TestRecord,
  VersionRecord,
} from './state.js';

export interface SimulatorOptions {
  /** 0 (default) = ephemeral; always binds 127.0.0.1. */
  port?: number;
  /** The one accepted Bearer key; default 'KEY_SIMULATOR'. */
  apiKey?: string;
  /** Parsed scenario (see loadScenario); default: every run passes. */
  scenario?: Scenario;
  /** Simulated seconds per real second (overrides the scenario's); default 60. */
  clockScale?: number;
  /** Initial fault rules. */
  faults?: FaultRule[];
  /**
   * A token bucket answering 429 (code 10011, with Retry-After) when exceeded; overrides the
   * scenario's `rate_limit`.
   */
  rateLimit?: RateLimit;
  /** Test seam: the real clock, epoch ms. Default Date.now. */
  now?: () => number;
}

export interface Simulator {
  /** Base URL including /v2, e.g. http://127.0.0.1:41234/v2 */
  url: string;
  apiKey: string;
  /** Keys: 'METHOD /route/template'; every request is counted, faults and 401s included. */
  counts(): RequestCounts;
  resetCounts(): void;
  /** Replace the fault rules at runtime. */
  setFaults(rules: FaultRule[]): void;
  /** Replace (or remove) the rate limit at runtime; the bucket starts full. */
  setRateLimit(limit: RateLimit | undefined): void;
  /** High-water mark of runs in pending|starting|running, sampled after every request. */
  maxRunsInProgress(): number;
  state: SimState;
  close(): Promise<void>;
}

export const DEFAULT_API_KEY = 'KEY_SIMULATOR';
export const DEFAULT_CLOCK_SCALE = 60;

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const scenario = opts.scenario ?? DEFAULT_SCENARIO;
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const clockScale = opts.clockScale ?? scenario.clock_scale ?? DEFAULT_CLOCK_SCALE;
  if (!(clockScale > 0)) throw new RangeError(`clockScale must be > 0, got ${clockScale}`);
  const rateLimit = opts.rateLimit ?? (scenario.rate_limit ? rateLimitOf(scenario.rate_limit) : undefined);
  const server = new SimServer({
    apiKey,
    scenario,
    clockScale,
    faults: opts.faults ?? [],
    ...(rateLimit ? { rateLimit } : {}),
    now: opts.now ?? Date.now,
  });
  const port = await server.listen(opts.port ?? 0).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${opts.port} on 127.0.0.1 is already in use: pick another with --port`);
    }
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}/v2`,
    apiKey,
    counts: () => server.getCounts(),
    resetCounts: () => server.resetCounts(),
    setFaults: (rules) => server.faults.set(rules),
    setRateLimit: (limit) => server.setRateLimit(limit),
    maxRunsInProgress: () => server.maxRunsInProgress(),
    state: server.state,
    close: () => server.close(),
  };
}

/** Run fn against a fresh simulator and always close it. */
export async function withSimulator<T>(
  opts: SimulatorOptions,
  fn: (sim: Simulator) => Promise<T>,
): Promise<T> {
  const sim = await startSimulator(opts);
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}
