// The pure promotion logic (canary rules, plan text, gate checks, versions table) and
// promoteAfterGate's decisions over a recording fake API.
import { describe, expect, it } from 'vitest';
import type { Assistant, CanaryDeploy, CanaryDeployBody, Rule } from '../../src/api/schemas.js';
import {
  checkCandidate,
  type PromoteApi,
  promoteAfterGate,
  renderPromotePlan,
} from '../../src/commands/promote.js';
import { readAssistant, renderVersions } from '../../src/commands/versions.js';
import { ApiError, UsageError } from '../../src/errors.js';
import {
  decideAction,
  describeAction,
  describeServe,
  gateBlocks,
  parseCanaryWeight,
  planCanary,
  renderTable,
  versionRows,
} from '../../src/promote.js';

const canary = (rules: Rule[]): CanaryDeploy => ({
  assistant_id: 'a1',
  rules,
  created_at: '2026-05-01T00:00:00Z',
  updated_at: '2026-05-02T00:00:00Z',
});
const rollout = (...slots: [string, number][]): Rule => ({
  serve: { rollout: slots.map(([version_id, weight]) => ({ version_id, weight })) },
});
const targeted: Rule = {
  match: [{ attribute: 'caller_number', operator: 'in', values: ['+15550001111'] }],
  serve: { version_id: 'v-x' },
};

describe('parseCanaryWeight', () => {
  it.each([
    ['10', 10],
    [' 12.5 ', 12.5],
    [99, 99],
    [undefined, undefined],
  ])('%j → %j', (input, want) => {
    expect(parseCanaryWeight(input)).toBe(want);
  });
  it.each(['0', '100', '-5', '10%', 'ten', '', 100, 0, Number.NaN])('%j is a usage error', (input) => {
    expect(() => parseCanaryWeight(input)).toThrow(UsageError);
    expect(() => parseCanaryWeight(input)).toThrow(/above 0 and below 100/);
  });
});

describe('planCanary: weights at the edge of 100', () => {
  it('refuses a share that makes 100 unrounded, and never shows main as 0% or 100% when it is not', () => {
    expect(() => planCanary(canary([rollout(['a1', 99.99999949])]), 'v-2', 0.00000051)).toThrow(
      /already routes 99\.999999% .*would total 100%.*There is no room for another share: edit/,
    );
    expect(() => planCanary(canary([rollout(['a1', 95.5])]), 'v-2', 10)).toThrow(/Use --canary below 4\.5,/);
    expect(describeServe(rollout(['v-2', 0.0000001]))).toBe('v-2 1e-7%, main >99.999999%');
    expect(describeServe(rollout(['v-2', 99.9999999]))).toBe('v-2 99.9999999%, main <0.000001%');
    expect(describeServe(rollout(['v-2', 10]))).toBe('v-2 10%, main 90%');
  });
});

