// Which tests a run executes: --grep, --tag, --shard and --trials applied to the loaded suites.
// Pure. Every test keeps its place in the results; an unselected one is `skipped` with a reason.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { SuiteDef, TestDef } from '../suite/model.js';

export interface Shard {
  /** 1-based. */
  index: number;
  total: number;
}

export interface SelectOptions {
  /** Matched against "suite/test name". */
  grep?: RegExp | undefined;
  /** A test is selected when it carries at least one of these tags. */
  tags?: readonly string[] | undefined;
  shard?: Shard | undefined;
  /** Overrides every test's `trials` (see effectiveTrials for min_passes). */
  trials?: number | undefined;
}

export interface SelectedTest {
  suite: SuiteDef;
  test: TestDef;
  /** "suite/test name": the identity used by --grep, sharding, keys and the state file. */
  key: string;
  selected: boolean;
  skipReason?: string;
  trials: number;
  minPasses: number;
}

export const testKey = (suite: string, name: string): string => `${suite}/${name}`;

/** "2/3" → {index: 2, total: 3}. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard "${text}" must be I/N with 1 <= I <= N, e.g. --shard 2/3`);
  }
  return { index, total };
}

/** --grep is a JavaScript regular expression; a bad one is a usage error, not a crash. */
export function compileGrep(source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new UsageError(`--grep "${source}" is not a valid regular expression: ${why}`);
  }
}

/**
 * --trials N replaces the test's trials; min_passes keeps the test's pass ratio, rounded up,
 * so an override never loosens what a test needs (trials 3 / min_passes 2 at --trials 6 → 4;
 * a plain test, 1/1, at --trials 3 → 3/3).
 */
export function effectiveTrials(
  test: Pick<TestDef, 'trials' | 'minPasses'>,
  override?: number,
): {
  trials: number;
  minPasses: number;
} {
  if (override === undefined || override === test.trials)
    return { trials: test.trials, minPasses: test.minPasses };
  const minPasses = Math.min(override, Math.max(1, Math.ceil((test.minPasses * override) / test.trials)));
  return { trials: override, minPasses };
}

const hashOf = (key: string): string => createHash('sha256').update(key).digest('hex');

/**
 * The keys in shard `shard`: sort by a hash of the key (stable across machines and runs,
 * independent of file order) and deal round-robin, so N jobs over the same tests cover each
 * exactly once and shard sizes differ by at most one.
 */
export function shardKeys(keys: readonly string[], shard: Shard): Set<string> {
  const sorted = [...new Set(keys)]
    .map((k) => ({ k, h: hashOf(k) }))
    .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  return new Set(sorted.filter((_, i) => i % shard.total === shard.index - 1).map((x) => x.k));
}

/** Apply filters in order grep → tag → shard; the shard is dealt over what the filters kept. */
export function selectTests(suites: readonly SuiteDef[], opts: SelectOptions = {}): SelectedTest[] {
  const tags = opts.tags ?? [];
  const out: SelectedTest[] = [];
  for (const suite of suites) {
    for (const test of suite.tests) {
      const key = testKey(suite.name, test.name);
      const { trials, minPasses } = effectiveTrials(test, opts.trials);
      const item: SelectedTest = { suite, test, key, selected: true, trials, minPasses };
      if (opts.grep && !matches(opts.grep, key)) {
        item.selected = false;
        item.skipReason = `does not match --grep ${opts.grep}`;
      } else if (tags.length > 0 && !tags.some((t) => test.tags.includes(t))) {
        item.selected = false;
        item.skipReason = `has none of the tags ${tags.map((t) => `"${t}"`).join(', ')} (--tag)`;
      }
      out.push(item);
    }
  }
  const { shard } = opts;
  if (shard && shard.total > 1) {
    const candidates = out.filter((s) => s.selected);
    const mine = shardKeys(
      candidates.map((s) => s.key),
      shard,
    );
    for (const s of candidates) {
      if (!mine.has(s.key)) {
        s.selected = false;
        s.skipReason = `runs in another shard (this is --shard ${shard.index}/${shard.total})`;
      }
    }
  }
  return out;
}

// A /g or /y regex keeps lastIndex between test() calls; reset so every key is tested from 0.
function matches(re: RegExp, key: string): boolean {
  re.lastIndex = 0;
  return re.test(key);
}
