// --changed-since, the pure part: which tests differ from the definitions at a ref.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDefinitions, markUnchanged, onlyChanged, restoreUnchanged } from '../../src/changed.js';
import { pairKey } from '../../src/keys.js';
import { notStartedResults } from '../../src/run/assemble.js';
import { selectTests } from '../../src/run/select.js';
import type { SuiteDef, TestDef } from '../../src/suite/model.js';
import { makeSuite } from './run-fixtures.js';

const base = (): SuiteDef[] => [makeSuite('s', ['a', 'b']), makeSuite('t', ['c'])];
const editTest = (suites: SuiteDef[], name: string, edit: (t: TestDef) => void): SuiteDef[] => {
  const copy = structuredClone(suites);
  for (const s of copy) for (const t of s.tests) if (t.name === name) edit(t);
  return copy;
};

describe('diffDefinitions', () => {
  it('a synced field, trials or min_passes makes a test changed', () => {
    const edits: ((t: TestDef) => void)[] = [
      (t) => (t.instructions += '!'),
      (t) => (t.destination = 'other'),
      (t) => (t.channel = 'web_call'),
      (t) => (t.description = 'now described'),
      (t) => (t.maxDurationSeconds = 120),
      (t) => (t.rubric[0]!.criteria += '!'),
      (t) => t.rubric.push({ name: 'Tone', criteria: 'calm', required: false }),
      (t) => {
        t.trials = 3;
        t.minPasses = 3;
      },
      (t) => {
        t.trials = 3;
        t.minPasses = 2;
      },
    ];
    for (const edit of edits) {
      expect(Object.fromEntries(diffDefinitions(editTest(base(), 'a', edit), base()))).toEqual({
        [pairKey('s', 'a')]: 'changed',
      });
    }
  });

  it('local-only keys that change neither what runs nor how it is judged leave a test unchanged', () => {
    const now = editTest(base(), 'a', (t) => {
      t.tags = ['smoke'];
      t.loc = { file: 'moved.yaml', line: 99, col: 1 };
    });
    expect(diffDefinitions(now, base()).size).toBe(0);
  });

  it('how a test is judged counts as a change: a criterion made required, a quarantine, the gate', () => {
    // A failing criterion made required, or a quarantine lifted, fails a gate that passed.
    const required = editTest(base(), 'a', (t) => {
      t.rubric[0]!.required = !t.rubric[0]!.required;
    });
    expect([...diffDefinitions(required, base()).keys()]).toEqual([pairKey('s', 'a')]);
    const quarantined = editTest(base(), 'a', (t) => {
      t.quarantine = 'noisy';
    });
    expect([...diffDefinitions(quarantined, base()).keys()]).toEqual([pairKey('s', 'a')]);
    expect([...diffDefinitions(base(), quarantined).keys()]).toEqual([pairKey('s', 'a')]);
    const stricter = base().map((x) => ({ ...x, gate: { ...x.gate, minPassRate: 0.5 } }));
    expect(diffDefinitions(stricter, base()).size).toBe(base().reduce((n, x) => n + x.tests.length, 0));
  });

  it('a rename via renamed_from is the same test; a new name or another suite is new', () => {
    const renamed = editTest(base(), 'a', (t) => {
      t.name = 'a2';
      t.renamedFrom = ['a'];
    });
    expect(diffDefinitions(renamed, base()).size).toBe(0);
    const plainRename = editTest(base(), 'a', (t) => {
      t.name = 'a2';
    });
    expect(Object.fromEntries(diffDefinitions(plainRename, base()))).toEqual({ [pairKey('s', 'a2')]: 'new' });
    expect(Object.fromEntries(diffDefinitions([makeSuite('u', ['a'])], base()))).toEqual({
      [pairKey('u', 'a')]: 'new',
    });
  });

  it('definitions compared with themselves never change, whatever they are (property)', () => {
    const testArb = fc.record({
      name: fc.string({ minLength: 1, maxLength: 8 }),
      trials: fc.integer({ min: 1, max: 5 }),
      rubric: fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(testArb, { selector: (t) => t.name, maxLength: 6 }), (tests) => {
        const suites = [makeSuite('s', tests)];
        expect(diffDefinitions(suites, structuredClone(suites)).size).toBe(0);
        // ... and against nothing, every test is new.
        expect([...diffDefinitions(suites, []).values()].every((c) => c === 'new')).toBe(true);
        expect(diffDefinitions(suites, []).size).toBe(tests.length);
      }),
    );
  });

  it('the run gets only the changed tests; the rest are skipped as unchanged, filters first', () => {
    const changed = new Map([[pairKey('s', 'b'), 'changed' as const]]);
    expect(onlyChanged(base(), changed).map((s) => [s.name, s.tests.map((t) => t.name)])).toEqual([
      ['s', ['b']],
    ]);
    const marked = markUnchanged(selectTests(base(), { grep: /^s\// }), changed, 'origin/main');
    expect(marked.map((m) => [m.key, m.selected, m.skipReason])).toEqual([
      ['s/a', false, 'unchanged since origin/main'],
      ['s/b', true, undefined],
      ['t/c', false, 'does not match --grep /^s\\//'],
    ]);
  });

  it('suite "a/b" test "c" and suite "a" test "b/c" stay two tests: one changed, the other restored as unchanged', () => {
    const now = [makeSuite('a/b', ['c']), makeSuite('a', ['b/c'])];
    const changed = diffDefinitions(
      editTest(now, 'b/c', (t) => (t.instructions += '!')),
      now,
    );
    expect([...changed]).toEqual([[pairKey('a', 'b/c'), 'changed']]);
    expect(onlyChanged(now, changed).map((s) => [s.name, s.tests.map((t) => t.name)])).toEqual([
      ['a', ['b/c']],
    ]);
    const skeleton = notStartedResults({
      selection: markUnchanged(selectTests(now), changed, 'main'),
      startedAt: '',
      finishedAt: '',
      reason: 'not run',
    }).suites;
    const ran = notStartedResults({
      selection: selectTests(onlyChanged(now, changed)),
      startedAt: '',
      finishedAt: '',
      reason: 'ran',
    });
    const restored = restoreUnchanged(ran, skeleton).suites.map((s) =>
      s.tests.map((t) => [s.name, t.name, t.skipped ? t.skipReason : t.attempts[0]?.message]),
    );
    expect(restored).toEqual([[['a/b', 'c', 'unchanged since main']], [['a', 'b/c', 'ran']]]);
  });
});
