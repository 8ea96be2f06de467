// Combine shard results (one results.json per CI matrix job) into one Results. Pure.
// GitHub Actions is the distributed engine; this is the reduce step.
import { UsageError } from './errors.js';
import { tightenOverrides } from './gate.js';
import type { Results, SuiteResult, TestResult } from './results.js';

export interface ShardInput {
  /** Where the shard came from (a file path), for error messages. */
  source: string;
  results: Results;
}

const sameGate = (a: SuiteResult['gate'], b: SuiteResult['gate']) =>
  a.minPassRate === b.minPassRate && a.maxErrors === b.maxErrors && a.failOnRegression === b.failOnRegression;

const byTime = (pick: (a: number, b: number) => number, xs: readonly string[]): string => {
  const valid = xs.filter((x) => Number.isFinite(Date.parse(x)));
  if (valid.length === 0) return xs[0] ?? '';
  const ms = valid.map((x) => Date.parse(x)).reduce((a, b) => pick(a, b));
  return new Date(ms).toISOString();
};

/**
 * Suites are merged by name, tests by name within a suite (first-seen order). A test that
 * ran in two shards is an error (the shards overlap); a test skipped in one shard and run in
 * another resolves to the run. The merge is complete only when every shard is.
 */
export function mergeResults(shards: readonly ShardInput[]): Results {
  const first = shards[0];
  if (!first) throw new UsageError('merge needs at least one results file');

  const versions = new Set(shards.map((s) => s.results.versionId ?? '(main)'));
  if (versions.size > 1) {
    throw new UsageError(
      `cannot merge runs against different assistant versions: ${shards.map((s) => `${s.source}: ${s.results.versionId ?? '(main)'}`).join(', ')}`,
    );
  }

  const suites = new Map<
    string,
    { suite: SuiteResult; source: string; tests: Map<string, { test: TestResult; source: string }> }
  >();
  for (const { source, results } of shards) {
    for (const suite of results.suites) {
      let into = suites.get(suite.name);
      if (!into) {
        into = { suite, source, tests: new Map() };
        suites.set(suite.name, into);
      } else if (into.suite.file !== suite.file || !sameGate(into.suite.gate, suite.gate)) {
        throw new UsageError(
          `suite "${suite.name}" differs between ${into.source} and ${source} (file or gate settings): were the shards run from the same commit?`,
        );
      }
      for (const test of suite.tests) {
        const seen = into.tests.get(test.name);
        if (seen && !seen.test.skipped && !test.skipped) {
          throw new UsageError(
            `test "${suite.name} › ${test.name}" ran in two shards (${seen.source} and ${source}): shards must not overlap`,
          );
        }
        if (!seen || (seen.test.skipped && !test.skipped)) into.tests.set(test.name, { test, source });
      }
    }
  }

  const complete = shards.every((s) => s.results.complete);
  const reasons = shards.flatMap((s) =>
    s.results.complete ? [] : [`${s.source}: ${s.results.incompleteReason ?? 'the run did not finish'}`],
  );
  const merged: Results = {
    schema: first.results.schema,
    tool: first.results.tool,
    startedAt: byTime(
      (a, b) => Math.min(a, b),
      shards.map((s) => s.results.startedAt),
    ),
    finishedAt: byTime(
      (a, b) => Math.max(a, b),
      shards.map((s) => s.results.finishedAt),
    ),
    complete,
    suites: [...suites.values()].map(({ suite, tests }) => ({
      ...suite,
      tests: [...tests.values()].map((t) => t.test),
    })),
  };
  if (first.results.versionId !== undefined) merged.versionId = first.results.versionId;
  if (!complete) merged.incompleteReason = reasons.join('; ');
  // Shards should agree; the tightest is the safe union.
  const overrides = tightenOverrides(...shards.map((s) => s.results.gateOverrides));
  if (overrides) merged.gateOverrides = overrides;
  return merged;
}
