// sync under faults, judged by what the simulator holds: a create whose existence could not be
// checked is no success, the id a create answered with is never pruned in the same sync, a
// DELETE that took effect before its answer was lost is done, and concurrent prunes agree.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { syncCommand } from '../../src/commands/sync.js';
import { memoryIo } from '../../src/io.js';
import { loadSuitesOrThrow } from '../../src/suite/load.js';
import { readAndPlan, syncPlan, throwIfFailed } from '../../src/sync.js';
import { type Harness, harness, withMethod } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const TESTS = 'GET /ai/assistants/tests';
const test = (name: string, renamedFrom?: string[]) => ({
  name,
  ...(renamedFrom ? { renamed_from: renamedFrom } : {}),
  instructions: `Act as a customer: ${name}`,
  rubric: [{ name: 'Policy', criteria: 'States the policy', required: true }],
});
const file = (...tests: ReturnType<typeof test>[]) =>
  stringify({ suite: 'refunds', defaults: { channel: 'web_chat', destination: 'support-assistant' }, tests });
/** The client, with every list read failing (503) once a create has been answered. */
const listFailsAfterCreate = (hx: Harness) =>
  withMethod(hx.client, 'createTest', (real) => async (...args) => {
    const created = await real.createTest(...args);
    hx.sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: TESTS } }]);
    return created;
  });
const names = (hx: Harness) => [...hx.sim.state.tests.values()].map((t) => t.name).sort();

describe('the check after creating cannot be made', () => {
  it('a create replayed onto a renamed test: not complete (exit 3), and that test is not pruned', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    const sync = (prune = false) => syncCommand(['.'], { prune, dryRun: false }, hx.io);
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('X')));
    expect(await sync()).toBe(0);
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('W', ['X'])));
    expect(await sync()).toBe(0);
    // The rename reverted within the key's 24 h: the create of X replays W's id.
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('X')));
    const suites = await loadSuitesOrThrow(['.'], { cwd: hx.dir, env: {} });
    const { plan } = await readAndPlan(hx.client, suites);
    expect(plan.changes.map((c) => `${c.kind} ${c.name}`).sort()).toEqual(['create X', 'delete W']);
    // Every list read after the create fails, so the replay cannot be told from a real create.
    const client = listFailsAfterCreate(hx);
    const report = await syncPlan(client, plan, { prune: true });
    expect(report.complete).toBe(false);
    expect(report.unverified).toMatch(/503/);
    const del = report.results.find((r) => r.change.kind === 'delete');
    expect(del?.status).toBe('failed');
    expect(del?.error?.message).toMatch(/answered with this test's id/);
    expect(() => throwIfFailed(report)).toThrow();
    // Ground truth: W (the only copy of what X replayed) is still there.
    expect(names(hx)).toEqual(['W', 'keep']);
    hx.sim.setFaults([]);
    // The next sync converges.
    expect(await sync(true)).toBe(0);
    expect(names(hx)).toEqual(['X', 'keep']);
  });

  it('a plain create whose check fails is exit 3, and says so, never "created" alone', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('A')));
    const suites = await loadSuitesOrThrow(['.'], { cwd: hx.dir, env: {} });
    const { plan } = await readAndPlan(hx.client, suites);
    const client = listFailsAfterCreate(hx);
    const report = await syncPlan(client, plan, { prune: false });
    expect(report.complete).toBe(false);
    expect(() => throwIfFailed(report)).toThrow(/could not check that the 1 created test\(s\) exist/);
  });
});

describe('deletes', () => {
  it('a DELETE that took effect before its answer was lost (retried: 404) is done, exit 0', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    const sync = (prune = false) => syncCommand(['.'], { prune, dryRun: false }, hx.io);
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('gone')));
    expect(await sync()).toBe(0);
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep')));
    hx.sim.setFaults([
      {
        kind: 'status-after',
        status: 502,
        count: 1,
        match: { endpoint: 'DELETE /ai/assistants/tests/{test_id}' },
      },
    ]);
    hx.io.out.length = 0;
    expect(await sync(true), hx.io.err.join('')).toBe(0);
    expect(hx.io.out.join('')).toMatch(/1 deleted\./);
    expect(hx.sim.counts().byEndpoint['DELETE /ai/assistants/tests/{test_id}']).toBe(2);
    expect(names(hx)).toEqual(['keep']);
  });

  it('two prunes of the same files at once both succeed and leave exactly the files’ tests', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('old1'), test('old2'), test('old3')));
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, hx.io)).toBe(0);
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('keep'), test('new1'), test('new2')));
    const env = { TELNYX_API_KEY: hx.env.TELNYX_API_KEY ?? '', TELNYX_BASE_URL: hx.sim.url };
    const ios = [memoryIo({ cwd: hx.dir, env }), memoryIo({ cwd: hx.dir, env })];
    const codes = await Promise.all(ios.map((io) => syncCommand(['.'], { prune: true, dryRun: false }, io)));
    expect(codes, ios.map((io) => io.err.join('')).join('\n')).toEqual([0, 0]);
    expect(names(hx)).toEqual(['keep', 'new1', 'new2']);
  });
});

describe('readAndPlan', () => {
  it('confirms a plan that creates with a second read, unless it is only shown (--no-sync)', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    writeFileSync(join(hx.dir, 'refunds.yaml'), file(test('A')));
    const suites = await loadSuitesOrThrow(['.'], { cwd: hx.dir, env: {} });
    const reads = () => hx.sim.counts().byEndpoint[TESTS] ?? 0;
    await readAndPlan(hx.client, suites, { confirm: false });
    expect(reads()).toBe(1);
    await readAndPlan(hx.client, suites);
    expect(reads()).toBe(3);
  });
});
