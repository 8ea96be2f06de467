// Runs that never finish, global --timeout, cancel (in-process abort and a real SIGTERM), and a
// process killed with SIGKILL after triggering, then --resume with zero new triggers.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunFlags, runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { STATE_FILE } from '../../src/run/state.js';
import {
  count,
  deps,
  EP,
  FAST_POLL,
  type Harness,
  harness,
  KEY,
  names,
  outcomesOf,
  readResults,
  readRunState,
  runsPerTest,
  type SuiteSpec,
  suiteYaml,
  withMethod,
} from './run-helpers.js';

let h: Harness | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await h?.close();
  h = undefined;
});

describe('runs that do not finish', () => {
  it('a suite batch run that vanishes (its test deleted by another job) is looked up and ends as an error', async () => {
    h = await harness({
      suites: [{ suite: 's', maxDuration: 600, tests: [{ name: 'a' }, { name: 'b' }] }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 300 } } },
    });
    const hx = h;
    const controller = new AbortController();
    const run = runCommand(['.'], { outDir: hx.outDir }, hx.io, deps(hx, { signal: controller.signal }));
    for (let i = 0; i < 200 && hx.sim.state.runs.size < 2; i++) await delay(10);
    const b = [...hx.sim.state.tests.values()].find((t) => t.name === 'b');
    // The simulator deletes a test's runs with it: b's run is in no list any more.
    await fetch(`${hx.sim.url}/ai/assistants/tests/${b?.test_id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${KEY}` },
    });
    // Before, it was waited for forever (no --timeout): this stop is only a bound for the test.
    const bound = setTimeout(() => controller.abort('the vanished run was never settled'), 20_000);
    const code = await run;
    clearTimeout(bound);
    expect(controller.signal.aborted).toBe(false);
    expect(code).not.toBe(0);
    expect(outcomesOf(hx.outDir)).toEqual({ 's/a': 'passed', 's/b': 'error' });
    expect(readResults(hx.outDir).suites[0]?.tests[1]?.attempts[0]?.message).toMatch(/was not found \(404\)/);
    expect(count(hx.sim, EP.getRun)).toBeGreaterThan(0);
  });

  it('a hung run times out after max_duration_seconds + grace; the others are kept; exit 3', async () => {
    h = await harness({
      suites: [{ suite: 'calls', maxDuration: 60, tests: names(4).map((name) => ({ name })) }],
      scenario: {
        tests: { '*': { outcome: 'pass', duration_seconds: 30 }, 'calls/t002': { outcome: 'hang' } },
      },
    });
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h));
    expect(code).toBe(3);
    const results = readResults(h.outDir);
    expect(results.complete).toBe(false);
    expect(results.incompleteReason).toBe('1 run timed out');
    expect(outcomesOf(h.outDir)).toEqual({
      'calls/t001': 'passed',
      'calls/t002': 'error',
      'calls/t003': 'passed',
      'calls/t004': 'passed',
    });
    const hung = results.suites[0]?.tests[1]?.attempts[0];
    expect(hung?.status).toBe('timeout');
    expect(hung?.message).toMatch(/max_duration_seconds 60 \+ 60 s grace/);
    expect(h.io.out.join('')).toMatch(/calls › t002: running → timed out/);
  });

  it('--timeout stops waiting: in-flight runs are listed still running (no verdict), the rest is reported', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(3).map((name) => ({ name })) }],
      scenario: {
        tests: { '*': { outcome: 'pass', duration_seconds: 30 }, 'calls/t003': { outcome: 'hang' } },
      },
    });
    const code = await runCommand(['.'], { outDir: h.outDir, timeout: '5m' }, h.io, deps(h));
    expect(code).toBe(3);
    const results = readResults(h.outDir);
    expect(results.incompleteReason).toBe('--timeout 5m 00s reached; 1 run is still in progress remotely');
    expect(outcomesOf(h.outDir)).toEqual({
      'calls/t001': 'passed',
      'calls/t002': 'passed',
      'calls/t003': 'error',
    });
    // Not a timed-out run (an error a gate counts as failing): no verdict yet, and how to get one.
    expect(results.suites[0]?.tests[2]?.attempts[0]?.status).toBe('running');
    expect(h.io.out.join('') + h.io.err.join('')).toMatch(/rubric-gate run --resume --out-dir/);
  });
});

