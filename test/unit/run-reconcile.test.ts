// Reconciliation of unknown-outcome triggers (run/reconcile.ts), trigger failure classes, the
// deadline signal, and the one outcome derivation the live progress shares with the reports.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestRun } from '../../src/api/schemas.js';
import { ApiError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { attemptVerdict } from '../../src/outcome.js';
import { systemClock } from '../../src/run/clock.js';
import { DeadlineReached, deadlineMessage, isDeadline, startDeadline } from '../../src/run/deadline.js';
import { spawnRetries } from '../../src/run/ledger.js';
import { createProgress, shownStatus } from '../../src/run/progress.js';
import { scanRuns } from '../../src/run/reconcile.js';
import { type RunState, stateWriter, type Work } from '../../src/run/state.js';
import { classifyFailure } from '../../src/run/trigger.js';

const T0 = Date.parse('2026-11-26T00:00:00Z');

const run = (id: string, test: string, createdMs: number, tsr?: string): TestRun => ({
  run_id: id,
  test_id: test,
  status: 'pending',
  triggered_by: 'api',
  created_at: new Date(createdMs).toISOString(),
  ...(tsr === undefined ? {} : { test_suite_run_id: tsr }),
});

async function* list(runs: readonly TestRun[]) {
  yield* runs;
}

const arbRuns = fc.array(
  fc.record({
    id: fc.integer({ min: 0, max: 300 }),
    test: fc.constantFrom('a', 'b', 'c', 'x'),
    offsetS: fc.integer({ min: -3_600, max: 600 }),
  }),
  { maxLength: 400 },
);

describe('scanRuns', () => {
  it('finds only accepted runs created since the cut-off, each once, within its bound (any order)', async () => {
    await fc.assert(
      fc.asyncProperty(arbRuns, fc.integer({ min: 1, max: 500 }), async (spec, max) => {
        const runs = spec.map((r) => run(`r${r.id}`, r.test, T0 + r.offsetS * 1000));
        const accept = (r: TestRun) => r.test_id !== 'x';
        const scan = await scanRuns(list(runs), { sinceMs: T0, accept, maxRuns: max });
        const ids = scan.found.map((r) => r.run_id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const r of scan.found) {
          expect(accept(r)).toBe(true);
          expect(Date.parse(r.created_at)).toBeGreaterThanOrEqual(T0);
        }
        expect(scan.read).toBeLessThanOrEqual(Math.min(max, runs.length));
        // Inconclusive only at the bound: a shorter read saw the end or passed every recent run.
        if (!scan.conclusive) expect(scan.read).toBe(max);
      }),
    );
  });

  it('misses nothing when the history is newest first, however long the old tail', async () => {
    await fc.assert(
      fc.asyncProperty(arbRuns, async (spec) => {
        // Run ids are unique in a real history (the same id never names two tests).
        const runs = spec
          .map((r, i) => run(`r${i}`, r.test, T0 + r.offsetS * 1000))
          .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
        const accept = (r: TestRun) => r.test_id !== 'x';
        const scan = await scanRuns(list(runs), { sinceMs: T0, accept });
        const want = new Set(
          runs.filter((r) => accept(r) && Date.parse(r.created_at) >= T0).map((r) => r.run_id),
        );
        expect(new Set(scan.found.map((r) => r.run_id))).toEqual(want);
        expect(scan.conclusive).toBe(true);
      }),
    );
  });

  it('stops early in a newest-first history: a long old tail costs about one page', async () => {
    const recent = [run('new-1', 'a', T0 + 5_000, 'tsr')];
    const old = Array.from({ length: 5_000 }, (_, i) => run(`old-${i}`, 'a', T0 - 60_000 - i * 1000));
    const scan = await scanRuns(list([...recent, ...old]), { sinceMs: T0, accept: () => true });
    expect(scan.found.map((r) => r.run_id)).toEqual(['new-1']);
    expect(scan.read).toBeLessThanOrEqual(51);
  });

  it('is inconclusive when out of order and longer than its bound', async () => {
    const runs = Array.from({ length: 2_000 }, (_, i) => run(`r${i}`, 'a', T0 - (i % 2 ? 1 : 90) * 60_000));
    const scan = await scanRuns(list(runs), { sinceMs: T0, accept: () => true });
    expect(scan).toMatchObject({ conclusive: false, read: 1_000, found: [] });
  });
});

describe('classifyFailure', () => {
  const api = (status: number | undefined, cause?: unknown) =>
    new ApiError(
      'x',
      { method: 'POST', path: '/p', attempts: 1, ...(status === undefined ? {} : { status }) },
      { cause },
    );
  it.each([
    [api(201), 'started'],
    [api(200), 'started'],
    [api(502), 'unknown'],
    [api(500), 'unknown'],
    [api(409), 'unknown'],
    [api(408), 'unknown'],
    [api(429), 'unsent'],
    [api(400), 'refused'],
    [api(422), 'refused'],
    [api(404), 'refused'],
    [api(undefined, Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), 'unsent'],
    [api(undefined, Object.assign(new Error('reset'), { code: 'ECONNRESET' })), 'unknown'],
    [api(undefined), 'unknown'],
    [new Error('anything else'), 'unknown'],
  ] as const)('%s → %s', (err, kind) => {
    expect(classifyFailure(err)).toBe(kind);
  });
});

describe('--retries and an attempt whose run may exist', () => {
  const work = (over: Partial<Work>): Work => ({
    suite: 's',
    test: 't',
    testId: 'id',
    trial: 1,
    retry: 0,
    via: 'suite',
    batch: 'b',
    status: 'not_started',
    criteria: [],
    failures: 3,
    ...over,
  });
  const state = (w: Work[]): RunState => ({
    schema: 'rubric-gate/run-state@1',
    nonce: 'n',
    startedAt: new Date(T0).toISOString(),
    settings: { tags: [], retries: 2 },
    tests: [],
    batches: [],
    work: w,
  });
  it('is never re-triggered under a new key; a definite not-started one is', () => {
    expect(spawnRetries(state([work({ uncertain: true })]), { retries: 2 })).toEqual([]);
    expect(spawnRetries(state([work({})]), { retries: 2 })).toHaveLength(1);
  });
});

describe('the deadline signal', () => {
  it('aborts with DeadlineReached when the time is up, naming the setting', async () => {
    const d = startDeadline(undefined, 20, systemClock);
    await new Promise((r) => setTimeout(r, 60));
    expect(isDeadline(d.signal)).toBe(true);
    expect(d.signal?.reason).toBeInstanceOf(DeadlineReached);
    expect(deadlineMessage(d.signal)).toBe('--timeout 0 s reached');
    d.dispose();
  });

  it('passes a cancel through as a cancel, and never fires once disposed', async () => {
    const parent = new AbortController();
    const d = startDeadline(parent.signal, 20, systemClock);
    parent.abort('cancelled (SIGINT)');
    expect(d.signal?.aborted).toBe(true);
    expect(isDeadline(d.signal)).toBe(false);
    const e = startDeadline(undefined, 20, systemClock);
    e.dispose();
    await new Promise((r) => setTimeout(r, 60));
    expect(e.signal?.aborted).toBe(false);
    expect(startDeadline(parent.signal, undefined, systemClock).signal).toBe(parent.signal);
  });
});

describe('progress and reports agree on every attempt', () => {
  const statuses = [
    'pending',
    'starting',
    'running',
    'passed',
    'failed',
    'error',
    'timeout',
    'not_started',
  ] as const;
  it('the live label of a final attempt is the outcome the reports give it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...statuses),
        fc.array(
          fc.record({
            name: fc.constantFrom('A', 'B', 'C'),
            status: fc.constantFrom('passed', 'failed', 'error'),
          }),
        ),
        fc.array(fc.record({ name: fc.constantFrom('A', 'B', 'C', 'D'), required: fc.boolean() }), {
          maxLength: 4,
        }),
        (status, criteria, rubric) => {
          // With the test's rubric, as the report judges the attempt.
          const shown = shownStatus({ criteria }, status, rubric);
          const verdict = attemptVerdict({ status, criteria }, rubric);
          if (status === 'passed' || status === 'failed') expect(shown).toBe(verdict.status);
          else expect(shown).toBe(status);
        },
      ),
    );
  });
});

