// plan and sync against the simulator over loopback, driven through the commands with the
// example suites copied to a temp dir (so tests can edit them). Assertions are on request counts
// and on the simulator's state, never on timings.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelnyxClient } from '../../src/api/client.js';
import type { CreateTestBody } from '../../src/api/schemas.js';
import { planCommand, preparePlan } from '../../src/commands/plan.js';
import { syncCommand } from '../../src/commands/sync.js';
import { EXIT } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { loadSuitesOrThrow } from '../../src/suite/load.js';
import { type SyncResult, syncPlan } from '../../src/sync.js';

const REPO_SUITES = path.resolve(import.meta.dirname, '../../suites');
const SUITE_FILES = ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml'];
const CREATE = 'POST /ai/assistants/tests';
const UPDATE = 'PUT /ai/assistants/tests/{test_id}';
const DELETE = 'DELETE /ai/assistants/tests/{test_id}';

let sim: Simulator;
let dir: string;
let expected: { suite: string; name: string }[];

const io = () => memoryIo({ cwd: dir, env: { TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } });
const sync = async (opts: { prune?: boolean; dryRun?: boolean } = {}) => {
  const out = io();
  const code = await syncCommand(
    ['suites'],
    { prune: opts.prune ?? false, dryRun: opts.dryRun ?? false },
    out,
  );
  return { code, out: out.out.join(''), err: out.err.join('') };
};
const plan = async () => {
  const out = io();
  const code = await planCommand(['suites'], {}, out);
  return { code, out: out.out.join(''), err: out.err.join('') };
};
const count = (key: string) => sim.counts().byEndpoint[key] ?? 0;
const writes = () => count(CREATE) + count(UPDATE) + count(DELETE);
const remoteTests = () => [...sim.state.tests.values()];
const remoteKeys = () =>
  remoteTests()
    .map((t) => `${t.test_suite}/${t.name}`)
    .sort();
const expectedKeys = () => expected.map((t) => `${t.suite}/${t.name}`).sort();
const byName = (suite: string, name: string) =>
  remoteTests().filter((t) => t.test_suite === suite && t.name === name);
const directClient = (opts: { maxRetries?: number } = {}) =>
  new TelnyxClient({
    apiKey: sim.apiKey,
    baseUrl: sim.url,
    maxRetries: opts.maxRetries ?? 0,
    sleep: async () => {},
  });
const editSuite = async (file: string, edit: (text: string) => string) => {
  const p = path.join(dir, 'suites', file);
  const before = await readFile(p, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before); // the edit must really apply
  await writeFile(p, after);
};
const stray = (suite: string, name: string): CreateTestBody => ({
  name,
  test_suite: suite,
  destination: '+15550109999',
  instructions: 'A test created outside rubric-gate.',
  rubric: [{ name: 'Anything', criteria: 'Says hello.' }],
  telnyx_conversation_channel: 'sms_chat',
});

