// The fault matrix: `run` against the simulator under every failure the API and the network can
// produce (429 storms, 5xx bursts, dropped connections, slow answers, broken bodies, a list that
// changes between pages, runs that never finish, a lost trigger answer, SIGTERM mid-poll then
// --resume). Each scenario must end either with correct, complete reports, or with exit 3 and
// partial reports that list exactly what is missing; no test is ever triggered twice and no
// result the API returned is lost. What each scenario observed is written to the JSON file named
// by RELIABILITY_OUT; scripts/reliability-table.ts turns it into docs/reliability.md.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Observation, ReliabilityReport } from '../../scripts/reliability-table.js';
import type { ClientEvent, ClientOptions } from '../../src/api/client.js';
import { collect } from '../../src/api/paginate.js';
import { type RunFlags, runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { type ErrorKind, testOutcome } from '../../src/outcome.js';
import type { Results } from '../../src/results.js';
import { scaledClock } from '../../src/run/clock.js';
import { STATE_FILE } from '../../src/run/state.js';
import { MAX_TRIGGER_ROUNDS } from '../../src/run/trigger.js';
import {
  type FaultRule,
  renderRun,
  type Simulator,
  type SimulatorOptions,
} from '../../src/simulator/index.js';
import { loadSuitesOrThrow } from '../../src/suite/load.js';
import { toApiBody } from '../../src/suite/model.js';
import type { Evaluation } from '../../src/verdict.js';
import {
  count,
  EP,
  FAST_POLL,
  type Harness,
  harness,
  KEY,
  names,
  readResults,
  SCALE,
} from './run-helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SUITE = 'faults';
const TESTS_LIST = 'GET /ai/assistants/tests';
const CREATE = 'POST /ai/assistants/tests';
const REPORTS = ['results.json', 'junit.xml', 'summary.md'];

/** The scenario every fault runs under: known outcomes, so "correct" can be checked. */
const SCENARIO = {
  seed: 11,
  tests: {
    '*': { outcome: 'pass', duration_seconds: 60 },
    [`${SUITE}/t002`]: { criteria: { Empathy: 'fail' } },
    [`${SUITE}/t005`]: { outcome: 'error' },
  },
};
const EXPECTED: Record<string, 'passed' | 'failed' | 'error'> = { t002: 'failed', t005: 'error' };
/** Without the erroring test, so --retries has nothing legitimate to re-run. */
const SCENARIO_NO_ERROR = {
  seed: 11,
  tests: { '*': SCENARIO.tests['*'], [`${SUITE}/t002`]: SCENARIO.tests[`${SUITE}/t002`] },
};
const EXPECTED_NO_ERROR: Record<string, 'passed' | 'failed' | 'error'> = { t002: 'failed' };
let expected = EXPECTED;
const expectedOutcome = (test: string) => expected[test] ?? 'passed';
/** A complete run of SCENARIO fails its gate (one failure, one error): exit 1. */
const COMPLETE_EXIT = 1;

// --- what each scenario observed -----------------------------------------------------------

const observations: Observation[] = [];
afterAll(() => {
  const file = process.env.RELIABILITY_OUT;
  if (!file || observations.length === 0) return;
  const doc = ReliabilityReport.parse({
    schema: 'rubric-gate/reliability@1',
    generatedAt: new Date().toISOString(),
    node: process.version,
    scenarios: observations,
  });
  writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
});

// --- harness ---------------------------------------------------------------------------------

/** The run harness, plus what the matrix observes: client events and the simulator's clock. */
interface Ctx extends Harness {
  events: ClientEvent[];
  tests: number;
  /** The simulator's clock (a test may hold it back or move it forward). */
  simNow: () => number;
}

let ctx: Ctx | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  expected = EXPECTED;
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await ctx?.close();
  ctx = undefined;
});

async function setup(
  opts: {
    tests?: number;
    faults?: FaultRule[];
    client?: Partial<ClientOptions>;
    scenario?: unknown;
    sim?: Partial<SimulatorOptions>;
  } = {},
): Promise<Ctx> {
  const n = opts.tests ?? 6;
  const events: ClientEvent[] = [];
  const h = await harness({
    suites: [{ suite: SUITE, maxDuration: 120, tests: names(n).map((name) => ({ name })) }],
    scenario: opts.scenario ?? SCENARIO,
    ...(opts.faults ? { faults: opts.faults } : {}),
    ...(opts.sim ? { sim: opts.sim } : {}),
    // The real retry policy, its waits on the same scaled clock as the run (Retry-After: 1 is one
    // simulated second) and its jitter pinned to the ceiling, so request counts do not depend on a
    // draw. Only the per-attempt timeout is real time: it bounds a real socket.
    client: {
      timeoutMs: 5_000,
      random: () => 1,
      sleep: (ms, signal) => delay(ms / SCALE, undefined, signal ? { signal } : undefined),
      onEvent: (e) => events.push(e),
      ...opts.client,
    },
  });
  const c: Ctx = { ...h, events, tests: n, simNow: opts.sim?.now ?? Date.now };
  ctx = c;
  return c;
}

/** `rubric-gate run` in process, on the scaled clock, with the test's client. */
function run(c: Ctx, flags: RunFlags = {}): Promise<number> {
  c.io = memoryIo({ env: c.env, cwd: c.dir });
  return runCommand(['.'], { outDir: c.outDir, ...flags }, c.io, {
    client: c.client,
    clock: scaledClock(SCALE),
    poll: FAST_POLL,
  });
}

/** The simulator's runs of the suite, by test name. */
function simRuns(sim: Simulator): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of sim.state.runs.values()) {
    if (r.test_suite !== SUITE) continue;
    out.set(r.testName, [...(out.get(r.testName) ?? []), r.run_id]);
  }
  return out;
}

type ResultsFile = Results & { evaluation: Evaluation };

