// `rubric-gate demo`: the main job end to end with no account: start the simulator with the
// demo scenario, then sync and run the example suites against it and write the reports.
// With no suites/ in the current folder (a fresh `npx rubric-gate demo`), it runs the examples
// shipped in the package, and says so.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { exampleSuitesDir } from '../package-files.js';
import { loadScenario, startSimulator } from '../simulator/index.js';
import { displayPath } from '../suite/load.js';
import { runCommand } from './run.js';

export const DEMO_SCENARIO = 'suites/demo.scenario.yaml';
const SCENARIO_NAME = 'demo.scenario.yaml';

export interface DemoOptions {
  scenario?: string;
  outDir?: string;
  /** The shipped examples' folder (tests); default: the package's suites/. */
  examplesDir?: string;
}

/** What the demo runs: the given paths, ./suites, or the shipped examples when neither exists. */
export function demoInputs(
  paths: readonly string[],
  opts: DemoOptions,
  io: Io,
): { paths: string[]; scenario?: string; shipped: boolean } {
  const local = (p: string) => existsSync(resolve(io.cwd, p));
  if (paths.length > 0 || local('suites')) {
    const scenario = opts.scenario ?? (local(DEMO_SCENARIO) ? DEMO_SCENARIO : undefined);
    return {
      paths: paths.length > 0 ? [...paths] : ['suites'],
      shipped: false,
      ...(scenario ? { scenario } : {}),
    };
  }
  const examples = opts.examplesDir ?? exampleSuitesDir();
  const shown = displayPath(io.cwd, examples);
  return {
    paths: [shown],
    scenario: opts.scenario ?? displayPath(io.cwd, join(examples, SCENARIO_NAME)),
    shipped: true,
  };
}

export async function demoCommand(paths: readonly string[], opts: DemoOptions, io: Io): Promise<ExitCode> {
  const input = demoInputs(paths, opts, io);
  const scenario = input.scenario ? await loadScenario(resolve(io.cwd, input.scenario)) : undefined;
  if (input.shipped) {
    io.stdout(
      `demo: no suites/ in this folder, so running the example suites shipped with rubric-gate (${input.paths[0]}).\n` +
        '      `rubric-gate init` writes a suites/ folder of your own.\n',
    );
  }
  const sim = await startSimulator({ ...(scenario ? { scenario } : {}) });
  try {
    io.stdout(
      `demo: Telnyx simulator on ${sim.url}${input.scenario ? ` with ${input.scenario}` : ''} (no API key needed)\n`,
    );
    // The simulator's own key and URL; TELNYX_* from the user's environment are not used.
    const demoIo: Io = { ...io, env: { ...io.env, TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } };
    return await runCommand(input.paths, { ...(opts.outDir ? { outDir: opts.outDir } : {}) }, demoIo);
  } finally {
    await sim.close();
  }
}
