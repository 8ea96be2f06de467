// Issue 16 against the simulator: quarantine, --history (flaky by history, bounded file) and
// --changed-since in a real temporary git repository.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCommand } from '../../src/commands/run.js';
import { parseHistory } from '../../src/history.js';
import { memoryIo } from '../../src/io.js';
import { deps, type Harness, harness, outcomesOf, readResults, runsPerTest } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Edit the suite file the harness wrote (local-only keys the harness does not know). */
function editSuite(dir: string, suite: string, edit: (doc: { tests: Record<string, unknown>[] }) => void) {
  const file = join(dir, `${suite}.yaml`);
  const doc = parse(readFileSync(file, 'utf8')) as { tests: Record<string, unknown>[] };
  edit(doc);
  writeFileSync(file, stringify(doc));
}

const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: dir,
    },
  });

const text = (lines: string[]) => lines.join('');

describe('quarantine', () => {
  it('a failing quarantined test runs, is listed, and leaves the gate green; --no-quarantine gates on it', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'steady' }, { name: 'noisy' }] }],
      scenario: { tests: { '*': { duration_seconds: 30 }, 's/noisy': { outcome: 'fail' } } },
    });
    editSuite(h.dir, 's', (doc) => {
      doc.tests[1]!.quarantine = 'upstream CRM flakes, ticket 42';
    });
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h));
    expect(outcomesOf(h.outDir)).toEqual({ 's/steady': 'passed', 's/noisy': 'failed' });
    expect(runsPerTest(h.sim).get('s/noisy')).toBe(1); // it still ran
    expect(code).toBe(0);
    const md = readFileSync(join(h.outDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/### Quarantined[\s\S]*\| s \| noisy \| ❌ failed \|/);
    expect(md).toContain('upstream CRM flakes, ticket 42');
    expect(text(h.io.out)).toContain('quarantined: 1 (reported, not gating)');
    expect(readResults(h.outDir).suites[0]?.tests[1]?.quarantine).toBe('upstream CRM flakes, ticket 42');

    const strict = memoryIo({ env: h.env, cwd: h.dir });
    const again = await runCommand(
      ['.'],
      { outDir: join(h.dir, 'out2'), quarantine: false },
      strict,
      deps(h),
    );
    expect(again).toBe(1);
    expect(text(strict.out)).toContain('quarantined: 1 (gating: --no-quarantine)');
  });
});

describe('--history', () => {
  it('pass → fail → pass marks the test flaky by history in the third run, never gating; the file stays bounded', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'wobbly' }, { name: 'solid' }] }],
      scenario: {
        tests: { '*': { duration_seconds: 30 }, 's/wobbly': { sequence: ['pass', 'fail', 'pass'] } },
      },
    });
    const history = join(h.dir, 'history', 'runs.jsonl'); // its folder does not exist yet
    const codes: number[] = [];
    const outs: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const io = memoryIo({ env: h.env, cwd: h.dir });
      const outDir = join(h.dir, `out${i}`);
      codes.push(
        await runCommand(['.'], { outDir, history: 'history/runs.jsonl', historyLimit: '2' }, io, deps(h)),
      );
      outs.push(outDir);
      if (i < 3) {
        expect(readResults(outDir).history?.tests.find((t) => t.test === 'wobbly')?.flaky).toBe(false);
      } else {
        expect(text(io.out)).toContain('~ s › wobbly: ✅❌✅ (2 flips)');
      }
    }
    // The failure in run 2 fails the gate; flakiness by history never does.
    expect(codes).toEqual([0, 1, 0]);
    // The third run's strip is read before the file drops its oldest run.
    expect(readResults(outs[2]!).history?.runs).toBe(3);
    const records = parseHistory(readFileSync(history, 'utf8'), history);
    expect(records).toHaveLength(2);
    expect(records.map((r) => r.tests.find((t) => t.test === 'wobbly')?.outcome)).toEqual([
      'failed',
      'passed',
    ]);
  });

  it('marks flaky in the third run with the default bound, in every report', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'wobbly' }, { name: 'solid' }] }],
      scenario: {
        tests: { '*': { duration_seconds: 30 }, 's/wobbly': { sequence: ['pass', 'fail', 'pass'] } },
      },
    });
    for (let i = 1; i <= 3; i++) {
      const io = memoryIo({ env: h.env, cwd: h.dir });
      await runCommand(['.'], { outDir: h.outDir, history: 'h.jsonl' }, io, deps(h));
    }
    const r = readResults(h.outDir);
    expect(r.history?.tests.find((t) => t.test === 'wobbly')).toMatchObject({
      strip: 'PFP',
      flips: 2,
      flaky: true,
    });
    expect(r.history?.tests.find((t) => t.test === 'solid')).toMatchObject({ strip: 'PPP', flaky: false });
    expect(readFileSync(join(h.outDir, 'summary.md'), 'utf8')).toMatch(
      /### Flaky by history[\s\S]*s › wobbly: ✅❌✅ \(2 flips\)/,
    );
    expect(readFileSync(join(h.outDir, 'junit.xml'), 'utf8')).toContain('flaky by history');
    expect(readFileSync(join(h.outDir, 'report.html'), 'utf8')).toContain('Flaky by history');
    expect(parseHistory(readFileSync(join(h.dir, 'h.jsonl'), 'utf8'), 'h.jsonl')).toHaveLength(3);
  });

  it('a broken history file is exit 2 before anything is sent', async () => {
    h = await harness({ suites: [{ suite: 's', tests: [{ name: 'a' }] }] });
    writeFileSync(join(h.dir, 'h.jsonl'), 'not json\n');
    const code = await runCommand(['.'], { outDir: h.outDir, history: 'h.jsonl' }, h.io, deps(h));
    expect(code).toBe(2);
    expect(text(h.io.err)).toMatch(/h\.jsonl:1:1: not valid JSON/);
    expect(h.sim.counts().total).toBe(0);
  });
});

