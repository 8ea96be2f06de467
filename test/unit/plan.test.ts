import { describe, expect, it } from 'vitest';
import type { TelnyxClient } from '../../src/api/client.js';
import { ListChangedError } from '../../src/api/paginate.js';
import type { AssistantTest } from '../../src/api/schemas.js';
import { LIMITS } from '../../src/api/schemas.js';
import { ApiError, IncompleteError, UsageError } from '../../src/errors.js';
import { countPlan, diffTest, hasWrites, type Plan, type PlanChange, planSuites } from '../../src/plan.js';
import { excerptPair, planSummary, renderPlan, renderSyncReport } from '../../src/render-plan.js';
import { DEFAULT_GATE, type SuiteDef, type TestDef, toApiBody } from '../../src/suite/model.js';
import {
  assertNoConflicts,
  canonicalJson,
  countResults,
  createKey,
  readAndPlan,
  type SyncReport,
  type SyncResult,
  throwIfFailed,
} from '../../src/sync.js';

const test = (name: string, over: Partial<TestDef> = {}): TestDef => ({
  suite: 'refunds',
  name,
  instructions: `Act as a customer asking about ${name}`,
  destination: '+15551234567',
  channel: 'phone_call',
  rubric: [
    { name: 'Accuracy', criteria: 'States the policy', required: true },
    { name: 'Empathy', criteria: 'Acknowledges frustration', required: false },
  ],
  trials: 1,
  minPasses: 1,
  tags: [],
  renamedFrom: [],
  loc: { file: 'suites/refunds.yaml', line: 5, col: 5 },
  ...over,
});

const suite = (tests: TestDef[], name = 'refunds'): SuiteDef => ({
  name,
  file: `suites/${name}.yaml`,
  loc: { file: `suites/${name}.yaml`, line: 1, col: 1 },
  gate: DEFAULT_GATE,
  tests: tests.map((t) => ({ ...t, suite: name })),
});

let seq = 0;
/** The remote form of a local test, as the API would list it after a create. */
const remoteOf = (t: TestDef, over: Partial<AssistantTest> = {}): AssistantTest => {
  const body = toApiBody(t);
  return {
    test_id: `id-${++seq}`,
    created_at: '2026-01-01T00:00:00Z',
    name: body.name,
    instructions: body.instructions,
    destination: body.destination,
    rubric: body.rubric,
    telnyx_conversation_channel: body.telnyx_conversation_channel ?? 'web_chat',
    test_suite: t.suite,
    ...(body.description === undefined ? {} : { description: body.description }),
    ...(body.max_duration_seconds === undefined ? {} : { max_duration_seconds: body.max_duration_seconds }),
    ...over,
  };
};

const kinds = (plan: Plan) => plan.changes.map((c) => `${c.kind}:${c.name}`);
const only = <K extends PlanChange['kind']>(plan: Plan, kind: K) =>
  plan.changes.filter((c): c is Extract<PlanChange, { kind: K }> => c.kind === kind);

