// The sync plan: a pure diff of local suite files against the remote tests of the managed suites.
// Identity is (suite, test name). Only suites declared locally are managed: callers list remote
// tests per managed suite, so tests in any other suite never enter the plan.
import type { AssistantTest, CreateTestBody, RubricItem, UpdateTestBody } from './api/schemas.js';
import type { SuiteDef, TestDef } from './suite/model.js';
import { toApiBody } from './suite/model.js';

/** The API fields sync owns, in display order. `test_suite` is the identity, never diffed. */
export const SYNCED_FIELDS = [
  'name',
  'description',
  'instructions',
  'destination',
  'telnyx_conversation_channel',
  'max_duration_seconds',
  'rubric',
] as const;
export type SyncedField = (typeof SYNCED_FIELDS)[number];

export type FieldValue = string | number | RubricItem[] | undefined;

export interface FieldChange {
  field: SyncedField;
  before: FieldValue;
  after: FieldValue;
}

export type PlanChange =
  | { kind: 'create'; suite: string; name: string; test: TestDef; body: CreateTestBody }
  | {
      kind: 'update';
      suite: string;
      name: string;
      testId: string;
      test: TestDef;
      changes: FieldChange[];
      /** PUT is partial: only the changed fields. */
      body: UpdateTestBody;
      /** Set for a rename via renamed_from: the remote name the test is updated from. */
      renamedFrom?: string;
    }
  | { kind: 'delete'; suite: string; name: string; testId: string };

export interface Unchanged {
  suite: string;
  name: string;
  testId: string;
}

/** Two or more remote tests share one name in a managed suite: sync will not guess which is ours. */
export interface Conflict {
  suite: string;
  name: string;
  testIds: string[];
}

export interface Plan {
  /** Managed suites, in local order. */
  suites: string[];
  changes: PlanChange[];
  unchanged: Unchanged[];
  conflicts: Conflict[];
  /**
   * Remote tests no local test claims that the API listed without their suite (test_suite is
   * optional in its answers): never deleted, as nothing says they are the suite's to delete.
   */
  unowned: Unchanged[];
}

export interface PlanCounts {
  create: number;
  update: number;
  rename: number;
  delete: number;
  unchanged: number;
  conflicts: number;
}

export function countPlan(plan: Plan): PlanCounts {
  const c: PlanCounts = {
    create: 0,
    update: 0,
    rename: 0,
    delete: 0,
    unchanged: plan.unchanged.length,
    conflicts: plan.conflicts.length,
  };
  for (const ch of plan.changes) {
    if (ch.kind === 'update' && ch.renamedFrom !== undefined) c.rename++;
    else c[ch.kind]++;
  }
  return c;
}

/** Whether applying the plan would write anything (deletes count only with prune). */
export function hasWrites(plan: Plan, prune: boolean): boolean {
  return plan.changes.some((c) => c.kind !== 'delete' || prune);
}

const sameRubric = (a: readonly RubricItem[], b: readonly RubricItem[]): boolean =>
  a.length === b.length && a.every((x, i) => x.name === b[i]?.name && x.criteria === b[i]?.criteria);

/**
 * Field-level diff of a local test against its remote counterpart, over the API fields only.
 * Normalisation keeps a no-change sync at zero writes:
 * - description: absent and '' are the same (a removed description is cleared with '').
 * - max_duration_seconds: absent locally means "no opinion": a partial PUT cannot unset it, and
 *   the API may report its own default.
 */