describe('--changed-since', () => {
  async function repoHarness() {
    const hh = await harness({
      suites: [
        { suite: 'billing', tests: [{ name: 'refund' }, { name: 'invoice' }] },
        { suite: 'support', tests: [{ name: 'greeting' }, { name: 'escalate' }] },
      ],
      scenario: { tests: { '*': { duration_seconds: 30 } } },
    });
    git(hh.dir, 'init', '-q');
    git(hh.dir, 'add', 'billing.yaml', 'support.yaml');
    git(hh.dir, 'commit', '-q', '-m', 'suites');
    return hh;
  }

  it('after editing one test, --changed-since HEAD triggers exactly that test', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'billing', (doc) => {
      doc.tests[1]!.instructions = 'Act as a customer who lost an invoice';
    });
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'HEAD' }, h.io, deps(h));
    expect(code).toBe(0);
    // Counted on the simulator: one run, of the edited test.
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'billing/invoice': 1 });
    expect(outcomesOf(h.outDir)).toEqual({
      'billing/refund': 'skipped',
      'billing/invoice': 'passed',
      'support/greeting': 'skipped',
      'support/escalate': 'skipped',
    });
    const skipped = readResults(h.outDir).suites.flatMap((s) => s.tests.filter((t) => t.skipped));
    expect(skipped.map((t) => t.skipReason)).toEqual(Array(3).fill('unchanged since HEAD'));
    expect(text(h.io.out)).toMatch(
      /--changed-since HEAD \([0-9a-f]{12}\): 1 of 4 selected tests new or changed/,
    );
  });

  it('a test that reads an environment variable always runs: its value at the ref is unknown', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'support', (doc) => {
      doc.tests[0]!.instructions = 'Greet the caller with: ${GREETING}';
    });
    git(h.dir, 'commit', '-q', '-am', 'greeting from the environment');
    // Only the workflow's env changed (a file outside the suites): the files are as at HEAD.
    (h.io.env as Record<string, string>).GREETING = 'Buy crypto now';
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'HEAD' }, h.io, deps(h));
    expect(code).toBe(0);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'support/greeting': 1 });
    expect(text(h.io.out)).toMatch(/1 of 4 selected tests new or changed/);
  });

  it('the suites given as an absolute path: the edited test still counts as changed', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'billing', (doc) => {
      doc.tests[1]!.instructions = 'Act as a customer who lost an invoice';
    });
    // Before, an absolute path resolved to the working tree on the "old" side too: no change.
    const code = await runCommand([h.dir], { outDir: h.outDir, changedSince: 'HEAD' }, h.io, deps(h));
    expect(code).toBe(0);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'billing/invoice': 1 });
  });

  it('a rename via renamed_from is the same test; a new test runs; trials count as the definition', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'support', (doc) => {
      doc.tests[0]!.name = 'hello';
      doc.tests[0]!.renamed_from = ['greeting'];
      doc.tests[1]!.trials = 2;
      doc.tests.push({ ...doc.tests[1]!, name: 'brand new', trials: undefined });
    });
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'HEAD' }, h.io, deps(h));
    expect(code).toBe(0);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'support/escalate': 2, 'support/brand new': 1 });
  });

  it('no change is refused like any empty selection, unless --pass-with-no-tests', async () => {
    h = await repoHarness();
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'HEAD' }, h.io, deps(h));
    expect(code).toBe(2);
    expect(text(h.io.err)).toMatch(
      /none of the 4 tests changed since then\. Nothing was sent\.[\s\S]*--pass-with-no-tests/,
    );
    expect(h.sim.counts().total).toBe(0);

    const io = memoryIo({ env: h.env, cwd: h.dir });
    const allowed = await runCommand(
      ['.'],
      { outDir: h.outDir, changedSince: 'HEAD', passWithNoTests: true },
      io,
      deps(h),
    );
    expect(allowed).toBe(0);
    expect(runsPerTest(h.sim).size).toBe(0);
  });

  it('combines with --tag and --grep as an intersection', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'billing', (doc) => {
      doc.tests[0]!.instructions = 'changed refund';
      doc.tests[1]!.instructions = 'changed invoice';
    });
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, changedSince: 'HEAD', grep: 'refund' },
      h.io,
      deps(h),
    );
    expect(code).toBe(0);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'billing/refund': 1 });
  });

  it('a ref that does not exist is exit 2 naming fetch-depth: 0, and nothing is sent', async () => {
    h = await repoHarness();
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'origin/nope' }, h.io, deps(h));
    expect(code).toBe(2);
    expect(text(h.io.err)).toMatch(/--changed-since origin\/nope: git knows no commit.*fetch-depth: 0/);
    expect(h.sim.counts().total).toBe(0);
  });

  it('a shallow clone without the ref says so and names fetch-depth: 0', async () => {
    h = await repoHarness();
    editSuite(h.dir, 'billing', (doc) => {
      doc.tests[0]!.instructions = 'second commit';
    });
    git(h.dir, 'commit', '-q', '-am', 'second');
    git(h.dir, 'clone', '-q', '--depth', '1', `file://${h.dir}`, 'shallow');
    const shallow = join(h.dir, 'shallow');
    const io = memoryIo({ env: h.env, cwd: shallow });
    const code = await runCommand(['.'], { outDir: h.outDir, changedSince: 'HEAD~1' }, io, deps(h));
    expect(code).toBe(2);
    expect(text(io.err)).toMatch(/no such commit in this clone, which is shallow.*fetch-depth: 0/);
    expect(h.sim.counts().total).toBe(0);
  });
});