describe('planSuites', () => {
  it('creates every test of a suite with no remote tests, with API-only bodies', () => {
    const s = suite([test('A', { tags: ['smoke'], trials: 3, minPasses: 2 }), test('B')]);
    const plan = planSuites([s], new Map());
    expect(kinds(plan)).toEqual(['create:A', 'create:B']);
    const body = only(plan, 'create')[0]?.body ?? {};
    expect(Object.keys(body).sort()).toEqual(
      ['destination', 'instructions', 'name', 'rubric', 'telnyx_conversation_channel', 'test_suite'].sort(),
    );
    // Local-only fields never appear anywhere in the body.
    const text = JSON.stringify(body);
    for (const local of ['required', 'trials', 'min_passes', 'minPasses', 'tags', 'renamed', 'gate']) {
      expect(text).not.toContain(local);
    }
    expect(countPlan(plan)).toMatchObject({ create: 2, update: 0, delete: 0, unchanged: 0 });
  });

  it('reports nothing to do when remote matches, normalising absent vs empty description', () => {
    const a = test('A');
    const b = test('B', { description: '' });
    const c = test('C', { description: 'Has one', maxDurationSeconds: 120 });
    const remote = new Map([
      [
        'refunds',
        [
          remoteOf(a, { description: '' }), // remote '' vs local absent
          remoteOf(b), // remote absent vs local ''
          remoteOf(c),
        ],
      ],
    ]);
    const plan = planSuites([suite([a, b, c])], remote);
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged.map((u) => u.name)).toEqual(['A', 'B', 'C']);
    expect(hasWrites(plan, true)).toBe(false);
    expect(planSummary(plan, false)).toBe('No changes. Remote tests match the suite files.');
  });

  it('ignores a remote max_duration_seconds when the file does not set one (a PUT cannot unset it)', () => {
    const a = test('A');
    const plan = planSuites(
      [suite([a])],
      new Map([['refunds', [remoteOf(a, { max_duration_seconds: 600 })]]]),
    );
    expect(plan.changes).toEqual([]);
  });

  it('ignores local-only fields: changing required, trials, tags is not an update', () => {
    const a = test('A');
    const edited = test('A', {
      trials: 5,
      minPasses: 3,
      tags: ['nightly'],
      rubric: a.rubric.map((r) => ({ ...r, required: !r.required })),
    });
    const plan = planSuites([suite([edited])], new Map([['refunds', [remoteOf(a)]]]));
    expect(plan.changes).toEqual([]);
  });

  it('diffs exactly the changed fields and sends only them', () => {
    const a = test('A', { description: 'old description' });
    const r = remoteOf(a);
    const edited = test('A', { description: 'new description', channel: 'web_chat', maxDurationSeconds: 90 });
    const plan = planSuites([suite([edited])], new Map([['refunds', [r]]]));
    const [u] = only(plan, 'update');
    expect(u?.testId).toBe(r.test_id);
    expect(u?.changes.map((c) => c.field)).toEqual([
      'description',
      'telnyx_conversation_channel',
      'max_duration_seconds',
    ]);
    expect(u?.body).toEqual({
      description: 'new description',
      telnyx_conversation_channel: 'web_chat',
      max_duration_seconds: 90,
    });
    expect(u?.changes[0]).toEqual({
      field: 'description',
      before: 'old description',
      after: 'new description',
    });
  });

  it('clears a description removed from the file with an empty string', () => {
    const r = remoteOf(test('A', { description: 'was here' }));
    const { changes, body } = diffTest(test('A'), r);
    expect(changes).toEqual([{ field: 'description', before: 'was here', after: '' }]);
    expect(body).toEqual({ description: '' });
  });

  it('treats the rubric as ordered name+criteria', () => {
    const a = test('A');
    const reordered = test('A', { rubric: [...a.rubric].reverse() });
    const { changes, body } = diffTest(reordered, remoteOf(a));
    expect(changes.map((c) => c.field)).toEqual(['rubric']);
    expect(body.rubric?.map((r) => r.name)).toEqual(['Empathy', 'Accuracy']);
    expect(body.rubric?.[0]).toEqual({ name: 'Empathy', criteria: 'Acknowledges frustration' });
  });

  it('flags remote fields the file sets but the remote lacks', () => {
    const a = test('A');
    const r = remoteOf(a);
    delete r.instructions;
    delete r.destination;
    const { changes } = diffTest(a, r);
    expect(changes.map((c) => c.field)).toEqual(['instructions', 'destination']);
  });

  it('deletes unmatched remote tests of a managed suite; the summary needs --prune', () => {
    const a = test('A');
    const plan = planSuites([suite([a])], new Map([['refunds', [remoteOf(a), remoteOf(test('Gone'))]]]));
    expect(kinds(plan)).toEqual(['delete:Gone']);
    expect(hasWrites(plan, false)).toBe(false);
    expect(hasWrites(plan, true)).toBe(true);
    expect(planSummary(plan, false)).toBe(
      'No writes: every test in the files matches its remote test. 1 remote test would be deleted with --prune.',
    );
    expect(planSummary(plan, true)).toBe('Plan: 0 to create, 0 to update, 1 to delete, 1 unchanged.');
  });

  it('never reads or touches suites that are not declared locally', () => {
    const a = test('A');
    const other = remoteOf(test('Elsewhere'), { test_suite: 'unmanaged' });
    const plan = planSuites([suite([a])], new Map([['unmanaged', [other]]]));
    expect(plan.suites).toEqual(['refunds']);
    expect(kinds(plan)).toEqual(['create:A']);
  });

  it('renames in place via renamed_from, keeping the test id, with the name change in the diff', () => {
    const old = remoteOf(test('Old name'));
    const renamed = test('New name', {
      renamedFrom: ['Old name'],
      instructions: old.instructions ?? '',
    });
    const plan = planSuites([suite([renamed])], new Map([['refunds', [old]]]));
    expect(plan.changes).toHaveLength(1);
    const [u] = only(plan, 'update');
    expect(u).toMatchObject({ testId: old.test_id, renamedFrom: 'Old name', name: 'New name' });
    expect(u?.changes).toEqual([{ field: 'name', before: 'Old name', after: 'New name' }]);
    expect(u?.body).toEqual({ name: 'New name' });
    expect(countPlan(plan)).toMatchObject({ rename: 1, update: 0, create: 0, delete: 0 });
    expect(planSummary(plan, true)).toBe(
      'Plan: 0 to create, 1 to update (1 rename), 0 to delete, 0 unchanged.',
    );
  });

  it('does not rename when the new name already exists remotely, or the old name is still local', () => {
    const newRemote = remoteOf(test('New'));
    const oldRemote = remoteOf(test('Old'));
    // New exists remotely: match by name; Old is left over (a delete).
    const p1 = planSuites(
      [suite([test('New', { renamedFrom: ['Old'] })])],
      new Map([['refunds', [newRemote, oldRemote]]]),
    );
    expect(kinds(p1)).toEqual(['delete:Old']);
    // Old is still declared locally: it keeps its test; New is created.
    const p2 = planSuites(
      [suite([test('Old'), test('New', { renamedFrom: ['Old'] })])],
      new Map([['refunds', [oldRemote]]]),
    );
    expect(kinds(p2)).toEqual(['create:New']);
    // Two tests claiming the same old name: the first wins, the second is created.
    const p3 = planSuites(
      [suite([test('N1', { renamedFrom: ['Old'] }), test('N2', { renamedFrom: ['Old'] })])],
      new Map([['refunds', [oldRemote]]]),
    );
    expect(kinds(p3)).toEqual(['update:N1', 'create:N2']);
  });

  it('uses the first renamed_from name that exists remotely', () => {
    const r = remoteOf(test('Middle'));
    const plan = planSuites(
      [suite([test('Now', { renamedFrom: ['Oldest', 'Middle'] })])],
      new Map([['refunds', [r]]]),
    );
    expect(only(plan, 'update')[0]).toMatchObject({ renamedFrom: 'Middle', testId: r.test_id });
  });

  it('reports two remote tests with one name as a conflict and plans nothing for that name', () => {
    const a = test('A');
    const r1 = remoteOf(a);
    const r2 = remoteOf(a);
    const renamer = test('B', { renamedFrom: ['Dup'] });
    const d1 = remoteOf(test('Dup'));
    const d2 = remoteOf(test('Dup'));
    const plan = planSuites(
      [suite([test('A', { description: 'x' }), renamer])],
      new Map([['refunds', [r1, r2, d1, d2]]]),
    );
    expect(plan.conflicts).toEqual([
      { suite: 'refunds', name: 'A', testIds: [r1.test_id, r2.test_id] },
      { suite: 'refunds', name: 'Dup', testIds: [d1.test_id, d2.test_id] },
    ]);
    // No update of A, no create of B (it waits to rename), no delete of either duplicate.
    expect(plan.changes).toEqual([]);
    // The first words state what blocks sync, never "No changes" beside a conflict.
    expect(planSummary(plan, true)).toBe(
      'Blocked: 2 conflicts (several remote tests share one name); sync refuses until resolved. Apart from that, no changes.',
    );
    expect(planSummary(plan, true)).not.toContain('No changes');
  });

  it('keeps local order across suites and lists creates/updates before the suite deletes', () => {
    const s1 = suite([test('Z'), test('A')], 'one');
    const s2 = suite([test('M')], 'two');
    const gone = remoteOf(test('Gone'), { test_suite: 'one' });
    const plan = planSuites([s1, s2], new Map([['one', [gone]]]));
    expect(plan.changes.map((c) => `${c.suite}/${c.kind}:${c.name}`)).toEqual([
      'one/create:Z',
      'one/create:A',
      'one/delete:Gone',
      'two/create:M',
    ]);
  });
});

