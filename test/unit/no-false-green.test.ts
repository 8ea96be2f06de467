// Issue 12, case by case: an empty selection, a merge with a shard missing, a re-render of a
// regression, and messages that contradicted the verdict. The general proof is in
// verdict-invariant.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { readInputs } from '../../src/action/inputs.js';
import { expandResultsFiles, mergeCommand } from '../../src/commands/merge.js';
import { reportCommand } from '../../src/commands/report.js';
import { runCommand } from '../../src/commands/run.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { checkShards, mergeResults, type ShardInput } from '../../src/merge.js';
import type { Results } from '../../src/results.js';
import { resumeSummary } from '../../src/run/assemble.js';
import { assertSelection, definitionsFingerprint, selectTests, shardInfo } from '../../src/run/select.js';
import type { RunState } from '../../src/run/state.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, fail, pass, results, suite, testResult } from './helpers/results.js';
import { makeSuite } from './run-fixtures.js';

const suites = [
  makeSuite('refunds', [{ name: 'Damaged product refund', tags: ['smoke'] }, 'Late refund']),
  makeSuite('booking', [{ name: 'Book a slot', tags: ['voice'] }]),
];

const refusal = (f: () => void): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('an empty selection', () => {
  it('is a usage error naming the filter, the suites and the tags it could have matched', () => {
    const msg = refusal(() =>
      assertSelection(suites, selectTests(suites, { tags: ['nonexistent'] }), { tags: ['nonexistent'] }),
    );
    expect(msg).toContain('--tag nonexistent selects none of the 3 tests. Nothing was sent.');
    expect(msg).toContain('suites: refunds (2 tests), booking (1 test)');
    expect(msg).toContain('tags: smoke, voice');
    expect(msg).toContain('--pass-with-no-tests');
  });

  it('names a --grep that matches nothing, with an example of what it is matched against', () => {
    const grep = /nothing-like-this/;
    const msg = refusal(() => assertSelection(suites, selectTests(suites, { grep }), { grep: grep.source }));
    expect(msg).toContain('--grep nothing-like-this selects none of the 3 tests');
    expect(msg).toContain('"refunds/Damaged product refund"');
  });

  it('refuses a shard of an empty set, but not an empty shard of a selection other shards run', () => {
    const shard = { index: 2, total: 4 };
    const none = selectTests(suites, { tags: ['nope'], shard });
    expect(() => assertSelection(suites, none, { tags: ['nope'], shard })).toThrow(UsageError);
    const one = selectTests(suites, { tags: ['voice'], shard: { index: 2, total: 2 } });
    expect(one.filter((s) => s.selected)).toHaveLength(0);
    expect(() => assertSelection(suites, one, { tags: ['voice'] })).not.toThrow();
    expect(shardInfo(suites, one, { tags: ['voice'], shard: { index: 2, total: 2 } })).toMatchObject({
      index: 2,
      total: 2,
      candidates: 1,
      filters: '--tag voice',
    });
  });

  it('passes only with --pass-with-no-tests', () => {
    const none = selectTests(suites, { tags: ['nope'] });
    expect(() => assertSelection(suites, none, { tags: ['nope'], passWithNoTests: true })).not.toThrow();
    const empty = results([suite('s', [testResult('t', [], { skipped: true })])]);
    expect(evaluate(empty)).toMatchObject({ verdict: 'failed' });
    expect(evaluate(empty).reasons[0]).toContain('no test was selected');
    expect(evaluate({ ...empty, passWithNoTests: true }).verdict).toBe('passed');
  });

  it('the Action maps input pass-with-no-tests onto the same option', () => {
    const inputs: Record<string, string> = { 'api-key': 'KEY_x', tags: 'nope', 'pass-with-no-tests': 'true' };
    const plan = readInputs(
      (n) => inputs[n] ?? '',
      memoryIo(),
      () => {},
    );
    expect(plan.mode === 'run' && plan.options.passWithNoTests).toBe(true);
    inputs['pass-with-no-tests'] = '';
    const plain = readInputs(
      (n) => inputs[n] ?? '',
      memoryIo(),
      () => {},
    );
    expect(plain.mode === 'run' && plain.options.passWithNoTests).toBe(false);
  });

  it('run --tag nonexistent exits 2 before any request (no API key, no server needed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-empty-'));
    mkdirSync(join(dir, 'suites'));
    writeFileSync(
      join(dir, 'suites', 'refunds.yaml'),
      [
        'suite: refunds',
        'defaults: { channel: web_chat, destination: assistant-1 }',
        'tests:',
        '  - name: Damaged product refund',
        '    instructions: Act as a customer',
        '    rubric: [{ name: Accuracy, criteria: States the policy }]',
        '    tags: [smoke]',
        '',
      ].join('\n'),
    );
    const io = memoryIo({ cwd: dir, env: {} });
    const code = await runCommand(['suites'], { tag: 'nonexistent', baseUrl: 'http://127.0.0.1:9' }, io, {
      signal: new AbortController().signal,
    });
    expect(code).toBe(EXIT.usage);
    expect(io.err.join('')).toContain('--tag nonexistent selects none of the 1 test. Nothing was sent.');
    expect(io.err.join('')).toContain('tags: smoke');
    expect(io.out.join('')).not.toContain('PASSED');
  });
});

