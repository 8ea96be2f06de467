// `rubric-gate demo`: the main job end to end with no account: start the simulator with the
// demo scenario, then sync and run the example suites against it and write the reports.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { loadScenario, startSimulator } from '../simulator/index.js';
import { runCommand } from './run.js';

export const DEMO_SCENARIO = 'suites/demo.scenario.yaml';

export interface DemoOptions {
  scenario?: string;
  outDir?: string;
}

export async function demoCommand(paths: readonly string[], opts: DemoOptions, io: Io): Promise<ExitCode> {
  const scenarioFile =
    opts.scenario ?? (existsSync(resolve(io.cwd, DEMO_SCENARIO)) ? DEMO_SCENARIO : undefined);
  const scenario = scenarioFile ? await loadScenario(resolve(io.cwd, scenarioFile)) : undefined;
  const sim = await startSimulator({ ...(scenario ? { scenario } : {}) });
  try {
    io.stdout(
      `demo: Telnyx simulator on ${sim.url}${scenarioFile ? ` with ${scenarioFile}` : ''} (no API key needed)\n`,
    );
    // The simulator's own key and URL; TELNYX_* from the user's environment are not used.
    const demoIo: Io = { ...io, env: { ...io.env, TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } };
    return await runCommand(paths, { ...(opts.outDir ? { outDir: opts.outDir } : {}) }, demoIo);
  } finally {
    await sim.close();
  }
}
