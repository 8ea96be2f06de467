import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../reporters/junit.js';
import { mergeCommand } from '../../src/commands/merge.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { mergeResults, type ShardInput } from '../../src/merge.js';
import type { Results } from '../../src/results.js';
import { OTHER_SHARD } from '../../src/run/select.js';
import { evaluate } from '../../src/verdict.js';
import {
  attempt,
  fail,
  loadFixture,
  pass,
  regressedAgainstMain,
  results,
  suite,
  testResult,
} from './helpers/results.js';

/**
 * Split one run into `n` shards the way `run --shard i/n` does: every shard lists every
 * test, and the tests it does not own are skipped. With `ownOnly`, a shard lists only its own.
 */
function shard(full: Results, n: number, ownOnly = false): ShardInput[] {
  let k = 0;
  const owner = new Map<string, number>();
  for (const s of full.suites) for (const t of s.tests) owner.set(`${s.name}/${t.name}`, k++ % n);
  return Array.from({ length: n }, (_, i) => {
    const suites = full.suites
      .map((s) => ({
        ...s,
        tests: s.tests
          .filter((t) => !ownOnly || owner.get(`${s.name}/${t.name}`) === i)
          .map((t) =>
            owner.get(`${s.name}/${t.name}`) === i || t.skipped
              ? t
              : {
                  ...t,
                  skipped: true,
                  skipReason: `${OTHER_SHARD} (this is --shard ${i + 1}/${n})`,
                  attempts: [],
                },
          ),
      }))
      .filter((s) => s.tests.length > 0);
    const pending = suites.some((s) => s.tests.some((t) => t.attempts.some((a) => a.status === 'running')));
    const shardResults: Results = {
      ...full,
      shard: { index: i + 1, total: n },
      suites,
      complete: !pending || full.complete,
    };
    if (shardResults.complete) delete shardResults.incompleteReason;
    return { source: `shard-${i + 1}.json`, results: shardResults };
  });
}

const summary = (r: Results) => {
  const ev = evaluate(r);
  return {
    verdict: ev.verdict,
    passed: ev.passed,
    totals: ev.totals,
    passRate: ev.passRate,
    suites: ev.suites.map((s) => ({ name: s.name, counts: s.counts, gateOk: s.gate.ok })),
    reasons: ev.reasons.filter((r) => !r.startsWith('incomplete:')).sort(),
    outcomes: ev.suites.flatMap((s) => s.tests.map((t) => `${s.name}/${t.test}=${t.outcome}`)).sort(),
  };
};