describe('definitionsFingerprint', () => {
  it('is the same for every checkout of the same definitions, whatever the order or location', () => {
    const moved = suites
      .map((s) => ({ ...s, file: `elsewhere/${s.file}`, tests: [...s.tests].reverse() }))
      .map((s) => ({ ...s, tests: s.tests.map((t) => ({ ...t, loc: { ...t.loc, line: t.loc.line + 7 } })) }))
      .reverse();
    expect(definitionsFingerprint(moved)).toBe(definitionsFingerprint(suites));
    expect(definitionsFingerprint(suites)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('changes with any definition, selected or not', () => {
    const edited = suites.map((s, i) =>
      i === 1 ? { ...s, tests: s.tests.map((t) => ({ ...t, instructions: `${t.instructions}!` })) } : s,
    );
    expect(definitionsFingerprint(edited)).not.toBe(definitionsFingerprint(suites));
    const gate = suites.map((s) => ({ ...s, gate: { ...s.gate, minPassRate: 0.5 } }));
    expect(definitionsFingerprint(gate)).not.toBe(definitionsFingerprint(suites));
  });
});

/** Shard files of one run: a and b in shard 1, c in shard 2 (of `total`). */
function shardFiles(total = 2, over: Partial<NonNullable<Results['shard']>>[] = []): ShardInput[] {
  const all = ['a', 'b', 'c'];
  const owner: Record<string, number> = { a: 1, b: 1, c: 2 };
  return Array.from({ length: total }, (_, i) => {
    const index = i + 1;
    const r = results([
      suite(
        's',
        all.map((n) =>
          owner[n] === index
            ? pass(n)
            : testResult(n, [], { skipped: true, skipReason: 'runs in another shard' }),
        ),
      ),
    ]);
    r.shard = { index, total, fingerprint: 'sha256:f', filters: '', candidates: 3, ...over[i] };
    return { source: `shards/${index}/results.json`, results: r };
  });
}

describe('merge', () => {
  it('a missing shard is incomplete (exit 3), naming it and how many tests it holds', () => {
    const [, second] = shardFiles(2);
    const merged = mergeResults([second!]);
    expect(merged.complete).toBe(false);
    const ev = evaluate(merged);
    expect(ev.verdict).toBe('incomplete');
    expect(ev.reasons[0]).toBe(
      'incomplete: shard 1/2 missing (2 of the 3 selected tests): no results file for it; 2 of 3 selected tests have no verdict',
    );
    expect(renderConsoleSummary(ev).split('\n')[0]).toBe(
      'rubric-gate: INCOMPLETE: shard 1/2 missing (2 of the 3 selected tests): no results file for it; 2 of 3 selected tests have no verdict',
    );
    expect(checkShards(shardFiles(4).slice(1, 3))).toEqual({ total: 4, missing: [1, 4] });
  });

  it('refuses a shard given twice, different definitions, N or filters, and shards mixed with whole runs', () => {
    const [one, two] = shardFiles(2);
    expect(() => mergeResults([one!, two!, { ...one!, source: 'copy.json' }])).toThrow(
      'shard 1/2 is there twice: shards/1/results.json and copy.json',
    );
    expect(() => mergeResults(shardFiles(2, [{}, { fingerprint: 'sha256:other' }]))).toThrow(
      /differ in suite definitions \(fingerprint\)/,
    );
    expect(() => mergeResults(shardFiles(2, [{}, { total: 3 }]))).toThrow(/differ in their number/);
    expect(() => mergeResults(shardFiles(2, [{}, { filters: '--tag smoke' }]))).toThrow(/differ in filters/);
    const whole = { source: 'whole.json', results: results([suite('t', [pass('x')])]) };
    expect(() => mergeResults([one!, whole])).toThrow(
      /cannot merge shard results with results of whole runs/,
    );
  });

  it('merges whole runs of different tests as they are (e.g. one job per suite folder)', () => {
    const merged = mergeResults([
      { source: 'a.json', results: results([suite('a', [pass('x')])]) },
      { source: 'b.json', results: results([suite('b', [pass('y')])]) },
    ]);
    expect(evaluate(merged).verdict).toBe('passed');
  });

  it('expands a quoted glob itself, and says when it matches nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-glob-'));
    for (const s of shardFiles(2)) {
      mkdirSync(join(dir, s.source, '..'), { recursive: true });
      writeFileSync(join(dir, s.source), JSON.stringify(s.results));
    }
    expect(await expandResultsFiles(['shards/*/results.json', 'shards/1/results.json'], dir)).toEqual([
      'shards/1/results.json',
      'shards/2/results.json',
    ]);
    const io = memoryIo({ cwd: dir });
    expect(await mergeCommand(['shards/*/results.json'], { outDir: 'out', reporters: ['json'] }, io)).toBe(
      EXIT.ok,
    );
    expect(io.out.join('')).toContain('rubric-gate: PASSED: all gates held');
    await expect(mergeCommand(['nope/*/results.json'], {}, io)).rejects.toThrow(
      'merge: no file matches nope/*/results.json',
    );
  });
});