export function diffTest(
  local: TestDef,
  remote: AssistantTest,
): { changes: FieldChange[]; body: UpdateTestBody } {
  const want = toApiBody(local);
  const changes: FieldChange[] = [];
  const body: UpdateTestBody = {};
  const str = (field: 'name' | 'instructions' | 'destination', after: string, before: string | undefined) => {
    if (after !== (before ?? '')) {
      changes.push({ field, before, after });
      body[field] = after;
    }
  };
  str('name', want.name, remote.name);
  const wantDescription = want.description ?? '';
  if (wantDescription !== (remote.description ?? '')) {
    changes.push({ field: 'description', before: remote.description, after: wantDescription });
    body.description = wantDescription;
  }
  str('instructions', want.instructions, remote.instructions);
  str('destination', want.destination, remote.destination);
  const channel = want.telnyx_conversation_channel;
  if (channel !== undefined && channel !== remote.telnyx_conversation_channel) {
    changes.push({
      field: 'telnyx_conversation_channel',
      before: remote.telnyx_conversation_channel,
      after: channel,
    });
    body.telnyx_conversation_channel = channel;
  }
  const maxDuration = want.max_duration_seconds;
  if (maxDuration !== undefined && maxDuration !== remote.max_duration_seconds) {
    changes.push({ field: 'max_duration_seconds', before: remote.max_duration_seconds, after: maxDuration });
    body.max_duration_seconds = maxDuration;
  }
  const before = remote.rubric.map((r) => ({ name: r.name, criteria: r.criteria }));
  if (!sameRubric(want.rubric, before)) {
    changes.push({ field: 'rubric', before, after: want.rubric });
    body.rubric = want.rubric;
  }
  return { changes, body };
}

/**
 * Plan one sync. `remote` maps each managed suite name to its remote tests (as listed with
 * `test_suite=<suite>`); a missing entry means the suite has no remote tests yet.
 */
export function planSuites(
  local: readonly SuiteDef[],
  remote: ReadonlyMap<string, readonly AssistantTest[]>,
): Plan {
  const plan: Plan = { suites: [], changes: [], unchanged: [], conflicts: [], unowned: [] };
  for (const suite of local) {
    plan.suites.push(suite.name);
    const remoteTests = remote.get(suite.name) ?? [];

    const byName = new Map<string, AssistantTest[]>();
    for (const t of remoteTests) {
      const list = byName.get(t.name);
      if (list) list.push(t);
      else byName.set(t.name, [t]);
    }
    const conflicted = new Set<string>();
    for (const [name, list] of byName) {
      if (list.length > 1) {
        conflicted.add(name);
        plan.conflicts.push({ suite: suite.name, name, testIds: list.map((t) => t.test_id) });
      }
    }
    const localNames = new Set(suite.tests.map((t) => t.name));
    // Remote names already matched (by name or by a rename), so nothing claims them twice.
    const claimed = new Set<string>();

    for (const test of suite.tests) {
      if (conflicted.has(test.name)) continue;
      const same = byName.get(test.name)?.[0];
      if (same) {
        claimed.add(test.name);
        pushDiff(plan, test, same);
        continue;
      }
      // A rename takes over a remote test whose old name no local test uses any more.
      const fromName = test.renamedFrom.find(
        (old) => !localNames.has(old) && !claimed.has(old) && !conflicted.has(old) && byName.has(old),
      );
      const from = fromName === undefined ? undefined : byName.get(fromName)?.[0];
      if (fromName !== undefined && from) {
        claimed.add(fromName);
        pushDiff(plan, test, from, fromName);
        continue;
      }
      // Waiting on a conflict it may rename from: creating now would orphan the history.
      if (test.renamedFrom.some((old) => conflicted.has(old) && !localNames.has(old))) continue;
      plan.changes.push({ kind: 'create', suite: suite.name, name: test.name, test, body: toApiBody(test) });
    }

    for (const [name, list] of byName) {
      if (claimed.has(name) || conflicted.has(name)) continue;
      for (const t of list) {
        // A server that ignored the test_suite filter could list tests of no suite here.
        if (t.test_suite === suite.name)
          plan.changes.push({ kind: 'delete', suite: suite.name, name, testId: t.test_id });
        else plan.unowned.push({ suite: suite.name, name, testId: t.test_id });
      }
    }
  }
  return plan;
}

function pushDiff(plan: Plan, test: TestDef, remote: AssistantTest, renamedFrom?: string): void {
  const { changes, body } = diffTest(test, remote);
  if (changes.length === 0) {
    plan.unchanged.push({ suite: test.suite, name: test.name, testId: remote.test_id });
    return;
  }
  plan.changes.push({
    kind: 'update',
    suite: test.suite,
    name: test.name,
    testId: remote.test_id,
    test,
    changes,
    body,
    ...(renamedFrom === undefined ? {} : { renamedFrom }),
  });
}
