// The committed Action bundle run as the runner runs it: `node dist/action.js` with INPUT_*
// variables (hyphens kept), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_ACTIONS=true,
// cwd = a copy of suites/, against the simulator on loopback, under Node 20 and Node 24.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error: plain .mjs build script without type declarations
import { REEXEC_FLAGS_V8_12 } from '../../scripts/build.mjs';
import { cleanLine } from '../../src/sanitize.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { Scenario } from '../../src/simulator/scenario.js';
import { type ActionRun, runActionEntry } from './action-harness.js';
import { node24 } from './node24.js';
import { signalWhen } from './process.js';

const root = join(import.meta.dirname, '..', '..');
const BUNDLE = join(root, 'dist', 'action.js');
const KEY = 'KEY_ACTION_CANARY_SECRET_5c4b';
const SUITES = ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml'];

// ---------------------------------------------------------------------------------------------
// Which Node binaries run the bundle: the one running the tests (20 here and in CI) and Node 24,
// the runtime action.yml declares.
const RUNTIMES = [process.execPath, node24()].map((bin) => ({
  label: `node ${execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()}`,
  bin,
}));

/** Whether a Node binary runs V8 12+ (where the bundles re-execute themselves, see scripts/build.mjs). */
const v8At12 = (bin: string): boolean =>
  Number.parseInt(execFileSync(bin, ['-p', 'process.versions.v8'], { encoding: 'utf8' }), 10) >= 12;

// ---------------------------------------------------------------------------------------------
// Running the bundle as the runner does.

const sims: Simulator[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(sims.splice(0).map((s) => s.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function simulator(scenario: unknown): Promise<Simulator> {
  const sim = await startSimulator({ apiKey: KEY, clockScale: 600, scenario: Scenario.parse(scenario) });
  sims.push(sim);
  return sim;
}

function workspace(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'rg-action-'));
  dirs.push(dir);
  for (const f of SUITES) cpSync(join(root, 'suites', f), join(dir, 'suites', f));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function runAction(
  node: string,
  dir: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runActionEntry(node, [BUNDLE], dir, inputs, env);
}

const apiInputs = (sim: Simulator) => ({ 'api-key': KEY, 'base-url': sim.url, suites: 'suites' });

// ---------------------------------------------------------------------------------------------
// The runner's reading of stdout (actions/runner ActionCommandManager + ActionCommand): per
// line, a v2 command `::name props::data` after leading spaces, else a v1 `##[name props]data`
// anywhere in the line; `stop-commands` ignores both until `::<token>::`.

interface Command {
  name: string;
  props: string;
  data: string;
}
const REGISTERED = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]);

function runnerCommands(stdout: string): Command[] {
  const out: Command[] = [];
  let stopToken: string | undefined;
  for (const raw of stdout.split('\n')) {
    let cmd: Command | undefined;
    const line = raw.trimStart();
    const v2 = line.startsWith('::') ? line.indexOf('::', 2) : -1;
    if (v2 > 0) {
      const info = line.slice(2, v2);
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (REGISTERED.has(name) || name === stopToken) {
        cmd = { name, props: space < 0 ? '' : info.slice(space + 1), data: line.slice(v2 + 2) };
      }
    }
    const v1 = raw.indexOf('##[');
    if (!cmd && v1 >= 0 && raw.indexOf(']', v1) > 0) {
      const info = raw.slice(v1 + 3, raw.indexOf(']', v1));
      const space = info.indexOf(' ');
      const name = space < 0 ? info : info.slice(0, space);
      if (REGISTERED.has(name) || name === stopToken) {
        cmd = {
          name,
          props: space < 0 ? '' : info.slice(space + 1),
          data: raw.slice(raw.indexOf(']', v1) + 1),
        };
      }
    }
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.name !== stopToken) continue;
      stopToken = undefined;
      out.push({ ...cmd, name: 'resume-commands' });
    } else {
      if (cmd.name === 'stop-commands') stopToken = cmd.data;
      out.push(cmd);
    }
  }
  return out;
}