describe('report --from', () => {
  it('reproduces a run that failed only on a regression against its --baseline (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-regress-'));
    const before = results([suite('refunds', [pass('a'), pass('b')], { minPassRate: 0.5 })]);
    const now = results([
      suite('refunds', [pass('a'), fail('b', { Accuracy: 'passed', Empathy: 'failed' })], {
        minPassRate: 0.5,
      }),
    ]);
    writeFileSync(join(dir, 'base.json'), JSON.stringify(before));
    writeFileSync(join(dir, 'now.json'), JSON.stringify(now));
    const io = memoryIo({ cwd: dir });
    const ran = await reportCommand(
      { from: 'now.json', baseline: 'base.json', failOnRegression: true, outDir: 'run' },
      io,
    );
    expect(ran).toBe(EXIT.gateFailed);
    const written = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8'));
    expect(written.baseline.source).toBe('base.json');
    expect(written.baseline.tests.map((t: { test: string }) => t.test)).toEqual(['a', 'b']);
    // Without the baseline file: same verdict, same exit code, no "no baseline was given".
    const io2 = memoryIo({ cwd: dir });
    expect(await reportCommand({ from: 'run/results.json', outDir: 'again' }, io2)).toBe(EXIT.gateFailed);
    const out = io2.out.join('');
    expect(out.split('\n')[0]).toBe(
      'rubric-gate: FAILED: refunds › b: regression (passed in the baseline, fails now)',
    );
    expect(out).not.toContain('no baseline was given');
  });
});

describe('messages match the verdict', () => {
  it('an unfinished run states what is missing, not gate arithmetic over absent results', () => {
    const running = (name: string) => testResult(name, [attempt(1, 'running', {}, { runId: `run-${name}` })]);
    const r = results([suite('refunds', [running('a'), running('b')])], {
      complete: false,
      incompleteReason: 'cancelled (SIGINT); 2 runs are still in progress remotely',
    });
    const text = renderConsoleSummary(evaluate(r));
    expect(text.split('\n')[0]).toBe(
      'rubric-gate: INCOMPLETE: cancelled (SIGINT); 2 runs are still in progress remotely; 2 of 2 selected tests have no verdict',
    );
    expect(text).toContain('2 without a verdict (2 still running)');
    expect(text).toContain('missing: 2 tests without a verdict');
    expect(text).toContain('- refunds › a: still running remotely');
    expect(text).not.toMatch(/pass rate 0\/2 < 100% required|errors \(|INCOMPLETE: incomplete/);
  });

  it('an unfinished run still lists the failures no missing result could undo', () => {
    const r = results(
      [suite('refunds', [fail('x', { Accuracy: 'failed' }), testResult('y', [attempt(1, 'running')])])],
      { complete: false, incompleteReason: '--timeout 1m reached' },
    );
    const ev = evaluate(r);
    expect(ev.reasons).toEqual([
      'incomplete: --timeout 1m reached; 1 of 2 selected tests has no verdict (1 run still in progress remotely)',
      'refunds: pass rate cannot reach 100% even if the 1 test without a verdict pass: 0 of 2 passed',
      'refunds › x: required criterion Accuracy failed',
    ]);
    expect(renderConsoleSummary(ev)).toContain('already failing, whatever the missing results say:');
  });

  it('a results file claiming completeness with runs still in progress is incomplete', () => {
    const r = results([suite('s', [pass('a'), testResult('b', [attempt(1, 'running')])], { maxErrors: 5 })]);
    expect(evaluate(r)).toMatchObject({ verdict: 'incomplete', complete: false });
  });

  it('--resume says what it will wait for, never "0 to pick up again"', () => {
    const work = (status: string, trial = 1) => ({ suite: 's', test: `t${trial}`, trial, retry: 0, status });
    const state = {
      startedAt: '2026-03-01T10:00:00.000Z',
      batches: [],
      work: [work('running', 1), work('running', 2), work('passed', 3), work('queued', 4)],
    } as unknown as RunState;
    expect(resumeSummary(state)).toBe(
      'Resuming the run started 2026-03-01T10:00:00.000Z: 2 runs to wait for, 1 run to trigger, 1 run already final (settings from the state file)',
    );
    // --against: the baseline side's trial is its own run, still to wait for.
    const sides = {
      ...state,
      work: [{ ...work('passed', 1) }, { ...work('running', 1), side: 'baseline' }],
    } as unknown as RunState;
    expect(resumeSummary(sides)).toMatch(/: 1 run to wait for, 1 run already final/);
  });
});
