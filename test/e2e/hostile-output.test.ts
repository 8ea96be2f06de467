// Hostile text from suite files and the API, through a full run against the simulator, must not
// reach the terminal, the CI log or an annotation raw. The CLI (src/cli.ts) and the Action
// (src/action.ts) run from source through tsx as child processes, so what is checked is the bytes
// the real process wrote to its stdout and stderr, through the real sinks.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';
import { isWorkflowCommand } from '../unit/helpers/hostile.js';
import { runActionEntry } from './action-harness.js';
import { runProcess } from './process.js';

const root = join(import.meta.dirname, '..', '..');
const TSX = fileURLToPath(import.meta.resolve('tsx'));
const KEY = 'KEY_HOSTILE_OUTPUT_CANARY_4242';

/** Each piece the trust review saw reach stdout, in test names, criterion names and run logs. */
const TESTS = [
  'nul \u0000 bell \u0007 red \u001b[31mRED\u001b[0m end',
  '::error::injected by a test name',
  '  ::stop-commands::tok',
  '::add-mask::not-a-secret',
  'link \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 csi \u009b31m sep\u2028next\rcr',
  'legacy ##[error]command mid-line',
];
const CRITERIA = ['::warning::criterion', 'Accuracy \u0007\u001b[2J', '##[set-output name=x;]y'];

/* biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

const dirs: string[] = [];
const sims: Simulator[] = [];
afterAll(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function setup(): Promise<{ dir: string; sim: Simulator }> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-hostile-out-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'suites'));
  // JSON, so every character can be written as an escape.
  const suite = {
    suite: 'hostile',
    defaults: { channel: 'web_chat', destination: 'assistant-under-test' },
    tests: TESTS.map((name) => ({
      name,
      instructions: `Act as a customer: ${JSON.stringify(name)}`,
      rubric: CRITERIA.map((c, i) => ({ name: c, criteria: `${c} holds`, required: i === 0 })),
    })),
  };
  writeFileSync(join(dir, 'suites', 'hostile.json'), JSON.stringify(suite, null, 2));
  // Every run fails every criterion: the names show in progress, summary, reasons and annotations.
  const scenario = { tests: { '*': { outcome: 'fail', duration_seconds: 20 } } };
  const sim = await startSimulator({ apiKey: KEY, clockScale: 600, scenario: Scenario.parse(scenario) });
  sims.push(sim);
  return { dir, sim };
}

function expectClean(text: string): void {
  expect(text).not.toMatch(RAW);
  expect(text).not.toContain('\u001b');
  const commands = text.split('\n').filter(isWorkflowCommand);
  expect(commands).toEqual([]);
}

describe('hostile names through a full run', () => {
  it('the CLI prints none of them raw (stdout and stderr)', async () => {
    const { dir, sim } = await setup();
    const ran = await runProcess(
      process.execPath,
      ['--import', TSX, join(root, 'src', 'cli.ts'), 'run', 'suites', '--out-dir', 'out'],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', CI: 'true', TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url },
        timeoutMs: 90_000,
      },
    );
    expect(ran.code, ran.stderr).toBe(1); // the gate failed: the run finished and reported
    const all = `${ran.stdout}${ran.stderr}`;
    expectClean(all);
    // The names were printed, neutralised, not dropped.
    expect(ran.stdout).toMatch(/: ?:error::injected by a test name/);
    expect(ran.stdout).toContain('legacy ## [error]command mid-line');
    expect(ran.stdout).toContain('nul  bell  red RED end');
    expect(all).not.toContain(KEY);
  }, 120_000);

  it('the Action logs none of them raw, and its annotations carry only our own commands', async () => {
    const { dir, sim } = await setup();
    const r = await runActionEntry(process.execPath, ['--import', TSX, join(root, 'src', 'action.ts')], dir, {
      'api-key': KEY,
      'base-url': sim.url,
      suites: 'suites',
    });
    expect(r.outputs.result).toBe('failed');
    expect(r.stdout + r.stderr).not.toMatch(RAW);
    expect(r.stdout + r.stderr).not.toContain('\u001b');
    const lines = r.stdout.split('\n');
    const stop = lines.findIndex((l) => l.startsWith('::stop-commands::'));
    const token = lines[stop]!.slice('::stop-commands::'.length);
    const resume = lines.indexOf(`::${token}::`);
    expect(stop).toBeGreaterThanOrEqual(0);
    expect(resume).toBeGreaterThan(stop);
    // While the pipeline runs, nothing is a command (even with commands suspended).
    expect(lines.slice(stop + 1, resume).filter(isWorkflowCommand)).toEqual([]);
    expect(lines.slice(stop + 1, resume).join('\n')).toContain(': :error::injected by a test name');
    // After it: only our annotations (and the step's failure), each one well-formed.
    const after = lines.slice(resume + 1).filter(isWorkflowCommand);
    expect(after.length).toBeGreaterThan(0);
    for (const l of after) expect(l).toMatch(/^::(error|warning|notice)( [^:]*)?::/);
    const annotations = after.filter((l) => l.startsWith('::error file='));
    expect(annotations.length).toBe(TESTS.length);
    for (const a of annotations) expect(a.slice(2)).not.toContain('##[');
    expect(r.stderr).toBe('');
  }, 120_000);
});
