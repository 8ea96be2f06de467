// End to end: the built CLI (dist/cli.js) as a child process against the simulator on loopback,
// on the example suites. Checks exit codes, the three report files, and that the key never shows.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error: plain .mjs build script without type declarations
import { REEXEC_FLAGS_V8_12 } from '../../scripts/build.mjs';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';
import { node24 } from './node24.js';
import { commandLine, type Ran, runProcess, signalWhen } from './process.js';

const root = join(import.meta.dirname, '..', '..');
const CLI = join(root, 'dist', 'cli.js');
const KEY = 'KEY_E2E_CANARY_SECRET_9f8e7d';

type Start = Parameters<typeof runProcess>[2]['onStart'];

const cli = (
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; onStart?: Start },
): Promise<Ran> =>
  runProcess(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { PATH: process.env.PATH ?? '', CI: 'true', ...opts.env },
    ...(opts.onStart ? { onStart: opts.onStart } : {}),
  });

/** The reader of stdout goes away before the first write (`rubric-gate … | head -0`). */
const closeStdout: Start = (child) => {
  child.stdout?.destroy();
  return () => {};
};

let sim: Simulator | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function runExamples(
  scenario: unknown,
  extra: string[] = [],
  onStart?: Start,
): Promise<Ran & { out: string }> {
  dir = mkdtempSync(join(tmpdir(), 'rg-e2e-'));
  for (const f of ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml']) {
    cpSync(join(root, 'suites', f), join(dir, 'suites', f));
  }
  cpSync(join(root, 'schema'), join(dir, 'schema'), { recursive: true });
  sim = await startSimulator({ apiKey: KEY, clockScale: 600, scenario: Scenario.parse(scenario) });
  const ran = await cli(['run', '--out-dir', 'out', ...extra], {
    cwd: dir,
    env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url },
    ...(onStart ? { onStart } : {}),
  });
  expect(`${ran.stdout}${ran.stderr}`).not.toContain(KEY);
  return { ...ran, out: join(dir, 'out') };
}

const reports = (out: string) => ['junit.xml', 'summary.md', 'results.json'].map((f) => join(out, f));

describe('rubric-gate run (built CLI, example suites, simulator)', () => {
  it('exits 0 and writes all three reports when every gate holds', async () => {
    const ran = await runExamples({ tests: { '*': { outcome: 'pass', duration_seconds: 30 } } });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    for (const f of reports(ran.out)) expect(existsSync(f), f).toBe(true);
    expect(readFileSync(join(ran.out, 'summary.md'), 'utf8')).toMatch(/all gates held/);
    const results = JSON.parse(readFileSync(join(ran.out, 'results.json'), 'utf8'));
    expect(results.evaluation.verdict).toBe('passed');
  });

  it('exits 1 when a scripted required criterion fails, and the reports say which', async () => {
    const ran = await runExamples({
      tests: {
        '*': { outcome: 'pass', duration_seconds: 30 },
        'refunds/Damaged product refund': { criteria: { 'Policy accuracy': 'fail' } },
      },
    });
    expect(ran.code).toBe(1);
    for (const f of reports(ran.out)) expect(existsSync(f), f).toBe(true);
    const junit = readFileSync(join(ran.out, 'junit.xml'), 'utf8');
    expect(junit).toMatch(
      /<testcase classname="refunds" name="Damaged product refund"[^>]*>\s*<failure[^>]*Policy accuracy/,
    );
    expect(readFileSync(join(ran.out, 'summary.md'), 'utf8')).toMatch(/required criterion Policy accuracy/);
  });

  it('a stdout reader that goes away ends the output, not the run: reports and exit code stay', async () => {
    // Without a listener the first write's EPIPE was an uncaught error: exit 1, no reports.
    const ran = await runExamples(
      {
        tests: {
          '*': { outcome: 'pass', duration_seconds: 30 },
          'refunds/Damaged product refund': { criteria: { 'Policy accuracy': 'fail' } },
        },
      },
      [],
      closeStdout,
    );
    expect(ran.stderr).not.toMatch(/EPIPE|Error/);
    expect(ran.code).toBe(1);
    for (const f of reports(ran.out)) expect(existsSync(f), f).toBe(true);
    const results = JSON.parse(readFileSync(join(ran.out, 'results.json'), 'utf8'));
    expect(results.evaluation.verdict).toBe('failed');
  });

  it('exits 3 when a run never finishes, and still writes the reports with the other results', async () => {
    const ran = await runExamples(
      {
        tests: {
          '*': { outcome: 'pass', duration_seconds: 30 },
          'after-hours/Opt-out keyword': { outcome: 'hang' },
        },
      },
      // Polls come every 4.8 s: long enough for the sequential trials' rounds to be seen.
      ['--timeout', '12s'],
    );
    expect(ran.code).toBe(3);
    for (const f of reports(ran.out)) expect(existsSync(f), f).toBe(true);
    const results = JSON.parse(readFileSync(join(ran.out, 'results.json'), 'utf8'));
    expect(results.complete).toBe(false);
    const statuses = results.suites.flatMap(
      (s: { tests: { name: string; attempts: { status: string }[] }[] }) =>
        s.tests.map((t) => [t.name, t.attempts.at(-1)?.status]),
    );
    expect(statuses).toContainEqual(['Opt-out keyword', 'running']);
    expect(statuses.filter(([, s]: string[]) => s === 'passed').length).toBeGreaterThanOrEqual(8);
  });

  it('exits 2 with nothing sent when a suite file is invalid', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-e2e-'));
    cpSync(join(root, 'test/fixtures/suites-broken'), join(dir, 'suites'), { recursive: true });
    sim = await startSimulator({ apiKey: KEY });
    const ran = await cli(['run', 'suites'], {
      cwd: dir,
      env: { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url },
    });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/^suites\/[^:]+:\d+:\d+: /m);
    expect(ran.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(sim.counts().total).toBe(0);
  });
});