beforeEach(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(path.join(tmpdir(), 'rg-sync-'));
  for (const f of SUITE_FILES) await cp(path.join(REPO_SUITES, f), path.join(dir, 'suites', f));
  const suites = await loadSuitesOrThrow(['suites'], { cwd: dir, env: {} });
  expected = suites.flatMap((s) => s.tests.map((t) => ({ suite: s.name, name: t.name })));
  expect(expected.length).toBeGreaterThanOrEqual(6);
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sync against the simulator', () => {
  it('creates the example suites, then a second sync (and plan) makes zero writes', async () => {
    const first = await sync();
    expect(first.err).toBe('');
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toContain(`Plan: ${expected.length} to create, 0 to update, 0 to delete, 0 unchanged.`);
    expect(first.out).toContain(`Sync: ${expected.length} created, 0 updated, 0 renamed, 0 deleted.`);
    expect(first.out).not.toContain('\u001b');
    expect(remoteKeys()).toEqual(expectedKeys());
    expect(count(CREATE)).toBe(expected.length);

    // Local-only fields never reached the API: the stored records hold API fields only.
    const allowed = new Set([
      'test_id',
      'name',
      'telnyx_conversation_channel',
      'rubric',
      'created_at',
      'description',
      'destination',
      'instructions',
      'max_duration_seconds',
      'test_suite',
    ]);
    for (const t of remoteTests()) {
      for (const key of Object.keys(t)) expect(allowed.has(key), key).toBe(true);
      for (const r of t.rubric) expect(Object.keys(r).sort()).toEqual(['criteria', 'name']);
    }

    sim.resetCounts();
    const second = await sync({ prune: true });
    expect(second.code).toBe(EXIT.ok);
    expect(second.out).toContain('No changes. Remote tests match the suite files.');
    const third = await plan();
    expect(third.code).toBe(EXIT.ok);
    expect(writes()).toBe(0);
    // Reads only: one list call per managed suite per command (every suite fits in one page).
    expect(sim.counts().total).toBe(2 * SUITE_FILES.length);
  });

  it('shows an edit as one update with the changed field, and applies it with one PUT', async () => {
    await sync();
    const [before] = byName('refunds', 'Damaged product refund');
    await editSuite('refunds.yaml', (t) =>
      t.replace(
        "Acknowledges the customer's frustration before explaining the process.",
        'Apologises for the damaged item before explaining the process.',
      ),
    );
    sim.resetCounts();
    const shown = await plan();
    expect(shown.code).toBe(EXIT.ok);
    expect(shown.out.match(/~ update/g)).toHaveLength(1);
    expect(shown.out).toContain(`~ update Damaged product refund (${before?.test_id})`);
    expect(shown.out).toContain(
      '~ "Empathy": "Acknowledges the customer\'s frustration before explaining the process." -> "Apologises for the damaged item before explaining the process."',
    );
    expect(shown.out).toContain(
      `Plan: 0 to create, 1 to update, 0 to delete, ${expected.length - 1} unchanged.`,
    );
    expect(writes()).toBe(0);

    const applied = await sync();
    expect(applied.code).toBe(EXIT.ok);
    expect(count(UPDATE)).toBe(1);
    expect(count(CREATE) + count(DELETE)).toBe(0);
    const [after] = byName('refunds', 'Damaged product refund');
    expect(after?.test_id).toBe(before?.test_id);
    expect(after?.rubric[1]?.criteria).toBe('Apologises for the damaged item before explaining the process.');
  });

  it('deletes only with --prune, only in managed suites; an unmanaged test survives every command', async () => {
    const client = directClient();
    const outsider = await client.createTest(stray('billing', 'Outside test'));
    const leftover = await client.createTest(stray('refunds', 'Retired test'));
    await client.close();

    const first = await sync();
    expect(first.code).toBe(EXIT.ok);
    expect(first.out).toContain(`- would delete Retired test (${leftover.test_id}) (pass --prune)`);
    expect(first.out).toContain('1 left (pass --prune to delete)');
    expect(count(DELETE)).toBe(0);
    expect(byName('refunds', 'Retired test')).toHaveLength(1);

    // Removing a test from a file makes it a delete too.
    await editSuite('after-hours.yaml', (t) =>
      t.replace(/\n {2}- name: Non-urgent question waits[\s\S]*?(?=\n {2}- name:|$)/, ''),
    );
    expect(await plan()).toMatchObject({ code: EXIT.ok });
    const pruned = await sync({ prune: true });
    expect(pruned.code).toBe(EXIT.ok);
    expect(pruned.out).toContain(`- delete Retired test (${leftover.test_id})`);
    expect(pruned.out).toContain('2 deleted');
    expect(count(DELETE)).toBe(2);
    expect(byName('refunds', 'Retired test')).toHaveLength(0);
    expect(byName('after-hours', 'Non-urgent question waits for business hours')).toHaveLength(0);

    await sync({ prune: true });
    await sync({ prune: true, dryRun: true });
    expect(sim.state.tests.get(outsider.test_id)).toMatchObject({
      name: 'Outside test',
      test_suite: 'billing',
    });
    expect(count(DELETE)).toBe(2);
  });

  it('renames in place via renamed_from, keeping the test id and making no create or delete', async () => {
    await sync();
    const [before] = byName('refunds', 'Damaged product refund');
    await editSuite('refunds.yaml', (t) =>
      t.replace(
        '- name: Damaged product refund\n',
        '- name: Broken item refund\n    renamed_from: [Damaged product refund]\n',
      ),
    );
    sim.resetCounts();
    const shown = await plan();
    expect(shown.out).toContain(
      `→ rename "Damaged product refund" -> "Broken item refund" (${before?.test_id})`,
    );
    expect(shown.out).toContain('~ name: "Damaged product refund" -> "Broken item refund"');
    const applied = await sync({ prune: true });
    expect(applied.code).toBe(EXIT.ok);
    expect(applied.out).toContain('0 created, 0 updated, 1 renamed, 0 deleted');
    expect(count(UPDATE)).toBe(1);
    expect(count(CREATE) + count(DELETE)).toBe(0);
    expect(sim.state.tests.get(before?.test_id ?? '')?.name).toBe('Broken item refund');
    expect(byName('refunds', 'Damaged product refund')).toHaveLength(0);
  });

  it('uses a suite file renamed_from to adopt an existing remote test', async () => {
    // The example refunds suite renames "Where is my refund" to "Refund status lookup".
    const client = directClient();
    const old = await client.createTest(stray('refunds', 'Where is my refund'));
    await client.close();
    sim.resetCounts();
    const applied = await sync({ prune: true });
    expect(applied.code).toBe(EXIT.ok);
    expect(sim.state.tests.get(old.test_id)?.name).toBe('Refund status lookup');
    expect(count(CREATE)).toBe(expected.length - 1);
    expect(remoteKeys()).toEqual(expectedKeys());
  });

  it('refuses to sync while two remote tests share a name in a managed suite, naming both ids', async () => {
    const client = directClient();
    const a = await client.createTest(stray('refunds', 'Damaged product refund'));
    const b = await client.createTest(stray('refunds', 'Damaged product refund'));
    await client.close();
    sim.resetCounts();
    const refused = await sync({ prune: true });
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.out).toContain(
      `! refunds / "Damaged product refund": test ids ${a.test_id}, ${b.test_id}`,
    );
    expect(refused.err).toContain('sync is blocked');
    expect(writes()).toBe(0);
    expect((await plan()).code).toBe(EXIT.usage);
  });

  it('sends nothing when a suite file is invalid', async () => {
    await editSuite('refunds.yaml', (t) =>
      t.replace('max_duration_seconds: 300', 'max_duration_seconds: 9999'),
    );
    const r = await sync();
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/suites\/refunds\.yaml:\d+:\d+: /);
    expect(sim.counts().total).toBe(0);
  });

  it('converges when a sync dies halfway (writes happened but were never answered)', async () => {
    // The 2nd and 3rd creates are handled, then the connection drops: with no retries the sync
    // sees errors for writes that did happen. The re-run must not duplicate them.
    sim.setFaults([{ match: { endpoint: CREATE }, kind: 'drop-after', count: 2 }]);
    const client = directClient({ maxRetries: 0 });
    const io0 = io();
    const prepared = await preparePlan(['suites'], { client }, io0);
    const report = await syncPlan(client, prepared.plan, { prune: false, concurrency: 1 });
    await client.close();
    expect(report.complete).toBe(false);
    expect(report.counts.failed).toBe(2);
    expect(report.counts.created).toBe(expected.length - 2);
    expect(remoteTests()).toHaveLength(expected.length); // all made, two unanswered

    sim.setFaults([]);
    sim.resetCounts();
    const rerun = await sync();
    expect(rerun.code).toBe(EXIT.ok);
    expect(rerun.out).toContain('No changes.');
    expect(writes()).toBe(0);
    expect(remoteKeys()).toEqual(expectedKeys());
  });

  it('converges after a 500 on some creates, with no duplicates', async () => {
    // x-should-retry: false makes the client give up at once, so exactly two creates fail.
    sim.setFaults([
      { match: { endpoint: CREATE }, kind: 'status', status: 500, shouldRetry: false, count: 2 },
    ]);
    const failing = await sync();
    expect(failing.code).toBe(EXIT.incomplete);
    expect(failing.out.match(/✗ create /g)).toHaveLength(2);
    expect(failing.out).toContain(
      `Sync: ${expected.length - 2} created, 0 updated, 0 renamed, 0 deleted, 2 failed.`,
    );
    expect(failing.err).toContain('2 sync writes failed; first: POST /ai/assistants/tests');
    expect(remoteTests()).toHaveLength(expected.length - 2);

    sim.resetCounts();
    const rerun = await sync();
    expect(rerun.code).toBe(EXIT.ok);
    expect(rerun.out).toContain(
      `Plan: 2 to create, 0 to update, 0 to delete, ${expected.length - 2} unchanged.`,
    );
    expect(count(CREATE)).toBe(2);
    expect(remoteKeys()).toEqual(expectedKeys());
  });

  it('converges after a cancelled sync: unattempted writes are made by the re-run', async () => {
    const abort = new AbortController();
    const client = directClient();
    const prepared = await preparePlan(['suites'], { client }, io());
    const settled: SyncResult[] = [];
    const report = await syncPlan(client, prepared.plan, {
      prune: true,
      concurrency: 1,
      signal: abort.signal,
      onResult: (r) => {
        settled.push(r);
        abort.abort(); // cancel after the first write lands
      },
    });
    await client.close();
    expect(report.complete).toBe(false);
    expect(report.counts).toMatchObject({ created: 1, failed: 0, notStarted: expected.length - 1 });
    expect(settled.filter((r) => r.status === 'done')).toHaveLength(1);
    expect(remoteTests()).toHaveLength(1);

    sim.resetCounts();
    const rerun = await sync({ prune: true });
    expect(rerun.code).toBe(EXIT.ok);
    expect(count(CREATE)).toBe(expected.length - 1);
    expect(remoteKeys()).toEqual(expectedKeys());
    sim.resetCounts();
    expect((await sync({ prune: true })).out).toContain('No changes.');
    expect(writes()).toBe(0);
  });

  it('retries a create whose answer was lost with the same Idempotency-Key, making one test', async () => {
    sim.setFaults([{ match: { endpoint: CREATE }, kind: 'drop-after', count: 1 }]);
    const client = directClient({ maxRetries: 2 });
    const prepared = await preparePlan(['suites'], { client }, io());
    const report = await syncPlan(client, prepared.plan, { prune: false });
    await client.close();
    expect(report.complete).toBe(true);
    expect(report.counts.created).toBe(expected.length);
    expect(count(CREATE)).toBe(expected.length + 1); // one retried
    expect(remoteKeys()).toEqual(expectedKeys()); // and no duplicate
    // Every result names a test that exists.
    for (const r of report.results) expect(sim.state.tests.has(r.testId ?? '')).toBe(true);
  });

  it('re-creates a test deleted earlier with the same content, despite the replayed key', async () => {
    await sync();
    const [first] = byName('after-hours', 'Urgent outage escalation');
    const original = await readFile(path.join(dir, 'suites', 'after-hours.yaml'), 'utf8');
    await editSuite('after-hours.yaml', (t) =>
      t.replace(/\n {2}- name: Urgent outage escalation[\s\S]*?(?=\n {2}- name:)/, ''),
    );
    await sync({ prune: true });
    expect(byName('after-hours', 'Urgent outage escalation')).toHaveLength(0);

    await writeFile(path.join(dir, 'suites', 'after-hours.yaml'), original);
    const again = await sync({ prune: true });
    expect(again.code).toBe(EXIT.ok);
    const now = byName('after-hours', 'Urgent outage escalation');
    expect(now).toHaveLength(1);
    expect(now[0]?.test_id).not.toBe(first?.test_id);
    expect(again.out).toContain(`(${now[0]?.test_id})`);
    sim.resetCounts();
    expect((await sync({ prune: true })).out).toContain('No changes.');
    expect(writes()).toBe(0);
  });
});
