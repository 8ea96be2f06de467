// Deciding within a run, against the simulator: sequential trials trigger only the trials that
// can still change a verdict (runs counted on the simulator), and --against runs the candidate
// and the baseline version side by side and gates on the regressions between them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { testOutcome } from '../../src/outcome.js';
import { evaluate } from '../../src/verdict.js';
import { deps, type Harness, harness, readResults, readRunState, runsPerTest } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Step = 'pass' | 'fail';
const voice = (sequences: Record<string, Step[]>, extra: Record<string, unknown> = {}) =>
  harness({
    suites: [
      {
        suite: 'voice',
        maxDuration: 120,
        tests: Object.keys(sequences).map((name) => ({ name, trials: 5, min_passes: 3 })),
      },
    ],
    scenario: {
      tests: {
        '*': { duration_seconds: 30 },
        ...Object.fromEntries(Object.entries(sequences).map(([n, s]) => [`voice/${n}`, { sequence: s }])),
      },
    },
    ...extra,
  });

describe('sequential trials (trials 5, min_passes 3)', () => {
  it('triggers 3 runs when all pass or all fail, 4 or 5 only when the sequence needs it', async () => {
    h = await voice({
      'all pass': ['pass'],
      'all fail': ['fail'],
      'one more pass': ['pass', 'fail', 'pass', 'pass'],
      'one more fail': ['pass', 'fail', 'fail', 'fail'],
      'to the end': ['pass', 'fail', 'fail', 'pass', 'pass'],
    });
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h));
    const runs = Object.fromEntries(runsPerTest(h.sim));
    expect(runs).toEqual({
      'voice/all pass': 3,
      'voice/all fail': 3,
      'voice/one more pass': 4,
      'voice/one more fail': 4,
      'voice/to the end': 5,
    });
    const results = readResults(h.outDir);
    const byName = Object.fromEntries(results.suites[0]!.tests.map((t) => [t.name, testOutcome(t)]));
    expect(byName['all pass']).toMatchObject({ outcome: 'passed', decidedAfter: 3 });
    expect(byName['all fail']).toMatchObject({ outcome: 'failed', decidedAfter: 3 });
    expect(byName['one more pass']).toMatchObject({ outcome: 'passed', decidedAfter: 4 });
    expect(byName['one more fail']).toMatchObject({ outcome: 'failed', decidedAfter: 4 });
    expect(byName['to the end']?.outcome).toBe('passed');
    expect(byName['to the end']?.decidedAfter).toBeUndefined();
    expect(results.complete).toBe(true);
    expect(results.spent).toMatchObject({ runs: 19, runsSaved: 6 });
    expect(results.spent?.callMinutes).toBeGreaterThanOrEqual(0); // API timestamps: the simulator's are real time
    expect(code).toBe(1); // two tests fail
    const out = h.io.out.join('');
    expect(out).toMatch(/Starting up to 25 runs .*best case 15 runs/);
    const md = readFileSync(join(h.outDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/decided after 3 of 5 trials/);
    // The state keeps no trial it did not trigger, and says how many it saved.
    expect(readRunState(h.outDir).notNeeded).toBe(6);
  });

  it('a suite trial split into per-test triggers never later runs as one suite trigger', async () => {
    // a needs trial 3 first (its own trigger); b needs it later: a suite trigger then would run a again.
    h = await harness({
      suites: [
        {
          suite: 's',
          tests: [
            { name: 'a', trials: 3, min_passes: 2 },
            { name: 'b', trials: 3, min_passes: 2 },
          ],
        },
      ],
      scenario: {
        tests: {
          's/a': { sequence: ['fail', 'pass', 'pass'], duration_seconds: 60 },
          's/b': { sequence: ['pass', 'fail', 'pass'], duration_seconds: 180 },
        },
      },
    });
    expect(await runCommand(['.'], { outDir: h.outDir }, h.io, deps(h))).toBe(0);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 's/a': 3, 's/b': 3 });
    expect(h.io.out.join('')).not.toMatch(/not in the suite files/);
  });

  it('--all-trials runs every trial, with the same verdicts', async () => {
    h = await voice({ 'all pass': ['pass'], 'all fail': ['fail'] });
    const code = await runCommand(['.'], { outDir: h.outDir, allTrials: true }, h.io, deps(h));
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 'voice/all pass': 5, 'voice/all fail': 5 });
    const outcomes = readResults(h.outDir).suites[0]!.tests.map((t) => testOutcome(t).outcome);
    expect(outcomes).toEqual(['passed', 'failed']);
    expect(readResults(h.outDir).spent?.runsSaved).toBe(0);
    expect(code).toBe(1);
  });

  it('--max-call-minutes refuses a run whose worst case exceeds it, before anything is sent', async () => {
    h = await voice({ 'all pass': ['pass'] });
    // 5 trials × 120 s = 10 call minutes at worst.
    const code = await runCommand(['.'], { outDir: h.outDir, maxCallMinutes: 9 }, h.io, deps(h));
    expect(code).toBe(2);
    expect(h.io.err.join('')).toMatch(/10 call minutes at worst.*--max-call-minutes 9/);
    expect(runsPerTest(h.sim).size).toBe(0);
  });
});

