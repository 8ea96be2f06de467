// Trials, retries, --max-in-flight, shards, --version, --max-runs, --no-sync and bad flags,
// against the simulator.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeCommand } from '../../src/commands/merge.js';
import { runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import {
  count,
  deps,
  EP,
  type Harness,
  harness,
  names,
  outcomesOf,
  readResults,
  runsPerTest,
} from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const assistants = [
  {
    id: 'assistant-1',
    versions: [
      { id: 'v-main', main: true },
      {
        id: 'v-candidate',
        name: 'Candidate',
        tests: { 'calls/t002': { outcome: 'fail', criteria: { Accuracy: 'fail' } } },
      },
    ],
  },
];

describe('trials and retries', () => {
  it('--trials 3 with min_passes 2: 1/3 fails, 2/3 and 3/3 pass', async () => {
    h = await harness({
      suites: [
        {
          suite: 'voice',
          tests: ['one of three', 'two of three', 'three of three'].map((name) => ({
            name,
            min_passes: 2,
            trials: 3,
          })),
        },
      ],
      scenario: {
        tests: {
          '*': { duration_seconds: 30 },
          'voice/one of three': { sequence: ['fail', 'pass', 'fail'] },
          'voice/two of three': { sequence: ['pass', 'fail', 'pass'] },
          'voice/three of three': { sequence: ['pass', 'pass', 'pass'] },
        },
      },
    });
    // Fixed trials (--all-trials); sequential trials are tested in decide.test.ts.
    const code = await runCommand(['.'], { outDir: h.outDir, allTrials: true }, h.io, deps(h));
    expect(outcomesOf(h.outDir)).toEqual({
      'voice/one of three': 'failed',
      'voice/two of three': 'passed',
      'voice/three of three': 'passed',
    });
    expect([...runsPerTest(h.sim).values()]).toEqual([3, 3, 3]);
    // Same trial count for the whole suite: one suite trigger per trial, polled in batches.
    expect(count(h.sim, EP.suiteTrigger)).toBe(3);
    expect(count(h.sim, EP.getRun)).toBe(0);
    expect(code).toBe(1);
  });

  it('--trials on the command line overrides, per-test triggers when trial counts differ', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }, { name: 'b', trials: 2, min_passes: 1 }] }],
      scenario: { tests: { '*': { duration_seconds: 30 }, 's/a': { sequence: ['fail', 'pass'] } } },
    });
    expect(await runCommand(['.'], { outDir: h.outDir, allTrials: true }, h.io, deps(h))).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(3);
    expect(outcomesOf(h.outDir)).toEqual({ 's/a': 'failed', 's/b': 'passed' });
  });

  it('--retries 1 turns error-then-pass into flaky, and never re-runs a behavioural failure', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: names(3).map((name) => ({ name })) }],
      scenario: {
        tests: {
          '*': { duration_seconds: 30 },
          's/t001': { sequence: ['error', 'pass'] },
          's/t002': { sequence: ['fail', 'pass'] },
          's/t003': { sequence: ['error', 'error', 'pass'] },
        },
      },
    });
    const code = await runCommand(['.'], { outDir: h.outDir, retries: '1' }, h.io, deps(h));
    expect(outcomesOf(h.outDir)).toEqual({ 's/t001': 'flaky', 's/t002': 'failed', 's/t003': 'error' });
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 's/t001': 2, 's/t002': 1, 's/t003': 2 });
    // The first attempts came from one suite trigger; only the re-runs were per test.
    expect(count(h.sim, EP.suiteTrigger)).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(2);
    expect(code).toBe(1);
  });
});

describe('--max-in-flight', () => {
  it('never has more than 2 runs in progress', async () => {
    h = await harness({
      suites: [
        { suite: 'a', tests: names(4).map((name) => ({ name })) },
        { suite: 'b', tests: names(3).map((name) => ({ name })) },
      ],
      scenario: { tests: { '*': { duration_seconds: 30 } } },
    });
    expect(await runCommand(['.'], { outDir: h.outDir, maxInFlight: 2 }, h.io, deps(h))).toBe(0);
    expect(h.sim.maxRunsInProgress()).toBe(2);
    expect(h.sim.state.runs.size).toBe(7);
  });
});

