import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Annotation,
  formatAnnotation,
  limitAnnotations,
  PER_LEVEL,
  problemAnnotations,
  rankAnnotations,
} from '../../src/action/annotations.js';
import type { TestResult } from '../../src/results.js';
import { type Evaluation, evaluate, type SuiteEvaluation, type TestEvaluation } from '../../src/verdict.js';
import { C0_C1, hostileText, isWorkflowCommand, OUR_STYLING, runnerLines } from './helpers/hostile.js';
import { errored, fail, pass as passing, results, suite } from './helpers/results.js';

const test = (name: string, over: Partial<TestEvaluation> = {}): TestEvaluation => ({
  suite: 'refunds',
  test: name,
  file: 'suites/refunds.yaml',
  line: 10,
  outcome: 'passed',
  pending: false,
  trials: 1,
  minPasses: 1,
  passes: 1,
  failures: 0,
  errors: 0,
  failedCriteria: [],
  durationMs: 1000,
  runIds: [],
  conversationIds: [],
  ...over,
});

const evaluation = (tests: TestEvaluation[]): Evaluation =>
  ({
    suites: [{ name: 'refunds', file: 'suites/refunds.yaml', tests } as unknown as SuiteEvaluation],
  }) as unknown as Evaluation;

const failed = (name: string, required: boolean, over: Partial<TestEvaluation> = {}) =>
  test(name, {
    outcome: 'failed',
    passes: 0,
    failures: 1,
    failedCriteria: [{ name: required ? 'Accuracy' : 'Tone', required, failedTrials: 1, trials: 1 }],
    ...over,
  });

describe('rankAnnotations', () => {
  it('puts required-criterion failures first, then regressions, other failures, then errors', () => {
    const ev = evaluation([
      test('errored', { outcome: 'error', message: 'timed out after 6m' }),
      failed('optional', false),
      failed('regressed', false, { change: 'regression' }),
      failed('required', true),
      test('fine'),
    ]);
    const errors = rankAnnotations(ev).filter((a) => a.level === 'error');
    expect(errors.map((a) => a.title)).toEqual([
      'refunds › required',
      'refunds › regressed (regression)',
      'refunds › optional',
      'refunds › errored',
    ]);
    expect(errors[0]).toMatchObject({
      file: 'suites/refunds.yaml',
      line: 10,
      message: 'failed: Accuracy (required)',
    });
    expect(errors[3]!.message).toBe('error: timed out after 6m');
  });

  it('warns for flaky tests and for criterion regressions in tests that still pass', () => {
    const ev = evaluation([
      test('flaky one', { outcome: 'flaky', message: 'passed after 1 retry' }),
      test('slipping', { criteriaChanges: [{ name: 'Empathy', change: 'regression' }] }),
    ]);
    expect(rankAnnotations(ev)).toEqual([
      expect.objectContaining({ level: 'warning', title: 'refunds › slipping (criterion regression)' }),
      expect.objectContaining({ level: 'warning', title: 'refunds › flaky one (flaky)' }),
    ]);
  });
});

