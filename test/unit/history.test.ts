// --history: records, bounding, strips and flips, and what the evaluation and reports make of
// them (flaky by history never gates; quarantine never gates unless --no-quarantine).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { renderHtml } from '../../reporters/html.js';
import { renderJunit } from '../../reporters/junit.js';
import { renderMarkdown } from '../../reporters/markdown.js';
import { UsageError } from '../../src/errors.js';
import {
  appendBounded,
  countFlips,
  expectedDurations,
  HISTORY_SCHEMA,
  HISTORY_WINDOW,
  type HistoryRecord,
  historyRecord,
  isFlakyStrip,
  parseHistory,
  passStreak,
  renderHistory,
  summarizeHistory,
  testStrip,
} from '../../src/history.js';
import { pairKey } from '../../src/keys.js';
import { mergeResults } from '../../src/merge.js';
import { markQuarantine } from '../../src/quarantine.js';
import { Results } from '../../src/results.js';
import { testFingerprint } from '../../src/run/select.js';
import { evaluate } from '../../src/verdict.js';
import { fail, pass, results, suite } from './helpers/results.js';
import { makeSuite } from './run-fixtures.js';

const defs = [makeSuite('s', ['a', 'b', 'c'])];
const fp = (name: string) => testFingerprint(defs[0]!.tests.find((t) => t.name === name)!);

const record = (
  outcomes: Record<string, 'passed' | 'failed' | 'error' | 'flaky'>,
  extra: Partial<HistoryRecord> = {},
): HistoryRecord => ({
  schema: HISTORY_SCHEMA,
  at: '2026-03-01T10:00:00.000Z',
  tool: 'test',
  complete: true,
  tests: Object.entries(outcomes).map(([test, outcome]) => ({
    suite: 's',
    test,
    def: fp(test),
    outcome,
    runs: 1,
  })),
  ...extra,
});