/** results.json as written (facts validated by the schema, plus the stored evaluation). */
function readReport(outDir: string): ResultsFile | undefined {
  if (!existsSync(join(outDir, 'results.json'))) return undefined;
  readResults(outDir);
  return JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as ResultsFile;
}

const MISSING_KINDS: ReadonlySet<ErrorKind> = new Set(['pending', 'timeout', 'not_started', 'missing']);
const IN_FLIGHT = new Set(['pending', 'starting', 'running']);

type Expectation =
  | { kind: 'complete' }
  /** Exit 3; the reports list exactly these tests without a verdict, with this error kind. */
  | { kind: 'partial'; missing: Readonly<Record<string, ErrorKind>> }
  /** The sync failed before any trigger: exit 3 and no run started. */
  | { kind: 'nothing triggered' };

interface Meta {
  id: string;
  group: string;
  fault: string;
  startedMs: number;
  notes?: string;
  /** A run by a spawned CLI: our client's retries say nothing. */
  spawned?: boolean;
  /** The API never answered the trigger that made these runs (they cannot be in the report). */
  unreported?: boolean;
}

/**
 * What the run wrote and what the simulator holds, checked against the matrix's invariants
 * without throwing: every broken one is a line in `violations`. Recorded for the doc.
 */
function observe(c: Ctx, code: number | null, meta: Meta, expectation: Expectation): Observation {
  const v: string[] = [];
  const all = names(c.tests);
  const results = readReport(c.outDir);
  const tests = results?.suites.flatMap((s) => s.tests) ?? [];
  const attempts = tests.flatMap((t) => t.attempts.map((a) => ({ t, a })));
  const byRun = new Map(attempts.filter((x) => x.a.runId).map((x) => [x.a.runId, x] as const));
  const runs = simRuns(c.sim);
  const runIds = [...runs.values()].flat();
  const evaluations = results?.evaluation.suites.flatMap((s) => s.tests) ?? [];
  const missing = evaluations
    .filter((e) => e.outcome === 'error' && e.errorKind !== undefined && MISSING_KINDS.has(e.errorKind))
    .map((e) => `${e.test}: ${e.errorKind === 'pending' ? 'still running' : e.errorKind}`);
  const outcomes: Record<string, number> = {};
  for (const e of evaluations) outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
  const retryWaits: Record<string, number> = {};
  for (const e of c.events) {
    if (e.type !== 'retry') continue;
    const k = e.delaySource === 'retry-after' ? `Retry-After ${e.delayMs} ms` : 'backoff';
    retryWaits[k] = (retryWaits[k] ?? 0) + 1;
  }
  const counts = c.sim.counts().byEndpoint;
  const remoteTests = [...c.sim.state.tests.values()].filter((t) => t.test_suite === SUITE).length;
  const unreportedRuns = runIds.filter((id) => !byRun.has(id)).length;
  const reportsWritten = REPORTS.every((f) => existsSync(join(c.outDir, f)));

  // No test is triggered twice; no write made a second test; nothing the API returned is lost.
  for (const [test, ids] of runs) if (ids.length > 1) v.push(`${test} ran ${ids.length} times`);
  if (remoteTests > c.tests) v.push(`${remoteTests} remote tests for ${c.tests} in the file`);
  if (unreportedRuns > 0 && !meta.unreported)
    v.push(`${unreportedRuns} runs the API holds are not in the report`);
  const now = c.simNow();
  for (const { t, a } of attempts) {
    const rec = a.runId === undefined ? undefined : c.sim.state.runs.get(a.runId);
    // An undocumented answer was not the API's state as the simulator holds it (a fault rewrote it).
    if (!rec || !['passed', 'failed', 'error'].includes(a.status) || a.undocumented) continue;
    const remote = renderRun(rec, now);
    const same =
      a.status === remote.status && JSON.stringify(a.criteria) === JSON.stringify(remote.detail_status ?? []);
    if (!same) v.push(`${t.name}: reported ${a.status}, the API says ${remote.status}`);
  }

  if (expectation.kind === 'nothing triggered') {
    if (code !== 3) v.push(`exit ${code}, expected 3`);
    if (runIds.length > 0) v.push(`${runIds.length} runs started`);
    // Partial reports even so: every test listed as never started.
    if (!results || !reportsWritten) v.push('no partial reports written');
    else if (tests.some((t) => testOutcome(t).errorKind !== 'not_started'))
      v.push('a test is not reported as not started');
  } else if (!results || !reportsWritten) {
    v.push(`exit ${code}, and no reports written`);
  } else {
    if (JSON.stringify(tests.map((t) => t.name)) !== JSON.stringify(all))
      v.push('the report does not list every test once');
    const wantMissing: Readonly<Record<string, ErrorKind>> =
      expectation.kind === 'partial' ? expectation.missing : {};
    for (const t of tests) {
      const o = testOutcome(t);
      const want = wantMissing[t.name];
      if (want !== undefined) {
        if (o.errorKind !== want)
          v.push(`${t.name}: ${o.outcome}/${o.errorKind ?? '-'}, expected error/${want}`);
      } else if (o.outcome !== expectedOutcome(t.name)) {
        v.push(
          `${t.name}: ${o.outcome}${o.errorKind ? `/${o.errorKind}` : ''}, expected ${expectedOutcome(t.name)}`,
        );
      }
    }
    const inFlight = attempts.filter((x) => IN_FLIGHT.has(x.a.status)).map((x) => x.a.runId);
    const pending = results.evaluation.pendingRuns.map((p) => p.runId);
    if (JSON.stringify(pending.sort()) !== JSON.stringify(inFlight.sort()))
      v.push('the runs still in progress are not the ones listed as pending');
    if (expectation.kind === 'complete') {
      if (code !== COMPLETE_EXIT) v.push(`exit ${code}, expected ${COMPLETE_EXIT}`);
      if (!results.complete) v.push(`incomplete: ${results.incompleteReason}`);
      if (runIds.length !== c.tests) v.push(`${runIds.length} runs for ${c.tests} tests`);
    } else {
      if (code !== 3) v.push(`exit ${code}, expected 3`);
      // (results.complete may be true: every run ended, but some without a verdict to believe.)
      if (results.evaluation.verdict !== 'incomplete') v.push('reported as complete');
      // Every report names each test without a verdict.
      const summary = readFileSync(join(c.outDir, 'summary.md'), 'utf8');
      const junit = readFileSync(join(c.outDir, 'junit.xml'), 'utf8');
      for (const name of Object.keys(wantMissing)) {
        if (!summary.includes(name)) v.push(`summary.md does not name ${name}`);
        if (!new RegExp(`<testcase[^>]*name="${name}"[^>]*>\\s*<error`).test(junit))
          v.push(`junit.xml has no <error> for ${name}`);
      }
    }
  }

  const obs: Observation = {
    id: meta.id,
    group: meta.group,
    fault: meta.fault,
    expected: expectation.kind,
    exitCode: code,
    verdict: results?.evaluation.verdict ?? 'none',
    complete: results?.complete ?? false,
    ...(results?.incompleteReason ? { incompleteReason: results.incompleteReason } : {}),
    tests: c.tests,
    runs: runIds.length,
    maxRunsPerTest: Math.max(0, ...[...runs.values()].map((r) => r.length)),
    remoteTests,
    requests: c.sim.counts().total,
    triggerRequests: (counts[EP.suiteTrigger] ?? 0) + (counts[EP.testTrigger] ?? 0),
    pollRequests: (counts[EP.suiteList] ?? 0) + (counts[EP.getRun] ?? 0),
    ...(meta.spawned ? {} : { retryWaits }),
    outcomes,
    missing,
    unreportedRuns,
    reportsWritten,
    violations: v,
    ...(meta.notes ? { notes: meta.notes } : {}),
    wallMs: Date.now() - meta.startedMs,
  };
  observations.push(obs);
  return obs;
}