describe('rankAnnotations: quarantined tests', () => {
  /** "s › t3 (quarantined)" → "t3": the test an annotation names. */
  const named = (a: Annotation) => a.title.split(' › ')[1]?.split(' (')[0];

  it('never take an error slot from the failure that failed the gate', () => {
    // 10 quarantined tests failing the required criterion; the gate fails on the one that is not.
    const known = Array.from({ length: 10 }, (_, i) =>
      fail(
        `known-bad ${i}`,
        { Accuracy: 'failed', Empathy: 'passed' },
        { quarantine: 'JIRA-1', line: 10 + i },
      ),
    );
    const r = results([
      suite('s', [...known, fail('real', { Accuracy: 'passed', Empathy: 'failed' }, { line: 99 })]),
    ]);
    const ev = evaluate(r);
    expect(ev.verdict).toBe('failed');
    const kept = limitAnnotations(rankAnnotations(ev), { reserveErrors: 1 });
    expect(kept.filter((a) => a.level === 'error')).toEqual([
      expect.objectContaining({ title: 's › real', line: 99, message: 'failed: Empathy' }),
    ]);
    const warnings = kept.filter((a) => a.level === 'warning');
    expect(warnings).toHaveLength(10);
    for (const w of warnings) {
      expect(w.title).toMatch(/^s › known-bad \d \(quarantined\)$/);
      expect(w.message).toBe('failed: Accuracy (required) (quarantined: JIRA-1; it gates nothing)');
    }
    expect(kept.filter((a) => a.level === 'notice')).toEqual([]);
  });

  it('rank after every other warning', () => {
    const ev = evaluation([
      test('known', { outcome: 'flaky', quarantine: 'JIRA-2' }),
      test('flaky', { outcome: 'flaky' }),
    ]);
    expect(rankAnnotations(ev).map((a) => [a.level, a.title])).toEqual([
      ['warning', 'refunds › flaky (flaky)'],
      ['warning', 'refunds › known (flaky) (quarantined)'],
    ]);
  });

  it('are errors like any other when --no-quarantine gates on them', () => {
    const r = results([suite('s', [fail('known', undefined, { quarantine: 'JIRA-1' })])], {
      noQuarantine: true,
    });
    expect(rankAnnotations(evaluate(r))).toEqual([
      expect.objectContaining({ level: 'error', title: 's › known', message: 'failed: Empathy' }),
    ]);
  });

  // Any mix of passing, failing and errored tests, quarantined or not, with or without
  // --no-quarantine, and any number of error slots left: the failures that gate hold the error
  // slots (as many as fit), every quarantined one that gates nothing is a marked warning.
  const kinds = ['pass', 'required', 'optional', 'error'] as const;
  const build: Record<(typeof kinds)[number], (name: string, q: Partial<TestResult>) => TestResult> = {
    pass: (name, q) => passing(name, q),
    required: (name, q) => fail(name, { Accuracy: 'failed', Empathy: 'passed' }, q),
    optional: (name, q) => fail(name, { Accuracy: 'passed', Empathy: 'failed' }, q),
    error: (name, q) => ({ ...errored(name), ...q }),
  };
  it('for any mix, a failing test that gates holds an error slot whenever one is free', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ kind: fc.constantFrom(...kinds), quarantined: fc.boolean() }), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.boolean(),
        fc.integer({ min: 0, max: 9 }),
        (specs, noQuarantine, reserveErrors) => {
          const tests = specs.map((s, i) =>
            build[s.kind](`t${i}`, s.quarantined ? { quarantine: 'known' } : {}),
          );
          const ev = evaluate(results([suite('s', tests)], { noQuarantine }));
          const all = ev.suites.flatMap((x) => x.tests);
          const failing = all.filter((t) => t.outcome === 'failed' || t.outcome === 'error');
          const gates = (t: TestEvaluation) => noQuarantine || t.quarantine === undefined;
          const gating = new Set(failing.filter(gates).map((t) => t.test));
          const kept = limitAnnotations(rankAnnotations(ev), { reserveErrors });
          const errors = kept.filter((a) => a.level === 'error');
          // Errors name only failures that gate, as many as the free slots allow.
          expect(errors.length).toBe(Math.min(gating.size, PER_LEVEL - reserveErrors));
          for (const e of errors) expect(gating.has(named(e) ?? '')).toBe(true);
          if (gating.size > 0) expect(errors.length).toBeGreaterThan(0);
          // A quarantined failure that gates nothing is a warning that says so.
          const ranked = rankAnnotations(ev);
          for (const t of failing.filter((x) => !gates(x))) {
            const own = ranked.filter((a) => named(a) === t.test);
            expect(own).toEqual([
              expect.objectContaining({ level: 'warning', title: expect.stringMatching(/\(quarantined\)$/) }),
            ]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('limitAnnotations', () => {
  it('keeps 10 per level, the most important, and says how many more are in the summary', () => {
    const many = Array.from({ length: 13 }, (_, i) => failed(`t${i}`, i === 12));
    const kept = limitAnnotations(rankAnnotations(evaluation(many)));
    const errors = kept.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    expect(errors[0]!.title).toBe('refunds › t12'); // the required failure survived the cut
    expect(kept.filter((a) => a.level === 'notice')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^3 more failing tests .*job summary/) }),
    ]);
  });

  it('keeps error slots free for the step failure message that follows', () => {
    const many = Array.from({ length: 12 }, (_, i) => failed(`t${i}`, false));
    const kept = limitAnnotations(rankAnnotations(evaluation(many)), { reserveErrors: 1 });
    expect(kept.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(kept.filter((a) => a.level === 'notice')).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^3 more failing tests /) }),
    ]);
  });

  it('caps warnings too, with their own notice', () => {
    const flaky = Array.from({ length: 11 }, (_, i) => test(`f${i}`, { outcome: 'flaky' }));
    const kept = limitAnnotations(rankAnnotations(evaluation(flaky)));
    expect(kept.filter((a) => a.level === 'warning')).toHaveLength(10);
    expect(kept.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringMatching(/^1 more warnings .*job summary$/),
    ]);
  });

  it('leaves the warning slots the step already used (inputs, summary, comment) and counts the rest', () => {
    const flaky = Array.from({ length: 12 }, (_, i) => test(`f${i}`, { outcome: 'flaky' }));
    const kept = limitAnnotations(rankAnnotations(evaluation(flaky)), { reserveWarnings: 2 });
    expect(kept.filter((a) => a.level === 'warning')).toHaveLength(8);
    expect(kept.filter((a) => a.level === 'notice').map((a) => a.message)).toEqual([
      expect.stringMatching(/^4 more warnings /),
    ]);
    expect(limitAnnotations(rankAnnotations(evaluation(flaky)), { reserveWarnings: 12 })).toEqual([
      expect.objectContaining({ level: 'notice', message: expect.stringMatching(/^12 more warnings /) }),
    ]);
  });

  it('adds no notice when nothing was cut', () => {
    expect(limitAnnotations(rankAnnotations(evaluation([failed('one', true)])))).toHaveLength(1);
  });
});