describe('history records', () => {
  it('records every test with a verdict under its definition, with failed criteria and runs spent', () => {
    const r = results([
      suite('s', [
        pass('a', { attempts: [{ trial: 1, retry: 0, status: 'passed', runId: 'r1', criteria: [] }] }),
        fail('b'),
        { ...pass('c'), skipped: true, attempts: [] },
      ]),
    ]);
    // `a` has no criteria results: no verdict, so it says nothing and is left out.
    const rec = historyRecord(r, defs, { tool: '1.2.3', commit: 'abc' });
    expect(rec.tests).toEqual([
      { suite: 's', test: 'b', def: fp('b'), outcome: 'failed', failed: ['Empathy'], runs: 0 },
    ]);
    expect(rec).toMatchObject({ schema: HISTORY_SCHEMA, tool: '1.2.3', commit: 'abc', complete: true });
  });

  it("records each test's shortest finished run, and expects the shortest of the recent window", () => {
    const attempt = (
      durationMs: number,
      status: 'passed' | 'failed' | 'timeout' = 'passed',
      runId = 'r',
    ) => ({
      trial: 1,
      retry: 0,
      status,
      runId,
      durationMs,
      criteria: [
        { name: 'Accuracy', status: 'passed' as const },
        { name: 'Empathy', status: 'passed' as const },
      ],
    });
    const r = results([
      suite('s', [
        pass('a', { trials: 2, minPasses: 1, attempts: [attempt(9_000), { ...attempt(4_000), trial: 2 }] }),
        // Our own timeout is not how long the API took: no duration.
        pass('b', { attempts: [attempt(1_000, 'timeout'), { ...attempt(7_000), retry: 1 }] }),
      ]),
    ]);
    const rec = historyRecord(r, defs, { tool: 't' });
    expect(rec.tests.map((t) => [t.test, t.ms])).toEqual([
      ['a', 4_000],
      ['b', 7_000],
    ]);
    const withMs = (ms: Record<string, number>) => ({
      ...record({ a: 'passed', b: 'passed' }),
      tests: record({ a: 'passed', b: 'passed' }).tests.map((t) => ({ ...t, ms: ms[t.test] })),
    });
    // Only the last HISTORY_WINDOW records count; files without `ms` (older tools) say nothing.
    const old = withMs({ a: 100 });
    const recent = Array.from({ length: HISTORY_WINDOW }, (_, i) => withMs({ a: 5_000 + i, b: 9_000 - i }));
    const expected = expectedDurations([old, ...recent, record({ c: 'passed' })]);
    expect(expected.get(pairKey('s', 'a'))).toBe(5_001);
    expect(expected.get(pairKey('s', 'b'))).toBe(9_000 - (HISTORY_WINDOW - 1));
    expect(expected.has(pairKey('s', 'c'))).toBe(false);
  });

  it('round-trips through JSONL, one line per run', () => {
    const records = [record({ a: 'passed' }), record({ a: 'failed', b: 'error' })];
    const text = renderHistory(records);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(parseHistory(text, 'h.jsonl')).toEqual(records);
  });

  it('a bad line is an error at file:line that says what to do', () => {
    const text = `${renderHistory([record({ a: 'passed' })])}{"schema":"other"}\n`;
    expect(() => parseHistory(text, 'h.jsonl')).toThrow(UsageError);
    expect(() => parseHistory(text, 'h.jsonl')).toThrow(/^h\.jsonl:2:1: expected a record .*Delete the line/);
    expect(() => parseHistory('{oops\n', 'h.jsonl')).toThrow(/h\.jsonl:1:1: not valid JSON/);
  });

  it('stays bounded to the last N runs, keeping the newest (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 60 }), (runs, limit) => {
        let records: HistoryRecord[] = [];
        for (let i = 0; i < runs; i++) {
          records = appendBounded(
            records,
            record({ a: 'passed' }, { at: String(i), started: String(i) }),
            limit,
          );
          expect(records.length).toBeLessThanOrEqual(limit);
        }
        expect(records.length).toBe(Math.min(runs, limit));
        if (runs > 0) expect(records.at(-1)?.at).toBe(String(runs - 1));
      }),
    );
  });

  it('a --resume of the same run replaces its record instead of counting it twice', () => {
    const first = record({ a: 'failed' }, { started: 'S1' });
    const resumed = record({ a: 'passed' }, { started: 'S1' });
    expect(appendBounded([first], resumed)).toEqual([resumed]);
    expect(appendBounded([first], record({ a: 'passed' }, { started: 'S2' }))).toHaveLength(2);
  });
});

describe('strips and flips', () => {
  it('counts changes between pass and fail, ignoring errors', () => {
    expect(countFlips('PFPP')).toBe(2);
    expect(countFlips('PEP')).toBe(0);
    expect(countFlips('PEF')).toBe(1);
    expect(isFlakyStrip('PFP')).toBe(true);
    // One change is a regression or a fix, not flakiness.
    expect(isFlakyStrip('PPF')).toBe(false);
    expect(isFlakyStrip('FFP')).toBe(false);
    expect(passStreak('FPPP')).toBe(3);
    expect(passStreak('PPE')).toBe(0);
  });

  it('flips never exceed the changes between neighbours, and flaky means at least two (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[PFE]{0,20}$/), (strip) => {
        const verdicts = [...strip].filter((c) => c !== 'E');
        const flips = countFlips(strip);
        expect(flips).toBeLessThanOrEqual(Math.max(0, verdicts.length - 1));
        expect(isFlakyStrip(strip)).toBe(flips >= 2);
        if (new Set(verdicts).size <= 1) expect(flips).toBe(0);
      }),
    );
  });

  it('follows a test across a rename and stops at another definition', () => {
    const renamed = { name: 'a2', renamedFrom: ['a'] };
    const older = record(
      { a: 'failed' },
      { tests: [{ suite: 's', test: 'a', def: 'other', outcome: 'failed', runs: 1 }] },
    );
    const records = [older, record({ a: 'passed' }), record({ a: 'failed' }), record({ a: 'passed' })];
    expect(testStrip(records, 's', renamed, fp('a'))).toBe('PFP');
    expect(testStrip(records, 's', { name: 'a', renamedFrom: [] }, fp('a'), 2)).toBe('FP');
  });

  it('summarises the tests of this run and each suite over the window', () => {
    const records = [
      record({ a: 'passed', b: 'passed' }),
      record({ a: 'failed', b: 'passed' }),
      record({ a: 'passed', b: 'error' }),
    ];
    const snap = summarizeHistory(records, defs, { source: 'h.jsonl' });
    expect(snap.tests).toEqual([
      { suite: 's', test: 'a', strip: 'PFP', flips: 2, flaky: true, passStreak: 1 },
      { suite: 's', test: 'b', strip: 'PPE', flips: 0, flaky: false, passStreak: 0 },
    ]);
    expect(snap.suites).toEqual([{ suite: 's', runs: 3, passing: 4, total: 6 }]);
    expect(snap).toMatchObject({ source: 'h.jsonl', runs: 3 });
  });
});

