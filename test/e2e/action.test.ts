// The committed Action bundle run as the runner runs it: `node dist/action.js` with INPUT_*
// variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, against the simulator on loopback.
// Run under this Node (20) and under Node 24, the runtime action.yml declares (installed from
// the npm registry into node_modules/.cache on first use).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';

const root = join(import.meta.dirname, '..', '..');
const BUNDLE = join(root, 'dist', 'action.js');
const KEY = 'KEY_ACTION_CANARY_SECRET_5c4b';
const NODE24_VERSION = '24.21.0';

/** A Node 24 binary from the registry's per-platform package, cached under node_modules. */
function node24(): string {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(root, 'node_modules', '.cache', 'rubric-gate-node24');
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--prefix', dir, `${pkg}@${NODE24_VERSION}`], {
      stdio: 'ignore',
      timeout: 120_000,
    });
  }
  return bin;
}

interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

/** Parses GITHUB_OUTPUT: `name<<delimiter` / value / `delimiter` blocks, or `name=value`. */
function parseOutputs(text: string): Record<string, string> {
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

let sim: Simulator | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function runAction(
  node: string,
  scenario: unknown,
  inputs: Record<string, string>,
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'rg-action-'));
  dirs.push(dir);
  for (const f of ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml']) {
    cpSync(join(root, 'suites', f), join(dir, 'suites', f));
  }
  const outputFile = join(dir, 'github_output');
  const summaryFile = join(dir, 'step_summary');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  sim ??= await startSimulator({ apiKey: KEY, clockScale: 600, scenario: Scenario.parse(scenario) });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    'INPUT_API-KEY': KEY,
    'INPUT_BASE-URL': sim.url,
    INPUT_SUITES: 'suites',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(node, [BUNDLE], { cwd: dir, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout, stderr });
      });
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    dir,
  };
}

const PASS = { tests: { '*': { outcome: 'pass', duration_seconds: 30 } } };
const REQUIRED_FAILS = {
  tests: {
    '*': { outcome: 'pass', duration_seconds: 30 },
    'refunds/Damaged product refund': { criteria: { 'Policy accuracy': 'fail' } },
  },
};
const HANGS = {
  tests: {
    '*': { outcome: 'pass', duration_seconds: 30 },
    'after-hours/Opt-out keyword': { outcome: 'hang' },
  },
};

/** The key is masked before anything else is printed and appears nowhere else. */
function expectMasked(r: ActionRun) {
  const lines = r.stdout.split('\n');
  expect(lines[0]).toBe(`::add-mask::${KEY}`);
  expect(lines.slice(1).join('\n')).not.toContain(KEY);
  expect(r.stderr).not.toContain(KEY);
  expect(r.summary).not.toContain(KEY);
}

const runtimes: [string, () => string][] = [
  [`node ${process.versions.node}`, () => process.execPath],
  ['node 24', node24],
];

describe.each(runtimes)('the Action bundle under %s', (_label, nodeBin) => {
  let node = '';
  beforeAll(() => {
    node = nodeBin();
  }, 150_000);

  it('passes: outputs, job summary, no annotations, exit 0', async () => {
    const r = await runAction(node, PASS, {});
    expectMasked(r);
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({
      result: 'passed',
      'pass-rate': '1',
      passed: '9',
      failed: '0',
      errors: '0',
      'junit-path': 'rubric-gate-report/junit.xml',
      'markdown-path': 'rubric-gate-report/summary.md',
      'results-path': 'rubric-gate-report/results.json',
    });
    expect(existsSync(join(r.dir, r.outputs['junit-path']!))).toBe(true);
    expect(r.summary).toMatch(/^## ✅ rubric-gate: all gates held/);
    expect(r.stdout).not.toMatch(/^::error/m);
  }, 60_000);

  it('fails the gate: exit 1, an error annotation at the test line, outputs', async () => {
    const r = await runAction(node, REQUIRED_FAILS, {});
    expectMasked(r);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ result: 'failed', passed: '8', failed: '1', errors: '0' });
    const line = readFileSync(join(root, 'suites/refunds.yaml'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('name: Damaged product refund'));
    expect(r.stdout).toMatch(
      new RegExp(
        `^::error file=suites/refunds.yaml,line=${line + 1},title=refunds › Damaged product refund::failed: Policy accuracy \\(required\\)$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(/^::error::rubric gate failed: refunds/m);
    expect(r.summary).toMatch(/rubric-gate: /);
  }, 60_000);

  it('cannot finish: exit 1 with a different message, result incomplete, partial reports', async () => {
    const r = await runAction(node, HANGS, { timeout: '4s' });
    expectMasked(r);
    expect(r.code).toBe(1);
    expect(r.outputs.result).toBe('incomplete');
    expect(r.stdout).toMatch(/^::error::rubric-gate could not finish/m);
    expect(r.stdout).not.toMatch(/^::error::rubric gate failed/m);
    expect(existsSync(join(r.dir, 'rubric-gate-report/results.json'))).toBe(true);
    expect(r.outputs.errors).toBe('1');
  }, 60_000);
});

describe('the Action bundle: inputs and merge', () => {
  it('a missing api-key fails the step before anything runs', async () => {
    const r = await runAction(process.execPath, PASS, { 'api-key': '' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error::rubric-gate: input "api-key" is required/m);
    expect(r.outputs.result).toBe('incomplete');
    expect(sim!.counts().total).toBe(0);
  }, 30_000);

  it('a bad input names the input', async () => {
    const r = await runAction(process.execPath, PASS, { trials: 'many' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/input "trials" must be a whole number/);
    expect(sim!.counts().total).toBe(0);
  }, 30_000);

  it('shards then merge-results gate on all shards', async () => {
    const shards = [];
    for (const shard of ['1/2', '2/2']) {
      shards.push(await runAction(process.execPath, REQUIRED_FAILS, { shard, 'out-dir': 'out' }));
    }
    const mergeDir = mkdtempSync(join(tmpdir(), 'rg-merge-'));
    dirs.push(mergeDir);
    shards.forEach((s, i) => {
      cpSync(join(s.dir, 'out/results.json'), join(mergeDir, `shards/${i + 1}/results.json`));
    });
    const merged = await new Promise<ActionRun>((resolve) => {
      const outputFile = join(mergeDir, 'github_output');
      writeFileSync(outputFile, '');
      const child = spawn(process.execPath, [BUNDLE], {
        cwd: mergeDir,
        env: {
          PATH: process.env.PATH ?? '',
          GITHUB_OUTPUT: outputFile,
          'INPUT_MERGE-RESULTS': 'shards/*/results.json',
        },
      });
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.on('close', (code) =>
        resolve({
          code,
          stdout,
          stderr: '',
          outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
          summary: '',
          dir: mergeDir,
        }),
      );
    });
    expect(merged.stdout).toMatch(/merging 2 results files/);
    expect(merged.code).toBe(1);
    expect(merged.outputs).toMatchObject({ result: 'failed', passed: '8', failed: '1' });
  }, 90_000);
});
