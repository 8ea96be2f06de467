// A seeded chaos soak: for each seed, the same 30-test suite runs once on a clean simulator (the
// fault-free verdict) and once behind a mix of every fault the API and the network produce,
// drawn at random per request (seeded): 429 storms, 5xx before and after handling, resets before
// and after handling, slow answers past the client timeout, cut-off, non-JSON, HTML and
// wrong-shape bodies, undocumented statuses, pages that shift. The invariants are checked
// against the simulator's own record, never against what the tool believes:
//   1. no duplicate run: the API holds no run the report does not list, unless the exit is 3 and
//      the test is reported without a verdict; and never more runs per test than its attempts;
//   2. no lost result: every final attempt reported is what the API holds for that run;
//   3. the verdict: the exit equals the fault-free exit with every outcome equal, or it is 3 with
//      partial reports where each test that differs is listed without a verdict;
//   4. no invented flakiness: flaky only where the API holds two runs of the test;
//   5. well-formed reports: results.json valid, junit.xml parses.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { XMLValidator } from 'fast-xml-parser';
import { type RunFlags, runCommand } from '../../src/commands/run.js';
import { memoryIo } from '../../src/io.js';
import { testOutcome } from '../../src/outcome.js';
import { scaledClock } from '../../src/run/clock.js';
import { type FaultRule, renderRun } from '../../src/simulator/index.js';
import { mulberry32 } from '../../src/simulator/prng.js';
import { EP, FAST_POLL, harness, names, readResults, SCALE } from '../integration/run-helpers.js';

const SUITE = 'chaos';
const NO_VERDICT = new Set(['pending', 'timeout', 'not_started', 'missing', 'undocumented', 'no_criteria']);
const TESTS_LIST = 'GET /ai/assistants/tests';
const CREATE = 'POST /ai/assistants/tests';

export interface SeedResult {
  seed: number;
  mode: string;
  retries: number;
  cleanExit: number;
  exit: number;
  runs: number;
  requests: number;
  faultsInjected: number;
  outcomes: Record<string, number>;
  violations: string[];
}

function scenarioFor(seed: number, tests: number) {
  const rnd = mulberry32(seed);
  const entries: Record<string, unknown> = { '*': { outcome: 'pass', duration_seconds: 60 } };
  for (const name of names(tests)) {
    const r = rnd();
    if (r < 0.15) entries[`${SUITE}/${name}`] = { criteria: { Empathy: 'fail' } };
    else if (r < 0.2) entries[`${SUITE}/${name}`] = { outcome: 'error' };
  }
  return { seed, tests: entries };
}

/** The fault mix: every kind, each on the endpoints where it means something, with a seeded probability. */
function faultsFor(seed: number): FaultRule[] {
  const rnd = mulberry32(seed * 7919 + 1);
  const p = (max: number) => Math.round(rnd() * max * 1000) / 1000;
  const trig = [EP.suiteTrigger, EP.testTrigger];
  const reads = [TESTS_LIST, EP.suiteList, EP.getRun, EP.testRuns];
  const on = (endpoints: readonly string[], rule: Omit<FaultRule, 'match'>): FaultRule[] =>
    endpoints.map((endpoint) => ({ ...rule, match: { endpoint } }));
  return [
    ...on([...trig, ...reads, CREATE], { kind: 'status', status: 429, retryAfter: 1, probability: p(0.15) }),
    ...on([...trig, ...reads, CREATE], { kind: 'status', status: 503, probability: p(0.1) }),
    ...on(trig, { kind: 'status-after', status: 502, probability: p(0.3) }),
    ...on([...trig, ...reads], { kind: 'drop-before', probability: p(0.08) }),
    ...on([...trig, ...reads, CREATE], { kind: 'drop-after', probability: p(0.15) }),
    ...on([...trig, ...reads], { kind: 'latency', latencyMs: 1_200, probability: p(0.04) }),
    ...on([...trig, ...reads], { kind: 'truncated', probability: p(0.08) }),
    ...on([...trig, ...reads], { kind: 'malformed', probability: p(0.08) }),
    ...on([...trig, ...reads], { kind: 'html', probability: p(0.08) }),
    ...on([...trig, ...reads], { kind: 'wrong-shape', probability: p(0.08) }),
    ...on([EP.suiteList, EP.getRun], { kind: 'rewrite-status', value: 'completed', probability: p(0.05) }),
    ...on([TESTS_LIST, EP.suiteList, EP.testRuns], {
      kind: 'page-shift',
      shift: rnd() < 0.5 ? 1 : -1,
      probability: p(0.2),
    }),
  ];
}

interface Run {
  exit: number;
  outcomes: Map<string, { outcome: string; errorKind?: string; undocumented: boolean }>;
}

async function once(seed: number, tests: number, flags: RunFlags, faults: FaultRule[]) {
  const h = await harness({
    // Every fifth test has trials 3 / min_passes 2, so sequential trials meet the faults too.
    suites: [
      {
        suite: SUITE,
        maxDuration: 120,
        tests: names(tests).map((name, i) => (i % 5 === 4 ? { name, trials: 3, min_passes: 2 } : { name })),
      },
    ],
    scenario: scenarioFor(seed, tests),
    faults,
    client: {
      timeoutMs: 1_000,
      random: mulberry32(seed),
      sleep: (ms, signal) => delay(ms / SCALE, undefined, signal ? { signal } : undefined),
    },
  });
  const io = memoryIo({ env: h.env, cwd: h.dir });
  const exit = await runCommand(['.'], { outDir: h.outDir, timeout: '2h', ...flags }, io, {
    client: h.client,
    clock: scaledClock(SCALE),
    poll: FAST_POLL,
    random: mulberry32(seed + 3),
    graceMs: 120_000,
  });
  return { h, io, exit };
}

