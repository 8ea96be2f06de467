// The "no false green" invariant, proved over generated results, run states, shard splits,
// baselines and API answers outside the contract (fast-check). See src/invariant.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, exitCodeOf } from '../../src/commands/report.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { greenViolations } from '../../src/invariant.js';
import { mergeResults, type ShardInput } from '../../src/merge.js';
import type { Attempt, Results, SuiteResult, TestResult } from '../../src/results.js';
import { parseResults } from '../../src/results-file.js';
import { shardKeys, testKey } from '../../src/run/select.js';

const RUNS = { numRuns: 500 };
const RUBRIC = ['Accuracy', 'Empathy'] as const;
const STATUSES: readonly Attempt['status'][] = [
  'pending',
  'starting',
  'running',
  'passed',
  'failed',
  'error',
  'timeout',
  'not_started',
];

// Mostly well-formed answers (so green verdicts are common), with every odd case in the mix.
const criterion = fc.record({
  name: fc.constantFrom(...RUBRIC, 'Unknown'),
  status: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('passed' as const, 'failed' as const) },
    { weight: 1, arbitrary: fc.constantFrom('error' as const, 'running' as const, 'pending' as const) },
  ),
});
const fullCriteria = (status: 'passed' | 'failed') =>
  fc
    .tuple(
      fc.constantFrom('passed' as const, 'failed' as const),
      fc.constantFrom('passed' as const, 'failed' as const),
      // A run the API calls passed may still fail a criterion (its threshold is its own); when
      // that criterion is required here, the trial fails.
      fc.constantFrom('passed' as const, 'passed' as const, 'passed' as const, 'failed' as const),
    )
    .map(([a, e, p]) =>
      status === 'passed'
        ? RUBRIC.map((name, i) => ({ name, status: i === 0 ? p : ('passed' as const) }))
        : [
            { name: 'Accuracy', status: a },
            { name: 'Empathy', status: a === 'passed' ? ('failed' as const) : e },
          ],
    );

const attemptArb = (trials: number) =>
  fc
    .record({
      trial: fc.integer({ min: 1, max: trials }),
      retry: fc.integer({ min: 0, max: 1 }),
      status: fc.oneof(
        { weight: 6, arbitrary: fc.constant('passed' as const) },
        { weight: 3, arbitrary: fc.constant('failed' as const) },
        { weight: 2, arbitrary: fc.constantFrom(...STATUSES) },
      ),
      odd: fc.integer({ min: 0, max: 9 }),
      extra: fc.array(criterion, { maxLength: 3 }),
    })
    .chain((a) =>
      (a.status === 'passed' || a.status === 'failed'
        ? fullCriteria(a.status)
        : fc.constant<Attempt['criteria']>([])
      ).map(
        (full): Attempt => ({
          trial: a.trial,
          retry: a.retry,
          status: a.status,
          // 1 in 10 attempts carries arbitrary criteria instead of a full, consistent rubric.
          criteria: a.odd === 0 ? [...a.extra] : [...full],
          ...(a.odd === 1 ? { undocumented: 'status "completed" is not documented' } : {}),
        }),
      ),
    );

const testArb = (name: string) =>
  fc
    .record({
      trials: fc.integer({ min: 1, max: 3 }),
      minFrac: fc.integer({ min: 1, max: 3 }),
      required: fc.subarray([...RUBRIC]),
      skipped: fc.boolean().map((b) => b && Math.random() < 0.3),
    })
    .chain((t) => {
      const trials = t.trials;
      // Usually one attempt per trial, in order; sometimes a random set (missing, retried, extra).
      const regular = fc.tuple(
        ...Array.from({ length: trials }, (_, i) =>
          attemptArb(1).map((a) => ({ ...a, trial: i + 1, retry: 0 })),
        ),
      );
      const random = fc.array(attemptArb(trials), { maxLength: trials + 2 });
      return fc.oneof({ weight: 4, arbitrary: regular }, { weight: 1, arbitrary: random }).map(
        (attempts): TestResult => ({
          name,
          file: 'suites/s.yaml',
          line: 1,
          tags: [],
          criteria: RUBRIC.map((n) => ({ name: n, required: t.required.includes(n) })),
          trials,
          minPasses: Math.min(trials, t.minFrac),
          skipped: t.skipped,
          attempts: t.skipped ? [] : attempts,
        }),
      );
    });

