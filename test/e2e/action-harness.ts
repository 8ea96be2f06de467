// Runs the GitHub Action as the runner does: INPUT_* variables (hyphens kept), GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, GITHUB_ACTIONS=true, cwd = the workspace. The entry is the committed
// bundle (action.test.ts) or the source through tsx (tests of features the bundle predates).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from './process.js';

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