describe('an API that stops answering polls', () => {
  it('ends the command after outageMs of failed polls (exit 3), runs listed for --resume', async () => {
    h = await harness({
      suites: [{ suite: 'calls', maxDuration: 3600, tests: names(2).map((name) => ({ name })) }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 600 } } },
    });
    const hx = h;
    // Once both runs exist, every read of them fails, for good.
    const client = withMethod(
      hx.client,
      'listSuiteRuns',
      (target) =>
        (...args: Parameters<typeof target.listSuiteRuns>) => {
          if (hx.sim.state.runs.size < 2) return target.listSuiteRuns(...args);
          throw new Error('ECONNRESET (the test made every poll fail)');
        },
    );
    const code = await runCommand(['.'], { outDir: hx.outDir }, hx.io, {
      ...deps(hx),
      client,
      poll: { ...FAST_POLL, outageMs: 2_000 },
    });
    expect(code).toBe(3);
    const results = readResults(hx.outDir);
    expect(results.incompleteReason).toMatch(
      /^stopped: the API answered no poll for 2 s \(last: .*ECONNRESET/,
    );
    expect(hx.io.out.join('') + hx.io.err.join('')).toMatch(/rubric-gate run --resume --out-dir/);
    expect(hx.sim.state.runs.size).toBe(2);
  });
});

describe('one read that keeps failing while the others are answered', () => {
  it('is no outage: the other runs are waited for to their verdicts first', async () => {
    h = await harness({
      suites: [
        { suite: 'a', maxDuration: 3600, tests: names(2).map((name) => ({ name })) },
        { suite: 'b', maxDuration: 3600, tests: names(3).map((name) => ({ name })) },
      ],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 600 } } },
    });
    const hx = h;
    // Suite a's runs can never be read; b's end 600 s in, well past the 60 s outage limit.
    const client = withMethod(
      hx.client,
      'listSuiteRuns',
      (target) =>
        (...args: Parameters<typeof target.listSuiteRuns>) => {
          if (args[0] === 'a' && hx.sim.state.runs.size >= 5) throw new Error('HTTP 500 for suite a only');
          return target.listSuiteRuns(...args);
        },
    );
    const code = await runCommand(['.'], { outDir: hx.outDir }, hx.io, {
      ...deps(hx),
      client,
      poll: { ...FAST_POLL, outageMs: 60_000 },
    });
    expect(code).toBe(3);
    const outcomes = outcomesOf(hx.outDir);
    expect(['b/t001', 'b/t002', 'b/t003'].map((k) => outcomes[k])).toEqual(['passed', 'passed', 'passed']);
    expect(readResults(hx.outDir).incompleteReason).toMatch(/^stopped: the API answered no poll for 1m 00s/);
  });
});

describe('cancel', () => {
  it('an abort mid-poll writes partial results listing what still runs remotely; --resume finishes it', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(4).map((name) => ({ name })) }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 600 } } },
    });
    const controller = new AbortController();
    // --max-in-flight 2: two runs in progress and two never triggered when the abort comes.
    const run = runCommand(
      ['.'],
      { outDir: h.outDir, maxInFlight: 2 },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 200 && count(h.sim, EP.testTrigger) < 2; i++) await delay(10);
    await delay(50); // now mid-poll
    controller.abort('cancelled (SIGTERM)');
    expect(await run).toBe(3);

    const out = h.io.out.join('');
    expect(out).toMatch(/2 runs are still in progress remotely \(the API cannot cancel runs\):/);
    expect(out).toMatch(/calls › t001 \[trial 1\]: run [0-9a-f-]+ \((pending|starting|running)\)/);
    expect(out).toMatch(/rubric-gate run --resume --out-dir/);
    const partial = readResults(h.outDir);
    expect(partial.complete).toBe(false);
    expect(partial.incompleteReason).toBe(
      'cancelled (SIGTERM); 2 runs are still in progress remotely; 2 runs were never started',
    );
    const firstIds = readRunState(h.outDir)
      .work.map((w) => w.runId)
      .filter(Boolean);
    expect(firstIds).toHaveLength(2);

    // Resume: the two running ones are polled, the two never triggered are triggered now.
    const io = memoryIo({ env: h.env, cwd: h.dir });
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, io, deps(h))).toBe(0);
    expect([...runsPerTest(h.sim).values()]).toEqual([1, 1, 1, 1]);
    const done = readResults(h.outDir);
    expect(done.complete).toBe(true);
    expect(done.suites[0]?.tests.map((t) => t.attempts[0]?.runId).slice(0, 2)).toEqual(firstIds);
  });
});