/** observe(), then require every invariant to hold. */
function check(c: Ctx, code: number | null, meta: Meta, expectation: Expectation): Observation {
  const obs = observe(c, code, meta, expectation);
  expect(obs.violations, `${meta.id}: ${c.io.err.join('')}`).toEqual([]);
  return obs;
}

/** The next invocation after a scenario that stopped early; recorded on the scenario's row. */
async function recover(c: Ctx, obs: Observation, flags: RunFlags, what: string): Promise<void> {
  const startedMs = Date.now();
  const code = await run(c, flags);
  const after = check(
    c,
    code,
    { id: `${obs.id}/recovery`, group: obs.group, fault: what, startedMs },
    {
      kind: 'complete',
    },
  );
  observations.pop();
  obs.recovery = `${what}: exit ${code}, complete, ${after.runs} runs for ${after.tests} tests, ${after.remoteTests} remote tests`;
}

/** Faults on every endpoint a run uses: the sync's list and creates, the trigger, the poll. */
const everywhere = (
  rule: Omit<FaultRule, 'match'>,
  endpoints: readonly string[] = [TESTS_LIST, CREATE, EP.suiteTrigger, EP.suiteList],
): FaultRule[] => endpoints.map((endpoint) => ({ ...rule, match: { endpoint } }));

const retried = (c: Ctx, re: RegExp): number =>
  c.events.filter((e) => e.type === 'retry' && re.test(e.reason)).length;

// --- the matrix ------------------------------------------------------------------------------

describe('429 storms', () => {
  it('with Retry-After: waits what the server says, one run per test, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [
        // More 429s in a row than one call's 5 attempts: the trigger needs a second round.
        { kind: 'status', status: 429, retryAfter: 1, count: 7, match: { endpoint: EP.suiteTrigger } },
        { kind: 'status', status: 429, retryAfter: 1, count: 6, match: { endpoint: EP.suiteList } },
        ...everywhere({ kind: 'status', status: 429, retryAfter: 1, count: 3 }, [TESTS_LIST, CREATE]),
      ],
    });
    const obs = check(
      c,
      await run(c),
      {
        id: '429-retry-after',
        group: '429',
        fault: '429 + Retry-After: 1, 7 in a row on the trigger, 6 on the poll, 3 on list and create',
        startedMs,
      },
      { kind: 'complete' },
    );
    // Every retry after a 429 waited the server's 1 s (on the scaled clock).
    expect(Object.keys(obs.retryWaits ?? {})).toEqual(['Retry-After 1000 ms']);
    expect(count(c.sim, EP.suiteTrigger)).toBe(8);
  });

  it('without Retry-After: backs off with jitter instead, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [
        { kind: 'status', status: 429, count: 7, match: { endpoint: EP.suiteTrigger } },
        { kind: 'status', status: 429, count: 6, match: { endpoint: EP.suiteList } },
        ...everywhere({ kind: 'status', status: 429, count: 3 }, [TESTS_LIST, CREATE]),
      ],
    });
    const obs = check(
      c,
      await run(c),
      {
        id: '429-backoff',
        group: '429',
        fault: '429 without Retry-After, 7 in a row on the trigger, 6 on the poll, 3 on list and create',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(Object.keys(obs.retryWaits ?? {})).toEqual(['backoff']);
    expect(count(c.sim, EP.suiteTrigger)).toBe(8);
  });
});