const suiteArb = (name: string) =>
  fc
    .record({
      minPassRate: fc.constantFrom(0, 0.5, 0.9, 1),
      maxErrors: fc.integer({ min: 0, max: 2 }),
      failOnRegression: fc.boolean(),
      n: fc.integer({ min: 0, max: 5 }),
    })
    .chain((g) =>
      fc.tuple(...Array.from({ length: g.n }, (_, i) => testArb(`t${i}`))).map(
        (tests): SuiteResult => ({
          name,
          file: `suites/${name}.yaml`,
          gate: { minPassRate: g.minPassRate, maxErrors: g.maxErrors, failOnRegression: g.failOnRegression },
          tests,
        }),
      ),
    );

const resultsArb: fc.Arbitrary<Results> = fc
  .record({
    nSuites: fc.integer({ min: 1, max: 3 }),
    complete: fc.oneof(
      { weight: 5, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    passWithNoTests: fc.boolean().map((b) => b && Math.random() < 0.2),
    overrides: fc.option(
      fc.record(
        {
          minPassRate: fc.constantFrom(0, 0.5, 1),
          maxErrors: fc.integer({ min: 0, max: 3 }),
          failOnRegression: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  })
  .chain((r) =>
    fc.tuple(...Array.from({ length: r.nSuites }, (_, i) => suiteArb(`s${i}`))).map((suites): Results => {
      const res: Results = {
        schema: 'rubric-gate/results@1',
        tool: { name: 'rubric-gate', version: '0.1.0' },
        startedAt: '2026-03-01T10:00:00.000Z',
        finishedAt: '2026-03-01T10:05:00.000Z',
        complete: r.complete,
        suites,
      };
      if (!r.complete) res.incompleteReason = 'cancelled (SIGINT)';
      if (r.passWithNoTests) res.passWithNoTests = true;
      if (r.overrides && Object.keys(r.overrides).length > 0) res.gateOverrides = r.overrides;
      return res;
    }),
  );

const flagsArb = fc.record(
  {
    minPassRate: fc.constantFrom(0, 0.5, 0.9, 1),
    maxErrors: fc.integer({ min: 0, max: 3 }),
    failOnRegression: fc.boolean(),
  },
  { requiredKeys: [] },
);

const caseArb = fc.record({
  results: resultsArb,
  baseline: fc.option(resultsArb, { nil: undefined }),
  flags: flagsArb,
});

/** What a run's gateAndReport decides and writes, as pure data. */
function runOf(c: { results: Results; baseline: Results | undefined; flags: object }) {
  const { gated, evaluation } = decide(c.results, c.flags, c.baseline && { results: c.baseline });
  return { gated, evaluation, code: exitCodeOf(gated, evaluation) };
}

/** Split a run the way `run --shard i/N` does: every shard lists every test, others' skipped. */
function split(full: Results, total: number): ShardInput[] {
  const keys = full.suites.flatMap((s) =>
    s.tests.filter((t) => !t.skipped).map((t) => testKey(s.name, t.name)),
  );
  return Array.from({ length: total }, (_, i) => {
    const mine = shardKeys(keys, { index: i + 1, total });
    const results: Results = {
      ...full,
      shard: { index: i + 1, total, fingerprint: 'sha256:same', filters: '', candidates: keys.length },
      suites: full.suites.map((s) => ({
        ...s,
        tests: s.tests.map((t) =>
          t.skipped || mine.has(testKey(s.name, t.name))
            ? t
            : { ...t, skipped: true, skipReason: 'runs in another shard', attempts: [] },
        ),
      })),
    };
    return { source: `shard-${i + 1}/results.json`, results };
  });
}

describe('no false green (property-based)', () => {
  it('exit 0 implies the rule: evidence for every selected test, gates hold, nothing missing', () => {
    let greens = 0;
    fc.assert(
      fc.property(caseArb, (c) => {
        const { gated, code } = runOf(c);
        if (code === EXIT.ok) {
          greens++;
          expect(greenViolations(gated)).toEqual([]);
        }
      }),
      // Greens are rare (a few in a hundred cases): enough runs that the check below never fails
      // by chance (500 gave 25-45, close to it).
      { numRuns: 1500 },
    );
    expect(greens).toBeGreaterThan(20); // the property is not vacuous
  });

  it('report --from of any results.json gives the same verdict and exit code; flags only tighten', () => {
    fc.assert(
      fc.property(caseArb, flagsArb, (c, more) => {
        const run = runOf(c);
        // What `report --from` reads: the file the run wrote, through the same parser.
        const file = parseResults(
          JSON.stringify({ ...run.gated, evaluation: run.evaluation }),
          'results.json',
        );
        const again = decide(file);
        expect(again.evaluation.verdict).toBe(run.evaluation.verdict);
        expect(again.evaluation.reasons).toEqual(run.evaluation.reasons);
        expect(exitCodeOf(again.gated, again.evaluation)).toBe(run.code);
        const tighter = decide(file, more);
        if (exitCodeOf(tighter.gated, tighter.evaluation) === EXIT.ok) expect(run.code).toBe(EXIT.ok);
        // A second baseline can only add regressions.
        const other = decide(file, {}, c.baseline && { results: c.results });
        if (other.evaluation.passed) expect(run.evaluation.passed).toBe(true);
      }),
      RUNS,
    );
  });

  it('merge of any complete shard split equals the unsharded verdict; an incomplete split is never 0', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (c, total, seed) => {
          const run = runOf(c);
          const shards = split(run.gated, total);
          const order = [...shards].sort(
            (a, b) => ((a.source.length * seed) % 7) - ((b.source.length * seed) % 7),
          );
          const merged = runOf({ results: mergeResults(order), baseline: undefined, flags: {} });
          expect(merged.evaluation.verdict).toBe(run.evaluation.verdict);
          expect(merged.code).toBe(run.code);
          expect(merged.evaluation.totals).toEqual(run.evaluation.totals);
          if (total > 1) {
            const missing = seed % total;
            const partial = runOf({
              results: mergeResults(shards.filter((_, i) => i !== missing)),
              baseline: undefined,
              flags: {},
            });
            expect(partial.code).toBe(EXIT.incomplete);
            expect(partial.evaluation.reasons[0]).toContain(`shard ${missing + 1}/${total} missing`);
            expect(() => mergeResults([...shards, shards[missing]!])).toThrow(UsageError);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('an API answer outside the documented shapes or statuses never makes the verdict better', () => {
    // How an answer can leave the contract: an undocumented run status (the ledger records it as
    // an error naming it), no rubric results, a criterion's result missing, or a criterion in a
    // status that is no verdict.
    const corrupt = (a: Attempt, how: number): Attempt => {
      switch (how) {
        case 0:
          return { ...a, status: 'error', undocumented: 'the API reported run status "completed"' };
        case 1:
          return { ...a, criteria: [] };
        case 2:
          return { ...a, criteria: a.criteria.filter((c) => c.name !== 'Accuracy') };
        default:
          return { ...a, criteria: a.criteria.map((c) => ({ ...c, status: 'running' as const })) };
      }
    };
    let changed = 0;
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.integer({ min: 0, max: 3 }), (c, pick, how) => {
        // Only a trial's deciding (latest) attempt can change anything: pick among those.
        const attempts = c.results.suites.flatMap((s, si) =>
          s.tests.flatMap((t, ti) =>
            t.attempts.flatMap((a, ai) =>
              t.attempts.some(
                (b, bi) => b.trial === a.trial && (b.retry > a.retry || (b.retry === a.retry && bi > ai)),
              )
                ? []
                : [[si, ti, ai] as const],
            ),
          ),
        );
        if (attempts.length === 0) return;
        const [si, ti, ai] = attempts[pick % attempts.length]!;
        const bad = structuredClone(c.results);
        const test = bad.suites[si]!.tests[ti]!;
        test.attempts[ai] = corrupt(test.attempts[ai]!, how);
        const before = runOf(c);
        const after = runOf({ ...c, results: bad });
        if (after.code !== before.code) changed++;
        if (after.code === EXIT.ok) expect(before.code).toBe(EXIT.ok);
      }),
      RUNS,
    );
    expect(changed).toBeGreaterThan(10); // the corruptions do reach verdicts
  });
});
