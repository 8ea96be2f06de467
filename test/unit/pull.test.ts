// The pull core's invariant: whatever the account holds, the file pull writes parses and plans
// against the same tests with no change (the round trip), both for a new file and for an update
// of a file pulled from different content earlier. Plus the pieces: lifting, names, conflicts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { AssistantTest } from '../../src/api/schemas.js';
import { CHANNELS } from '../../src/api/schemas.js';
import { planSuites } from '../../src/plan.js';
import { type PullOutcome, pullSuite, sharedDefaults, suiteFileName, testEntry } from '../../src/pull.js';
import { parseSuiteText } from '../../src/suite/parse.js';

const SUITE = 'prop';
const PHONE = new Set(['phone_call', 'sms_chat']);

// Text that is hard on a YAML writer: variables, comments, indicators, quotes, line breaks.
const PIECES = [
  'a',
  'Z',
  '1',
  ' ',
  '  ',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: what a suite file reads as a variable
  '${X}',
  '$${',
  '$',
  '#',
  ' # c',
  ': ',
  '- ',
  '"',
  "'",
  '\n',
  '\n\n',
  '\t',
  '{',
  '[',
  '&a',
  '*a',
  '!',
  '%',
  '|',
  '>',
  '?',
  'é',
  '😀',
  'null',
  'true',
  '0x1',
  '+1',
];
const text = (min: number) =>
  fc
    .array(fc.constantFrom(...PIECES), { minLength: min, maxLength: 12 })
    .map((a) => a.join(''))
    .filter((s) => s.length >= min);

const rubric = fc.uniqueArray(fc.record({ name: text(1), criteria: text(1) }), {
  minLength: 1,
  maxLength: 3,
  selector: (r) => r.name,
});

const remoteTest = fc
  .record({
    name: text(1),
    channel: fc.constantFrom(...CHANNELS),
    phone: fc.stringMatching(/^\+[1-9]\d{6,12}$/),
    other: text(1),
    instructions: text(1),
    description: fc.option(text(0), { nil: undefined }),
    max: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }),
    rubric,
  })
  .map(
    (r): AssistantTest => ({
      test_id: '',
      created_at: '2026-01-01T00:00:00Z',
      name: r.name,
      test_suite: SUITE,
      telnyx_conversation_channel: r.channel,
      destination: PHONE.has(r.channel) ? r.phone : r.other,
      instructions: r.instructions,
      rubric: r.rubric,
      ...(r.description === undefined ? {} : { description: r.description }),
      ...(r.max === undefined ? {} : { max_duration_seconds: r.max }),
    }),
  );

const remoteTests = fc
  .uniqueArray(remoteTest, { minLength: 1, maxLength: 5, selector: (t) => t.name })
  .map((ts) => ts.map((t, i) => ({ ...t, test_id: `t${i}` })));

function written(o: PullOutcome) {
  if (o.kind !== 'write') throw new Error(`expected a file, got ${JSON.stringify(o)}`);
  return o;
}

/** Plan the file against the remote tests: the round trip holds when nothing changes. */
function planOf(file: string, textOfFile: string, remote: readonly AssistantTest[]) {
  const parsed = parseSuiteText(textOfFile, { file, env: {} });
  expect(parsed.problems).toEqual([]);
  if (!parsed.suite) throw new Error('no suite');
  return planSuites([parsed.suite], new Map([[SUITE, remote]]));
}

