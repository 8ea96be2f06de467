// Which tests a run executes: --grep, --tag, --shard and --trials applied to the loaded suites.
// Pure. Every test keeps its place in the results; an unselected one is `skipped` with a reason.
import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { ShardInfo } from '../results.js';
import { type SuiteDef, type TestDef, toApiBody } from '../suite/model.js';

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
  /** Selected by the filters, then dealt to another shard. */
  inOtherShard?: boolean;
  skipReason?: string;
  trials: number;
  minPasses: number;
}

/** How a test dealt to another shard is skipped (results.json); merge looks for it. */
export const OTHER_SHARD = 'runs in another shard';

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
    // The engine's message repeats the pattern ("Invalid regular expression: /(/: ..."): said once, quoted.
    const why = (err instanceof Error ? err.message : String(err)).replace(
      /^Invalid regular expression: \/[\s\S]*\/[a-z]*: /,
      '',
    );
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
        s.inOtherShard = true;
        s.skipReason = `${OTHER_SHARD} (this is --shard ${shard.index}/${shard.total})`;
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

/** JSON with object keys sorted at every level: one text per value, whatever the key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A hash of what the API was given for each test (toApiBody: name, instructions, rubric,
 * destination...), sorted by suite and name. --resume compares it: the runs it waits for ran
 * these definitions, and reporting them under changed files would claim what was not tested.
 * Local-only keys (gate, quarantine, trials) are left out: re-judging the same runs is allowed.
 */
export function remoteFingerprint(suites: readonly SuiteDef[]): string {
  const defs = [...suites]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => ({
      suite: s.name,
      tests: s.tests.map(toApiBody).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }));
  return `sha256:${createHash('sha256').update(canonical(defs)).digest('hex')}`;
}

/**
 * A hash of every loaded suite definition, selected or not: what the tests are, not where they
 * sit (file paths and line numbers are left out, and suites and tests are sorted by name), so
 * every shard of one checkout computes the same value and `merge` can tell shards of different
 * definitions apart.
 */