describe('planCanary', () => {
  it('no config: create one catch-all rollout rule', () => {
    expect(planCanary(undefined, 'v-2', 10)).toEqual({
      mode: 'create',
      rules: [rollout(['v-2', 10])],
      index: 0,
    });
  });

  it('only targeted rules: append the catch-all after them (they keep priority)', () => {
    const c = planCanary(canary([targeted]), 'v-2', 10);
    expect(c.mode).toBe('update');
    expect(c.rules).toEqual([targeted, rollout(['v-2', 10])]);
    expect(c.index).toBe(1);
  });

  it('adds a slot beside other versions, keeping every other rule and slot', () => {
    const c = planCanary(canary([targeted, rollout(['v-3', 5])]), 'v-2', 10);
    expect(c).toMatchObject({ mode: 'update', index: 1, before: rollout(['v-3', 5]) });
    expect(c.previousWeight).toBeUndefined();
    expect(c.rules).toEqual([targeted, rollout(['v-3', 5], ['v-2', 10])]);
  });

  it('updates the version slot in place, and says what it was', () => {
    const c = planCanary(canary([rollout(['v-2', 10], ['v-3', 5])]), 'v-2', 25);
    expect(c.rules).toEqual([rollout(['v-2', 25], ['v-3', 5])]);
    expect(c.previousWeight).toBe(10);
  });

  it('the same weight again is unchanged (nothing to write)', () => {
    const c = planCanary(canary([targeted, rollout(['v-2', 10])]), 'v-2', 10);
    expect(c.mode).toBe('unchanged');
    expect(c.rules).toEqual([targeted, rollout(['v-2', 10])]);
  });

  it('collapses duplicate slots of the version into one', () => {
    const c = planCanary(canary([rollout(['v-2', 10], ['v-3', 5], ['v-2', 10])]), 'v-2', 10);
    expect(c.mode).toBe('update');
    expect(c.rules).toEqual([rollout(['v-2', 10], ['v-3', 5])]);
  });

  it('changes only the first catch-all rule (later ones never match) and keeps unknown fields', () => {
    const first = { ...rollout(['v-3', 5]), match: [], note: 'kept' } as Rule;
    const second = rollout(['v-4', 50]);
    const c = planCanary(canary([first, second]), 'v-2', 10);
    expect(c.rules[0]).toEqual({
      match: [],
      note: 'kept',
      serve: {
        rollout: [
          { version_id: 'v-3', weight: 5 },
          { version_id: 'v-2', weight: 10 },
        ],
      },
    });
    expect(c.rules[1]).toBe(second);
  });

  it('refuses a total of 100 or more, saying the largest share that fits', () => {
    const existing = canary([rollout(['v-3', 60], ['v-4', 20], ['v-2', 5])]);
    expect(() => planCanary(existing, 'v-2', 20)).toThrow(
      /--canary 20: rule 1 .* routes 80% to other versions \(v-3 60%, v-4 20%\); .* total 100%, .* less than 100 .* --canary below 20,/,
    );
    expect(planCanary(existing, 'v-2', 19.5).rules).toEqual([
      rollout(['v-3', 60], ['v-4', 20], ['v-2', 19.5]),
    ]);
  });

  it('refuses to turn a catch-all that pins one version into a split', () => {
    expect(() => planCanary(canary([{ serve: { version_id: 'v-3' } }]), 'v-2', 10)).toThrow(
      /rule 1 sends every call no earlier rule matches to version v-3/,
    );
  });

  it('decimal sums do not drift', () => {
    const c = planCanary(canary([rollout(['v-3', 0.1], ['v-4', 0.2])]), 'v-2', 99.6);
    expect(c.mode).toBe('update');
    expect(() => planCanary(canary([rollout(['v-3', 0.1], ['v-4', 0.2])]), 'v-2', 99.7)).toThrow(/0\.3%/);
  });
});

describe('describeAction', () => {
  it('promotion names the canary config it deletes', () => {
    const a = decideAction({ versionId: 'v-2', canary: canary([targeted, rollout(['v-3', 5])]) });
    expect(describeAction(a)).toEqual([
      'promote v-2 to main',
      'this deletes the current canary config (2 rules):',
      '  1. caller_number in [+15550001111] → v-x',
      '  2. every other call → v-3 5%, main 95%',
    ]);
    expect(describeAction(decideAction({ versionId: 'v-2', canary: undefined }))).toEqual([
      'promote v-2 to main',
      '(there is no canary config to delete)',
    ]);
  });

  it('canary: create, update (now/after) and unchanged', () => {
    expect(describeAction(decideAction({ versionId: 'v-2', canaryWeight: 10, canary: undefined }))).toEqual([
      'route 10% to v-2: create a canary config:',
      '  1. every other call → v-2 10%, main 90%',
    ]);
    expect(
      describeAction(
        decideAction({
          versionId: 'v-2',
          canaryWeight: 25,
          canary: canary([targeted, rollout(['v-2', 10])]),
        }),
      ),
    ).toEqual([
      'route 25% to v-2: update the canary config (1 other rule kept):',
      '  now:   2. every other call → v-2 10%, main 90%',
      '  after: 2. every other call → v-2 25%, main 75%',
    ]);
    expect(
      describeAction(
        decideAction({ versionId: 'v-2', canaryWeight: 10, canary: canary([rollout(['v-2', 10])]) }),
      ),
    ).toEqual(['route 10% to v-2: the canary config already does (rule 1); nothing to change']);
  });

  it('decideAction validates a weight given as a number (the Action path)', () => {
    expect(() => decideAction({ versionId: 'v-2', canaryWeight: 150, canary: undefined })).toThrow(
      UsageError,
    );
  });
});