describe('evaluation and reports', () => {
  const withHistory = (r: Results): Results => ({
    ...r,
    history: summarizeHistory(
      [
        record({ a: 'passed', b: 'passed' }),
        record({ a: 'failed', b: 'passed' }),
        record({ a: 'passed', b: 'passed' }),
      ],
      defs,
    ),
  });

  it('flaky by history is shown in every report and never changes the gate', () => {
    const r = withHistory(results([suite('s', [pass('a'), pass('b')])]));
    const plain = evaluate({ ...r, history: undefined });
    const ev = evaluate(r);
    expect(ev.verdict).toBe(plain.verdict);
    expect(ev.suites[0]?.gate).toEqual(plain.suites[0]?.gate);
    expect(ev.history?.flaky.map((f) => [f.test, f.strip, f.flips])).toEqual([['a', 'PFP', 2]]);
    expect(renderMarkdown(r, ev)).toMatch(/### Flaky by history[\s\S]*s › a: ✅❌✅ \(2 flips\)/);
    expect(renderMarkdown(r, ev)).toMatch(/### History[\s\S]*s 5\/6 = 83\\\.3% over the last 3 runs/);
    expect(renderConsoleSummary(ev)).toContain('~ s › a: ✅❌✅ (2 flips)');
    expect(renderHtml(r, ev)).toMatch(
      /<!-- slot:history --><section class="slot" id="history"><h2>Across runs/,
    );
    expect(renderHtml(r, ev)).toContain('flaky by history');
    expect(renderJunit(r, ev)).toContain('recent runs: ✅❌✅ (2 flips), flaky by history');
  });

  it('quarantine and history follow the (suite, test) pair, not names joined with NUL', () => {
    // Suite "x" test "a\0b" and suite "x\0a" test "b" would share a NUL-joined key: the
    // quarantine of one must not silence the other's failure (a false green).
    const defsQ = [makeSuite('x', ['a\u0000b']), makeSuite('x\u0000a', ['b'])];
    defsQ[0]!.tests[0]!.quarantine = 'flaky upstream';
    const raw = results([suite('x', [pass('a\u0000b')]), suite('x\u0000a', [fail('b')])]);
    const marked = markQuarantine(raw, defsQ, false);
    expect(marked.suites.map((s) => s.tests[0]?.quarantine)).toEqual(['flaky upstream', undefined]);
    expect(evaluate(marked).verdict).toBe('failed');
    const rec = historyRecord(raw, defsQ, { tool: 't' });
    expect(rec.tests.map((t) => [t.suite, t.test, t.outcome])).toEqual([
      ['x', 'a\u0000b', 'passed'],
      ['x\u0000a', 'b', 'failed'],
    ]);
    expect(testStrip([rec], 'x\u0000a', defsQ[1]!.tests[0]!, rec.tests[1]!.def)).toBe('F');
    expect(testStrip([rec], 'x', defsQ[0]!.tests[0]!, rec.tests[0]!.def)).toBe('P');
  });

  it('a failing quarantined test leaves the gate green and is listed; --no-quarantine gates on it', () => {
    const defsQ = [makeSuite('s', ['a', 'b'])];
    defsQ[0]!.tests[1]!.quarantine = 'flaky upstream, JIRA-12';
    const raw = results([suite('s', [pass('a'), fail('b')])]);
    const ev = evaluate(markQuarantine(raw, defsQ, false));
    expect(ev.verdict).toBe('passed');
    expect(ev.quarantine).toEqual({
      gating: false,
      tests: [
        expect.objectContaining({
          test: 'b',
          outcome: 'failed',
          reason: 'flaky upstream, JIRA-12',
          ready: false,
        }),
      ],
    });
    const md = renderMarkdown(markQuarantine(raw, defsQ, false), ev);
    expect(md).toMatch(/### Quarantined[\s\S]*\| s \| b \| ❌ failed \| - \| flaky upstream, JIRA\\-12 \|/);
    expect(renderConsoleSummary(ev)).toContain('quarantined: 1 (reported, not gating)');
    expect(renderJunit(markQuarantine(raw, defsQ, false), ev)).toContain('name="b (quarantined)"');

    const gating = evaluate(markQuarantine(raw, defsQ, true));
    expect(gating.verdict).toBe('failed');
    expect(gating.quarantine?.gating).toBe(true);
    // Without the quarantine the same results fail: the quarantine is what kept it green.
    expect(evaluate(raw).verdict).toBe('failed');
  });

  it('merge keeps quarantine reasons, and --no-quarantine in any part gates the merge on them', () => {
    const defsQ = [makeSuite('s', ['a']), makeSuite('t', ['b'])];
    defsQ[1]!.tests[0]!.quarantine = 'noisy';
    const one = markQuarantine(results([suite('s', [pass('a')])]), defsQ, false);
    const two = (gating: boolean) => markQuarantine(results([suite('t', [fail('b')])]), defsQ, gating);
    const merged = mergeResults([
      { source: 'one.json', results: one },
      { source: 'two.json', results: two(false) },
    ]);
    expect(evaluate(merged).verdict).toBe('passed');
    const strict = mergeResults([
      { source: 'one.json', results: one },
      { source: 'two.json', results: two(true) },
    ]);
    expect(evaluate(strict).verdict).toBe('failed');
  });

  it('a quarantined test without a verdict does not make the run incomplete', () => {
    const defsQ = [makeSuite('s', ['a', 'b'])];
    defsQ[0]!.tests[1]!.quarantine = 'known hang';
    const hanging = {
      ...pass('b'),
      attempts: [{ trial: 1, retry: 0, status: 'running' as const, criteria: [] }],
    };
    const ev = evaluate(markQuarantine(results([suite('s', [pass('a'), hanging])]), defsQ, false));
    expect(ev.verdict).toBe('passed');
    expect(ev.missing).toEqual([]);
  });

  it('points out a quarantined test that passed its last K runs as ready to release', () => {
    const defsQ = [makeSuite('s', ['a', 'b', 'c'])];
    defsQ[0]!.tests[0]!.quarantine = 'was flaky';
    const records = Array.from({ length: 5 }, () => record({ a: 'passed' }));
    const r = markQuarantine(results([suite('s', [pass('a')])]), defsQ, false);
    const ready = evaluate({ ...r, history: summarizeHistory(records, defsQ) });
    expect(ready.quarantine?.tests[0]).toMatchObject({ ready: true, passStreak: 5 });
    expect(renderConsoleSummary(ready)).toContain('passed its last 5 runs: ready to release');
    const notYet = evaluate({ ...r, history: summarizeHistory(records.slice(1), defsQ) });
    expect(notYet.quarantine?.tests[0]).toMatchObject({ ready: false, passStreak: 4 });
  });

  it('results carrying history and quarantine validate and re-evaluate the same (report --from)', () => {
    const defsQ = [makeSuite('s', ['a', 'b'])];
    defsQ[0]!.tests[1]!.quarantine = 'x';
    const r = withHistory(markQuarantine(results([suite('s', [pass('a'), fail('b')])]), defsQ, false));
    const back = Results.parse(JSON.parse(JSON.stringify(r)));
    expect(evaluate(back)).toEqual(evaluate(r));
  });
});