/** Spawn a real `run` process against the simulator (tsx loader, no build needed). */
function spawnRun(
  hh: Harness,
  extra: Record<string, unknown> = {},
): { proc: ChildProcess; out: () => string } {
  let out = '';
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'run-child.ts'), hh.dir, hh.outDir, JSON.stringify(extra)],
    { env: { ...process.env, ...hh.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { proc, out: () => out };
}

/** Wait (bounded) until the state file records a run id for every attempt. */
async function untilAllTriggered(outDir: string, expected: number): Promise<void> {
  const file = join(outDir, STATE_FILE);
  for (let i = 0; i < 300; i++) {
    if (existsSync(file)) {
      const state = JSON.parse(readFileSync(file, 'utf8')) as { work: { runId?: string }[] };
      if (state.work.length === expected && state.work.every((w) => w.runId)) return;
    }
    await delay(50);
  }
  throw new Error(
    `runs were not all triggered in time: ${existsSync(file) ? readFileSync(file, 'utf8') : 'no state'}`,
  );
}

const exited = (proc: ChildProcess): Promise<number | null> =>
  new Promise((res) => {
    if (proc.exitCode !== null || proc.signalCode !== null) res(proc.exitCode);
    else proc.once('exit', (code) => res(code));
  });

describe('cancel while triggers are on the wire', () => {
  it('says their runs may have started (never "not triggered"), and --resume adopts them: no second run', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(3).map((name) => ({ name })) }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 600 } } },
      // Each per-test trigger is answered (its run created) 800 ms after it arrives.
      faults: [
        {
          match: { method: 'POST', endpoint: '/ai/assistants/tests/{test_id}/runs' },
          kind: 'latency',
          latencyMs: 800,
        },
      ],
    });
    const controller = new AbortController();
    const run = runCommand(
      ['.'],
      { outDir: h.outDir, maxInFlight: 3 },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 500 && count(h.sim, EP.testTrigger) < 3; i++) await delay(10);
    await delay(50);
    controller.abort('cancelled (SIGTERM)');
    expect(await run).toBe(3);
    const results = readResults(h.outDir);
    expect(results.incompleteReason).toBe(
      'cancelled (SIGTERM); 3 triggers got no answer, so their runs may have started remotely (--resume picks them up)',
    );
    for (const t of results.suites[0]?.tests ?? []) {
      expect(t.attempts[0]?.message).toMatch(
        /^the run stopped while its trigger was being sent; runs may have started remotely/,
      );
    }
    // Run again without --resume, they would go out under new keys: the way back is said.
    expect(h.io.out.join('')).toMatch(
      /3 triggers got no answer, so their runs may have started remotely\.\nPick them up with: rubric-gate run --resume --out-dir /,
    );
    for (let i = 0; i < 300 && h.sim.state.runs.size < 3; i++) await delay(10);
    expect(h.sim.state.runs.size).toBe(3);
    h.sim.setFaults([]);
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(0);
    expect(h.sim.state.runs.size).toBe(3);
  });
});

describe('a trigger the API refuses', () => {
  it('is never started, and is not called a trigger that got no answer', async () => {
    h = await harness({
      suites: [{ suite: 'refunds', tests: [{ name: 'a' }, { name: 'b' }] }],
      faults: [{ kind: 'status', status: 422, match: { endpoint: EP.testTrigger } }],
    });
    expect(await runCommand(['.'], { outDir: h.outDir, maxInFlight: 1 }, h.io, deps(h))).toBe(3);
    const results = readResults(h.outDir);
    expect(results.incompleteReason).toMatch(/2 runs were never started/);
    expect(results.incompleteReason).not.toMatch(/got no answer/);
    expect(h.io.out.join('')).not.toMatch(/got no answer/);
    expect(h.sim.state.runs.size).toBe(0);
    // Sent again by --resume, now with no answer (503 every round): that is a trigger that may have started.
    h.sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: EP.testTrigger } }]);
    h.io.out.length = 0;
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(3);
    expect(readResults(h.outDir).incompleteReason).toMatch(/2 triggers got no answer/);
    expect(h.io.out.join('')).toMatch(/Pick them up with: rubric-gate run --resume/);
  });
});