const A = 'assistant-7f3c9b2e';
const MAIN = '0b7e6f3a-main';
const WARMER = '5c8d9e0f-warmer';
const SHORTER = '9f1e2d3c-shorter';
const REFUNDS = {
  suite: 'refunds',
  tests: ['Damaged product refund', 'Late delivery refund'].map((name) => ({
    name,
    rubric: ['Policy accuracy', 'Empathy'],
  })),
};

/** The demo scenario's versions: "Shorter answers" fails every refunds test on policy accuracy. */
const withVersions = (suites = [REFUNDS], extra: Record<string, unknown> = {}) =>
  harness({
    suites,
    scenario: {
      tests: { '*': { outcome: 'pass', duration_seconds: 30 }, ...extra },
      assistants: [
        {
          id: A,
          versions: [
            { id: MAIN, name: 'April prompt', main: true },
            { id: WARMER, name: 'Warmer tone' },
            {
              id: SHORTER,
              name: 'Shorter answers',
              tests: { 'refunds/*': { criteria: { 'Policy accuracy': 'fail' } } },
            },
          ],
        },
      ],
    },
  });

/** Runs per destination version, from the simulator's record. */
const runsByVersion = (hh: Harness): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of hh.sim.state.runs.values()) {
    const v = r.destination_version_id ?? '(none)';
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
};