describe('rubric-gate simulate and demo (built CLI)', () => {
  it('simulate serves the API on loopback until SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, 'simulate', '--port', '0'], { cwd: root });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 10_000);
      child.stdout.on('data', (d) => {
        stdout += d;
        const m = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/v2)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const res = await fetch(`${url}/ai/assistants/tests/test-suites`, {
      headers: { authorization: 'Bearer KEY_SIMULATOR' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: [] });
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/simulator stopped after 1 request/);
  });

  it('demo runs the example suites end to end with no API key and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-demo-'));
    cpSync(join(root, 'suites'), join(dir, 'suites'), { recursive: true });
    const ran = await cli(['demo'], { cwd: dir });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/PASSED/);
    for (const f of reports(join(dir, 'rubric-gate-report'))) expect(existsSync(f), f).toBe(true);
  });

  it('as a GitHub Actions step, a large run folds its passes under ::group:: (and not elsewhere)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-e2e-'));
    for (const f of ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml']) {
      cpSync(join(root, 'suites', f), join(dir, 'suites', f));
    }
    const big = {
      suite: 'big',
      defaults: { channel: 'web_chat', destination: 'assistant-1' },
      tests: Array.from({ length: 100 }, (_, i) => ({
        name: `Case ${i}`,
        instructions: 'Act as a customer.',
        rubric: [{ name: 'Policy', criteria: 'States the policy' }],
      })),
    };
    writeFileSync(join(dir, 'suites', 'big.yaml'), stringify(big));
    sim = await startSimulator({
      apiKey: KEY,
      clockScale: 600,
      scenario: Scenario.parse({ tests: { '*': { outcome: 'pass', duration_seconds: 30 } } }),
    });
    const env = { TELNYX_API_KEY: KEY, TELNYX_BASE_URL: sim.url };
    const folded = await cli(['run', '--out-dir', 'out'], {
      cwd: dir,
      env: { ...env, GITHUB_ACTIONS: 'true' },
    });
    expect(folded.code, folded.stderr).toBe(0);
    const lines = folded.stdout.split('\n');
    const opened = lines.filter((l) => l.startsWith('::group::')).length;
    expect(opened).toBeGreaterThan(0);
    expect(lines.filter((l) => l === '::endgroup::')).toHaveLength(opened);
    expect(lines.filter((l) => l.startsWith('big › Case '))).toHaveLength(100);
    const plain = await cli(['run', '--out-dir', 'out2'], { cwd: dir, env });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).not.toContain('::group::');
    expect(plain.stdout).not.toContain('big › Case ');
  }, 90_000);
});