describe('renderPlan', () => {
  const a = test('A', { description: 'old' });
  const remote = new Map([['refunds', [remoteOf(a), remoteOf(test('Gone')), remoteOf(test('Same'))]]]);
  const local = [
    suite([
      test('A', {
        description: 'new',
        rubric: [{ name: 'Accuracy', criteria: 'Quotes policy 4.2', required: true }],
      }),
      test('Same'),
      test('Fresh'),
    ]),
  ];
  const plan = planSuites(local, remote);

  it('prints Terraform-style lines and the summary, with no escape codes off a TTY', () => {
    const text = renderPlan(plan, { prune: false, color: false });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('suite refunds (1 unchanged)');
    expect(text).toContain('  + create Fresh\n');
    expect(text).toMatch(/ {2}~ update A \(id-\d+\)\n/);
    expect(text).toContain('      ~ description: "old" -> "new"\n');
    expect(text).toContain('      ~ rubric:\n');
    expect(text).toContain('          - "Empathy"\n');
    expect(text).toContain('          ~ "Accuracy": "States the policy" -> "Quotes policy 4.2"\n');
    expect(text).toMatch(/- would delete Gone \(id-\d+\) \(pass --prune\)/);
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged. 1 remote test would be deleted with --prune.',
    );
  });

  it('shows deletes as deletes with --prune', () => {
    const text = renderPlan(plan, { prune: true, color: false });
    expect(text).toMatch(/ {2}- delete Gone \(id-\d+\)\n/);
    expect(text).toContain('Plan: 1 to create, 1 to update, 1 to delete, 1 unchanged.');
  });

  it('colours only when asked', () => {
    const text = renderPlan(plan, { prune: true, color: true });
    expect(text).toContain('\u001b[32m+ create\u001b[39m Fresh');
    expect(text).toContain('\u001b[31m- delete\u001b[39m Gone');
  });

  it('shows renames and conflicts with their ids', () => {
    const old = remoteOf(test('Old'));
    const d1 = remoteOf(test('Dup'));
    const d2 = remoteOf(test('Dup'));
    const p = planSuites(
      [suite([test('New', { renamedFrom: ['Old'], instructions: old.instructions ?? '' }), test('Dup')])],
      new Map([['refunds', [old, d1, d2]]]),
    );
    const text = renderPlan(p, { prune: false, color: false });
    expect(text).toContain(`  → rename "Old" -> "New" (${old.test_id})\n      ~ name: "Old" -> "New"\n`);
    expect(text).toContain(`  ! refunds / "Dup": test ids ${d1.test_id}, ${d2.test_id}`);
    expect(text).toContain(
      'Blocked: 1 conflict (several remote tests share one name); sync refuses until resolved.',
    );
  });

  it('says "no changes" for an up-to-date suite', () => {
    const s = test('S');
    const text = renderPlan(planSuites([suite([s])], new Map([['refunds', [remoteOf(s)]]])), {
      prune: false,
      color: false,
    });
    expect(text).toBe(
      'suite refunds (1 unchanged)\n  no changes\n\nNo changes. Remote tests match the suite files.\n',
    );
  });
});