describe('gateBlocks', () => {
  const ok = { complete: true, passed: true, testedVersionId: 'v-2', gating: 2 };
  it('allows only a finished, passing run against this very version', () => {
    // --pass-with-no-tests passes an empty selection; a promotion needs a test that ran and gates.
    expect(gateBlocks('v-2', { ...ok, gating: 0 })).toBe('not promoted: no test that gates ran');
    expect(gateBlocks('v-2', ok)).toBeUndefined();
    expect(gateBlocks('v-2', { ...ok, passed: false })).toBe('not promoted: a gate failed');
    expect(gateBlocks('v-2', { ...ok, complete: false, passed: false })).toMatch(/did not finish/);
    expect(gateBlocks('v-2', { ...ok, testedVersionId: undefined })).toBe(
      'not promoted: the tests ran against the main version, not v-2',
    );
    expect(gateBlocks('v-2', { ...ok, testedVersionId: 'v-9' })).toMatch(/ran against v-9, not v-2/);
  });
});

const version = (id: string, name: string, created: string): Assistant => ({
  id: 'a1',
  name: 'Support',
  created_at: '2026-01-01T00:00:00Z',
  model: 'm',
  instructions: 'i',
  version_id: id,
  version_name: name,
  version_created_at: created,
});
const VERSIONS = [
  version('v-1', 'April', '2026-04-01T00:00:00Z'),
  version('v-3', 'June\u001b[31m', '2026-06-01T00:00:00Z'),
  version('v-2', 'May', '2026-05-01T00:00:00Z'),
];

describe('versions table', () => {
  it('rows newest first with main and canary roles', () => {
    const rows = versionRows(
      VERSIONS,
      'v-1',
      canary([{ ...targeted, serve: { version_id: 'v-2' } }, rollout(['v-3', 10])]),
    );
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['v-3', 'canary 10%'],
      ['v-2', 'canary rule 1'],
      ['v-1', 'main'],
    ]);
  });

  it('renders aligned, terminal-safe columns and says when main is unknown', () => {
    const text = renderVersions({ assistantId: 'a1', versions: VERSIONS });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('main: unknown');
    expect(text.split('\n').slice(2, 4)).toEqual([
      'VERSION ID  NAME   CREATED               STATUS',
      'v-3         June   2026-06-01T00:00:00Z',
    ]);
    expect(renderTable(['A', 'B'], [['xx', 'y']])).toBe('A   B\nxx  y\n');
  });
});

/** Records every call; answers from the given state. */
function fakeApi(state: { main?: string; canary?: CanaryDeploy; failWrite?: ApiError }) {
  const calls: string[] = [];
  const record = <T>(call: string, answer: T): T => {
    calls.push(call);
    return answer;
  };
  const write = (call: string) => {
    calls.push(call);
    if (state.failWrite) throw state.failWrite;
  };
  const main = state.main;
  const api: PromoteApi = {
    listVersions: async () => record('listVersions', VERSIONS),
    getCanary: async () => record('getCanary', state.canary),
    ...(main === undefined
      ? {}
      : { getAssistant: async () => record('getAssistant', version(main, 'Main', '2026-04-01T00:00:00Z')) }),
    promoteVersion: async () => write('promote'),
    createCanary: async (_a: string, body: CanaryDeployBody) => write(`create ${JSON.stringify(body.rules)}`),
    updateCanary: async (_a: string, body: CanaryDeployBody) => write(`update ${JSON.stringify(body.rules)}`),
  };
  return { api, calls };
}

describe('readAssistant and checkCandidate', () => {
  it('with getAssistant, main is known and promoting main is refused', async () => {
    const { api } = fakeApi({ main: 'v-1' });
    const snap = await readAssistant(api, 'a1');
    expect(snap.mainVersionId).toBe('v-1');
    expect(() => checkCandidate(snap, 'v-1')).toThrow(/v-1 is already the main version of assistant a1/);
    expect(() => checkCandidate(snap, 'v-2')).not.toThrow();
    expect(renderPromotePlan(snap, decideAction({ versionId: 'v-2', canary: undefined }), true)).toContain(
      'main now: v-1 ("April")',
    );
  });

  it('a main id the list does not have is treated as unknown', async () => {
    const snap = await readAssistant(fakeApi({ main: 'v-elsewhere' }).api, 'a1');
    expect(snap.mainVersionId).toBeUndefined();
  });

  it('an unknown version lists the known ones', async () => {
    const snap = await readAssistant(fakeApi({}).api, 'a1');
    expect(() => checkCandidate(snap, 'v-9')).toThrow(
      /--version v-9: assistant a1 has no such version \(it has: v-1 "April", v-3 "June", v-2 "May"\)\. Nothing was triggered/,
    );
  });
});