// On V8 12+ (Node 22+) a run's young generation can only be bounded when the heap is set up, so
// the commands that run suites re-execute themselves in place (scripts/build.mjs). Node 24 here.
describe('the built CLI on Node 24', () => {
  const node = node24();

  it('demo re-executes once, in place, with the bounded young generation, and prints the same', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-e2e-24-'));
    cpSync(join(root, 'suites'), join(dir, 'suites'), { recursive: true });
    const seen = new Set<string>();
    const demo = await runProcess(node, [CLI, 'demo'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', CI: 'true' },
      onStart: (child) => {
        // Every command line the process (one pid throughout) shows while it runs.
        const poll = setInterval(() => {
          try {
            seen.add(JSON.stringify(commandLine(child.pid)));
          } catch {
            // It has exited.
          }
        }, 5);
        return () => clearInterval(poll);
      },
    });
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toMatch(/PASSED/);
    // No warning about the re-execution itself (process.execve is experimental in Node 24).
    expect(demo.stderr).toBe('');
    // Before the exec (if caught) and after it; an exiting process shows an empty one.
    const lines = [...seen].map((l) => JSON.parse(l) as string[]).filter((l) => l.length > 0);
    expect(lines).toContainEqual([...REEXEC_FLAGS_V8_12, CLI, 'demo']);
    for (const l of lines)
      expect([
        [CLI, 'demo'],
        [...REEXEC_FLAGS_V8_12, CLI, 'demo'],
      ]).toContainEqual(l);
  }, 60_000);

  it('a preload (--import, or -r in NODE_OPTIONS) keeps it to one start: the preload runs once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-e2e-24-'));
    const file = join(dir, 'starts.txt');
    const hook = join(dir, 'hook.cjs');
    writeFileSync(hook, `require('node:fs').appendFileSync(${JSON.stringify(file)}, process.pid + '\\n');\n`);
    const env = { PATH: process.env.PATH ?? '', CI: 'true' };
    const viaFlag = await runProcess(node, ['--require', hook, CLI, 'run', 'nowhere.yaml'], {
      cwd: dir,
      env,
    });
    expect(viaFlag.code, viaFlag.stderr).toBe(2);
    const viaEnv = await runProcess(node, [CLI, 'run', 'nowhere.yaml'], {
      cwd: dir,
      env: { ...env, NODE_OPTIONS: `-r ${hook}` },
    });
    expect(viaEnv.code, viaEnv.stderr).toBe(2);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  }, 60_000);

  it('Ctrl-C mid-run reaches the re-executed process: polling stops, partial reports, exit 3', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rg-e2e-24-'));
    cpSync(join(root, 'suites', 'refunds.yaml'), join(dir, 'suites', 'refunds.yaml'));
    const running = await startSimulator({
      apiKey: KEY,
      clockScale: 600,
      scenario: Scenario.parse({ tests: { '*': { outcome: 'hang' } } }),
    });
    sim = running;
    let cmdline: string[] = [];
    const ran = await runProcess(node, [CLI, 'run', '--out-dir', 'out'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', CI: 'true', TELNYX_API_KEY: KEY, TELNYX_BASE_URL: running.url },
      onStart: signalWhen(
        () => running.maxRunsInProgress() > 0,
        'SIGINT',
        (c) => {
          cmdline = c;
        },
      ),
    });
    expect(cmdline).toEqual([...REEXEC_FLAGS_V8_12, CLI, 'run', '--out-dir', 'out']);
    expect(ran.code, ran.stderr).toBe(3);
    expect(ran.stderr).toMatch(/SIGINT: stopping; writing partial results/);
    const results = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(results.evaluation.verdict).not.toBe('passed');
    expect(JSON.stringify(results)).toMatch(/cancelled \(SIGINT\)/);
  }, 60_000);
});