describe('5xx bursts', () => {
  it.each([500, 502, 503, 504])('%i x3 on every endpoint: retried, complete', async (status) => {
    const startedMs = Date.now();
    const c = await setup({ faults: everywhere({ kind: 'status', status, count: 3 }) });
    check(
      c,
      await run(c),
      {
        id: `${status}-burst`,
        group: '5xx',
        fault: `${status} x3 on list, create, trigger and poll`,
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(retried(c, new RegExp(`^${status} `))).toBe(12);
  });
});

describe('dropped connections', () => {
  it('before the request is handled (no side effect): retried, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({ faults: everywhere({ kind: 'drop-before', count: 2 }) });
    check(
      c,
      await run(c),
      {
        id: 'drop-before',
        group: 'connection',
        fault: 'connection closed before the request is handled, x2 on list, create, trigger and poll',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(c.client.stats.retries).toBe(8);
  });

  it('after the request is handled (answer lost): replayed by key, no duplicate test, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: everywhere({ kind: 'drop-after', count: 2 }, [TESTS_LIST, CREATE, EP.suiteList]),
    });
    check(
      c,
      await run(c),
      {
        id: 'drop-after',
        group: 'connection',
        fault: 'connection closed after the request is handled, x2 on list, create and poll',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(c.client.stats.retries).toBe(6);
  });
});

describe('slow answers beyond the request timeout', () => {
  it('reads answered after the 300 ms timeout: retried, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: everywhere({ kind: 'latency', latencyMs: 1000, count: 2 }, [TESTS_LIST, EP.suiteList]),
      client: { timeoutMs: 300 },
    });
    check(
      c,
      await run(c),
      {
        id: 'timeout-read',
        group: 'timeout',
        fault: 'list and poll answered after 1 s, x2 each; client timeout 300 ms',
        startedMs,
      },
      { kind: 'complete' },
    );
    // (At least: on a loaded machine another request may also miss 300 ms; it is retried too.)
    expect(retried(c, /no response within 300 ms/)).toBeGreaterThanOrEqual(4);
  });

  it('a trigger slower than every retry: exit 3, not started; --resume finds the same runs by key', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'latency', latencyMs: 1500, count: 1, match: { endpoint: EP.suiteTrigger } }],
      client: { timeoutMs: 300 },
    });
    const code = await run(c);
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'not_started']));
    const obs = check(
      c,
      code,
      {
        id: 'timeout-trigger',
        group: 'timeout',
        fault: 'suite trigger answered after 1.5 s; client timeout 300 ms (3 rounds of 5 attempts)',
        notes:
          'The API was still handling the first attempt, so every retry got 409 (key in progress). The report says not started and that runs may have started remotely, pointing to --resume, which re-sends the same Idempotency-Key and gets the stored answer.',
        unreported: true,
        startedMs,
      },
      { kind: 'partial', missing },
    );
    expect(c.events.some((e) => e.type === 'response' && e.status === 409)).toBe(true);
    const results = JSON.parse(readFileSync(join(c.outDir, 'results.json'), 'utf8')) as Results;
    for (const t of results.suites.flatMap((s) => s.tests)) {
      expect(t.attempts[0]?.message).toMatch(
        /runs may have started remotely: `--resume` \(the Action's `resume: true`\)/,
      );
    }
    // Once the API has finished the slow trigger, --resume gets its stored answer: same runs.
    for (let i = 0; i < 100 && simRuns(c.sim).size < 6; i++) await delay(50);
    await recover(c, obs, { resume: true }, '--resume');
    expect(count(c.sim, EP.suiteTrigger)).toBeGreaterThan(1);
  });

  it('a create slower than every retry: the sync fails, nothing is triggered; a re-run converges', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'latency', latencyMs: 1500, count: 1, match: { endpoint: CREATE } }],
      client: { timeoutMs: 300 },
    });
    const obs = check(
      c,
      await run(c),
      {
        id: 'timeout-create',
        group: 'timeout',
        fault: 'one test create answered after 1.5 s; client timeout 300 ms',
        notes:
          'The sync before the run failed (409 key in progress on every retry); the error names the call.',
        startedMs,
      },
      { kind: 'nothing triggered' },
    );
    expect(c.io.err.join('')).toMatch(/POST \/ai\/assistants\/tests/);
    await delay(1500); // the slow create finishes on the API
    await recover(c, obs, {}, 'run again');
  });
});

describe('broken bodies', () => {
  it('malformed JSON on the trigger and the poll: the same key is sent again and replayed, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [
        { kind: 'malformed', count: 1, match: { endpoint: EP.suiteTrigger } },
        { kind: 'malformed', count: 2, match: { endpoint: EP.suiteList } },
      ],
    });
    check(
      c,
      await run(c),
      {
        id: 'malformed',
        group: 'body',
        fault: 'invalid JSON in a 2xx answer: trigger x1, poll x2',
        notes:
          'A 2xx means the API stored its answer: the next round sends the same Idempotency-Key and reads the replay (no second run).',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(count(c.sim, EP.suiteTrigger)).toBe(2);
  });

  it('malformed JSON on a create: the sync fails, nothing is triggered; a re-run converges', async () => {
    const startedMs = Date.now();
    const c = await setup({ faults: [{ kind: 'malformed', count: 1, match: { endpoint: CREATE } }] });
    const obs = check(
      c,
      await run(c),
      {
        id: 'malformed-create',
        group: 'body',
        fault: 'invalid JSON in the 201 answer to one test create',
        notes: 'An invalid body is not retried by the client, so the sync before the run fails.',
        startedMs,
      },
      { kind: 'nothing triggered' },
    );
    expect(c.io.err.join('')).toMatch(/POST \/ai\/assistants\/tests/);
    await recover(c, obs, {}, 'run again');
  });

  it('truncated JSON on every endpoint: retried, complete', async () => {
    const startedMs = Date.now();
    const c = await setup({ faults: everywhere({ kind: 'truncated', count: 2 }) });
    check(
      c,
      await run(c),
      {
        id: 'truncated',
        group: 'body',
        fault: 'body cut off half-way, x2 on list, create, trigger and poll',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(c.client.stats.retries).toBe(8);
  });
});