describe('promoteAfterGate', () => {
  const passed = {
    results: { versionId: 'v-2' },
    evaluation: { passed: true, complete: true, gating: 1 },
  };
  const failed = {
    results: { versionId: 'v-2' },
    evaluation: { passed: false, complete: true, gating: 1 },
  };

  it('a failed gate or a run against another version touches nothing', async () => {
    const { api, calls } = fakeApi({});
    const req = { client: api, assistantId: 'a1', versionId: 'v-2' };
    expect(await promoteAfterGate(req, failed)).toMatchObject({ status: 'skipped', action: 'promote' });
    expect(await promoteAfterGate({ ...req, canaryWeight: 10 }, { ...passed, results: {} })).toMatchObject({
      status: 'skipped',
      action: 'canary',
      canaryWeight: 10,
    });
    expect(calls).toEqual([]);
  });

  it('dry-run reads the canary config and writes nothing', async () => {
    const { api, calls } = fakeApi({ canary: canary([rollout(['v-3', 5])]) });
    const p = await promoteAfterGate(
      { client: api, assistantId: 'a1', versionId: 'v-2', dryRun: true },
      passed,
    );
    expect(p).toEqual({
      assistantId: 'a1',
      versionId: 'v-2',
      action: 'promote',
      status: 'dry-run',
      message: 'every gate held; --dry-run: would promote v-2 to main and delete the canary config',
    });
    expect(calls).toEqual(['getCanary']);
  });

  it('writes the rules computed from the config read after the run', async () => {
    const { api, calls } = fakeApi({ canary: canary([targeted]) });
    const p = await promoteAfterGate(
      { client: api, assistantId: 'a1', versionId: 'v-2', canaryWeight: 10 },
      passed,
    );
    expect(p.status).toBe('done');
    expect(calls).toEqual(['getCanary', `update ${JSON.stringify([targeted, rollout(['v-2', 10])])}`]);
  });

  it('an unanswered write is failed and says it may have landed; a refused one says not promoted', async () => {
    const dropped = new ApiError('POST /promote: connection reset', {
      method: 'POST',
      path: '/x',
      attempts: 1,
    });
    const a = await promoteAfterGate(
      { client: fakeApi({ failWrite: dropped }).api, assistantId: 'a1', versionId: 'v-2' },
      passed,
    );
    expect(a.status).toBe('failed');
    expect(a.message).toMatch(
      /may or may not have been applied; check with `rubric-gate versions --assistant a1`/,
    );
    // Read back, the write shows as landed: done, whatever its answer said.
    const landed = fakeApi({ main: 'v-2', failWrite: dropped });
    const c = await promoteAfterGate({ client: landed.api, assistantId: 'a1', versionId: 'v-2' }, passed);
    expect(c).toMatchObject({ status: 'done' });
    expect(c.message).toMatch(
      /its answer failed \(POST \/promote: connection reset\), but the assistant now reads as written/,
    );
    // A 5xx that did not land (read back: main is another version) is never "not promoted" outright.
    const failed500 = new ApiError('500 oops', { method: 'POST', path: '/x', status: 500, attempts: 3 });
    const d = await promoteAfterGate(
      { client: fakeApi({ main: 'v-1', failWrite: failed500 }).api, assistantId: 'a1', versionId: 'v-2' },
      passed,
    );
    expect(d.status).toBe('failed');
    expect(d.message).toMatch(/does not read as written now, but a write may show late/);
    // Main reads as written, but the canary config the promotion deletes is still live: not done.
    const live = fakeApi({ main: 'v-2', canary: canary([rollout(['v-3', 20])]), failWrite: failed500 });
    const e = await promoteAfterGate({ client: live.api, assistantId: 'a1', versionId: 'v-2' }, passed);
    expect(e.status).toBe('failed');

    const refused = new ApiError('400 bad', { method: 'POST', path: '/x', status: 400, attempts: 1 });
    const b = await promoteAfterGate(
      { client: fakeApi({ failWrite: refused }).api, assistantId: 'a1', versionId: 'v-2', canaryWeight: 5 },
      passed,
    );
    expect(b).toMatchObject({ status: 'failed', message: 'not promoted: 400 bad' });
  });

  it('a canary share that no longer fits is a failed promotion, not a throw', async () => {
    const { api, calls } = fakeApi({ canary: canary([rollout(['v-3', 95])]) });
    const p = await promoteAfterGate(
      { client: api, assistantId: 'a1', versionId: 'v-2', canaryWeight: 10 },
      passed,
    );
    expect(p.status).toBe('failed');
    expect(p.message).toMatch(/less than 100/);
    expect(calls).toEqual(['getCanary']);
  });
});