describe('--resume after the files select other tests', () => {
  it('is refused (exit 2): a tag edit would drop a test that ran, and failed, from the report', async () => {
    const spec = (tagged: boolean): SuiteSpec => ({
      suite: 's',
      tests: [
        { name: 'solid', tags: ['smoke'] },
        { name: 'flaky-one', tags: tagged ? ['smoke'] : ['slow'] },
      ],
    });
    h = await harness({
      suites: [spec(true)],
      scenario: {
        tests: {
          's/flaky-one': { outcome: 'fail', duration_seconds: 600 },
          '*': { outcome: 'pass', duration_seconds: 600 },
        },
      },
    });
    const controller = new AbortController();
    const run = runCommand(
      ['.'],
      { outDir: h.outDir, tag: ['smoke'] },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 400 && h.sim.state.runs.size < 2; i++) await delay(10);
    controller.abort('cancelled (SIGTERM)');
    expect(await run).toBe(3);
    // A local-only edit: tags never reach the API, so the definitions are the same.
    writeFileSync(join(h.dir, 's.yaml'), suiteYaml(spec(false)));
    const before = h.sim.counts().total;
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(2);
    expect(h.io.err.join('')).toMatch(
      /--resume: the suite files now select other tests .*1 test it ran no longer selected/,
    );
    expect(h.sim.counts().total).toBe(before);
  });
});

describe('--resume keeps the settings the run started with', () => {
  const twoVersions = {
    tests: { '*': { outcome: 'pass', duration_seconds: 30 } },
    assistants: [
      {
        id: 'asst',
        versions: [
          { id: 'v-good', name: 'good', main: true },
          { id: 'v-bad', name: 'bad', tests: { '*': { outcome: 'fail' } } },
        ],
      },
    ],
  };

  it('a flag that contradicts them is refused (exit 2): --version v-bad never reports v-good as v-bad', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(3).map((name) => ({ name })) }],
      scenario: twoVersions,
    });
    const controller = new AbortController();
    const run = runCommand(
      ['.'],
      { outDir: h.outDir, version: 'v-good' },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 400 && h.sim.state.runs.size < 1; i++) await delay(10);
    controller.abort('cancelled (SIGTERM)');
    expect(await run).toBe(3);
    const before = h.sim.counts().total;
    const cases: Array<[RunFlags, string]> = [
      [{ version: 'v-bad' }, '--version v-bad is not what the interrupted run used (v-good)'],
      [{ retries: 2 }, '--retries 2 is not what the interrupted run used (0)'],
      [{ tag: ['smoke'] }, '--tag smoke is not what the interrupted run used (none)'],
      [
        { version: 'v-good', against: 'v-bad' },
        '--against v-bad is not what the interrupted run used (none)',
      ],
    ];
    for (const [flags, named] of cases) {
      h.io.err.length = 0;
      expect(await runCommand(['.'], { outDir: h.outDir, resume: true, ...flags }, h.io, deps(h))).toBe(2);
      expect(h.io.err.join('')).toContain(`--resume: ${named}`);
    }
    expect(h.sim.counts().total).toBe(before);
    // The same flag again is no contradiction.
    expect(
      await runCommand(['.'], { outDir: h.outDir, resume: true, version: 'v-good' }, h.io, deps(h)),
    ).toBe(0);
    expect(readResults(h.outDir).versionId).toBe('v-good');
  });

  it('a run with every run ended is judged again, sends nothing, and says its results are of then', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(2).map((name) => ({ name })) }],
      scenario: twoVersions,
    });
    expect(await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h))).toBe(0);
    h.sim.resetCounts();
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(0);
    expect(h.io.out.join('')).toMatch(
      /Every run in .* had ended \(finished .*\): nothing is sent, .* results of the assistant's main version as it was then/,
    );
    expect(count(h.sim, EP.testTrigger) + count(h.sim, EP.suiteTrigger)).toBe(0);
  });

  it('is judged as the run it resumes: gate flags, --no-quarantine and --baseline come from the state', async () => {
    // The suite file lets half fail; the run was started with --min-pass-rate 1. Resumed as the
    // tool's hint says (no gate flag), it passed at 0.5: exit 0 over a gate asked to be 1.
    const spec: SuiteSpec = { suite: 'calls', tests: [{ name: 'good' }, { name: 'bad' }] };
    h = await harness({
      suites: [spec],
      scenario: {
        tests: {
          '*': { outcome: 'pass', duration_seconds: 300 },
          'calls/bad': { outcome: 'fail', duration_seconds: 300 },
        },
      },
    });
    writeFileSync(
      join(h.dir, 'calls.yaml'),
      suiteYaml(spec).replace(/^suite: calls$/m, 'suite: calls\ngate: {min_pass_rate: 0.5}'),
    );
    const controller = new AbortController();
    const first = runCommand(
      ['.'],
      { outDir: h.outDir, minPassRate: 1 },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 400 && h.sim.state.runs.size < 2; i++) await delay(10);
    controller.abort('cancelled (SIGTERM)');
    expect(await first).toBe(3);
    expect(readRunState(h.outDir).settings.judging).toEqual({ minPassRate: 1 });
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(1);
    expect(readResults(h.outDir).gateOverrides).toMatchObject({ minPassRate: 1 });
    h.io.err.length = 0;
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true, minPassRate: 0.5 }, h.io, deps(h))).toBe(
      2,
    );
    expect(h.io.err.join('')).toContain(
      '--resume: --min-pass-rate 0.5 is not what the interrupted run used (1)',
    );
  });

  it('--max-in-flight, --retries and --max-runs come from the state, not the resume command line', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(6).map((name) => ({ name })) }],
      scenario: {
        tests: {
          '*': { outcome: 'pass', duration_seconds: 300 },
          'calls/t006': { outcome: 'error', duration_seconds: 30 },
        },
      },
    });
    const controller = new AbortController();
    const first = runCommand(
      ['.'],
      { outDir: h.outDir, maxInFlight: 2, retries: 1 },
      h.io,
      deps(h, { signal: controller.signal }),
    );
    for (let i = 0; i < 400 && count(h.sim, EP.testTrigger) < 2; i++) await delay(10);
    controller.abort('cancelled (SIGTERM)');
    expect(await first).toBe(3);
    h.sim.resetCounts();
    // The command the tool prints for it: rubric-gate run --resume --out-dir DIR.
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(1);
    expect(h.sim.maxRunsInProgress()).toBeLessThanOrEqual(2);
    const t006 = readRunState(h.outDir).work.filter((w) => w.test === 't006');
    expect(t006.map((w) => [w.retry, w.status])).toEqual([
      [0, 'error'],
      [1, 'error'],
    ]);
  });
});