describe('shards', () => {
  it('1/3, 2/3, 3/3 together run every test exactly once', async () => {
    h = await harness({
      suites: [
        { suite: 'a', tests: names(10).map((name) => ({ name })) },
        { suite: 'b', tests: names(5).map((name) => ({ name })) },
      ],
      scenario: { tests: { '*': { duration_seconds: 30 } } },
    });
    const ran: string[][] = [];
    for (const shard of ['1/3', '2/3', '3/3']) {
      const outDir = `${h.outDir}-${shard.replace('/', 'of')}`;
      const io = memoryIo({ env: h.env, cwd: h.dir });
      expect(await runCommand(['.'], { outDir, shard }, io, deps(h))).toBe(0);
      const r = readResults(outDir);
      expect(r.shard).toMatchObject({ index: Number(shard[0]), total: 3, filters: '', candidates: 15 });
      expect(r.shard?.fingerprint).toMatch(/^sha256:/);
      ran.push(r.suites.flatMap((s) => s.tests.filter((t) => !t.skipped).map((t) => `${s.name}/${t.name}`)));
    }
    expect(ran.map((r) => r.length)).toEqual([5, 5, 5]);
    expect(new Set(ran.flat()).size).toBe(15);
    // Their merge is the whole run; without one shard it is incomplete, naming it.
    const { outDir, env, dir } = h;
    const io = memoryIo({ env, cwd: dir });
    const files = ['1of3', '2of3', '3of3'].map((x) => `${outDir}-${x}/results.json`);
    expect(await mergeCommand(files, { outDir: `${outDir}-merged`, reporters: ['json'] }, io)).toBe(0);
    expect(await mergeCommand(files.slice(1), { outDir: `${outDir}-partial`, reporters: ['json'] }, io)).toBe(
      3,
    );
    expect(io.out.join('')).toContain(
      'rubric-gate: INCOMPLETE: shard 1/3 missing (5 of the 15 selected tests)',
    );
    expect([...runsPerTest(h.sim).values()].every((n) => n === 1)).toBe(true);
    expect(runsPerTest(h.sim).size).toBe(15);
  });
});

describe('--version', () => {
  it('passes destination_version_id on every trigger', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(3).map((name) => ({ name })) }],
      scenario: { assistants, tests: { '*': { duration_seconds: 30 } } },
    });
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: 'v-candidate', grep: 't00[12]' },
      h.io,
      deps(h),
    );
    expect(code).toBe(1);
    expect([...h.sim.state.runs.values()].map((r) => r.destination_version_id)).toEqual([
      'v-candidate',
      'v-candidate',
    ]);
    expect(readResults(h.outDir).versionId).toBe('v-candidate');
    expect(outcomesOf(h.outDir)).toEqual({
      'calls/t001': 'passed',
      'calls/t002': 'failed',
      'calls/t003': 'skipped',
    });
  });

  it('an unknown version is a usage error before anything runs (the first trigger probes it)', async () => {
    h = await harness({
      suites: [{ suite: 'calls', tests: names(3).map((name) => ({ name, tags: ['x'] })) }],
      scenario: { assistants },
    });
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: 'v-nope', tag: 'x', maxInFlight: 3 },
      h.io,
      deps(h),
    );
    expect(code).toBe(2);
    expect(h.io.err.join('')).toMatch(/--version v-nope: the API refused it .*Nothing was triggered/);
    expect(count(h.sim, EP.testTrigger)).toBe(1);
    expect(h.sim.state.runs.size).toBe(0);
  });

  it('with --assistant the version is read first, and its name is shown beside its id', async () => {
    h = await harness({ suites: [{ suite: 'calls', tests: [{ name: 'a' }] }], scenario: { assistants } });
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: 'v-candidate', assistant: 'assistant-1' },
      h.io,
      deps(h),
    );
    expect(code).toBe(0);
    expect(readResults(h.outDir)).toMatchObject({ versionId: 'v-candidate', versionName: 'Candidate' });
    const md = readFileSync(join(h.outDir, 'summary.md'), 'utf8');
    expect(md.split('\n').slice(0, 4).join('\n')).toContain('version Candidate (v\\-candidate)'); // Markdown-escaped
  });

  it('with --assistant the version is checked with a GET first', async () => {
    h = await harness({ suites: [{ suite: 'calls', tests: [{ name: 'a' }] }], scenario: { assistants } });
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: 'v-nope', assistant: 'assistant-1' },
      h.io,
      deps(h),
    );
    expect(code).toBe(2);
    expect(h.io.err.join('')).toMatch(/assistant assistant-1 has no such version/);
    expect(count(h.sim, EP.suiteTrigger) + count(h.sim, EP.testTrigger)).toBe(0);
  });
});

