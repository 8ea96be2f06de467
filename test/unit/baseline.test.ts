import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareWithBaseline } from '../../src/baseline.js';
import { decide } from '../../src/commands/report.js';
import { UsageError } from '../../src/errors.js';
import { parseResults, readResultsFile } from '../../src/results-file.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, fail, loadFixture, pass, results, suite, testResult } from './helpers/results.js';

describe('compareWithBaseline', () => {
  const now = loadFixture('all-outcomes.json');
  const base = loadFixture('baseline.json');

  it('marks regressions, fixes and new tests per test', () => {
    const c = compareWithBaseline(now, base);
    expect(c.regressions.map((t) => t.test)).toEqual(['Damaged product refund', 'Store credit offer']);
    expect(c.fixed.map((t) => t.test)).toEqual(['Autopay setup']);
    expect(c.new.map((t) => t.test)).toEqual(['Goodbye']);
    // skipped now: not compared; errors are not regressions.
    expect(c.tests.find((t) => t.test === 'Refund by phone')).toBeUndefined();
    expect(c.tests.find((t) => t.test === 'Balance inquiry')).toMatchObject({
      before: 'passed',
      after: 'error',
      change: 'unchanged',
    });
  });

  it('marks criterion regressions, including in tests that still pass', () => {
    const c = compareWithBaseline(now, base);
    expect(c.criterionRegressions).toEqual([
      { suite: 'refunds', test: 'Damaged product refund', criterion: 'Accuracy' },
      { suite: 'refunds', test: 'Damaged product refund', criterion: 'Empathy' },
      { suite: 'refunds', test: 'Store credit offer', criterion: 'Accuracy' },
    ]);
    const autopay = c.tests.find((t) => t.test === 'Autopay setup');
    expect(autopay?.criteria).toEqual([
      { name: 'Accuracy', change: 'fixed', before: 'failed', after: 'passed' },
      { name: 'Empathy', change: 'unchanged', before: 'passed', after: 'passed' },
    ]);
    // One optional failure in 1 of 3 trials (min_passes 2) is not a criterion regression.
    const partial = c.tests.find((t) => t.test === 'Partial refund');
    expect(partial?.criteria.every((x) => x.change === 'unchanged')).toBe(true);

    // The API can pass a run while an optional criterion fails: the test still passes,
    // and the criterion regression is still reported.
    const quiet = compareWithBaseline(
      results([
        suite('s', [testResult('t', [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'failed' })])]),
      ]),
      results([suite('s', [pass('t')])]),
    );
    expect(quiet.tests[0]).toMatchObject({ change: 'unchanged', after: 'passed' });
    expect(quiet.criterionRegressions).toEqual([{ suite: 's', test: 't', criterion: 'Empathy' }]);
  });

  it('feeds fail_on_regression through evaluate', () => {
    const ev = evaluate(now, { baseline: base });
    expect(ev.baseline?.regressions.map((r) => r.test)).toEqual([
      'Damaged product refund',
      'Store credit offer',
    ]);
    expect(ev.reasons).toContain(
      'refunds › Store credit offer: regression (passed in the baseline, fails now)',
    );
    // billing does not set fail_on_regression: its fix/new do not matter to its gate.
    const plain = evaluate(now);
    expect(plain.baseline).toBeUndefined();
    expect(plain.reasons.some((r) => r.includes('regression'))).toBe(false);
    expect(plain.warnings).toEqual([
      'refunds: fail_on_regression is set but no baseline was given; regressions not checked',
    ]);
  });

  it('a test that was skipped in the baseline counts as new', () => {
    const c = compareWithBaseline(
      results([suite('s', [fail('t')])]),
      results([suite('s', [testResult('t', [], { skipped: true })])]),
    );
    expect(c.tests[0]).toMatchObject({ change: 'new', after: 'failed' });
    expect(c.regressions).toEqual([]);
  });

  it('flaky in the baseline then failed is a regression; error then passed is not a fix', () => {
    const flaky = testResult('t', [
      attempt(1, 'error'),
      attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }, { retry: 1 }),
    ]);
    expect(
      compareWithBaseline(results([suite('s', [fail('t')])]), results([suite('s', [flaky])])).regressions,
    ).toHaveLength(1);
    const err = testResult('t', [attempt(1, 'error')]);
    expect(
      compareWithBaseline(results([suite('s', [pass('t')])]), results([suite('s', [err])])).tests[0]?.change,
    ).toBe('unchanged');
  });
});

describe('parseResults / readResultsFile', () => {
  const valid = JSON.stringify(results([suite('s', [pass('t')])]), null, 2);

  it('round-trips a valid file', () => {
    expect(parseResults(valid, 'r.json').suites[0]?.tests[0]?.name).toBe('t');
  });

  it('locates a bad field at file:line:col with its path', () => {
    const bad = valid.replace('"trials": 1', '"trials": 0');
    const line = bad.split('\n').findIndex((l) => l.includes('"trials": 0')) + 1;
    const err = (() => {
      try {
        parseResults(bad, 'out/results.json');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain(`out/results.json:${line}:`);
    expect((err as Error).message).toContain('suites[0].tests[0].trials');
  });

  it('points a missing field at its parent object', () => {
    const data = JSON.parse(valid);
    delete data.suites[0].tests[0].attempts;
    const text = JSON.stringify(data, null, 2);
    expect(() => parseResults(text, 'r.json')).toThrow(/r\.json:\d+:\d+: suites\[0\]\.tests\[0\]\.attempts/);
  });

  it('rejects another schema and invalid JSON with a location', () => {
    expect(() =>
      parseResults(valid.replace('rubric-gate/results@1', 'rubric-gate/results@2'), 'r.json'),
    ).toThrow(
      'r.json: not a rubric-gate results file: expected schema "rubric-gate/results@1", found schema "rubric-gate/results@2"; was it written by another rubric-gate version?',
    );
    expect(() => parseResults('{"name": "x"}', 'package.json')).toThrow('found no "schema" field');
    expect(() => parseResults('{\n  "a": 1,\n}', 'bad.json')).toThrow(/bad\.json:3:1: not valid JSON/);
  });

  it('reads files and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-baseline-'));
    writeFileSync(join(dir, 'r.json'), valid);
    expect((await readResultsFile(join(dir, 'r.json'))).complete).toBe(true);
    await expect(readResultsFile(join(dir, 'nope.json'), 'nope.json')).rejects.toThrow(
      'nope.json: no such file',
    );
  });
});

describe('a test renamed since the baseline (renamed_from)', () => {
  it('is compared under its former name: a regression, not a new test', () => {
    const gate = { minPassRate: 0.5, failOnRegression: true };
    const old = results([suite('s', [pass('Old name'), pass('other')], gate)]);
    const renamed = { ...fail('New name'), renamedFrom: ['Older name', 'Old name'] };
    const now = results([suite('s', [renamed, pass('other')], gate)]);
    const { evaluation } = decide(now, {}, { results: old, source: 'old.json' });
    expect(evaluation.suites[0]?.tests.map((t) => [t.test, t.change])).toEqual([
      ['New name', 'regression'],
      ['other', 'unchanged'],
    ]);
    expect(evaluation.verdict).toBe('failed');
  });
});
