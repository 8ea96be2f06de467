// A run is ours only when an answer to our Idempotency-Key names it. A trigger whose outcome is
// unknown is sent again with the same key; the run history is never searched for a run to adopt:
// another job's run of the same test, or a run of one of our own triggers still in flight, looks
// just like the one we may have started, and adopting it could make a failing version green.
// Ground truth is the simulator's: which runs exist, and which run each attempt reports.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelnyxClient } from '../../src/api/client.js';
import { runCommand } from '../../src/commands/run.js';
import { syncCommand } from '../../src/commands/sync.js';
import { testOutcome } from '../../src/outcome.js';
import { STATE_FILE } from '../../src/run/state.js';
import {
  count,
  deps,
  EP,
  type Harness,
  harness,
  KEY,
  readResults,
  runsPerTest,
  testIdOf,
  withMethod,
} from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A request to the simulator as another client of the same account would send it. */
async function otherJob(hx: Harness, method: string, path: string, body: unknown = {}): Promise<unknown> {
  const r = await fetch(`${hx.sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return r.json();
}

describe('a trigger that failed without starting a run', () => {
  it('per test: another job’s run of the same test, just before ours, is never taken for ours', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }, { name: 'b' }] }],
      scenario: { tests: { '*': { outcome: 'pass' } } },
    });
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, h.io)).toBe(0);
    const foreign = (await otherJob(h, 'POST', `/ai/assistants/tests/${testIdOf(h, 'a')}/runs`)) as {
      run_id: string;
    };
    // Every trigger of ours is refused with a 503 that starts nothing.
    h.sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: EP.testTrigger } }]);
    const code = await runCommand(['.'], { outDir: h.outDir, grep: '^s/a$' }, h.io, deps(h));
    expect([...h.sim.state.runs.keys()]).toEqual([foreign.run_id]);
    const t = readResults(h.outDir).suites[0]?.tests.find((x) => x.name === 'a');
    expect(t?.attempts.map((x) => x.runId)).toEqual([undefined]);
    expect(t && testOutcome(t).errorKind).toBe('not_started');
    expect(code).toBe(3);
  });

  it('suite, --version: another job’s suite run on main is never taken for the candidate’s', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }, { name: 'b' }] }],
      scenario: {
        tests: { '*': { outcome: 'pass' } },
        assistants: [
          {
            id: 'asst',
            versions: [
              { id: 'v-main', main: true },
              { id: 'v-cand', tests: { 's/*': { outcome: 'fail' } } },
            ],
          },
        ],
      },
    });
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, h.io)).toBe(0);
    await otherJob(h, 'POST', '/ai/assistants/tests/test-suites/s/runs');
    const before = new Set(h.sim.state.runs.keys());
    // Every suite trigger of ours is refused, starting nothing.
    h.sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: EP.suiteTrigger } }]);
    const code = await runCommand(['.'], { outDir: h.outDir, version: 'v-cand' }, h.io, deps(h));
    expect([...h.sim.state.runs.keys()].filter((k) => !before.has(k))).toHaveLength(0);
    const tests = readResults(h.outDir).suites[0]?.tests ?? [];
    expect(tests.map((t) => [t.name, testOutcome(t).errorKind, t.attempts[0]?.runId])).toEqual([
      ['a', 'not_started', undefined],
      ['b', 'not_started', undefined],
    ]);
    expect(code).toBe(3);
  });
});

describe('two trials triggered together', () => {
  it('a refused trial-2 trigger never takes trial 1’s runs while trial 1’s answer is on its way', async () => {
    h = await harness({
      suites: [
        {
          suite: 's',
          tests: [
            { name: 'a', trials: 2 },
            { name: 'b', trials: 2 },
          ],
        },
      ],
      // Each test's first run passes, its second fails: min_passes 2 cannot be met.
      scenario: { tests: { '*': { sequence: ['pass', 'fail'] } } },
    });
    const sim = h.sim;
    let calls = 0;
    let firstSent!: () => void;
    const first = new Promise<void>((r) => {
      firstSent = r;
    });
    // Only timing differs from the plain client: trial 1's answer comes back slowly, and trial
    // 2's first send is refused by the API with a 503 that starts nothing.
    const client = withMethod(
      h.client,
      'triggerSuite',
      (target) =>
        async (...args: Parameters<TelnyxClient['triggerSuite']>) => {
          const n = ++calls;
          if (n === 1) {
            const r = await target.triggerSuite(...args);
            firstSent();
            await sleep(1_500);
            return r;
          }
          if (n === 2) {
            await first;
            sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: EP.suiteTrigger } }]);
            try {
              return await target.triggerSuite(...args);
            } finally {
              sim.setFaults([]);
            }
          }
          return target.triggerSuite(...args);
        },
    );
    const code = await runCommand(['.'], { outDir: h.outDir }, h.io, { ...deps(h), client });
    const runIds = new Set(sim.state.runs.keys());
    expect(runIds.size).toBe(4);
    for (const t of readResults(h.outDir).suites[0]?.tests ?? []) {
      const ids = t.attempts.map((x) => x.runId);
      expect(new Set(ids).size).toBe(2);
      for (const id of ids) expect(runIds.has(id ?? '')).toBe(true);
      expect(testOutcome(t).outcome).toBe('failed');
    }
    expect(code).toBe(1);
  });
});

describe('--resume a day after a crash while a trigger was on the wire', () => {
  it('reads the run history before sending the key again, and starts no second run', async () => {
    let offset = 0;
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }] }],
      // A second run would pass where the first failed: a re-send would turn the gate green.
      scenario: { tests: { '*': { sequence: ['fail', 'pass'] } } },
      sim: { now: () => Date.now() + offset },
    });
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, h.io)).toBe(0);
    const statePath = join(h.outDir, STATE_FILE);
    let atCrash = '';
    const ac = new AbortController();
    const client = withMethod(
      h.client,
      'triggerTest',
      (target) =>
        // The API acts; the process dies before it reads the answer.
        async (...args: Parameters<TelnyxClient['triggerTest']>) => {
          await target.triggerTest(...args);
          atCrash = readFileSync(statePath, 'utf8');
          ac.abort('crash');
          throw new Error('process killed');
        },
    );
    await runCommand(['.'], { outDir: h.outDir, maxInFlight: 5 }, h.io, {
      ...deps(h),
      client,
      signal: ac.signal,
    });
    expect(h.sim.state.runs.size).toBe(1);
    // What the disk held: the trigger looks unsent. A day passes: the API forgets the key.
    const state = JSON.parse(atCrash) as { startedAt: string; work: { sentAt?: string }[] };
    expect(state.work[0]?.sentAt).toBeUndefined();
    offset = 25 * 3_600_000;
    state.startedAt = new Date(Date.parse(state.startedAt) - offset).toISOString();
    writeFileSync(statePath, JSON.stringify(state));
    const code = await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h));
    expect(h.sim.state.runs.size).toBe(1);
    expect(count(h.sim, EP.testTrigger)).toBe(1);
    const t = readResults(h.outDir).suites[0]?.tests[0];
    expect(t?.attempts.map((x) => [x.runId, x.status])).toEqual([[undefined, 'not_started']]);
    expect(t?.attempts[0]?.message).toMatch(/may have gone out then/);
    expect(code).toBe(3);
  });
});

describe('--retries and a refused trigger', () => {
  it('never sends it again under a new key: a 4xx a proxy wrote after the API acted hides a run', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }] }],
      // A second run would pass where the first failed.
      scenario: { tests: { '*': { sequence: ['fail', 'pass'] } } },
    });
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, h.io)).toBe(0);
    h.sim.setFaults([{ kind: 'status-after', status: 404, count: 1, match: { endpoint: EP.testTrigger } }]);
    const code = await runCommand(['.'], { outDir: h.outDir, maxInFlight: 5, retries: '1' }, h.io, deps(h));
    expect(h.sim.state.runs.size).toBe(1);
    const t = readResults(h.outDir).suites[0]?.tests[0];
    expect(t?.attempts.map((x) => [x.retry, x.status])).toEqual([[0, 'not_started']]);
    expect(code).toBe(3);
  });
});

describe('an answer naming a run already given to another trigger', () => {
  it('counts the run once: the second attempt gets no verdict from it', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }, { name: 'b' }] }],
      scenario: { tests: { '*': { outcome: 'pass' } } },
    });
    expect(await syncCommand(['.'], { prune: false, dryRun: false }, h.io)).toBe(0);
    let first: Awaited<ReturnType<TelnyxClient['triggerTest']>> | undefined;
    // The API answers the second trigger with the first one's run (two keys, one run).
    const client = withMethod(h.client, 'triggerTest', (target) => async (...args) => {
      if (first) return first;
      first = await target.triggerTest(...args);
      return first;
    });
    const code = await runCommand(['.'], { outDir: h.outDir, maxInFlight: 1 }, h.io, { ...deps(h), client });
    const tests = readResults(h.outDir).suites[0]?.tests ?? [];
    const ids = tests.flatMap((t) => t.attempts.map((x) => x.runId)).filter((x) => x !== undefined);
    expect(ids).toEqual([first?.run_id]);
    expect(tests.map((t) => testOutcome(t).errorKind)).toEqual([undefined, 'undocumented']);
    expect(code).toBe(3);
  });
});

describe('--resume after --retries stood in for triggers that were refused', () => {
  it('per test: the retry is sent, never the attempt it replaced (one run for the trial)', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }] }],
      // Whichever run comes first fails: two runs of the trial would hide it behind a pass.
      scenario: { seed: 1, tests: { '*': { sequence: ['fail', 'pass'], duration_seconds: 30 } } },
      faults: [
        { kind: 'status', status: 429, retryAfter: 0, count: 60, match: { endpoint: EP.testTrigger } },
      ],
    });
    expect(await runCommand(['.'], { outDir: h.outDir, retries: 1, maxInFlight: 5 }, h.io, deps(h))).toBe(3);
    expect(runsPerTest(h.sim).size).toBe(0);
    h.sim.setFaults([]);
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(1);
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 's/a': 1 });
  });

  it('suite mode: a suite trigger refused (429 every round) is resumed under its own key, once', async () => {
    h = await harness({
      suites: [{ suite: 's', tests: [{ name: 'a' }, { name: 'b' }] }],
      scenario: { seed: 1, tests: { '*': { sequence: ['pass', 'fail'], duration_seconds: 30 } } },
      faults: [{ kind: 'status', status: 429, retryAfter: 0, match: { endpoint: EP.suiteTrigger } }],
    });
    // A refusal is never stood in for by --retries under new keys (a 429 a proxy wrote after the
    // API acted would hide its runs): no verdict, exit 3.
    expect(await runCommand(['.'], { outDir: h.outDir, retries: 1 }, h.io, deps(h))).toBe(3);
    expect(runsPerTest(h.sim).size).toBe(0);
    h.sim.setFaults([]);
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true, retries: 1 }, h.io, deps(h))).toBe(0);
    // One run of each test: the suite trigger's own key, never a second (failing) run.
    expect(Object.fromEntries(runsPerTest(h.sim))).toEqual({ 's/a': 1, 's/b': 1 });
  });
});