describe('a status filter that does not do what it says', () => {
  // The poll reads finished runs through status=completed (run/poll.ts), whose semantics are
  // undocumented. Whatever the API makes of it, the results must be those the API holds.
  const big = 250; // three pages: the filter is worth using
  const meaning = {
    ignore: 'ignored (every run listed)',
    nothing: 'matching nothing',
    inverted: 'inverted (only runs in progress)',
  } as const;
  const modes = (['ignore', 'nothing', 'inverted'] as const).flatMap((mode) =>
    (['suite', 'per-test'] as const).map((how) => [mode, how] as const),
  );

  it.each(modes)('status=completed %s, %s mode: every run read, complete', async (mode, how) => {
    const startedMs = Date.now();
    const c = await setup({
      tests: big,
      faults: [{ kind: 'status-filter', value: mode, match: { endpoint: EP.suiteList } }],
    });
    const obs = check(
      c,
      await run(c, how === 'per-test' ? { maxInFlight: big } : {}),
      {
        id: `status-filter-${mode}-${how}`,
        group: 'pagination',
        fault: `${big} runs, ${how} mode; the run list's status filter ${meaning[mode]}`,
        startedMs,
      },
      { kind: 'complete' },
    );
    // A filter listing runs in progress is found out at its first read, set aside, and said so.
    // (One matching nothing is found out only if a filtered read follows an unfiltered one that
    // saw finished runs; until then it costs lag, which the invariants above do not judge.)
    if (mode === 'inverted') expect(c.io.err.join('') + c.io.out.join('')).toMatch(/status=completed filter/);
    expect(obs.runs).toBe(big);
  });
});

describe('a list that changes between two pages', () => {
  const big = 150; // two pages of 100
  const shifted = (shift: number) =>
    shift > 0
      ? 'the last item of page 1 is listed again on page 2'
      : 'the first item of page 2 is never listed';

  it.each([1, -1])('the poll, shift %i: the run is seen on the next poll, complete', async (shift) => {
    const startedMs = Date.now();
    const c = await setup({
      tests: big,
      faults: [{ kind: 'page-shift', shift, count: 1, match: { endpoint: EP.suiteList } }],
    });
    check(
      c,
      await run(c),
      {
        id: `page-shift-poll${shift > 0 ? '+' : ''}${shift}`,
        group: 'pagination',
        fault: `${big} runs; page 2 of a poll shifted by ${shift}: ${shifted(shift)}`,
        startedMs,
      },
      { kind: 'complete' },
    );
  });

  /** The suite exists remotely already, made by an earlier tool or a sync more than a day ago. */
  async function remoteSuiteExists(c: Ctx): Promise<void> {
    const [suite] = await loadSuitesOrThrow(['.'], { cwd: c.dir, env: c.env });
    for (const t of suite?.tests ?? []) await c.client.createTest(toApiBody(t));
    expect(await collect(c.client.listTests({ testSuite: SUITE }))).toHaveLength(big);
    c.sim.resetCounts();
  }

  // Sync plans from a consistent snapshot (client.snapshotTests): repeated ids are dropped and
  // the list is read again while its count differs from meta.total_results.
  it.each([1, -1])(
    'the sync, shift %i: the list is read again, no test is created twice, complete',
    async (shift) => {
      const startedMs = Date.now();
      const c = await setup({ tests: big });
      await remoteSuiteExists(c);
      c.sim.setFaults([{ kind: 'page-shift', shift, count: 1, match: { endpoint: TESTS_LIST } }]);
      check(
        c,
        await run(c),
        {
          id: `page-shift-sync${shift > 0 ? '+' : ''}${shift}`,
          group: 'pagination',
          fault: `${big} remote tests; page 2 of the sync's list shifted by ${shift}: ${shifted(shift)}`,
          notes: 'The sync saw a count that disagreed with meta.total_results and read the list again.',
          startedMs,
        },
        { kind: 'complete' },
      );
      expect(count(c.sim, CREATE)).toBe(0);
      expect(c.sim.state.tests.size).toBe(big);
    },
  );
});

describe('runs stuck in running', () => {
  it('two hung runs time out after max_duration_seconds + grace: exit 3, the rest is correct', async () => {
    const startedMs = Date.now();
    const c = await setup({
      scenario: {
        ...SCENARIO,
        tests: {
          ...SCENARIO.tests,
          [`${SUITE}/t003`]: { outcome: 'hang' },
          [`${SUITE}/t006`]: { outcome: 'hang' },
        },
      },
    });
    check(
      c,
      await run(c),
      { id: 'hang', group: 'stuck run', fault: 'two runs stay `running` for ever', startedMs },
      { kind: 'partial', missing: { t003: 'timeout', t006: 'timeout' } },
    );
  });
});

describe('a trigger that succeeds remotely but whose answer is lost', () => {
  it('suite trigger: the retry with the same Idempotency-Key is replayed, one run per test', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'drop-after', count: 1, match: { endpoint: EP.suiteTrigger } }],
    });
    check(
      c,
      await run(c),
      {
        id: 'lost-trigger-suite',
        group: 'lost trigger',
        fault: 'suite trigger handled, then the connection closed',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(count(c.sim, EP.suiteTrigger)).toBe(2);
  });

  it('per-test triggers (--max-in-flight 3): every lost answer replayed, never above 3 in flight', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [
        { kind: 'drop-after', count: 3, match: { endpoint: EP.testTrigger } },
        { kind: 'drop-after', count: 2, match: { endpoint: EP.getRun } },
      ],
    });
    check(
      c,
      await run(c, { maxInFlight: 3 }),
      {
        id: 'lost-trigger-per-test',
        group: 'lost trigger',
        fault: '3 per-test triggers and 2 run reads handled, then the connection closed (--max-in-flight 3)',
        startedMs,
      },
      { kind: 'complete' },
    );
    expect(count(c.sim, EP.testTrigger)).toBe(6 + 3);
    expect(c.sim.maxRunsInProgress()).toBeLessThanOrEqual(3);
  });
});

// --- triggers whose outcome is unknown: sent again with the same key, never adopted from history --