describe('a real process', () => {
  // The simulator's clock is held back until the test moves it, so runs wait for the kill.
  let offset = 0;
  const simNow = () => Date.now() + offset;

  it('SIGKILL after triggering, then --resume finishes the same runs with zero new triggers', async () => {
    offset = 0;
    h = await harness({
      suites: [
        { suite: 'whole', tests: names(3).map((name) => ({ name })) },
        { suite: 'trials', tests: [{ name: 'twice', trials: 2, min_passes: 1 }, { name: 'once' }] },
      ],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 3600 } } },
      sim: { now: simNow },
    });
    // Every trial up front (sequential trials would hold the second trial of "twice").
    const run = spawnRun(h, { allTrials: true });
    child = run.proc;
    await untilAllTriggered(h.outDir, 6);
    child.kill('SIGKILL');
    await exited(child);
    const before = readRunState(h.outDir);
    const triggers = count(h.sim, EP.suiteTrigger) + count(h.sim, EP.testTrigger);
    expect(count(h.sim, EP.suiteTrigger)).toBe(1);
    expect(existsSync(join(h.outDir, 'results.json'))).toBe(false);

    offset = 2 * 3_600_000; // every run is now final on the simulator
    const code = await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h));
    expect(h.io.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(count(h.sim, EP.suiteTrigger) + count(h.sim, EP.testTrigger)).toBe(triggers);
    expect(h.sim.state.runs.size).toBe(6);
    const results = readResults(h.outDir);
    expect(results.complete).toBe(true);
    const runIds = results.suites
      .flatMap((s) => s.tests.flatMap((t) => t.attempts.map((a) => a.runId)))
      .sort();
    expect(runIds).toEqual(before.work.map((w) => w.runId).sort());
    // The state file says what resume will do: wait for the 6 runs it left in progress.
    expect(h.io.out.join('')).toMatch(/Resuming the run started .*: 6 runs to wait for \(settings/);
    expect(h.io.out.join('')).not.toContain('0 to pick up again');
  });

  it('SIGTERM stops the process promptly: partial results, the still-running list, exit 3', async () => {
    offset = 0;
    h = await harness({
      suites: [{ suite: 'whole', tests: names(2).map((name) => ({ name })) }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 3600 } } },
      sim: { now: simNow },
    });
    const run = spawnRun(h);
    child = run.proc;
    await untilAllTriggered(h.outDir, 2);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    const code = await exited(child);
    expect(Date.now() - sentAt).toBeLessThan(3000);
    expect(code).toBe(3);
    expect(run.out()).toMatch(/SIGTERM: stopping/);
    expect(run.out()).toMatch(/2 runs are still in progress remotely/);
    expect(readResults(h.outDir).incompleteReason).toBe(
      'cancelled (SIGTERM); 2 runs are still in progress remotely',
    );
  });
});