describe('pull round trip (property)', () => {
  it('a new file plans with no change against the tests it came from', () => {
    fc.assert(
      fc.property(remoteTests, (remote) => {
        const o = written(
          pullSuite({ suite: SUITE, remote, newFile: 'suites/prop.yaml', schema: 's', env: {} }),
        );
        expect(o.residual).toEqual([]);
        const plan = planOf(o.file, o.text, remote);
        expect(plan.changes).toEqual([]);
        expect(plan.unchanged).toHaveLength(remote.length);
      }),
      { numRuns: 100 },
    );
  });

  it('updating a file pulled from other content converges on the new content, keeping local-only keys', () => {
    fc.assert(
      fc.property(remoteTests, remoteTests, (before, after) => {
        const first = written(
          pullSuite({ suite: SUITE, remote: before, newFile: 'suites/prop.yaml', schema: 's', env: {} }),
        );
        // A local-only key and comment on the first test, as a user would add them.
        const withLocal = first.text.replace(/^tests:\n(\s*)- /m, 'tests:\n$1- # mine\n$1  trials: 2\n$1  ');
        expect(withLocal).not.toBe(first.text);
        const o = written(
          pullSuite({
            suite: SUITE,
            remote: after,
            existing: { file: first.file, text: withLocal },
            newFile: first.file,
            schema: 's',
            env: {},
          }),
        );
        // The one thing a file cannot say: "no max duration" for a test whose defaults give one.
        const lifted = parse(first.text).defaults?.max_duration_seconds !== undefined;
        const inexpressible = after
          .filter((t) => lifted && t.max_duration_seconds === undefined)
          .map((t) => t.name);
        expect(o.residual.map((r) => /^test "(.*)": max_duration_seconds would/s.exec(r)?.[1])).toEqual(
          o.residual.map(() => expect.toBeOneOf(inexpressible)),
        );
        const plan = planOf(o.file, o.text, after);
        // Only local tests the account no longer has remain, as creates (and the above, as updates).
        expect(
          plan.changes
            .filter((c) => !(c.kind === 'update' && inexpressible.includes(c.name)))
            .map((c) => `${c.kind}:${c.name}`)
            .sort(),
        ).toEqual(o.localOnly.map((n) => `create:${n}`).sort());
        if (after.some((t) => t.name === before[0]?.name)) {
          expect(o.text).toContain('trials: 2');
          expect(o.text).toContain('# mine');
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('pull pieces', () => {
  const base: AssistantTest = {
    test_id: 't1',
    created_at: '2026-01-01T00:00:00Z',
    name: 'A',
    test_suite: SUITE,
    telnyx_conversation_channel: 'phone_call',
    destination: '+15550100001',
    instructions: 'Call.',
    rubric: [{ name: 'R', criteria: 'C' }],
    max_duration_seconds: 60,
  };

  it('maps API fields to file keys and leaves an empty description out', () => {
    expect(testEntry({ ...base, description: '' })).toEqual({
      name: 'A',
      instructions: 'Call.',
      channel: 'phone_call',
      destination: '+15550100001',
      max_duration_seconds: 60,
      rubric: [{ name: 'R', criteria: 'C' }],
    });
  });

  it('lifts only values every test shares', () => {
    const a = testEntry(base);
    const b = testEntry({ ...base, name: 'B', max_duration_seconds: 90 });
    expect(sharedDefaults([a, b])).toEqual({ channel: 'phone_call', destination: '+15550100001' });
    expect(sharedDefaults([])).toEqual({});
  });

  it('names files after the suite, safely', () => {
    expect(suiteFileName('Refunds EU')).toBe('refunds-eu.yaml');
    expect(suiteFileName('../../etc/passwd')).toBe('etc-passwd.yaml');
    expect(suiteFileName('***')).toBe('suite.yaml');
  });

  it('reports a name used by two remote tests instead of picking one', () => {
    const o = pullSuite({
      suite: SUITE,
      remote: [base, { ...base, test_id: 't2' }],
      newFile: 'suites/prop.yaml',
      schema: 's',
      env: {},
    });
    expect(o).toEqual({
      kind: 'conflict',
      suite: SUITE,
      conflicts: [{ suite: SUITE, name: 'A', testIds: ['t1', 't2'] }],
    });
  });

  it('does not write a suite the account cannot express as a valid file (no destination)', () => {
    const { destination: _, ...noDestination } = base;
    const o = pullSuite({
      suite: SUITE,
      remote: [noDestination],
      newFile: 'suites/prop.yaml',
      schema: 's',
      env: {},
    });
    expect(o.kind).toBe('invalid');
    if (o.kind === 'invalid') {
      expect(o.generated).toBe(true);
      expect(o.problems[0]?.message).toContain('no destination');
    }
  });

  it('keeps a variable reference whose value matches the account', () => {
    const existing = `suite: prop\ndefaults:\n  destination: \${NUMBER}\n  channel: phone_call\ntests:\n  - name: A\n    instructions: Call.\n    max_duration_seconds: 60\n    rubric:\n      - name: R\n        criteria: C\n`;
    const o = written(
      pullSuite({
        suite: SUITE,
        remote: [base],
        existing: { file: 'suites/prop.yaml', text: existing },
        newFile: 'suites/prop.yaml',
        schema: 's',
        env: { NUMBER: '+15550100001' },
      }),
    );
    expect(o.changed).toBe(false);
    expect(o.text).toBe(existing);
  });

  it('writes the account max duration of a test the file gives none (neither the test nor defaults)', () => {
    const existing = `suite: prop\ndefaults:\n  destination: '+15550100001'\n  channel: phone_call\ntests:\n  - name: A\n    instructions: Call.\n    rubric:\n      - name: R\n        criteria: C\n`;
    const o = written(
      pullSuite({
        suite: SUITE,
        remote: [{ ...base, max_duration_seconds: 900 }],
        existing: { file: 'suites/prop.yaml', text: existing },
        newFile: 'suites/prop.yaml',
        schema: 's',
        env: {},
      }),
    );
    expect(o.changed).toBe(true);
    expect(o.updated).toEqual([{ name: 'A', keys: ['max_duration_seconds'] }]);
    expect(
      parseSuiteText(o.text, { file: 'suites/prop.yaml', env: {} }).suite?.tests[0]?.maxDurationSeconds,
    ).toBe(900);
  });

  it('never names a file like a simulator scenario (x.scenario.yaml is skipped by every command)', () => {
    expect(suiteFileName('x.scenario')).toBe('x-scenario.yaml');
    expect(suiteFileName('X.Scenario')).toBe('x-scenario.yaml');
  });

  /** Tests A and B share values through anchors; only the named remote tests differ from them. */
  const shared = `suite: prop\ndefaults:\n  destination: '+15550100001'\n  channel: phone_call\ntests:\n  - name: A\n    instructions: &si Call.\n    max_duration_seconds: 60\n    rubric: &r\n      - name: R\n        criteria: C\n  - name: B\n    instructions: *si\n    max_duration_seconds: 60\n    rubric: *r\n`;
  const pullShared = (remote: AssistantTest[]) =>
    written(
      pullSuite({
        suite: SUITE,
        remote,
        existing: { file: 'suites/prop.yaml', text: shared },
        newFile: 'suites/prop.yaml',
        schema: 's',
        env: {},
      }),
    );
  const b: AssistantTest = { ...base, test_id: 't2', name: 'B' };

  it('an anchored value changed for one test leaves the tests that alias it as they were', () => {
    const o = pullShared([
      { ...base, instructions: 'Call twice.', rubric: [{ name: 'R', criteria: 'C, politely' }] },
      b,
    ]);
    const file = parseSuiteText(o.text, { file: 'suites/prop.yaml', env: {} });
    const tests = new Map(file.suite?.tests.map((t) => [t.name, t]));
    expect(tests.get('A')?.instructions).toBe('Call twice.');
    expect(tests.get('A')?.rubric[0]?.criteria).toBe('C, politely');
    expect(tests.get('B')?.instructions).toBe('Call.');
    expect(tests.get('B')?.rubric[0]?.criteria).toBe('C');
    // And the file now plans with no change against the account.
    expect(
      planOf('suites/prop.yaml', o.text, [
        { ...base, instructions: 'Call twice.', rubric: [{ name: 'R', criteria: 'C, politely' }] },
        b,
      ]).changes,
    ).toEqual([]);
  });

  it('a changed test that aliases an anchor of an earlier one is written (the whole file), not a crash', () => {
    const o = pullShared([base, { ...b, instructions: 'Hang up.' }]);
    const file = parseSuiteText(o.text, { file: 'suites/prop.yaml', env: {} });
    expect(file.problems).toEqual([]);
    expect(file.suite?.tests.map((t) => t.instructions)).toEqual(['Call.', 'Hang up.']);
  });
});