describe('excerptPair', () => {
  it('quotes short strings whole and escapes newlines', () => {
    expect(excerptPair('a\nb', 'c')).toEqual(['"a\\nb"', '"c"']);
  });

  it('cuts long strings around the first difference', () => {
    const prefix = 'x'.repeat(200);
    const [b, a] = excerptPair(`${prefix}OLD tail`, `${prefix}NEW tail`, 40);
    expect(b.startsWith('…"')).toBe(true);
    expect(b).toContain('OLD tail');
    expect(a).toContain('NEW tail');
    expect(b.length).toBeLessThan(60);
    const [long] = excerptPair('y'.repeat(500), 'z', 40);
    expect(long).toBe(`${JSON.stringify('y'.repeat(40))}…(+460 chars)`);
  });
});

describe('createKey', () => {
  const body = toApiBody(test('A', { description: 'd', maxDurationSeconds: 60 }));

  it('is a valid Idempotency-Key, the same for the same content whatever the key order', () => {
    const key = createKey(body);
    expect(key).toMatch(LIMITS.idempotencyKey);
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
    expect(createKey(reordered)).toBe(key);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });

  it('changes with the suite, the name, any API field, and the salt', () => {
    const key = createKey(body);
    const variants = [
      { ...body, test_suite: 'other' },
      { ...body, name: 'B' },
      { ...body, instructions: `${body.instructions}.` },
      { ...body, rubric: [...body.rubric].reverse() },
    ];
    const keys = new Set([key, ...variants.map((b) => createKey(b)), createKey(body, ['stale-id'])]);
    expect(keys.size).toBe(6);
    expect(createKey(body, ['stale-id'])).toBe(createKey(body, ['stale-id']));
  });
});