describe('--against main', () => {
  it('a regressing version fails the gate (exit 1) and names the flipped criterion', async () => {
    h = await withVersions();
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: SHORTER, against: 'main', assistant: A, failOnRegression: true },
      h.io,
      deps(h),
    );
    expect(code).toBe(1);
    // Both sides ran every test once, the baseline on main's explicit id.
    expect(runsByVersion(h)).toEqual({ [SHORTER]: 2, [MAIN]: 2 });
    const results = readResults(h.outDir);
    expect(results.against).toEqual({ versionId: MAIN, label: 'main' });
    const ev = evaluate(results);
    expect(ev.verdict).toBe('failed');
    expect(ev.baseline?.regressions.map((r) => r.test)).toEqual([
      'Damaged product refund',
      'Late delivery refund',
    ]);
    expect(ev.against?.rows[0]).toMatchObject({
      change: 'regression',
      baseline: { outcome: 'passed' },
      candidate: { outcome: 'failed' },
      flipped: [{ name: 'Policy accuracy', before: 'passed', after: 'failed' }],
    });
    expect(h.io.out.join('')).toMatch(/Against main \(version 0b7e6f3a-main\)/);
    const md = readFileSync(join(h.outDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/Policy accuracy/);
    expect(md).toMatch(/passed → failed/);
    // report --from reproduces the verdict from results.json alone (both sides are stored).
    expect(evaluate(readResults(h.outDir)).reasons).toEqual(ev.reasons);
  });

  it('a harmless version passes (exit 0), with both sides run', async () => {
    h = await withVersions();
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: WARMER, against: 'main', assistant: A, failOnRegression: true },
      h.io,
      deps(h),
    );
    expect(code).toBe(0);
    expect(runsByVersion(h)).toEqual({ [WARMER]: 2, [MAIN]: 2 });
    expect(evaluate(readResults(h.outDir)).baseline?.regressions).toEqual([]);
  });

  it('gives each side its own Idempotency-Keys, and --max-runs counts both sides', async () => {
    h = await withVersions();
    const refused = await runCommand(
      ['.'],
      { outDir: h.outDir, version: WARMER, against: 'main', assistant: A, maxRuns: 3 },
      h.io,
      deps(h),
    );
    expect(refused).toBe(2);
    expect(h.io.err.join('')).toMatch(/would start 4 runs, more than --max-runs 3/);
    const code = await runCommand(
      ['.'],
      { outDir: h.outDir, version: WARMER, against: 'main', assistant: A, grep: 'Damaged' },
      h.io,
      deps(h),
    );
    expect(code).toBe(0);
    const keys = readRunState(h.outDir).work.map((w) => w.key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
  });

  it.each([
    // Every trial runs on both sides (no sequential early stop): 3/3 against 0/3 is p = 1/20,
    // significant at 0.05; stopped at 2 of 3 once decided, 2/2 against 0/2 (p = 1/6) was not.
    [3, 2, 0.05],
    [5, 3, 1 / 252],
  ])(
    'with trials %i (min_passes %i), every trial runs on both sides and a clear regression is significant (p = %d)',
    async (trials, minPasses, p) => {
      h = await withVersions([
        {
          suite: 'refunds',
          tests: [
            {
              name: 'Damaged product refund',
              trials,
              min_passes: minPasses,
              rubric: ['Policy accuracy'],
            } as never,
          ],
        },
      ]);
      const code = await runCommand(
        ['.'],
        { outDir: h.outDir, version: SHORTER, against: 'main', assistant: A, failOnRegression: true },
        h.io,
        deps(h),
      );
      expect(code).toBe(1);
      expect(runsByVersion(h)).toEqual({ [SHORTER]: trials, [MAIN]: trials });
      const row = evaluate(readResults(h.outDir)).against?.rows[0];
      expect(row?.change).toBe('regression');
      expect(row?.pValue).toBeCloseTo(p, 6);
    },
  );

  it('refuses --against main without --assistant, and without --version (exit 2, nothing sent)', async () => {
    h = await withVersions();
    expect(
      await runCommand(['.'], { outDir: h.outDir, version: WARMER, against: 'main' }, h.io, deps(h)),
    ).toBe(2);
    expect(h.io.err.join('')).toMatch(/--against main needs --assistant/);
    expect(await runCommand(['.'], { outDir: h.outDir, against: 'main', assistant: A }, h.io, deps(h))).toBe(
      2,
    );
    expect(h.io.err.join('')).toMatch(/pass --version <id> too/);
    expect(
      await runCommand(
        ['.'],
        { outDir: h.outDir, version: MAIN, against: 'main', assistant: A },
        h.io,
        deps(h),
      ),
    ).toBe(2);
    expect(h.io.err.join('')).toMatch(/already the main version/);
    expect(h.sim.state.runs.size).toBe(0);
  });
});

describe('promote --against main', () => {
  const PROMOTE = 'POST /ai/assistants/{assistant_id}/versions/{version_id}/promote';

  it('promotes only when nothing regressed against main in the same run', async () => {
    const { promoteCommand } = await import('../../src/commands/promote.js');
    h = await withVersions();
    const bad = await promoteCommand(
      ['.'],
      { outDir: h.outDir, assistant: A, version: SHORTER, against: 'main' },
      h.io,
      deps(h),
    );
    expect(bad, h.io.err.join('')).toBe(1);
    expect(h.sim.counts().byEndpoint[PROMOTE] ?? 0).toBe(0);
    expect(readResults(h.outDir).promotion?.status).toBe('skipped');
    const good = await promoteCommand(
      ['.'],
      { outDir: h.outDir, assistant: A, version: WARMER, against: 'main' },
      h.io,
      deps(h),
    );
    expect(good).toBe(0);
    expect(h.sim.counts().byEndpoint[PROMOTE]).toBe(1);
    expect(readResults(h.outDir).promotion?.status).toBe('done');
  });
});