describe('problemAnnotations', () => {
  it('puts each suite file problem at its file, line and column', () => {
    const [a] = problemAnnotations([
      { file: 'suites/x.yaml', line: 4, col: 7, message: 'unknown key "rubrik"' },
    ]);
    expect(formatAnnotation(a!)).toBe(
      '::error file=suites/x.yaml,line=4,col=7,title=invalid suite file::unknown key "rubrik"',
    );
  });
});

describe('formatAnnotation', () => {
  it('formats a workflow command with file, line and title', () => {
    const a: Annotation = {
      level: 'error',
      title: 'refunds › Damaged',
      message: 'failed: A',
      file: 'suites/r.yaml',
      line: 7,
    };
    expect(formatAnnotation(a)).toBe('::error file=suites/r.yaml,line=7,title=refunds › Damaged::failed: A');
  });

  it('content from the API cannot start another workflow command or break the properties', () => {
    const hostile = 'x\n::add-mask::leak\r\n::stop-commands::t, y: 100%';
    const line = formatAnnotation({
      level: 'warning',
      title: hostile,
      message: hostile,
      file: 'a,b:c.yaml',
      line: 1,
    });
    expect(line.split('\n')).toHaveLength(1);
    expect(line).not.toMatch(/\r/);
    // The title is one clean line; the message keeps its lines, each broken where it would
    // start a command (": :"), then escaped.
    expect(line).toBe(
      '::warning file=a%2Cb%3Ac.yaml,line=1,title=x %3A%3Aadd-mask%3A%3Aleak %3A%3Astop-commands%3A%3At%2C y%3A 100%25' +
        '::x%0A: :add-mask::leak%0A: :stop-commands::t, y: 100%25',
    );
  });

  it('no control character, escape sequence or command reaches a title, message or file', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, (title, message, file) => {
        const line = formatAnnotation({ level: 'error', title, message, file, line: 3 });
        expect(line.startsWith('::error file=')).toBe(true);
        expect(line.replace(OUR_STYLING, '')).not.toMatch(C0_C1);
        expect(line).not.toMatch(/[\n\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        // What the runner does with the message: %0A back to line breaks; no line is a command.
        const data = line
          .slice(line.indexOf('::', 2) + 2)
          .replace(/%0A/g, '\n')
          .replace(/%0D/g, '\r');
        for (const l of runnerLines(data)) expect(isWorkflowCommand(l)).toBe(false);
        expect(line.slice(2)).not.toContain('##[');
      }),
      { numRuns: 300 },
    );
    const bell = formatAnnotation({
      level: 'error',
      title: 'a\u0007b\u001b[31mc\u0000d',
      message: 'm\u0007',
    });
    expect(bell).toBe('::error title=abcd::m');
  });
});