describe('a trigger the API handled but whose answer is unusable, on every attempt', () => {
  const cases: { id: string; fault: string; rule: Omit<FaultRule, 'match'> }[] = [
    { id: '502-after', fault: '502 after the API handled it', rule: { kind: 'status-after', status: 502 } },
    { id: 'reset-after', fault: 'connection reset after the API handled it', rule: { kind: 'drop-after' } },
    { id: '2xx-malformed', fault: '201 with a body that is not JSON', rule: { kind: 'malformed' } },
    { id: '2xx-html', fault: '201 with an HTML page', rule: { kind: 'html' } },
    { id: '2xx-wrong-shape', fault: '201 with JSON of another shape', rule: { kind: 'wrong-shape' } },
  ];
  const modes = [
    { mode: 'suite', flags: {} as RunFlags, trigger: EP.suiteTrigger, history: EP.suiteList },
    {
      mode: 'per-test',
      flags: { maxInFlight: 3 } as RunFlags,
      trigger: EP.testTrigger,
      history: EP.testRuns,
    },
  ];
  for (const m of modes) {
    for (const retries of [0, 1]) {
      it.each(cases)(
        `${m.mode} trigger, --retries ${retries}: $fault → exit 3, not started; never a second run, never a guess`,
        async (k) => {
          const startedMs = Date.now();
          expected = EXPECTED_NO_ERROR;
          const c = await setup({
            scenario: SCENARIO_NO_ERROR,
            faults: [{ ...k.rule, match: { endpoint: m.trigger } }],
          });
          const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'not_started']));
          const obs = check(
            c,
            await run(c, { ...m.flags, retries }),
            {
              id: `unknown-trigger-${k.id}-${m.mode}-retries${retries}`,
              group: 'unknown trigger',
              fault: `every ${m.mode} trigger: ${k.fault} (--retries ${retries})`,
              notes:
                'No answer to our key ever names a run: each round sends the same key (replayed, so no second run), then the tests are reported not started. Runs found in the history are never adopted: nothing ties them to our trigger.',
              unreported: true,
              startedMs,
            },
            { kind: 'partial', missing },
          );
          expect(obs.maxRunsPerTest).toBe(1);
          // The same key each round, never a new one (--retries re-runs only what it can prove ran).
          expect(count(c.sim, m.trigger)).toBeGreaterThanOrEqual(MAX_TRIGGER_ROUNDS);
          expect(count(c.sim, m.history)).toBe(0);
        },
      );
    }
  }

  it('the history cannot be read either: exit 3, not started, and --retries 1 starts no second run', async () => {
    const startedMs = Date.now();
    expected = EXPECTED_NO_ERROR;
    const c = await setup({
      scenario: SCENARIO_NO_ERROR,
      faults: [
        { kind: 'status-after', status: 502, match: { endpoint: EP.suiteTrigger } },
        { kind: 'status', status: 503, match: { endpoint: EP.suiteList } },
      ],
    });
    const code = await run(c, { retries: 1 });
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'not_started']));
    const obs = check(
      c,
      code,
      {
        id: 'unknown-trigger-unreconcilable',
        group: 'unknown trigger',
        fault: 'every suite trigger 502 after handling, and every run-history read 503 (--retries 1)',
        notes:
          'No run can be identified: reported as not started, with --resume as the way to recover; never triggered under a new key.',
        unreported: true,
        startedMs,
      },
      { kind: 'partial', missing },
    );
    expect(obs.maxRunsPerTest).toBe(1);
    expect(count(c.sim, EP.testTrigger)).toBe(0);
    const results = readResults(c.outDir);
    for (const t of results.suites.flatMap((s) => s.tests)) {
      expect(t.attempts).toHaveLength(1);
      expect(t.attempts[0]?.message).toMatch(/runs may have started remotely.*--resume/);
    }
    // Once the API answers again, --resume replays the same key: the same runs, complete.
    c.sim.setFaults([]);
    await recover(c, obs, { resume: true }, '--resume');
  });

  it('--resume a day later, past the key replay window: the history is read first; a run found is not adopted, nothing is sent', async () => {
    const startedMs = Date.now();
    expected = EXPECTED_NO_ERROR;
    let offset = 0;
    const c = await setup({
      sim: { now: () => Date.now() + offset },
      scenario: SCENARIO_NO_ERROR,
      faults: [
        { kind: 'status-after', status: 502, match: { endpoint: EP.suiteTrigger } },
        { kind: 'status', status: 503, match: { endpoint: EP.suiteList } },
      ],
    });
    const code = await run(c);
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'not_started']));
    const obs = check(
      c,
      code,
      {
        id: 'unknown-trigger-resume-next-day',
        group: 'unknown trigger',
        fault: 'every suite trigger 502 after handling, every run-history read 503; --resume 25 h later',
        notes:
          "Past the 24 h replay, the same key would start a second run: --resume reads the run history before sending. Runs found there cannot be told from another job's, so they are not adopted and nothing is sent: exit 3, with what to do.",
        unreported: true,
        startedMs,
      },
      { kind: 'partial', missing },
    );
    // A day passes: the API no longer replays the key, and the state says it was sent then.
    offset = 25 * 3_600_000;
    const stateFile = join(c.outDir, STATE_FILE);
    const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
      batches: { sentAt?: string }[];
      work: { sentAt?: string }[];
    };
    const dayEarlier = (at: string | undefined) =>
      at === undefined ? at : new Date(Date.parse(at) - offset).toISOString();
    for (const x of [...state.batches, ...state.work]) {
      if (x.sentAt !== undefined) x.sentAt = dayEarlier(x.sentAt);
    }
    writeFileSync(stateFile, JSON.stringify(state));
    const triggers = count(c.sim, EP.suiteTrigger);
    // While the history still cannot be read, nothing is sent: a send could be a second run.
    c.sim.setFaults([{ kind: 'status', status: 503, match: { endpoint: EP.suiteList } }]);
    expect(await run(c, { resume: true })).toBe(3);
    expect(count(c.sim, EP.suiteTrigger)).toBe(triggers);
    for (const t of readResults(c.outDir).suites.flatMap((s) => s.tests)) {
      expect(t.attempts[0]?.message).toMatch(/not sent again: first sent at .*more than a day ago/);
    }
    // Readable now: the first trigger's runs are there, but nothing ties them to it.
    c.sim.setFaults([]);
    expect(await run(c, { resume: true })).toBe(3);
    expect(count(c.sim, EP.suiteTrigger)).toBe(triggers);
    for (const t of readResults(c.outDir).suites.flatMap((s) => s.tests)) {
      expect(t.attempts).toHaveLength(1);
      expect(t.attempts[0]?.runId).toBeUndefined();
      expect(t.attempts[0]?.message).toMatch(/nothing ties (it|them) to this trigger/);
    }
    expect(obs.maxRunsPerTest).toBe(1);
    obs.recovery =
      '--resume 25 h later, history readable: exit 3, the runs found are not adopted, nothing sent';
  });
});