/** n attempts of suite s, t0…t(n-1), all in one status. */
const attemptsOf = (n: number, status: Work['status']): Work[] =>
  Array.from({ length: n }, (_, i) => ({
    suite: 's',
    test: `t${i}`,
    trial: 1,
    retry: 0,
    via: 'suite',
    status,
    criteria: [],
    failures: 0,
  }));

describe('CI log size', () => {
  it('a large run off a TTY prints failures and a digest per tenth, not a line per state change', () => {
    const io = memoryIo({ isTTY: false });
    const work = attemptsOf(1_000, 'queued');
    const state = { work } as unknown as RunState;
    const p = createProgress(io, { startedMs: T0, trialsOf: () => 1 });
    for (const w of work) {
      const steps: [Work['status'], Work['status']][] = [
        ['queued', 'pending'],
        ['pending', 'running'],
        ['running', w.test === 't7' ? 'failed' : 'passed'],
      ];
      for (const [from, to] of steps) {
        w.status = to;
        if (to === 'passed' || to === 'failed') w.criteria = [{ name: 'A', status: to }];
        p.update(state, [{ work: w, from, to }], T0);
      }
    }
    const lines = io.out.join('').trim().split('\n');
    expect(lines.filter((l) => l.includes('t7'))).toEqual(['s › t7: running → failed (A)']);
    expect(lines.filter((l) => /^\d+\/1000 finished/.test(l))).toHaveLength(10);
    expect(lines.length).toBe(11);
  });

  it('in a GitHub Actions log the passes are there too, folded: a group per tenth above its counts', () => {
    // Any order of outcomes, finished a few at a time: every attempt has exactly one line, a
    // pass inside a group, anything else outside; each group is closed before the counts.
    fc.assert(
      fc.property(
        fc.integer({ min: 101, max: 400 }),
        fc.array(fc.constantFrom('passed', 'failed', 'error'), { minLength: 400, maxLength: 400 }),
        fc.integer({ min: 1, max: 60 }),
        (n, outcomes, batch) => {
          const io = memoryIo({ isTTY: false, fold: true });
          const work = attemptsOf(n, 'running');
          const state = { work } as unknown as RunState;
          const p = createProgress(io, { startedMs: T0, trialsOf: () => 1 });
          for (let i = 0; i < n; i += batch) {
            const changes = work.slice(i, i + batch).map((w, j) => {
              const to = outcomes[i + j] as 'passed' | 'failed' | 'error';
              w.status = to;
              w.criteria = to === 'error' ? [] : [{ name: 'A', status: to }];
              return { work: w, from: 'running' as const, to };
            });
            p.update(state, changes, T0);
          }
          p.done(state, T0);
          let open = false;
          const seen = new Map<string, 'in' | 'out'>();
          for (const line of io.out.join('').split('\n')) {
            if (line.startsWith('::group::')) {
              expect(open).toBe(false);
              open = true;
            } else if (line === '::endgroup::') {
              expect(open).toBe(true);
              open = false;
            } else if (line.startsWith('s › ')) {
              const test = line.slice(4, line.indexOf(':'));
              expect(seen.has(test)).toBe(false);
              seen.set(test, open ? 'in' : 'out');
            } else expect(open).toBe(false); // counts and the last line: never folded
          }
          expect(open).toBe(false);
          expect(seen.size).toBe(n);
          for (const w of work) expect(seen.get(w.test)).toBe(w.status === 'passed' ? 'in' : 'out');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the state file writer', () => {
  it('writes at most once per interval while marking, and whatever is pending on flush', () => {
    let t = 0;
    let writes = 0;
    const w = stateWriter(
      () => {
        writes++;
      },
      () => t,
      2_000,
    );
    w.mark(); // first change: written at once
    expect(writes).toBe(1);
    for (let i = 0; i < 1_000; i++) {
      t += 1;
      w.mark(); // a round of 1,000 triggers within the interval: no rewrite each time
    }
    expect(writes).toBe(1);
    w.flush(); // the end of the round: one write
    expect(writes).toBe(2);
    w.flush(); // nothing pending: nothing written
    expect(writes).toBe(2);
    t += 2_000;
    w.mark(); // the interval has passed: written at once
    expect(writes).toBe(3);
  });
});

describe('the live line judges a pass as the report does', () => {
  it('a pass without its required criterion is shown as an error, naming why', () => {
    const io = memoryIo({ isTTY: false });
    const w: Work = {
      suite: 's',
      test: 't',
      trial: 1,
      retry: 0,
      via: 'suite',
      status: 'passed',
      criteria: [{ name: 'Empathy', status: 'passed' }],
      failures: 0,
    };
    const state = { work: [w] } as unknown as RunState;
    const p = createProgress(io, {
      startedMs: T0,
      trialsOf: () => 1,
      rubricOf: () => [
        { name: 'Accuracy', required: true },
        { name: 'Empathy', required: false },
      ],
    });
    p.update(state, [{ work: w, from: 'running', to: 'passed' }], T0);
    expect(io.out.join('')).toMatch(
      /s › t: running → error \(the run ended without the rubric results a verdict needs \(API status passed\)\)/,
    );
  });
});
