// The report folder's disk fills up after the run's first state write. The run stops (exit 3)
// and no trigger goes out after it returned (before, queued triggers kept being sent in the
// background while the output called them "not triggered"); once the disk is freed, --resume
// runs every test exactly once. Ground truth: the simulator's runs.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/run.js';
import { deps, EP, type Harness, harness, names, outcomesOf, runsPerTest } from './run-helpers.js';

let h: Harness | undefined;
const realOpen = fs.openSync;
afterEach(async () => {
  fs.openSync = realOpen;
  syncBuiltinESMExports();
  await h?.close();
  h = undefined;
});

describe('a full disk mid-run', () => {
  it('stops triggering when the state cannot be written; --resume then runs each test once', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: names(20).map((name) => ({ name })) }],
      scenario: { tests: { '*': { outcome: 'pass', duration_seconds: 30 } } },
      faults: [{ kind: 'latency', latencyMs: 100, match: { endpoint: EP.testTrigger } }],
    });
    const hx = h;
    let full = false;
    let first = true;
    // ENOSPC for every file opened for writing in the report folder after the first state write.
    fs.openSync = ((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      if (typeof p === 'string' && p.startsWith(hx.outDir) && String(flags).startsWith('w')) {
        if (full)
          throw Object.assign(new Error(`ENOSPC: no space left on device, open '${p}'`), { code: 'ENOSPC' });
        if (first && p.includes('state')) {
          first = false;
          full = true;
        }
      }
      return realOpen(p, flags ?? 'r', mode);
    }) as typeof fs.openSync;
    syncBuiltinESMExports();

    expect(await runCommand(['.'], { outDir: hx.outDir, maxInFlight: 20 }, hx.io, deps(hx))).toBe(3);
    const atReturn = hx.sim.state.runs.size;
    expect(atReturn).toBeLessThan(20);
    await delay(1_000);
    expect(hx.sim.state.runs.size).toBe(atReturn);

    full = false;
    expect(
      await runCommand(['.'], { outDir: hx.outDir, resume: true, maxInFlight: 20 }, hx.io, deps(hx)),
    ).toBe(0);
    const perTest = runsPerTest(hx.sim);
    expect(perTest.size).toBe(20);
    expect(Math.max(...perTest.values())).toBe(1);
    expect(new Set(Object.values(outcomesOf(hx.outDir)))).toEqual(new Set(['passed']));
  });
});