export function definitionsFingerprint(suites: readonly SuiteDef[]): string {
  const known = suitesPrints.get(suites);
  if (known !== undefined) return known;
  const byName = <T extends { name: string }>(xs: readonly T[]) =>
    [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const defs = byName(suites).map((s) => ({
    name: s.name,
    gate: s.gate,
    tests: byName(s.tests).map(({ loc: _loc, ...t }) => t),
  }));
  const print = `sha256:${createHash('sha256').update(canonical(defs)).digest('hex')}`;
  suitesPrints.set(suites, print);
  return print;
}

// Loaded definitions are never changed: each fingerprint is computed once, and a run takes
// them before its first trigger (fingerprintsBefore), so its verdict does not wait on them.
const suitesPrints = new WeakMap<readonly SuiteDef[], string>();
const testPrints = new WeakMap<TestDef, string>();

/** Compute now what a run's records will need after it: the suites' and (with history) each test's. */
export function fingerprintsBefore(suites: readonly SuiteDef[], perTest: boolean): void {
  definitionsFingerprint(suites);
  if (perTest) for (const s of suites) for (const t of s.tests) testFingerprint(t);
}

/**
 * A hash of what one test asks of the assistant: every field sync sends except its identity
 * (suite and name, so a rename via renamed_from keeps it), plus trials and min_passes. History
 * compares runs of the same definition by it, and --changed-since compares tests with a git ref.
 */
export function testFingerprint(test: TestDef): string {
  const known = testPrints.get(test);
  if (known !== undefined) return known;
  const { name: _name, test_suite: _suite, ...body } = toApiBody(test);
  const def = { ...body, trials: test.trials, minPasses: test.minPasses };
  const print = `sha256:${createHash('sha256').update(canonical(def)).digest('hex')}`;
  testPrints.set(test, print);
  return print;
}

export interface SelectionFilters {
  grep?: string | undefined;
  tags?: readonly string[] | undefined;
  trials?: number | undefined;
  shard?: Shard | undefined;
}

/** The filters as flags, e.g. `--grep refund --tag smoke`; '' for none. The shard is left out. */
export function describeFilters(f: SelectionFilters): string {
  return [
    f.grep === undefined ? '' : `--grep ${f.grep}`,
    ...(f.tags ?? []).map((t) => `--tag ${t}`),
    f.trials === undefined ? '' : `--trials ${f.trials}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** What a shard's results record so `merge` can check the slices fit together. */
export function shardInfo(
  suites: readonly SuiteDef[],
  selection: readonly SelectedTest[],
  f: SelectionFilters,
): ShardInfo | undefined {
  if (!f.shard || f.shard.total <= 1) return undefined;
  return {
    index: f.shard.index,
    total: f.shard.total,
    fingerprint: definitionsFingerprint(suites),
    filters: describeFilters(f),
    candidates: selection.filter((s) => s.selected || s.inOtherShard).length,
  };
}

/** How to let an empty selection pass, in both vocabularies (the Action's step shows it too). */
export const ALLOW_EMPTY =
  'Pass --pass-with-no-tests (in the Action: pass-with-no-tests: true) to allow an empty selection.';

export interface EmptySelectionOptions extends SelectionFilters {
  passWithNoTests?: boolean | undefined;
  /** promote's run: it refuses --pass-with-no-tests, so its refusal must not suggest that flag. */
  promotion?: boolean | undefined;
}

/**
 * An empty selection is a usage error (exit 2, before anything is sent) unless allowed: a typo in
 * a CI tag must not turn the gate green. The message names the filters and what they could have
 * matched. An empty shard of a non-empty selection is fine: the other shards run the tests, and
 * `merge` checks that every shard reported.
 */
export function assertSelection(
  suites: readonly SuiteDef[],
  selection: readonly SelectedTest[],
  f: EmptySelectionOptions,
): void {
  if (f.passWithNoTests) return;
  if (selection.some((s) => s.selected || s.inOtherShard)) return;
  const filters = describeFilters(f);
  const tags = [...new Set(suites.flatMap((s) => s.tests.flatMap((t) => t.tags)))].sort();
  const total = suites.reduce((n, s) => n + s.tests.length, 0);
  const list = (xs: readonly string[], max = 20) =>
    xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} ... and ${xs.length - max} more`;
  const lines = [
    total === 0
      ? 'no test to run: the suite files declare no tests.'
      : `${filters || 'the selection'} selects none of the ${total} test${total === 1 ? '' : 's'}. Nothing was sent.`,
    `  suites: ${list(suites.map((s) => `${s.name} (${s.tests.length} test${s.tests.length === 1 ? '' : 's'})`)) || '(none)'}`,
    `  tags: ${tags.length > 0 ? list(tags) : '(no test has a tag)'}`,
  ];
  if (f.grep !== undefined) {
    const example = suites.flatMap((s) => s.tests.map((t) => testKey(s.name, t.name)))[0];
    if (example) lines.push(`  --grep matches "suite/test name", e.g. "${example}"`);
  }
  lines.push(f.promotion !== true ? ALLOW_EMPTY : 'A promotion needs a test that runs: change the filters.');
  throw new UsageError(lines.join('\n'));
}

/** Telnyx assistant ids: "assistant-" and a UUID. A destination in this form names the assistant a test talks to. */
const ASSISTANT_ID = /^assistant-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why a selection cannot test one assistant version, or undefined. A version belongs to one
 * assistant, and what the API does with a version of another assistant than a test's destination
 * is undocumented (it may run that test's own main version): evidence about the wrong assistant
 * must not gate, let alone promote, this one. Only destinations that are assistant ids can be
 * told apart; a phone number or a URL is taken as the user wrote it.
 */
export function versionTargetProblem(
  selection: readonly SelectedTest[],
  versionId: string,
  assistantId: string | undefined,
): string | undefined {
  const named = new Map<string, string[]>();
  for (const s of selection) {
    // A shard's selection is one slice of the split: the others run on this version too.
    if (!(s.selected || s.inOtherShard) || !ASSISTANT_ID.test(s.test.destination)) continue;
    const dest = s.test.destination.toLowerCase(); // UUIDs: one id in either case
    const tests = named.get(dest) ?? [];
    tests.push(s.key);
    named.set(dest, tests);
  }
  const own = assistantId?.toLowerCase();
  const others = [...named].filter(([dest]) => own !== undefined && dest !== own);
  const list = (xs: Array<[string, string[]]>) =>
    xs
      .slice(0, 3)
      .map(
        ([dest, tests]) =>
          `${dest} (${tests.slice(0, 3).join(', ')}${tests.length > 3 ? `, +${tests.length - 3}` : ''})`,
      )
      .join('; ');
  if (others.length > 0) {
    return `version ${versionId} is a version of assistant ${assistantId}, but selected tests talk to another assistant: ${list(others)}. Select only this assistant's tests (--grep, --tag) or fix their destination`;
  }
  if (assistantId === undefined && named.size > 1) {
    return `version ${versionId} belongs to one assistant, but the selected tests talk to ${named.size}: ${list([...named])}. Select one assistant's tests (--grep, --tag)`;
  }
  return undefined;
}
