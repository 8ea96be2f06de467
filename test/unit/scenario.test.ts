// The scenario loader (located errors for bad files) and the pure outcome planning it feeds.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForError, formatProblem, SuiteFileError, UsageError } from '../../src/errors.js';
import { loadScenario, parseScenarioText, ScenarioFileError } from '../../src/simulator/index.js';
import { layer, matchingEntries, planRun } from '../../src/simulator/outcome.js';
import type { TestEntries } from '../../src/simulator/scenario.js';

/** The problems parseScenarioText reports for text, formatted file:line:col: message. */
function problems(text: string): string[] {
  try {
    parseScenarioText(text, 'bad.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioFileError);
    return (err as ScenarioFileError).problems.map(formatProblem);
  }
  throw new Error('expected the scenario to be rejected');
}

const rubric = [
  { name: 'Accuracy', criteria: 'a' },
  { name: 'Empathy', criteria: 'b' },
];

describe('loadScenario', () => {
  it('loads the demo scenario, and its keyed tests plan as documented', async () => {
    const sc = await loadScenario(new URL('../../suites/demo.scenario.yaml', import.meta.url).pathname);
    expect(sc.clock_scale).toBe(60);
    expect(sc.assistants[0]?.versions.find((v) => v.main)?.name).toBe('April prompt');
    const plan = (key: string, runIndex = 0, versionTests?: TestEntries, testRubric = rubric) =>
      planRun({
        seed: sc.seed,
        tests: sc.tests,
        ...(versionTests ? { versionTests } : {}),
        key,
        rubric: testRubric,
        runIndex,
      });
    expect(plan('refunds/Some new test').outcome).toBe('pass');
    expect(plan('refunds/Damaged product refund').durationSeconds).toBe(90);
    const booking = 'appointments/Book a new patient appointment';
    expect([0, 1, 2, 3].map((i) => plan(booking, i).outcome)).toEqual(['pass', 'fail', 'pass', 'pass']);
    expect(plan(booking).durationSeconds).toBe(120);
    const bad = sc.assistants[0]?.versions.find((v) => v.tests)?.tests;
    const policy = [{ name: 'Policy accuracy', criteria: 'p' }, ...rubric];
    const regressed = plan('refunds/Refund outside the return window', 0, bad, policy);
    expect(regressed.outcome).toBe('fail');
    expect(regressed.detail).toContainEqual({ name: 'Policy accuracy', status: 'failed' });
    // The refunds test without that criterion is not failed by it.
    expect(plan('refunds/Refund status lookup', 0, bad).outcome).toBe('pass');
  });

  it('reads JSON too, with locations', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scenario-'));
    const file = join(dir, 's.json');
    await writeFile(file, '{\n  "seed": 3,\n  "tests": { "*": { "outcome": "maybe" } }\n}\n');
    const err = await loadScenario(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioFileError);
    expect((err as ScenarioFileError).problems.map(formatProblem)).toEqual([
      `${file}:3:32: tests."*".outcome: must be one of pass, fail, error, hang`,
    ]);
    await writeFile(file, '{"seed": 3}');
    expect((await loadScenario(file)).tests).toEqual({ '*': { outcome: 'pass' } });
  });

  it('a missing file is a usage error naming the path', async () => {
    const err = await loadScenario('/nonexistent/demo.yaml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(String(err)).toContain('/nonexistent/demo.yaml');
  });

  it('bad files are located errors with exit code 2', () => {
    let err: unknown;
    try {
      parseScenarioText('seed: x\n', 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SuiteFileError);
    expect(exitCodeForError(err)).toBe(EXIT.usage);
    expect(String((err as Error).message)).toMatch(/^1 problem in scenario file:\nbad\.yaml:1:7: seed: /);
  });

  it('reports YAML syntax errors at their position', () => {
    expect(problems('tests:\n  "*": { outcome: pass\n')[0]).toMatch(/^bad\.yaml:3:1: YAML syntax: /);
    expect(problems('seed: 1\nseed: 2\n')[0]).toMatch(/^bad\.yaml:2:1: YAML syntax: .*unique/i);
  });

  it('reports unknown keys at the key, with a suggestion', () => {
    expect(problems('tests:\n  "refunds/*":\n    outcom: pass\n')).toEqual([
      'bad.yaml:3:5: tests."refunds/*".outcom: unknown key (did you mean "outcome"?)',
    ]);
    expect(problems('clockscale: 5\n')).toEqual([
      'bad.yaml:1:1: clockscale: unknown key (did you mean "clock_scale"?)',
    ]);
    expect(problems('assistants:\n  - id: a\n    verisons: []\n')).toContain(
      'bad.yaml:3:5: assistants[0].verisons: unknown key (did you mean "versions"?)',
    );
  });

  it('reports every value problem at once', () => {
    const text = [
      'clock_scale: 0', // 1
      'tests:', // 2
      '  "*":', // 3
      '    outcome: pass', // 4
      '    sequence: [pass]', // 5
      '  "a/b":', // 6
      '    probability: 1.5', // 7
      '    criteria: { Empathy: maybe }', // 8
    ].join('\n');
    expect(problems(text)).toEqual([
      'bad.yaml:1:14: clock_scale: Too small: expected number to be >0',
      'bad.yaml:5:15: tests."*".sequence: set only one of outcome, probability or sequence (found outcome and sequence)',
      'bad.yaml:7:18: tests."a/b".probability: Too big: expected number to be <=1',
      'bad.yaml:8:26: tests."a/b".criteria.Empathy: must be one of pass, fail',
    ]);
  });

  it('requires versions on an assistant', () => {
    expect(problems('assistants:\n  - id: a\n    name: A\n')).toEqual([
      'bad.yaml:2:5: assistants[0].versions: is required (array)',
    ]);
  });

  it('checks assistants: ids, one main, canary rules against the versions', () => {
    const text = [
      'assistants:', // 1
      '  - id: a', // 2
      '    versions:', // 3
      '      - { id: v1, main: true }', // 4
      '      - { id: v2, main: true }', // 5
      '    canary:', // 6
      '      rules:', // 7
      '        - serve: { rollout: [{ version_id: v9, weight: 100 }] }', // 8
      '  - id: b', // 9
      '    versions:', // 10
      '      - id: v1', // 11
    ].join('\n');
    expect(problems(text)).toEqual([
      'bad.yaml:5:25: assistants[0].versions[1].main: assistant a has more than one main version',
      'bad.yaml:8:29: assistants[0].canary.rules[0].serve.rollout: rollout weights must sum to less than 100 (the rest goes to main), got 100',
      'bad.yaml:8:44: assistants[0].canary.rules[0].serve.rollout[0].version_id: version v9 does not exist',
      'bad.yaml:11:13: assistants[1].versions[0].id: duplicate version id v1',
    ]);
  });
});

describe('outcome planning', () => {
  it('orders matching entries from least to most specific (ties: file order), exact last', () => {
    const entries = {
      'refunds/Damaged': { outcome: 'error' as const },
      '*': { outcome: 'pass' as const },
      'refunds/*': { outcome: 'fail' as const },
      '*/Damaged': { outcome: 'hang' as const },
      'other/*': { outcome: 'fail' as const },
    };
    expect(matchingEntries(entries, 'refunds/Damaged').map((e) => e.outcome)).toEqual([
      'pass',
      'fail',
      'hang',
      'error',
    ]);
    expect(matchingEntries(entries, 'a.b/c').map((e) => e.outcome)).toEqual(['pass']);
  });

  it('layers criteria by name; a criteria-only layer decides the outcome from its criteria', () => {
    expect(layer({ outcome: 'pass', duration_seconds: 5 }, { criteria: { Empathy: 'fail' } })).toEqual({
      criteria: { Empathy: 'fail' },
      duration_seconds: 5,
    });
    expect(layer({ sequence: ['error', 'pass'], criteria: { A: 'fail' } }, { duration_seconds: 9 })).toEqual({
      sequence: ['error', 'pass'],
      criteria: { A: 'fail' },
      duration_seconds: 9,
    });
    expect(
      layer({ criteria: { A: 'fail', B: 'pass' } }, { outcome: 'pass', criteria: { B: 'fail' } }),
    ).toEqual({
      outcome: 'pass',
      criteria: { A: 'fail', B: 'fail' },
    });
  });

  it('plans per-criterion results for each outcome', () => {
    const plan = (entry: object) =>
      planRun({ seed: 1, tests: { '*': entry as never }, key: 's/t', rubric, runIndex: 0 });
    expect(plan({}).detail).toEqual([
      { name: 'Accuracy', status: 'passed' },
      { name: 'Empathy', status: 'passed' },
    ]);
    expect(plan({ outcome: 'fail', criteria: { Accuracy: 'pass' } }).detail).toEqual([
      { name: 'Accuracy', status: 'passed' },
      { name: 'Empathy', status: 'failed' },
    ]);
    expect(plan({ outcome: 'error' }).detail).toBeUndefined();
    expect(plan({ outcome: 'error', criteria: { Empathy: 'fail' } }).detail).toEqual([
      { name: 'Empathy', status: 'failed' },
    ]);
    expect(plan({ outcome: 'hang' })).toEqual({ outcome: 'hang', durationSeconds: 60 });
  });

  it('a failing criterion the test does not have is ignored, for the outcome too', () => {
    // e.g. a version entry "refunds/*" failing a criterion only some refunds tests have
    const run = planRun({
      seed: 1,
      tests: { '*': { criteria: { Policy: 'fail' } } },
      key: 's/t',
      rubric,
      runIndex: 0,
    });
    expect(run.outcome).toBe('pass');
    expect(run.detail?.every((d) => d.status === 'passed')).toBe(true);
  });

  it('draws probabilities from (seed, test, version, run index) only', () => {
    const draw = (seed: number, key: string, runIndex: number, versionId?: string) =>
      planRun({
        seed,
        tests: { '*': { probability: 0.5 } },
        key,
        rubric,
        runIndex,
        ...(versionId ? { versionId } : {}),
      }).outcome;
    const keys = Array.from({ length: 40 }, (_, i) => `s/t${i}`);
    const a = keys.map((k) => draw(1, k, 0));
    expect(keys.map((k) => draw(1, k, 0))).toEqual(a);
    expect(a).toContain('pass');
    expect(a).toContain('fail');
    expect(keys.map((k) => draw(2, k, 0))).not.toEqual(a);
    expect(keys.map((k) => draw(1, k, 1))).not.toEqual(a);
    expect(keys.map((k) => draw(1, k, 0, 'v2'))).not.toEqual(a);
  });
});