describe('mergeResults', () => {
  const full = loadFixture('all-outcomes.json');
  const completeRun: Results = { ...full, complete: true };
  delete completeRun.incompleteReason;

  it.each([
    ['skipped placeholders', false],
    ['own tests only', true],
  ])('three shards (%s) equal the unsharded run', (_, ownOnly) => {
    for (const run of [full, completeRun]) {
      const merged = mergeResults(shard(run, 3, ownOnly));
      expect(summary(merged)).toEqual(summary(run));
      expect(merged.complete).toBe(run.complete);
      expect(merged.shard).toBeUndefined();
    }
  });

  it('keeps first-seen order, so placeholder shards merge back into the original order', () => {
    const merged = mergeResults(shard(full, 3));
    expect(merged.suites.map((s) => s.tests.map((t) => t.name))).toEqual(
      full.suites.map((s) => s.tests.map((t) => t.name)),
    );
    expect(merged.suites).toEqual(full.suites);
  });

  it('names a test that ran in two shards', () => {
    const a = results([suite('refunds', [pass('Damaged product refund')])]);
    const b = results([suite('refunds', [fail('Damaged product refund')])]);
    expect(() =>
      mergeResults([
        { source: 'a.json', results: a },
        { source: 'b.json', results: b },
      ]),
    ).toThrow(
      new UsageError(
        'test "refunds › Damaged product refund" ran in two shards (a.json and b.json): shards must not overlap',
      ),
    );
  });

  it('a test skipped in one shard and run in another resolves to the run, in either order', () => {
    const skipped = results([suite('s', [testResult('t', [], { skipped: true })])]);
    const ran = results([suite('s', [fail('t')])]);
    for (const order of [
      [skipped, ran],
      [ran, skipped],
    ]) {
      const merged = mergeResults(order.map((r, i) => ({ source: `${i}.json`, results: r })));
      expect(evaluate(merged).totals).toMatchObject({ total: 1, failed: 1, skipped: 0 });
    }
  });

  it('a test only a missing shard runs has no verdict: not a skip, in no report green', () => {
    const run = results([suite('s', [pass('a'), pass('b'), fail('c')])]);
    const [one, two] = shard(run, 3) as [ShardInput, ShardInput, ShardInput];
    const merged = mergeResults([one, two]);
    const c = merged.suites[0]?.tests.find((t) => t.name === 'c');
    expect(c).toMatchObject({ skipped: false, attempts: [] });
    expect(c?.skipReason).toBeUndefined();
    const ev = evaluate(merged);
    expect(ev.verdict).toBe('incomplete');
    expect(ev.missing.map((m) => m.test)).toEqual(['c']);
    const junit = renderJunit(merged, ev);
    expect(junit).not.toMatch(/<skipped/);
    expect(junit).toMatch(/errors="1"/);
    // A test a present shard skipped for its own reason (a tag) stays skipped.
    const tagged = results([
      suite('s', [
        pass('a'),
        { ...pass('b'), skipped: true, skipReason: 'has none of the tags "x" (--tag)', attempts: [] },
      ]),
    ]);
    const [t1] = shard(tagged, 2) as [ShardInput, ShardInput];
    expect(mergeResults([t1]).suites[0]?.tests.find((t) => t.name === 'b')?.skipped).toBe(true);
  });

  it('is complete only when every shard is, and spans their times', () => {
    const a = results([suite('s', [pass('a')])], {
      startedAt: '2026-03-01T10:00:05Z',
      finishedAt: '2026-03-01T10:03:00Z',
    });
    const b = results([suite('s', [pass('b')])], {
      startedAt: '2026-03-01T10:00:01Z',
      finishedAt: '2026-03-01T10:09:00Z',
      complete: false,
      incompleteReason: 'timed out',
    });
    const merged = mergeResults([
      { source: 'a.json', results: a },
      { source: 'b.json', results: b },
    ]);
    expect(merged).toMatchObject({
      complete: false,
      incompleteReason: 'b.json: timed out',
      startedAt: '2026-03-01T10:00:01.000Z',
      finishedAt: '2026-03-01T10:09:00.000Z',
    });
  });

  it('refuses shards that disagree on the version or on a suite definition', () => {
    const a = results([suite('s', [pass('a')])], { versionId: 'v1' });
    const b = results([suite('s', [pass('b')])], { versionId: 'v2' });
    expect(() =>
      mergeResults([
        { source: 'a', results: a },
        { source: 'b', results: b },
      ]),
    ).toThrow(/different assistant versions/);
    const c = results([suite('s', [pass('c')], { minPassRate: 0.5 })], { versionId: 'v1' });
    expect(() =>
      mergeResults([
        { source: 'a', results: a },
        { source: 'c', results: c },
      ]),
    ).toThrow(/suite "s" differs between a and c/);
    expect(() => mergeResults([])).toThrow(UsageError);
  });

  it('an --against run merges to its own verdict: regressions and missing baseline verdicts still gate', () => {
    const against = { versionId: 'v-main', label: 'main' };
    const regression = regressedAgainstMain({ minPassRate: 0 });
    const noBaseline = results(
      [suite('s', [pass('a', { againstAttempts: [attempt(1, 'not_started')] }), pass('b')])],
      { against, versionId: 'v-cand' },
    );
    for (const run of [regression, noBaseline]) {
      const merged = mergeResults(shard(run, 2));
      expect(merged.against).toEqual(against);
      expect(summary(merged)).toEqual(summary(run));
    }
    expect(evaluate(regression).verdict).toBe('failed');
    expect(evaluate(noBaseline).verdict).toBe('incomplete');
    const [one, two] = shard(regression, 2);
    if (!one || !two) throw new Error('two shards');
    const other = { ...two, results: { ...two.results, against: { versionId: 'v-old', label: 'v-old' } } };
    expect(() => mergeResults([one, other])).toThrow(/different in-run baselines/);
  });

  it('keeps the tightest gate overrides', () => {
    const a = results([suite('s', [pass('a')])], { gateOverrides: { minPassRate: 0.8 } });
    const b = results([suite('s', [pass('b')])], { gateOverrides: { minPassRate: 0.9, maxErrors: 0 } });
    expect(
      mergeResults([
        { source: 'a', results: a },
        { source: 'b', results: b },
      ]).gateOverrides,
    ).toEqual({ minPassRate: 0.9, maxErrors: 0 });
  });
});

describe('mergeCommand', () => {
  it('merges shard files into one report and one verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-merge-'));
    const full = loadFixture('all-outcomes.json');
    const files = shard(full, 3).map((s) => {
      writeFileSync(join(dir, s.source), JSON.stringify(s.results));
      return s.source;
    });
    const io = memoryIo({ cwd: dir });
    const code = await mergeCommand(files, { outDir: 'out' }, io);
    expect(code).toBe(EXIT.incomplete); // the fixture has a run still in progress
    for (const f of ['junit.xml', 'summary.md', 'results.json'])
      expect(existsSync(join(dir, 'out', f))).toBe(true);
    const written = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(written.evaluation.totals).toEqual(evaluate(full).totals);
    expect(io.out.join('')).toContain('rubric-gate: INCOMPLETE');
    expect(io.out.join('')).toContain('junit:    out/junit.xml');
  });

  it('exits 2 with the test named when shards overlap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-merge-'));
    const r = results([suite('s', [pass('twice')])]);
    writeFileSync(join(dir, 'a.json'), JSON.stringify(r));
    writeFileSync(join(dir, 'b.json'), JSON.stringify(r));
    await expect(mergeCommand(['a.json', 'b.json'], {}, memoryIo({ cwd: dir }))).rejects.toThrow(
      /"s › twice" ran in two shards/,
    );
    expect(existsSync(join(dir, 'rubric-gate-report'))).toBe(false);
  });
});