describe('sync results', () => {
  const plan = planSuites(
    [suite([test('New'), test('Edited', { description: 'x' }), test('Renamed', { renamedFrom: ['Old'] })])],
    new Map([['refunds', [remoteOf(test('Edited')), remoteOf(test('Old')), remoteOf(test('Gone'))]]]),
  );
  const result = (kind: string, status: SyncResult['status'], error?: Error): SyncResult => {
    const change = plan.changes.find((c) => c.name === kind);
    if (!change) throw new Error(`no change ${kind}`);
    return { change, status, ...(error ? { error } : {}) };
  };
  const apiError = new ApiError('POST /ai/assistants/tests → 500 Internal Server Error', {
    method: 'POST',
    path: '/ai/assistants/tests',
    status: 500,
    attempts: 1,
  });
  const report = (results: SyncResult[]): SyncReport => ({
    results,
    counts: countResults(results),
    complete: results.every((r) => r.status === 'done' || r.status === 'skipped'),
    warnings: [],
  });

  it('counts each kind and status', () => {
    expect(kinds(plan)).toEqual(['create:New', 'update:Edited', 'update:Renamed', 'delete:Gone']);
    const r = report([
      result('New', 'failed', apiError),
      result('Edited', 'done'),
      result('Renamed', 'done'),
      result('Gone', 'skipped'),
    ]);
    expect(r.counts).toEqual({
      created: 0,
      updated: 1,
      renamed: 1,
      deleted: 0,
      failed: 1,
      skippedDeletes: 1,
      notStarted: 0,
    });
    const text = renderSyncReport(r, { color: false });
    expect(text).toContain(
      '  ✗ create refunds / "New": POST /ai/assistants/tests → 500 Internal Server Error\n',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'Sync: 0 created, 1 updated, 1 renamed, 0 deleted, 1 failed, 1 left (pass --prune to delete). Re-run sync to finish: it re-plans from the remote state.',
    );
    expect(text).not.toContain('\u001b');
    expect(() => throwIfFailed(r)).toThrow(apiError);
  });

  it('reports several failures as one ApiError (exit 3) and a cancel as incomplete', () => {
    const two = report([result('New', 'failed', apiError), result('Edited', 'failed', apiError)]);
    expect(() => throwIfFailed(two)).toThrow(/^2 sync writes failed; first: POST/);
    expect(() => throwIfFailed(two)).toThrow(ApiError);
    const cancelled = report([result('New', 'done'), result('Edited', 'not-started')]);
    expect(() => throwIfFailed(cancelled)).toThrow(IncompleteError);
    expect(renderSyncReport(cancelled, { color: false })).toContain(
      '  … not attempted (cancelled): update refunds / "Edited"',
    );
    expect(() => throwIfFailed(report([result('New', 'done'), result('Gone', 'skipped')]))).not.toThrow();
  });

  it('refuses a plan with conflicts, naming the ids', () => {
    const t = test('Dup');
    const p = planSuites(
      [suite([t])],
      new Map([['refunds', [remoteOf(t, { test_id: 'id-a' }), remoteOf(t, { test_id: 'id-b' })]]]),
    );
    expect(() => assertNoConflicts(p)).toThrow(UsageError);
    expect(() => assertNoConflicts(p)).toThrow(/refunds \/ "Dup": id-a, id-b/);
    expect(() => assertNoConflicts(plan)).not.toThrow();
  });
});

