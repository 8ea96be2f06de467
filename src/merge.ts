// Combine shard results (one results.json per CI matrix job) into one Results. Pure.
// GitHub Actions is the distributed engine; this is the reduce step.
import { combineBaselines } from './baseline.js';
import { UsageError } from './errors.js';
import { tightenOverrides } from './gate.js';
import type { Results, SuiteResult, TestResult } from './results.js';
import { OTHER_SHARD } from './run/select.js';

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

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const listShards = (xs: readonly number[], total: number) => xs.map((i) => `${i}/${total}`).join(', ');

/**
 * Check that shard files fit together and say which shards are missing. Files of `run --shard
 * I/N` must all be shards of one split: the same N, suite definitions (fingerprint), filters and
 * assistant version, each index at most once (else a usage error, exit 2). Indexes never seen
 * are returned: their tests have no results, so the merge is incomplete (exit 3). Files without
 * shard info are separate runs (e.g. one job per suite folder): merged as they are, but never
 * mixed with shard files.
 */
export function checkShards(shards: readonly ShardInput[]): { total: number; missing: number[] } | undefined {
  const sharded = shards.filter((s) => s.results.shard !== undefined);
  if (sharded.length === 0) return undefined;
  const name = (s: ShardInput) =>
    `${s.source} (${s.results.shard ? `shard ${s.results.shard.index}/${s.results.shard.total}` : 'no shard'})`;
  if (sharded.length < shards.length) {
    throw new UsageError(
      `cannot merge shard results with results of whole runs: ${shards.map(name).join(', ')}. Merge the files of one --shard I/N split.`,
    );
  }
  const differ = (what: string, of: (s: ShardInput) => string) => {
    if (unique(shards.map(of)).length > 1) {
      throw new UsageError(
        `the shards differ in ${what}: ${shards.map((s) => `${s.source}: ${of(s)}`).join(', ')}. Were they run from the same commit with the same flags?`,
      );
    }
  };
  differ('their number (N of --shard I/N)', (s) => String(s.results.shard?.total));
  differ('suite definitions (fingerprint)', (s) => s.results.shard?.fingerprint ?? '(not recorded)');
  differ('filters', (s) => s.results.shard?.filters || '(none)');
  const total = sharded[0]?.results.shard?.total ?? 1;
  const seen = new Map<number, string>();
  for (const s of sharded) {
    const index = s.results.shard?.index ?? 0;
    const other = seen.get(index);
    if (other !== undefined) {
      throw new UsageError(`shard ${index}/${total} is there twice: ${other} and ${s.source}`);
    }
    seen.set(index, s.source);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  return { total, missing };
}

/**
 * Suites are merged by name, tests by name within a suite (first-seen order). A test that
 * ran in two shards is an error (the shards overlap); a test skipped in one shard and run in
 * another resolves to the run. The merge is complete only when every shard is there and is.
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
  // The in-run baseline gates too (--against regressions, its missing verdicts): one for all.
  const baselines = new Set(shards.map((s) => s.results.against?.versionId ?? '(none)'));
  if (baselines.size > 1) {
    throw new UsageError(
      `cannot merge runs compared with different in-run baselines (--against): ${shards.map((s) => `${s.source}: ${s.results.against?.versionId ?? '(none)'}`).join(', ')}`,
    );
  }

  // Before the tests: a shard given twice is named as such, not as overlapping tests.
  const split = checkShards(shards);
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

  if (split && split.missing.length > 0) {
    // Skipped by every shard present only because a missing shard runs it: it has no verdict,
    // not a skip (a skip reads as green in every JUnit consumer, and gates nothing).
    for (const { tests } of suites.values()) {
      for (const [name, entry] of tests) {
        if (!entry.test.skipped || !entry.test.skipReason?.startsWith(OTHER_SHARD)) continue;
        const { skipReason: _, ...test } = entry.test;
        tests.set(name, { ...entry, test: { ...test, skipped: false, attempts: [] } });
      }
    }
  }
  const complete = shards.every((s) => s.results.complete) && (split?.missing.length ?? 0) === 0;
  const reasons = shards.flatMap((s) =>
    s.results.complete ? [] : [`${s.source}: ${s.results.incompleteReason ?? 'the run did not finish'}`],
  );
  if (split && split.missing.length > 0) {
    const candidates = first.results.shard?.candidates;
    const ran = shards.reduce(
      (n, s) => n + s.results.suites.reduce((k, x) => k + x.tests.filter((t) => !t.skipped).length, 0),
      0,
    );
    const tests =
      candidates === undefined ? '' : ` (${candidates - ran} of the ${candidates} selected tests)`;
    reasons.unshift(
      `shard${split.missing.length === 1 ? '' : 's'} ${listShards(split.missing, split.total)} missing${tests}: no results file for ${split.missing.length === 1 ? 'it' : 'them'}`,
    );
  }
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
  if (first.results.versionName !== undefined) merged.versionName = first.results.versionName;
  // Each test's againstAttempts came with it; the comparison (and its missing baseline
  // verdicts) applies only when the merged results say which version they ran on.
  if (first.results.against !== undefined) merged.against = first.results.against;
  const spent = shards.map((s) => s.results.spent);
  if (spent.every((x) => x !== undefined)) {
    merged.spent = spent.reduce((a, b) => ({
      runs: a.runs + b.runs,
      callMinutes: a.callMinutes + b.callMinutes,
      runsSaved: a.runsSaved + b.runsSaved,
    }));
  }
  const fingerprints = unique(shards.map((s) => s.results.fingerprint ?? s.results.shard?.fingerprint));
  if (fingerprints.length === 1 && fingerprints[0] !== undefined) merged.fingerprint = fingerprints[0];
  if (shards.every((s) => s.results.passWithNoTests)) merged.passWithNoTests = true;
  // Each shard compared with its --baseline; together they compare with all of them.
  const baseline = combineBaselines(...shards.map((s) => s.results.baseline));
  if (baseline) merged.baseline = baseline;
  if (!complete) merged.incompleteReason = reasons.join('; ');
  // Shards should agree; the tightest is the safe union.
  const overrides = tightenOverrides(...shards.map((s) => s.results.gateOverrides));
  if (overrides) merged.gateOverrides = overrides;
  // --no-quarantine only tightens: one shard gating on quarantined tests gates the merge on them.
  if (shards.some((s) => s.results.noQuarantine)) merged.noQuarantine = true;
  return merged;
}