// --- deadlines -------------------------------------------------------------------------------

describe('--timeout is a deadline for the whole command', () => {
  /** Real time throughout: the client honours an hour of Retry-After, the run clock is real. */
  const realTime = {
    retryAfterCapMs: 3_600_000,
    sleep: (ms: number, signal?: AbortSignal) => delay(ms, undefined, signal ? { signal } : undefined),
  };

  it('polls answered 429 Retry-After: 99999: stops at the deadline with partial reports, exit 3', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'status', status: 429, retryAfter: 99999, match: { endpoint: EP.suiteList } }],
      client: realTime,
    });
    c.io = memoryIo({ env: c.env, cwd: c.dir });
    const t0 = Date.now();
    const code = await runCommand(['.'], { outDir: c.outDir, timeout: '2s' }, c.io, {
      client: c.client,
      poll: { startMs: 50, capMs: 200 },
    });
    const wall = Date.now() - t0;
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'pending']));
    const obs = check(
      c,
      code,
      {
        id: 'deadline-poll',
        group: 'deadline',
        fault: 'every poll answered 429 with Retry-After: 99999; --timeout 2s (real time)',
        startedMs,
      },
      { kind: 'partial', missing },
    );
    obs.notes = `Stopped ${wall} ms after the start (deadline 2000 ms).`;
    expect(wall).toBeLessThan(2_000 + 3_000);
    expect(readResults(c.outDir).incompleteReason).toMatch(/--timeout 2 s reached/);
  });

  it('a sync that waits on Retry-After: stopped at the deadline, nothing triggered, exit 3', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'status', status: 429, retryAfter: 99999, match: { endpoint: TESTS_LIST } }],
      client: realTime,
    });
    c.io = memoryIo({ env: c.env, cwd: c.dir });
    const t0 = Date.now();
    const code = await runCommand(['.'], { outDir: c.outDir, timeout: '1s' }, c.io, { client: c.client });
    const wall = Date.now() - t0;
    const obs = check(
      c,
      code,
      {
        id: 'deadline-sync',
        group: 'deadline',
        fault: "the sync's test list answered 429 with Retry-After: 99999; --timeout 1s (real time)",
        startedMs,
      },
      { kind: 'nothing triggered' },
    );
    obs.notes = `Stopped ${wall} ms after the start (deadline 1000 ms).`;
    expect(wall).toBeLessThan(1_000 + 3_000);
    expect(c.io.err.join('')).toMatch(/--timeout 1 s reached during the sync/);
  });
});

// --- garbled answers to safe reads ------------------------------------------------------------

describe('a garbled answer to a GET', () => {
  it.each([
    ['html', 'an HTML page'],
    ['wrong-shape', 'JSON of another shape'],
    ['truncated', 'a cut-off body'],
    ['malformed', 'a body that is not JSON'],
  ] as const)(
    '%s on the sync list and the poll (x2 each): retried like a 5xx, complete',
    async (kind, what) => {
      const startedMs = Date.now();
      const c = await setup({ faults: everywhere({ kind, count: 2 }, [TESTS_LIST, EP.suiteList]) });
      check(
        c,
        await run(c),
        {
          id: `garbled-get-${kind}`,
          group: 'body',
          fault: `${what} in a 2xx to GET, x2 on list and poll`,
          startedMs,
        },
        { kind: 'complete' },
      );
      expect(retried(c, /unreadable body|cut-off body/)).toBeGreaterThanOrEqual(2);
    },
  );
});

// --- answers outside the documented statuses ---------------------------------------------------

describe('an undocumented run status', () => {
  it('`completed` on every poll: an error that names it at once, never a pass, never a wait', async () => {
    const startedMs = Date.now();
    const c = await setup({
      faults: [{ kind: 'rewrite-status', value: 'completed', match: { endpoint: EP.suiteList } }],
    });
    const code = await run(c);
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'undocumented']));
    check(
      c,
      code,
      {
        id: 'undocumented-status',
        group: 'status',
        fault: 'every final run reported as `completed` by the poll',
        startedMs,
      },
      { kind: 'partial', missing },
    );
    const results = readResults(c.outDir);
    for (const t of results.suites.flatMap((s) => s.tests)) {
      expect(t.attempts[0]?.status).toBe('error');
      expect(t.attempts[0]?.message).toMatch(/"completed", which is not a documented run status/);
    }
    // Decided as soon as the runs were final: a handful of polls, not polls until a timeout.
    expect(count(c.sim, EP.suiteList)).toBeLessThan(15);
    expect(c.io.out.join('')).not.toMatch(/warning: poll/);
  });
});

// --- a wrong key ---------------------------------------------------------------------------------