/** The key is masked before anything else is printed and appears nowhere else. */
function expectMasked(r: ActionRun) {
  const lines = r.stdout.split('\n');
  expect(lines[0]).toBe(`::add-mask::${KEY}`);
  expect(lines.slice(1).join('\n')).not.toContain(KEY);
  expect(r.stderr).not.toContain(KEY);
  expect(r.summary).not.toContain(KEY);
  expect(readFileSync(join(r.dir, '.github_output'), 'utf8')).not.toContain(KEY);
}

const annotations = (r: ActionRun) =>
  runnerCommands(r.stdout).filter((c) => ['error', 'warning', 'notice'].includes(c.name));

const lineOf = (file: string, text: string) =>
  readFileSync(join(root, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text)) + 1;

// ---------------------------------------------------------------------------------------------

const PASS = { tests: { '*': { outcome: 'pass', duration_seconds: 30 } } };
/** The assistant the example refunds suite talks to (its destination): the one promoted. */
const REFUNDS_ASSISTANT = 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34';
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

// Every test has its own simulator and workspace, so they all run concurrently (each waits on
// child processes and a simulated clock, not on the CPU).
describe.concurrent('the Action bundle', () => {
  it('runs under Node 24, the runtime action.yml declares', () => {
    expect(RUNTIMES.map((r) => r.label)).toContainEqual(expect.stringMatching(/^node v24\./));
  });

  describe.each(RUNTIMES)('under $label', ({ bin }) => {
    it('passes: outputs, job summary, no annotations, exit 0', async () => {
      const sim = await simulator(PASS);
      const r = await runAction(bin, workspace(), apiInputs(sim));
      expectMasked(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs).toEqual({
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
      // The job summary is the summary.md the run wrote.
      expect(r.summary).toBe(`${readFileSync(join(r.dir, 'rubric-gate-report/summary.md'), 'utf8')}\n`);
      expect(r.summary).toMatch(/^## ✅ rubric-gate: all gates held/);
      expect(runnerCommands(r.stdout).map((c) => c.name)).toEqual([
        'add-mask',
        'stop-commands',
        'resume-commands',
      ]);
    }, 60_000);

    it('fails the gate: exit 1, an error annotation at the test line, outputs', async () => {
      const sim = await simulator(REQUIRED_FAILS);
      const r = await runAction(bin, workspace(), apiInputs(sim));
      expectMasked(r);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ result: 'failed', passed: '8', failed: '1', errors: '0' });
      const line = lineOf('suites/refunds.yaml', 'name: Damaged product refund');
      expect(annotations(r)).toEqual([
        {
          name: 'error',
          props: `file=suites/refunds.yaml,line=${line},title=refunds › Damaged product refund`,
          data: 'failed: Policy accuracy (required)',
        },
        { name: 'error', props: '', data: expect.stringMatching(/^rubric gate failed: refunds: /) },
      ]);
      expect(r.summary).toMatch(/^## ❌ rubric-gate: gate failed/);
    }, 60_000);

    it('cannot finish: exit 1 with another message, result incomplete, partial reports', async () => {
      const sim = await simulator(HANGS);
      // Polls come every 4.8 s: long enough for the sequential trials' rounds to be seen.
      const r = await runAction(bin, workspace(), { ...apiInputs(sim), timeout: '12s' });
      expectMasked(r);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ result: 'incomplete', passed: '8', failed: '0', errors: '1' });
      const errors = annotations(r).filter((a) => a.name === 'error');
      expect(errors).toHaveLength(2);
      expect(errors[0]!.props).toBe(
        `file=suites/after-hours.yaml,line=${lineOf('suites/after-hours.yaml', 'name: Opt-out keyword')},title=after-hours › Opt-out keyword`,
      );
      expect(errors[1]!.data).toMatch(/^rubric-gate could not finish: .*; partial reports were written$/);
      expect(r.stdout).not.toMatch(/rubric gate failed/);
      expect(existsSync(join(r.dir, 'rubric-gate-report/results.json'))).toBe(true);
      expect(r.summary).toMatch(/^## ⚠️ rubric-gate: incomplete/);
    }, 60_000);

    it('SIGTERM mid-run (the runner cancelling) reaches it: polling stops, partial reports, result incomplete', async () => {
      const sim = await simulator(HANGS);
      let cmdline: string[] = [];
      // Signalled once runs are in progress on the simulator: by then the pipeline is polling,
      // and on V8 12+ the process (the same pid) has re-executed itself with a bounded young
      // generation, which its command line shows.
      const r = await runActionEntry(
        bin,
        [BUNDLE],
        workspace(),
        apiInputs(sim),
        {},
        signalWhen(
          () => sim.maxRunsInProgress() > 0,
          'SIGTERM',
          (c) => {
            cmdline = c;
          },
        ),
      );
      expectMasked(r);
      expect(cmdline).toEqual([...(v8At12(bin) ? REEXEC_FLAGS_V8_12 : []), BUNDLE]);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ result: 'incomplete' });
      expect(`${r.stdout}${r.stderr}`).toMatch(/SIGTERM: stopping; writing partial results/);
      const errors = annotations(r).filter((a) => a.name === 'error');
      expect(errors.at(-1)?.data).toMatch(/^rubric-gate could not finish: cancelled \(SIGTERM\)/);
      expect(existsSync(join(r.dir, 'rubric-gate-report/results.json'))).toBe(true);
      expect(r.summary).toMatch(/^## ⚠️ rubric-gate: incomplete/);
    }, 60_000);

    it('with a preload (--import) it starts once: no re-execution runs the preload twice', async () => {
      const sim = await simulator(PASS);
      const dir = workspace();
      const starts = join(dir, 'starts.txt');
      const hook = `data:text/javascript,import{appendFileSync}from"node:fs";appendFileSync(${JSON.stringify(starts)},process.pid+"\\n")`;
      const r = await runActionEntry(bin, ['--import', hook, BUNDLE], dir, apiInputs(sim));
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(starts, 'utf8').trim().split('\n')).toHaveLength(1);
    }, 60_000);
  });

  describe('inputs, injection, promote, shards', () => {
    it('resume: a step cut off by timeout is re-run with resume: true and finishes the same runs', async () => {
      const sim = await simulator({
        tests: {
          '*': { outcome: 'pass', duration_seconds: 30 },
          // 10 s at the simulator's 600x: still running when the first step's 3 s are up.
          'after-hours/Opt-out keyword': { outcome: 'pass', duration_seconds: 6000 },
        },
      });
      const dir = workspace();
      const first = await runAction(process.execPath, dir, { ...apiInputs(sim), timeout: '3s' });
      expect(first.outputs.result, first.stderr).toBe('incomplete');
      expect(first.stdout).toMatch(
        /Pick them up with: re-run this step with the input resume: true and out-dir /,
      );
      expect(first.stdout).not.toMatch(/rubric-gate run --resume/);
      const triggered = sim.state.runs.size;
      const second = await runAction(process.execPath, dir, { ...apiInputs(sim), resume: 'true' });
      expect(second.code, second.stderr).toBe(0);
      expect(second.outputs).toMatchObject({ result: 'passed', passed: '9', errors: '0' });
      // Ground truth: the resumed step triggered nothing; it waited for the runs the first started.
      expect(sim.state.runs.size).toBe(triggered);
    }, 90_000);

    const node = process.execPath;

    it('command: validate checks the files with no api-key; plan reads the account and writes nothing', async () => {
      const ok = await runAction(node, workspace(), { command: 'validate', suites: 'suites' });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.outputs.result).toBe('passed');
      expect(ok.stdout).toContain('3 suites, 9 tests OK');
      const bad = await runAction(node, workspace({ 'suites/broken.yaml': 'suite: b\ntests: [oops\n' }), {
        command: 'validate',
        suites: 'suites',
      });
      expect(bad.code).toBe(1);
      expect(bad.outputs.result).toBe('incomplete');
      expect(
        annotations(bad).some(
          (a) => a.name === 'error' && a.props.startsWith('file=suites/broken.yaml,line='),
        ),
      ).toBe(true);
      const sim = await simulator(PASS);
      const plan = await runAction(node, workspace(), { ...apiInputs(sim), command: 'plan' });
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(/Plan: 9 to create/);
      expect(sim.state.tests.size).toBe(0);
      const sync = await runAction(node, workspace(), { ...apiInputs(sim), command: 'sync' });
      expect(sync.code, sync.stderr).toBe(0);
      expect(sim.state.tests.size).toBe(9);
      expect(sim.state.runs.size).toBe(0);
    }, 60_000);

    it('a missing api-key fails the step before anything runs', async () => {
      const sim = await simulator(PASS);
      const r = await runAction(node, workspace(), { ...apiInputs(sim), 'api-key': '' });
      expect(r.code).toBe(1);
      expect(annotations(r)).toEqual([
        {
          name: 'error',
          props: '',
          data: expect.stringMatching(/^rubric-gate: input "api-key" is required/),
        },
      ]);
      expect(r.outputs.result).toBe('incomplete');
      expect(r.summary).toBe('');
      expect(sim.counts().total).toBe(0);
    }, 30_000);

    it('a bad input names the input; nothing is sent', async () => {
      const sim = await simulator(PASS);
      const r = await runAction(node, workspace(), {
        ...apiInputs(sim),
        trials: 'many',
        'min-pass-rate': '1',
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^::error::rubric-gate: input "trials" must be a whole number/m);
      expect(sim.counts().total).toBe(0);
    }, 30_000);

    it('invalid suite files fail with their location and the "nothing was run" message', async () => {
      const sim = await simulator(PASS);
      const dir = workspace({
        'suites/broken.yaml': 'suite: broken\ntests:\n  - name: x\n',
        // An earlier run's report (a self-hosted runner's workspace): not this step's result.
        'rubric-gate-report/results.json': readFileSync(
          join(root, 'test/fixtures/results/all-outcomes.json'),
          'utf8',
        ),
      });
      const r = await runAction(node, dir, apiInputs(sim));
      expectMasked(r);
      expect(r.code).toBe(1);
      expect(r.outputs).toMatchObject({ result: 'incomplete', passed: '', failed: '', 'results-path': '' });
      expect(r.stderr).toMatch(/suites\/broken\.yaml:\d+:\d+: /);
      const errors = annotations(r);
      // Each problem at its file, line and column, then the step's failure message.
      expect(errors.slice(0, -1).map((a) => a.props)).toEqual(
        Array(3).fill('file=suites/broken.yaml,line=3,col=5,title=invalid suite file'),
      );
      expect(errors.slice(0, -1).map((a) => a.data)).toContainEqual(expect.stringMatching(/"rubric"/));
      // The job summary lists the problems instead of staying empty.
      expect(r.summary).toMatch(
        /^## rubric-gate: invalid suite files, nothing was run\n\n3 problems in 1 file\./,
      );
      expect(r.summary.match(/^\| suites\/broken\\\.yaml \| 3 \| 5 \| /gm)).toHaveLength(3);
      expect(errors.at(-1)).toEqual({
        name: 'error',
        props: '',
        data: expect.stringMatching(
          /^rubric-gate: invalid input or suite files, nothing was run: 3 problems in suite files: suites\/broken\.yaml:3:5: /,
        ),
      });
      expect(sim.counts().total).toBe(0);
    }, 30_000);

    it('text from suite files and the API cannot run a workflow command', async () => {
      // A test name carrying commands: v1 `##[...]` works anywhere in a line, v2 `::` at its start.
      const hostileName = 'Leak ##[set-output name=result;]passed ##[add-mask]rubric';
      const hostile = {
        suite: 'hostile',
        defaults: { channel: 'web_chat', destination: 'assistant-1' },
        tests: [
          {
            name: hostileName,
            instructions: 'Act as a customer.',
            rubric: [{ name: 'Policy', criteria: 'States the policy', required: true }],
          },
        ],
      };
      const sim = await simulator({
        tests: {
          '*': { outcome: 'pass', duration_seconds: 30 },
          'hostile/*': { criteria: { Policy: 'fail' } },
        },
      });
      const dir = workspace({ 'suites/hostile.yaml': stringify(hostile) });
      const r = await runAction(node, dir, apiInputs(sim));
      expect(r.code).toBe(1);
      // The name reached plain log lines only neutralised (the sanitiser breaks `##[` anywhere)...
      expect(r.stdout).not.toContain('##[set-output');
      expect(r.stdout.split('\n').some((l) => l.includes(cleanLine(hostileName)))).toBe(true);
      // ...but only our own commands are processed: the mask, the stop/resume pair, annotations.
      const names = runnerCommands(r.stdout).map((c) => c.name);
      expect(names.slice(0, 3)).toEqual(['add-mask', 'stop-commands', 'resume-commands']);
      expect(names.slice(3).every((n) => n === 'error')).toBe(true);
      expect(names.filter((n) => n === 'add-mask')).toHaveLength(1);
      expect(names).not.toContain('set-output');
      expect(r.outputs.result).toBe('failed');
      expect(annotations(r)[0]).toMatchObject({
        props: expect.stringContaining(`title=hostile › ${cleanLine(hostileName)}`),
      });
    }, 30_000);

    it('a large run folds its passes into groups; failures and counts stay in view', async () => {
      // 120 tests plus the 9 examples: above the digest threshold. Names that try to close or
      // open a group themselves.
      const name = (i: number) => `Case ${i} ::endgroup:: ##[group]x`;
      const big = {
        suite: 'big',
        defaults: { channel: 'web_chat', destination: 'assistant-1' },
        tests: Array.from({ length: 120 }, (_, i) => ({
          name: name(i),
          instructions: 'Act as a customer.',
          rubric: [{ name: 'Policy', criteria: 'States the policy', required: true }],
        })),
      };
      const sim = await simulator({
        tests: {
          '*': { outcome: 'pass', duration_seconds: 30 },
          'big/Case 7 *': { criteria: { Policy: 'fail' } },
        },
      });
      const r = await runAction(node, workspace({ 'suites/big.yaml': stringify(big) }), apiInputs(sim));
      expect(r.code, r.stderr).toBe(1);
      const names = runnerCommands(r.stdout).map((c) => c.name);
      // Commands resume for each group's two lines only, and are off again in between.
      const groups = names.filter((n) => n === 'group').length;
      expect(groups).toBeGreaterThan(0);
      expect(names.slice(0, 2)).toEqual(['add-mask', 'stop-commands']);
      const fold = [
        'resume-commands',
        'group',
        'stop-commands',
        'resume-commands',
        'endgroup',
        'stop-commands',
      ];
      expect(names.slice(2, 2 + 6 * groups)).toEqual(Array.from({ length: groups }, () => fold).flat());
      expect(names[2 + 6 * groups]).toBe('resume-commands');
      expect(names.slice(3 + 6 * groups).every((n) => n === 'error')).toBe(true);
      // Each outcome on one line: the passes inside groups, the failure outside.
      let inGroup = false;
      const inside: string[] = [];
      const outside: string[] = [];
      for (const line of r.stdout.split('\n')) {
        if (line.startsWith('::group::')) inGroup = true;
        else if (line === '::endgroup::') inGroup = false;
        else if (/: (trigger|pending|running) → /.test(line)) (inGroup ? inside : outside).push(line);
      }
      expect(inside.filter((l) => !/ → passed \(\d+ s\)$/.test(l))).toEqual([]);
      const results = JSON.parse(readFileSync(join(r.dir, 'rubric-gate-report/results.json'), 'utf8')) as {
        suites: { tests: { attempts: unknown[] }[] }[];
      };
      const attempts = results.suites.flatMap((s) => s.tests.flatMap((t) => t.attempts)).length;
      expect(inside).toHaveLength(attempts - 1);
      expect(outside).toEqual([
        expect.stringMatching(/^big › Case 7 ::endgroup:: ## \[group\]x: \S+ → failed/),
      ]);
      for (let i = 0; i < 120; i++) {
        const shown = `big › ${cleanLine(name(i))}:`;
        expect(r.stdout.split('\n').filter((l) => l.startsWith(shown))).toHaveLength(1);
      }
    }, 60_000);

    it('promote-assistant-id: the gate holds, so version-id becomes main', async () => {
      const sim = await simulator({
        ...PASS,
        assistants: [
          {
            id: REFUNDS_ASSISTANT,
            versions: [
              { id: 'v-main', name: 'April prompt', main: true },
              { id: 'v-good', name: 'Warmer tone' },
            ],
          },
        ],
      });
      const r = await runAction(node, workspace(), {
        ...apiInputs(sim),
        'promote-assistant-id': REFUNDS_ASSISTANT,
        'version-id': 'v-good',
      });
      expectMasked(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs.result).toBe('passed');
      expect(sim.state.assistants.get(REFUNDS_ASSISTANT)?.mainVersionId).toBe('v-good');
      expect(r.summary).toMatch(/Promotion/);
    }, 30_000);

    it('promote-dry-run: the gate holds, the tests ran, and main stays where it was', async () => {
      const sim = await simulator({
        ...PASS,
        assistants: [
          {
            id: REFUNDS_ASSISTANT,
            versions: [
              { id: 'v-main', name: 'April prompt', main: true },
              { id: 'v-good', name: 'Warmer tone' },
            ],
          },
        ],
      });
      const r = await runAction(node, workspace(), {
        ...apiInputs(sim),
        'promote-assistant-id': REFUNDS_ASSISTANT,
        'version-id': 'v-good',
        'promote-dry-run': 'true',
      });
      expectMasked(r);
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs.result).toBe('passed');
      expect(sim.state.runs.size).toBeGreaterThan(0);
      expect(sim.state.assistants.get(REFUNDS_ASSISTANT)?.mainVersionId).toBe('v-main');
    }, 30_000);

    it('shard 1/2 and 2/2, then merge-results gates on all shards', async () => {
      const sim = await simulator(REQUIRED_FAILS);
      const shards = await Promise.all(
        ['1/2', '2/2'].map((shard) =>
          runAction(node, workspace(), { ...apiInputs(sim), shard, 'out-dir': 'out' }),
        ),
      );
      // Both shards synced at once, as matrix jobs do: the idempotent creates made no duplicates.
      expect(sim.state.tests.size).toBe(9);
      const failedShard = shards.findIndex((s) => s.outputs.result === 'failed');
      expect(failedShard).toBeGreaterThanOrEqual(0);
      const ran = shards.map((s) => Number(s.outputs.passed) + Number(s.outputs.failed));
      expect(ran.every((n) => n > 0 && n < 9)).toBe(true);
      expect(ran[0]! + ran[1]!).toBe(9);
      // The merge job downloads the shard artifacts and runs with no API key.
      const mergeDir = workspace();
      shards.forEach((s, i) => {
        cpSync(join(s.dir, 'out/results.json'), join(mergeDir, `shards/${i + 1}/results.json`));
      });
      const before = sim.counts().total;
      const merged = await runAction(node, mergeDir, {
        'merge-results': 'shards/*/results.json',
        trials: '3',
      });
      expect(merged.stdout).toMatch(
        /merging 2 results files: shards\/1\/results\.json, shards\/2\/results\.json/,
      );
      expect(merged.stdout).toMatch(
        /^::warning::merge-results is set, so nothing runs and these inputs are ignored: trials$/m,
      );
      expect(merged.code).toBe(1);
      expect(merged.outputs).toMatchObject({ result: 'failed', passed: '8', failed: '1', errors: '0' });
      expect(annotations(merged).filter((a) => a.name === 'error')[0]).toMatchObject({
        name: 'error',
        props: expect.stringContaining('Damaged product refund'),
      });
      expect(merged.summary).toMatch(/^## ❌ rubric-gate: gate failed/);
      expect(sim.counts().total).toBe(before);
    }, 60_000);
  });
});
