// Builders for Results objects in unit tests, and the shared fixtures.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Attempt, Results, type SuiteResult, type TestResult } from '../../../src/results.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'results');

export const loadFixture = (name: string): Results =>
  Results.parse(JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')));

type Crit = Record<string, 'passed' | 'failed'>;

export function attempt(
  trial: number,
  status: Attempt['status'],
  criteria: Crit = {},
  extra: Partial<Attempt> = {},
): Attempt {
  return {
    trial,
    retry: 0,
    status,
    criteria: Object.entries(criteria).map(([name, s]) => ({ name, status: s })),
    durationMs: 1000,
    ...extra,
  };
}

export function testResult(name: string, attempts: Attempt[], extra: Partial<TestResult> = {}): TestResult {
  return {
    name,
    file: 'suites/s.yaml',
    line: 1,
    tags: [],
    criteria: [
      { name: 'Accuracy', required: true },
      { name: 'Empathy', required: false },
    ],
    trials: 1,
    minPasses: 1,
    skipped: false,
    attempts,
    ...extra,
  };
}

export const pass = (name: string, extra: Partial<TestResult> = {}) =>
  testResult(name, [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' })], extra);
export const fail = (
  name: string,
  crit: Crit = { Accuracy: 'passed', Empathy: 'failed' },
  extra: Partial<TestResult> = {},
) => testResult(name, [attempt(1, 'failed', crit)], extra);
export const errored = (name: string, status: Attempt['status'] = 'error') =>
  testResult(name, [attempt(1, status)]);

export function suite(
  name: string,
  tests: TestResult[],
  gate: Partial<SuiteResult['gate']> = {},
): SuiteResult {
  return {
    name,
    file: `suites/${name}.yaml`,
    gate: { minPassRate: 1, maxErrors: 0, failOnRegression: false, ...gate },
    tests,
  };
}

export function results(suites: SuiteResult[], extra: Partial<Results> = {}): Results {
  return {
    schema: 'rubric-gate/results@1',
    tool: { name: 'rubric-gate', version: '0.1.0' },
    startedAt: '2026-03-01T10:00:00.000Z',
    finishedAt: '2026-03-01T10:05:00.000Z',
    complete: true,
    suites,
    ...extra,
  };
}

/**
 * A `run --against main` of v-cand in which test b regressed: both passed on main, b fails now
 * on a criterion. `gate` is suite s's (fail_on_regression on by default).
 */
export function regressedAgainstMain(gate: Partial<SuiteResult['gate']> = {}): Results {
  const basePass = [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' })];
  return results(
    [
      suite(
        's',
        [
          pass('a', { againstAttempts: basePass }),
          fail('b', { Accuracy: 'passed', Empathy: 'failed' }, { againstAttempts: basePass }),
        ],
        { failOnRegression: true, ...gate },
      ),
    ],
    { against: { versionId: 'v-main', label: 'main' }, versionId: 'v-cand' },
  );
}

/** A large run: `suites` suites of `perSuite` tests, every outcome kind, with logs. */
export function bigResults(suites = 20, perSuite = 100, logChars = 2000): Results {
  const log = 'Customer: hello | <b>there</b>\nAssistant: how can I help?\n'
    .repeat(Math.ceil(logChars / 60))
    .slice(0, logChars);
  return results(
    Array.from({ length: suites }, (_, s) =>
      suite(
        `suite ${s + 1}`,
        Array.from({ length: perSuite }, (_, i) => {
          const name = `test ${s + 1}.${i + 1} handles a realistic customer request`;
          const extra = { runId: `run-${s}-${i}`, conversationId: `conv-${s}-${i}`, logs: log };
          if (i % 50 === 7)
            return testResult(name, [attempt(1, 'failed', { Accuracy: 'failed', Empathy: 'passed' }, extra)]);
          if (i % 50 === 13)
            return testResult(name, [attempt(1, 'timeout', {}, { ...extra, message: 'no verdict in 330s' })]);
          if (i % 50 === 21) return testResult(name, [], { skipped: true, skipReason: '--grep' });
          return testResult(name, [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }, extra)]);
        }),
        { minPassRate: 0.9, maxErrors: 5 },
      ),
    ),
  );
}