describe('authentication and permission failures', () => {
  it.each([401, 403])('%i on the first call: one message, exit 3, nothing triggered', async (status) => {
    const c = await setup({ faults: [{ kind: 'status', status, match: { endpoint: TESTS_LIST } }] });
    const code = await run(c);
    expect(code).toBe(3);
    const err = c.io.err.join('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(new RegExp(`GET /ai/assistants/tests → ${status}`));
    expect(c.sim.state.runs.size).toBe(0);
    expect(existsSync(join(c.outDir, 'junit.xml'))).toBe(false);
  });

  it('401 mid-run (the key is revoked while polling): one message, exit 3, runs kept for --resume', async () => {
    const c = await setup({ faults: [{ kind: 'status', status: 401, match: { endpoint: EP.suiteList } }] });
    const code = await run(c);
    expect(code).toBe(3);
    const err = c.io.err.join('');
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toMatch(/→ 401/);
    expect(c.sim.state.runs.size).toBe(6);
    c.sim.setFaults([]);
    const resumed = await run(c, { resume: true });
    expect(resumed).toBe(COMPLETE_EXIT);
    expect(c.sim.state.runs.size).toBe(6);
  });
});

// --- a real process --------------------------------------------------------------------------

/** `rubric-gate run` as a process: the CLI from source through tsx (no build needed). */
function spawnCli(
  c: Ctx,
  args: string[],
): { proc: ChildProcess; out: () => string; exit: Promise<number | null> } {
  let out = '';
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'run', c.dir, '--out-dir', c.outDir, ...args],
    { cwd: ROOT, env: { ...process.env, ...c.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  // Bounded: a process that does not exit in 30 s is killed (and the test fails on its code).
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  const exit = new Promise<number | null>((res) =>
    proc.once('exit', (code) => {
      clearTimeout(timer);
      res(code);
    }),
  );
  child = proc;
  return { proc, out: () => out, exit };
}

describe('SIGTERM mid-poll, then --resume (the CLI as a process)', () => {
  it('stops at once with partial reports listing every run still in progress; --resume finishes them', async () => {
    const startedMs = Date.now();
    // The simulator's clock is held until the test moves it, so the runs wait for the signal.
    let offset = 0;
    const c = await setup({
      sim: { now: () => Date.now() + offset },
      // Every poll hangs for 5 s: the signal lands while a list request is in flight.
      faults: [{ kind: 'latency', latencyMs: 5_000, match: { endpoint: EP.suiteList } }],
    });
    const first = spawnCli(c, []);
    const stateFile = join(c.outDir, STATE_FILE);
    const triggered = () => {
      if (!existsSync(stateFile)) return false;
      const state = JSON.parse(readFileSync(stateFile, 'utf8')) as { work: { runId?: string }[] };
      return state.work.length === 6 && state.work.every((w) => w.runId);
    };
    for (let i = 0; i < 400 && !(triggered() && count(c.sim, EP.suiteList) > 0); i++) await delay(25);
    expect(count(c.sim, EP.suiteList), first.out()).toBeGreaterThan(0);
    await delay(100); // the poll is now waiting on the slow answer
    const signalledAt = Date.now();
    first.proc.kill('SIGTERM');
    const code = await first.exit;
    const stopMs = Date.now() - signalledAt;
    const missing = Object.fromEntries(names(6).map((n): [string, ErrorKind] => [n, 'pending']));
    const obs = check(
      c,
      code,
      {
        id: 'sigterm-resume',
        group: 'signal',
        fault: 'SIGTERM while a poll waits on a 5 s answer; then `run --resume` (both as processes)',
        spawned: true,
        startedMs,
      },
      { kind: 'partial', missing },
    );
    obs.notes = `Stopped ${stopMs} ms after the signal, without waiting for the poll's answer.`;
    expect(stopMs).toBeLessThan(4_500);
    expect(first.out()).toMatch(/SIGTERM: stopping/);
    expect(first.out()).toMatch(/6 runs are still in progress remotely/);
    expect(first.out()).toMatch(/rubric-gate run --resume --out-dir/);
    const runIds = [...simRuns(c.sim).values()].flat().sort();

    // The runs finish remotely; --resume polls the same runs and triggers nothing.
    c.sim.setFaults([]);
    offset = 2 * 3_600_000;
    const triggersBefore = count(c.sim, EP.suiteTrigger) + count(c.sim, EP.testTrigger);
    const second = spawnCli(c, ['--resume']);
    const resumed = await second.exit;
    const after = check(
      c,
      resumed,
      { id: 'sigterm-resume/recovery', group: 'signal', fault: '--resume', spawned: true, startedMs },
      { kind: 'complete' },
    );
    observations.pop();
    obs.recovery = `--resume: exit ${resumed}, complete, ${after.runs} runs for ${after.tests} tests, 0 new triggers`;
    expect(count(c.sim, EP.suiteTrigger) + count(c.sim, EP.testTrigger)).toBe(triggersBefore);
    const reported = readResults(c.outDir)
      .suites.flatMap((s) => s.tests.flatMap((t) => t.attempts.map((a) => a.runId)))
      .sort();
    expect(reported).toEqual(runIds);
  });
});

// --- the simulator's page-shift fault itself ---------------------------------------------------

describe("the simulator's page-shift fault", () => {
  it('shifts pages after the first only, by `shift` items, for `count` requests; meta unchanged', async () => {
    const c = await setup({ tests: 150 });
    const [suite] = await loadSuitesOrThrow(['.'], { cwd: c.dir, env: c.env });
    for (const t of suite?.tests ?? []) await c.client.createTest(toApiBody(t));
    const page = async (n: number) => {
      const res = await fetch(`${c.sim.url}/ai/assistants/tests?page[number]=${n}&page[size]=100`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      return (await res.json()) as { data: { name: string }[]; meta: { total_results: number } };
    };
    c.sim.setFaults([{ kind: 'page-shift', shift: 1, count: 1 }]);
    expect((await page(1)).data[0]?.name).toBe('t001'); // page 1: untouched, count kept
    const twice = await page(2);
    expect(twice.data.map((t) => t.name).slice(0, 2)).toEqual(['t100', 't101']);
    expect(twice.meta.total_results).toBe(150);
    expect((await page(2)).data[0]?.name).toBe('t101'); // count used up
    c.sim.setFaults([{ kind: 'page-shift', shift: -1 }]);
    const skipped = await page(2);
    expect(skipped.data[0]?.name).toBe('t102');
    expect(skipped.data).toHaveLength(49);
  });
});
