// Decides how one run ends, from the scenario alone (pure): which entries match the test,
// how version overrides layer on top, and the per-criterion results.
import type { RubricItem, TestStatus } from '../api/schemas.js';
import { drawFor } from './prng.js';
import type { Outcome, TestEntries, TestEntry } from './scenario.js';

export const DEFAULT_DURATION_SECONDS = 60;

export interface RunPlan {
  outcome: Outcome;
  /** Simulated seconds from trigger to the final status. */
  durationSeconds: number;
  /** Per-criterion results once final; undefined = none (hang, or an error with no results). */
  detail?: { name: string; status: TestStatus }[];
}

/** The key a test is matched by: "suite/test name", or the bare name for a test with no suite. */
export const testKey = (suite: string | undefined, name: string): string =>
  suite ? `${suite}/${name}` : name;

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    's',
  );

/** Entries matching key, least specific first (more literal characters = more specific; exact last). */
export function matchingEntries(entries: TestEntries | undefined, key: string): TestEntry[] {
  if (!entries) return [];
  const { exact, wildcards } = indexOf(entries);
  const hits: { entry: TestEntry; rank: number; order: number }[] = [];
  for (const w of wildcards) {
    if (w.re.test(key)) hits.push({ entry: w.entry, rank: w.rank, order: w.order });
  }
  const hit = exact.get(key);
  if (hit) hits.push({ entry: hit.entry, rank: Number.POSITIVE_INFINITY, order: hit.order });
  return hits.sort((a, b) => a.rank - b.rank || a.order - b.order).map((h) => h.entry);
}

interface EntryIndex {
  exact: Map<string, { entry: TestEntry; order: number }>;
  wildcards: { re: RegExp; entry: TestEntry; rank: number; order: number }[];
}

/**
 * Exact keys by lookup, wildcard patterns compiled once per scenario: a suite trigger matches
 * every test of the suite against every entry, which was quadratic for scenarios that name
 * thousands of tests.
 */
const indexes = new WeakMap<TestEntries, EntryIndex>();
function indexOf(entries: TestEntries): EntryIndex {
  let index = indexes.get(entries);
  if (!index) {
    index = { exact: new Map(), wildcards: [] };
    for (const [order, [pattern, entry]] of Object.entries(entries).entries()) {
      if (pattern.includes('*')) {
        index.wildcards.push({
          re: globToRegExp(pattern),
          entry,
          rank: pattern.replaceAll('*', '').length,
          order,
        });
      } else {
        index.exact.set(pattern, { entry, order });
      }
    }
    indexes.set(entries, index);
  }
  return index;
}

/**
 * Layer `top` over `base`. Criteria merge by name. The deciders (outcome, probability, sequence)
 * come from the top layer when it sets one; a top layer that sets only criteria lets its
 * criteria decide, so "*: pass" plus "X: {criteria: {Empathy: fail}}" makes X fail.
 */
export function layer(base: TestEntry, top: TestEntry): TestEntry {
  const merged: TestEntry = { ...base };
  if (top.criteria) merged.criteria = { ...base.criteria, ...top.criteria };
  if (top.duration_seconds !== undefined) merged.duration_seconds = top.duration_seconds;
  const topDecides = top.outcome !== undefined || top.probability !== undefined || top.sequence !== undefined;
  if (topDecides || top.criteria) {
    delete merged.outcome;
    delete merged.probability;
    delete merged.sequence;
    if (top.outcome !== undefined) merged.outcome = top.outcome;
    if (top.probability !== undefined) merged.probability = top.probability;
    if (top.sequence !== undefined) merged.sequence = top.sequence;
  }
  return merged;
}

export interface PlanInput {
  seed: number;
  tests: TestEntries;
  /** Overrides of the version named by destination_version_id, if any. */
  versionTests?: TestEntries;
  versionId?: string;
  key: string;
  rubric: readonly RubricItem[];
  /** 0 for the test's first run, 1 for the second... */
  runIndex: number;
}

export function planRun(input: PlanInput): RunPlan {
  const layers = [
    ...matchingEntries(input.tests, input.key),
    ...matchingEntries(input.versionTests, input.key),
  ];
  const entry = layers.reduce<TestEntry>(layer, {});
  const outcome = decide(entry, input);
  const durationSeconds = entry.duration_seconds ?? DEFAULT_DURATION_SECONDS;
  const detail = detailFor(outcome, entry.criteria ?? {}, input.rubric);
  return detail ? { outcome, durationSeconds, detail } : { outcome, durationSeconds };
}

function decide(e: TestEntry, input: PlanInput): Outcome {
  if (e.sequence) return e.sequence[Math.min(input.runIndex, e.sequence.length - 1)] ?? 'pass';
  if (e.outcome) return e.outcome;
  if (e.probability !== undefined) {
    const u = drawFor(input.seed, input.key, input.versionId ?? '', input.runIndex);
    return u < e.probability ? 'pass' : 'fail';
  }
  // Only this test's criteria count: a wildcard entry may name criteria other tests have.
  const marks = e.criteria ?? {};
  return input.rubric.some((c) => marks[c.name] === 'fail') ? 'fail' : 'pass';
}

/**
 * pass: every criterion passed. fail: the criteria marked fail (or, when none is, every one not
 * marked pass; or all). error: only the criteria the entry names (partial or none). hang: none.
 */
function detailFor(
  outcome: Outcome,
  marks: Record<string, 'pass' | 'fail'>,
  rubric: readonly RubricItem[],
): RunPlan['detail'] {
  const names = rubric.map((r) => r.name);
  if (outcome === 'hang') return undefined;
  if (outcome === 'pass') return names.map((name) => ({ name, status: 'passed' }));
  if (outcome === 'error') {
    const partial = names.filter((n) => marks[n] !== undefined);
    if (partial.length === 0) return undefined;
    return partial.map((name) => ({ name, status: marks[name] === 'fail' ? 'failed' : 'passed' }));
  }
  let failing = new Set(names.filter((n) => marks[n] === 'fail'));
  if (failing.size === 0) failing = new Set(names.filter((n) => marks[n] !== 'pass'));
  if (failing.size === 0) failing = new Set(names);
  return names.map((name) => ({ name, status: failing.has(name) ? 'failed' : 'passed' }));
}
