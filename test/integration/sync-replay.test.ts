// A create's Idempotency-Key is derived from its content, so the same create within 24 h is
// answered from the API's record. A replayed id may name a test that was renamed since (a rename
// with renamed_from, then reverted): sync must create the test it was asked for, never report a
// create that did not happen, and --prune must not then delete the only copy.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { syncCommand } from '../../src/commands/sync.js';
import { type Harness, harness } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const file = (name: string, renamedFrom?: string[]) =>
  stringify({
    suite: 'refunds',
    defaults: { channel: 'web_chat', destination: 'support-assistant' },
    tests: [
      {
        name,
        ...(renamedFrom ? { renamed_from: renamedFrom } : {}),
        instructions: 'Act as a customer wanting a refund',
        rubric: [{ name: 'Policy', criteria: 'States the policy', required: true }],
      },
    ],
  });

describe('a create replayed onto a test renamed since', () => {
  it('creates the test it was asked for; --prune then leaves exactly the file’s tests', async () => {
    h = await harness({ suites: [] });
    const hx = h;
    const names = () => [...hx.sim.state.tests.values()].map((t) => t.name).sort();
    const sync = (prune = false) => syncCommand(['.'], { prune, dryRun: false }, hx.io);
    writeFileSync(join(h.dir, 'refunds.yaml'), file('Damaged item'));
    expect(await sync()).toBe(0);
    writeFileSync(join(h.dir, 'refunds.yaml'), file('Broken item', ['Damaged item']));
    expect(await sync()).toBe(0);
    expect(names()).toEqual(['Broken item']);
    // The rename is reverted: the file is byte for byte the first one, within the replay window.
    writeFileSync(join(h.dir, 'refunds.yaml'), file('Damaged item'));
    expect(await sync()).toBe(0);
    expect(names()).toEqual(['Broken item', 'Damaged item']);
    expect(await sync(true)).toBe(0);
    expect(names()).toEqual(['Damaged item']);
    // Converged: nothing left to do.
    hx.io.out.length = 0;
    expect(await sync(true)).toBe(0);
    expect(hx.io.out.join('')).toMatch(/1 unchanged/);
  });
});