describe('tests the API lists without their suite', () => {
  it('are matched by name but never deleted: left alone, and said so', () => {
    const keep = test('Keep');
    const unsuited = remoteOf(test('Someone else'), { test_suite: undefined });
    const plan = planSuites([suite([keep])], new Map([['refunds', [remoteOf(keep), unsuited]]]));
    expect(plan.changes).toEqual([]);
    expect(plan.unowned).toEqual([{ suite: 'refunds', name: 'Someone else', testId: unsuited.test_id }]);
    expect(hasWrites(plan, true)).toBe(false);
    expect(planSummary(plan, true)).toMatch(/1 remote test is left alone: listed without their suite/);
    expect(renderPlan(plan, { prune: true, color: false })).toMatch(/\? left alone Someone else/);
  });
});

describe('readAndPlan: a plan that creates is confirmed by a second read', () => {
  /** A client whose list of suite refunds is each of `reads` in turn (the last one after that). */
  const listing = (reads: AssistantTest[][]) => {
    let n = 0;
    const client = {
      snapshotTests: async () => reads[Math.min(n++, reads.length - 1)] ?? [],
    } as unknown as TelnyxClient;
    return { client, reads: () => n };
  };
  const tests = Array.from({ length: 5 }, (_, i) => test(`t${i}`));
  const remote = tests.map((t) => remoteOf(t));
  const newcomer = remoteOf(test('New'), { test_suite: 'refunds' });

  it('a read that skipped a test (one deleted before it, one added after: same count) creates nothing', async () => {
    // Read 1 skipped t4, yet counted 5 as the API did; read 2 lists the account as it is now.
    const skipped = [remote[0], remote[1], remote[2], remote[3], newcomer] as AssistantTest[];
    const now = [...remote.slice(1), newcomer];
    const l = listing([skipped, now, now]);
    const { plan } = await readAndPlan(l.client, [suite(tests)]);
    expect(plan.changes.filter((c) => c.kind === 'create').map((c) => c.name)).toEqual(['t0']);
    // t0 really is gone (it was the one deleted): read 3 confirms read 2, and t4 is no create.
    expect(l.reads()).toBe(3);
  });

  it('a plan with no create costs one read', async () => {
    const l = listing([remote]);
    const { plan } = await readAndPlan(l.client, [suite(tests)]);
    expect(plan.changes).toEqual([]);
    expect(l.reads()).toBe(1);
  });

  it('a list that differs on every read is an error, before any write', async () => {
    const l = listing([
      [remote[0] as AssistantTest],
      [remote[1] as AssistantTest],
      [remote[2] as AssistantTest],
      [remote[3] as AssistantTest],
    ]);
    await expect(readAndPlan(l.client, [suite(tests)])).rejects.toThrow(ListChangedError);
    expect(l.reads()).toBe(4);
  });
});