describe('sync before the run', () => {
  it('--prune deletes a remote test the files no longer declare, so the suite runs as one trigger', async () => {
    h = await harness({ suites: [{ suite: 's', tests: names(2).map((name) => ({ name })) }] });
    await h.client.createTest({
      name: 'gone from the files',
      destination: 'assistant-under-test',
      instructions: 'x',
      rubric: [{ name: 'A', criteria: 'a' }],
      test_suite: 's',
    });
    expect(await runCommand(['.'], { outDir: h.outDir, prune: true }, h.io, deps(h))).toBe(0);
    expect(count(h.sim, 'DELETE /ai/assistants/tests/{test_id}')).toBe(1);
    expect([...h.sim.state.tests.values()].map((t) => t.name).sort()).toEqual(names(2));
    expect(count(h.sim, EP.suiteTrigger)).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(0);
  });
});

describe('refusals', () => {
  it('--max-runs refuses before anything is sent (exit 2)', async () => {
    h = await harness({ suites: [{ suite: 's', tests: names(3).map((name) => ({ name, trials: 2 })) }] });
    expect(await runCommand(['.'], { outDir: h.outDir, maxRuns: 5 }, h.io, deps(h))).toBe(2);
    expect(h.io.err.join('')).toMatch(/would start 6 runs, more than --max-runs 5/);
    expect(h.sim.counts().total).toBe(0);
  });

  it('a missing --baseline file refuses before anything is sent (exit 2)', async () => {
    h = await harness({ suites: [{ suite: 's', tests: names(2).map((name) => ({ name })) }] });
    expect(await runCommand(['.'], { outDir: h.outDir, baseline: 'missing.json' }, h.io, deps(h))).toBe(2);
    expect(h.io.err.join('')).toMatch(/--baseline missing\.json: no such file/);
    expect(h.sim.counts().total).toBe(0);
  });

  it.each([
    [{ trials: '0' }, /--trials must be a whole number from 1 to 100/],
    [{ retries: 'x' }, /--retries must be a whole number/],
    [{ shard: '4/3' }, /--shard "4\/3"/],
    [{ grep: '(' }, /--grep "\(" is not a valid regular expression/],
    [{ timeout: 'soon' }, /--timeout "soon" is not a duration/],
    [{ reporter: 'junit,pdf' }, /--reporter: unknown pdf/],
    [{ minPassRate: 5 }, /--min-pass-rate must be a number from 0 to 1/],
    [{ maxErrors: -1 }, /--max-errors must be a whole number >= 0/],
  ])('bad flag %j is exit 2 with nothing sent', async (flags, message) => {
    h = await harness({ suites: [{ suite: 's', tests: [{ name: 'a' }] }] });
    expect(await runCommand(['.'], { outDir: h.outDir, ...flags }, h.io, deps(h))).toBe(2);
    expect(h.io.err.join('')).toMatch(message);
    expect(h.sim.counts().total).toBe(0);
  });

  it('--resume with no state is a usage error', async () => {
    h = await harness({ suites: [{ suite: 's', tests: [{ name: 'a' }] }] });
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(2);
    expect(h.io.err.join('')).toMatch(/--resume: no run to resume/);
  });

  it('--no-sync runs what exists remotely and reports the rest as never started', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }] }],
      scenario: { tests: { '*': { duration_seconds: 30 } } },
    });
    const code = await runCommand(['.'], { outDir: h.outDir, sync: false }, h.io, deps(h));
    expect(code).toBe(3);
    expect(h.io.err.join('')).toMatch(/--no-sync: the account differs from the suite files/);
    const attempt = readResults(h.outDir).suites[0]?.tests[0]?.attempts[0];
    expect(attempt?.status).toBe('not_started');
    expect(attempt?.message).toMatch(/no remote test named "a" in suite "s"/);
    expect(count(h.sim, 'POST /ai/assistants/tests')).toBe(0);
  });
});
