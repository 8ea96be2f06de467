// Runs the GitHub Action as the runner does: INPUT_* variables (hyphens kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, GITHUB_ACTIONS=true, cwd = the workspace. The entry is the committed
// bundle (action.test.ts) or the source through tsx (tests of features the bundle predates).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';
import { runProcess } from './process.js';

/** The Action from source through tsx, for tests of features the committed bundle predates. */
export const SOURCE_ENTRY = [
  '--import',
  fileURLToPath(import.meta.resolve('tsx')),
  join(import.meta.dirname, '..', '..', 'src', 'action.ts'),
];

/**
 * Simulators (and anything else with a close) and temporary folders a test file makes, closed
 * and removed after its last test. Call once at the top level of a test file.
 */
export function scratch(apiKey: string) {
  const closers: (() => Promise<void>)[] = [];
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(closers.splice(0).map((c) => c()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return {
    async simulator(scenario: unknown): Promise<Simulator> {
      const sim = await startSimulator({ apiKey, clockScale: 600, scenario: Scenario.parse(scenario) });
      closers.push(() => sim.close());
      return sim;
    },
    closeAfter(close: () => Promise<void>): void {
      closers.push(close);
    },
    dir(prefix: string): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}

type OnStart = Parameters<typeof runProcess>[2]['onStart'];

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

/** Parses GITHUB_OUTPUT: `name<<delimiter` / value / `delimiter` blocks, or `name=value`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Run `node <entry...>` as the runner would, and read back its outputs and job summary. */
export async function runActionEntry(
  node: string,
  entry: readonly string[],
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  onStart?: OnStart,
): Promise<ActionRun> {
  const outputFile = join(dir, '.github_output');
  const summaryFile = join(dir, '.step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const childEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...env,
  };
  // The runner's naming: INPUT_ + upper case, spaces to _, hyphens kept (INPUT_API-KEY).
  for (const [k, v] of Object.entries(inputs)) childEnv[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  const { code, stdout, stderr } = await runProcess(node, entry, {
    cwd: dir,
    env: childEnv,
    timeoutMs: 40_000,
    ...(onStart ? { onStart } : {}),
  });
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    dir,
  };
}