export async function soakSeed(seed: number, tests = 30): Promise<SeedResult> {
  const rnd = mulberry32(seed * 31 + 7);
  const retries = rnd() < 0.5 ? 0 : 1;
  const mode = rnd() < 0.5 ? 'suite' : 'per-test';
  const flags: RunFlags = { retries, ...(mode === 'per-test' ? { maxInFlight: 8 } : {}) };
  const v: string[] = [];

  const clean = await once(seed, tests, flags, []);
  const cleanRun = read(clean.h.outDir, clean.exit);
  await clean.h.close();

  const faults = faultsFor(seed);
  const { h, io, exit } = await once(seed, tests, flags, faults);
  try {
    const result = (outcomes: Record<string, number>): SeedResult => ({
      seed,
      mode,
      retries,
      cleanExit: cleanRun.exit,
      exit,
      runs: h.sim.state.runs.size,
      requests: h.sim.counts().total,
      faultsInjected: Object.values(h.sim.counts().faults).reduce((a, b) => a + b, 0),
      outcomes,
      violations: v,
    });
    const files = ['results.json', 'junit.xml', 'summary.md'];
    const missingFiles = files.filter((f) => !existsSync(join(h.outDir, f)));
    if (missingFiles.length > 0) {
      v.push(`exit ${exit} without ${missingFiles.join(', ')}: ${io.err.join('').slice(0, 300)}`);
      return result({});
    }
    const junit = readFileSync(join(h.outDir, 'junit.xml'), 'utf8');
    if (XMLValidator.validate(junit) !== true) v.push('junit.xml is not well-formed');
    const results = readResults(h.outDir); // zod-validated
    const faulty = read(h.outDir, exit);

    // Ground truth: the simulator's runs, by test name.
    const apiRuns = new Map<string, string[]>();
    for (const r of h.sim.state.runs.values()) {
      if (r.test_suite !== SUITE) continue;
      apiRuns.set(r.testName, [...(apiRuns.get(r.testName) ?? []), r.run_id]);
    }
    const now = Date.now();
    for (const t of results.suites.flatMap((s) => s.tests)) {
      const reported = new Set(t.attempts.flatMap((a) => (a.runId ? [a.runId] : [])));
      const held = apiRuns.get(t.name) ?? [];
      const o = faulty.outcomes.get(t.name);
      const noVerdict = o?.outcome === 'error' && NO_VERDICT.has(o.errorKind ?? '');
      // 1. no duplicate, nothing unlisted
      const unlisted = held.filter((id) => !reported.has(id));
      // A trigger whose runs could not be identified says so (not started, "may have started
      // remotely", with --resume to recover them): those are the only runs a report may omit.
      const saysUnidentified =
        exit === 3 &&
        t.attempts.some((a) => /may have started remotely|could not be identified/.test(a.message ?? ''));
      if (unlisted.length > 0 && !(exit === 3 && noVerdict) && !saysUnidentified)
        v.push(`${t.name}: the API holds ${unlisted.length} run(s) the report does not list`);
      if (held.length > t.trials * (1 + retries)) v.push(`${t.name}: ${held.length} runs on the API`);
      // 2. no lost or altered result
      for (const a of t.attempts) {
        const rec = a.runId ? h.sim.state.runs.get(a.runId) : undefined;
        if (!rec || a.undocumented || !['passed', 'failed', 'error'].includes(a.status)) continue;
        const api = renderRun(rec, now);
        if (api.status !== a.status || JSON.stringify(api.detail_status ?? []) !== JSON.stringify(a.criteria))
          v.push(`${t.name}: reported ${a.status}, the API holds ${api.status}`);
      }
      // 4. flaky only with two runs on the API
      if (o?.outcome === 'flaky' && held.length < 2) v.push(`${t.name}: flaky with ${held.length} run(s)`);
      // 3. per-test verdict
      const want = cleanRun.outcomes.get(t.name);
      const same = o?.outcome === want?.outcome;
      const worseByUndocumented = o?.outcome === 'flaky' && want?.outcome === 'passed' && o.undocumented;
      if (!same && !worseByUndocumented && !(exit === 3 && noVerdict))
        v.push(
          `${t.name}: ${o?.outcome}/${o?.errorKind ?? '-'} where the fault-free run says ${want?.outcome} (attempts: ${t.attempts.map((a) => `${a.status}${a.message ? ` "${a.message.slice(0, 160)}"` : ''}`).join(', ')})`,
        );
    }
    // 3. overall verdict
    if (exit !== cleanRun.exit && exit !== 3) v.push(`exit ${exit}, fault-free exit ${cleanRun.exit}`);
    if (exit === 3 && results.evaluation === undefined) v.push('exit 3 without an evaluation');

    const outcomes: Record<string, number> = {};
    for (const o of faulty.outcomes.values()) outcomes[o.outcome] = (outcomes[o.outcome] ?? 0) + 1;
    return result(outcomes);
  } finally {
    await h.close();
  }
}

function read(outDir: string, exit: number): Run {
  const outcomes = new Map<string, { outcome: string; errorKind?: string; undocumented: boolean }>();
  if (!existsSync(join(outDir, 'results.json'))) return { exit, outcomes };
  for (const t of readResults(outDir).suites.flatMap((s) => s.tests)) {
    const o = testOutcome(t);
    outcomes.set(t.name, {
      outcome: o.outcome,
      ...(o.errorKind ? { errorKind: o.errorKind } : {}),
      undocumented: t.attempts.some((a) => a.undocumented !== undefined),
    });
  }
  return { exit, outcomes };
}
