// The evaluation of a results file: per-test outcomes, per-suite gates, baseline changes and
// the overall verdict, as one JSON-serialisable object that every reporter renders. Pure.

import { isInProgress } from './api/schemas.js';
import {
  asSnapshot,
  type BaselineComparison,
  type Change,
  type CriterionChange,
  combineBaselines,
  compareWithBaseline,
} from './baseline.js';
import { baselineSide, type ComparisonRow, compareInRun } from './compare.js';
import { evaluateSuiteGate, hasNoVerdict, type SuiteGate, type TrialPassRate, trialRate } from './gate.js';
import { pairKey } from './keys.js';
import { isPass, type TestOutcome, testOutcome } from './outcome.js';
import type {
  AttemptStatus,
  BaselineSnapshot,
  HistoryTestSnapshot,
  Results,
  Spent,
  TestResult,
} from './results.js';

export const EVALUATION_SCHEMA = 'rubric-gate/evaluation@1';

export interface Counts {
  /** Every test, skipped included. */
  total: number;
  passed: number;
  failed: number;
  /** Error outcomes, including the tests without a verdict (`unfinished`). */
  error: number;
  flaky: number;
  skipped: number;
  /** Of the errors: tests without a verdict (still running, timed out, never started, unreadable answer). */
  unfinished: number;
  /** Of those, tests with a run still in progress remotely. */
  pending: number;
}

export interface TestRef {
  suite: string;
  test: string;
  file: string;
  line: number;
}

/** A test's outcome (outcome.ts) without the per-trial detail, plus what reports show. */
export interface TestEvaluation extends TestRef, Omit<TestOutcome, 'trialOutcomes'> {
  runIds: string[];
  conversationIds: string[];
  /** Why the test errored or was skipped, for humans (from the deciding attempt). */
  message?: string;
  /** Against the baseline, when one was given. */
  change?: Change;
  criteriaChanges?: CriterionChange[];
  /** The suite file's quarantine reason. */
  quarantine?: string;
  /** What --history says about the test (strip, flips, flaky by history). */
  history?: Omit<HistoryTestSnapshot, 'suite' | 'test'>;
}

/** A quarantined test: it ran and is reported, and gates nothing unless --no-quarantine. */
export interface QuarantinedTest extends TestRef {
  reason: string;
  outcome: TestOutcome['outcome'];
  /** Passed its last `releaseAfter` runs (from --history): time to remove the quarantine. */
  ready: boolean;
  passStreak?: number;
}

/** What --history says across runs. Never part of the gate. */
export interface HistoryEvaluation {
  /** Runs the history held, this one included. */
  runs: number;
  window: number;
  releaseAfter: number;
  /** Tests whose outcome flipped back and forth under their current definition. */
  flaky: (TestRef & { strip: string; flips: number })[];
  suites: { suite: string; runs: number; passing: number; total: number; rate: number | null }[];
}

export interface SuiteEvaluation {
  name: string;
  file: string;
  counts: Counts;
  durationMs: number;
  gate: SuiteGate;
  tests: TestEvaluation[];
}

/** A selected test the results have no verdict for, and why. */
export interface MissingTest extends TestRef {
  why: string;
}

export interface PendingRun extends TestRef {
  trial: number;
  runId?: string;
  testSuiteRunId?: string;
  status: AttemptStatus;
}

export interface Evaluation {
  schema: typeof EVALUATION_SCHEMA;
  /** Every suite gate held and the run completed. */
  passed: boolean;
  complete: boolean;
  verdict: 'passed' | 'failed' | 'incomplete';
  /**
   * The verdict's real cause, for the first line of every report: "all gates held", the first
   * failed rule, or what is missing.
   */
  cause: string;
  /**
   * Every failed rule with its numbers. When incomplete, first `incomplete: <why>`, then only the
   * failures no missing result could undo.
   */
  reasons: string[];
  /** Selected tests without a verdict: what an incomplete run is missing. */
  missing: MissingTest[];
  /** Ignored loosening overrides, unchecked rules. */
  warnings: string[];
  totals: Counts;
  /** Tests that gate (not quarantined, unless --no-quarantine) and were not skipped. */
  gating: number;
  /** (passed + flaky) / non-skipped tests, over all suites; null when nothing ran. */
  passRate: number | null;
  trialPassRate?: TrialPassRate;
  durationMs: number;
  suites: SuiteEvaluation[];
  flaky: TestRef[];
  /** Present only when a baseline was given. */
  baseline?: {
    regressions: TestRef[];
    fixed: TestRef[];
    new: TestRef[];
    criterionRegressions: BaselineComparison['criterionRegressions'];
  };
  pendingRuns: PendingRun[];
  /** `run --against`: each test's baseline outcome → candidate outcome, on one run's evidence. */
  against?: { versionId: string; label: string; significance: number; rows: ComparisonRow[] };
  /** Runs and call minutes the run spent, and the runs sequential trials saved. */
  spent?: Spent;
  /** Present when some test is quarantined; `gating` is --no-quarantine. */
  quarantine?: { gating: boolean; tests: QuarantinedTest[] };
  /** Present when the results carry --history. */
  history?: HistoryEvaluation;
}

export interface EvaluateOptions {
  /** Compared on top of the baseline the results recorded (combined: it can only add regressions). */
  baseline?: Results | BaselineSnapshot;
}

const uniq = (xs: readonly (string | undefined)[]): string[] => {
  const seen = new Set<string>();
  for (const x of xs) if (x) seen.add(x);
  return [...seen];
};

export function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, error: 0, flaky: 0, skipped: 0, unfinished: 0, pending: 0 };
}

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    error: a.error + b.error,
    flaky: a.flaky + b.flaky,
    skipped: a.skipped + b.skipped,
    unfinished: a.unfinished + b.unfinished,
    pending: a.pending + b.pending,
  };
}

function countOutcomes(tests: readonly TestEvaluation[], outcomes: readonly TestOutcome[]): Counts {
  const c = emptyCounts();
  tests.forEach((t, i) => {
    c.total++;
    c[t.outcome]++;
    if (hasNoVerdict(outcomes[i]!)) {
      c.unfinished++;
      if (t.pending) c.pending++;
    }
  });
  return c;
}

function testMessage(t: TestResult, o: TestOutcome): string | undefined {
  if (t.skipped) return t.skipReason;
  if (o.outcome === 'flaky') {
    const retried = o.trialOutcomes.find((x) => x.status === 'passed' && x.attempts > 1);
    const first = t.attempts.find((a) => a.trial === retried?.trial && a.retry === 0);
    const why = first ? `; first attempt: ${first.status}${first.message ? ` (${first.message})` : ''}` : '';
    return `passed after ${(retried?.attempts ?? 2) - 1} retr${retried?.attempts === 2 ? 'y' : 'ies'}${why}`;
  }
  if (o.outcome !== 'error') return undefined;
  const errored = o.trialOutcomes.filter((x) => x.status === 'error');
  const first = errored.find((x) => x.errorKind === o.errorKind) ?? errored[0];
  const detail = first?.last?.message;
  switch (first?.errorKind) {
    case 'pending':
      return `still ${first.last?.status ?? 'running'} remotely${detail ? `: ${detail}` : ''}`;
    case 'timeout':
      return detail ?? 'timed out waiting for the run to finish';
    case 'not_started':
      return detail ?? 'the run was never started';
    case 'no_criteria':
      return `the run ended with status ${first.last?.status ?? 'unknown'} but without a result for every rubric criterion`;
    case 'undocumented':
      return first.last?.undocumented ?? 'the API answered outside its documented shapes';
    case 'missing':
      return 'no attempt was recorded';
    default:
      return detail ?? causeFromLogs(first?.last?.logs) ?? 'the run ended in error';
  }
}

/**
 * An errored run's API record carries no reason, only logs; their last line is where the run
 * stopped (e.g. "conversation ended unexpectedly"), so it is the cause reports show.
 */
export function causeFromLogs(logs: string | undefined): string | undefined {
  const last = logs
    ?.split(/\r\n|[\n\r]/)
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  if (!last) return undefined;
  return `the run ended in error: ${last.length > 200 ? `${last.slice(0, 199)}…` : last}`;
}

/**
 * The one rule where quarantine meets the gate: a quarantined test runs and is reported, but its
 * outcome (and a missing verdict) decides nothing, unless --no-quarantine. Reporters ask it too.
 */
export const testGates = (t: { quarantine?: string | undefined }, noQuarantine: boolean): boolean =>
  t.quarantine === undefined || noQuarantine;

export function evaluate(results: Results, options: EvaluateOptions = {}): Evaluation {
  const snapshot = combineBaselines(results.baseline, options.baseline && asSnapshot(options.baseline));
  // A --baseline file decides regressions when given; otherwise the in-run --against side does.
  const inRun = compareInRun(results);
  const comparison = snapshot ? compareWithBaseline(results, snapshot) : inRun?.comparison;
  const changes = new Map(comparison?.tests.map((c) => [pairKey(c.suite, c.test), c]));
  // With both, the --baseline file only adds regressions to the in-run comparison's (it may
  // only tighten): a test that regressed against --against stays a regression.
  if (snapshot && inRun) {
    for (const c of inRun.comparison.tests)
      if (c.change === 'regression') changes.set(pairKey(c.suite, c.test), c);
  }
  const pendingRuns: PendingRun[] = [];
  const missing: MissingTest[] = [];
  const allOutcomes: TestOutcome[] = [];
  const gates = (t: TestResult): boolean => testGates(t, results.noQuarantine === true);
  const historyOf = new Map(results.history?.tests.map((h) => [pairKey(h.suite, h.test), h]));

  // Tests that gate and were not skipped: the evidence a green verdict rests on.
  let gatingRan = 0;
  // --against: gating tests whose baseline side has no verdict (the run is then incomplete).
  const baselineUnknown = results.against ? baselineMissing(results, gates) : [];
  const unknownBySuite = new Map<string, Set<string>>();
  for (const m of baselineUnknown)
    unknownBySuite.set(m.suite, (unknownBySuite.get(m.suite) ?? new Set()).add(m.test));
  const suites: SuiteEvaluation[] = results.suites.map((s) => {
    const outcomes = s.tests.map(testOutcome);
    for (const o of outcomes) allOutcomes.push(o);
    const tests = s.tests.map((t, i): TestEvaluation => {
      const o = outcomes[i]!;
      const ref = { suite: s.name, test: t.name, file: t.file, line: t.line };
      for (const a of t.attempts) {
        if (!isInProgress(a.status)) continue;
        // Only the deciding (latest) attempt of a trial can still be running.
        const latest = o.trialOutcomes.find((x) => x.trial === a.trial)?.last;
        if (latest !== a) continue;
        pendingRuns.push({
          ...ref,
          trial: a.trial,
          status: a.status,
          ...(a.runId ? { runId: a.runId } : {}),
          ...(a.testSuiteRunId ? { testSuiteRunId: a.testSuiteRunId } : {}),
        });
      }
      // Keys only where there is something to look up (most runs have no baseline, no history).
      const key = changes.size + historyOf.size > 0 ? pairKey(s.name, t.name) : '';
      const change = changes.size > 0 ? changes.get(key) : undefined;
      const message = testMessage(t, o);
      if (hasNoVerdict(o) && gates(t)) missing.push({ ...ref, why: message ?? 'no verdict' });
      const h = historyOf.size > 0 ? historyOf.get(key) : undefined;
      // Fields, not a leading spread: on Node 20 each property added after one is slow.
      return {
        suite: ref.suite,
        test: ref.test,
        file: ref.file,
        line: ref.line,
        outcome: o.outcome,
        pending: o.pending,
        ...(o.errorKind ? { errorKind: o.errorKind } : {}),
        trials: o.trials,
        minPasses: o.minPasses,
        passes: o.passes,
        failures: o.failures,
        errors: o.errors,
        failedCriteria: o.failedCriteria,
        durationMs: o.durationMs,
        runIds: uniq(t.attempts.map((a) => a.runId)),
        conversationIds: uniq(t.attempts.map((a) => a.conversationId)),
        ...(message ? { message } : {}),
        ...(change ? { change: change.change, criteriaChanges: change.criteria } : {}),
        ...(o.decidedAfter === undefined ? {} : { decidedAfter: o.decidedAfter }),
        ...(t.quarantine === undefined ? {} : { quarantine: t.quarantine }),
        ...(h
          ? { history: { strip: h.strip, flips: h.flips, flaky: h.flaky, passStreak: h.passStreak } }
          : {}),
      };
    });
    const gating = new Set(s.tests.filter(gates).map((t) => t.name));
    gatingRan += s.tests.filter((t, i) => gates(t) && outcomes[i]?.outcome !== 'skipped').length;
    const regressions = comparison
      ? tests.filter((t) => t.change === 'regression' && gating.has(t.test)).map((t) => t.test)
      : undefined;
    // A test that does not pass now, against a baseline side without a verdict: may be a regression.
    const unknown = unknownBySuite.get(s.name);
    const maybeRegressed = unknown
      ? tests.filter((t) => unknown.has(t.test) && !isPass(t.outcome)).map((t) => t.test)
      : [];
    const gate = evaluateSuiteGate(
      {
        name: s.name,
        gate: s.gate,
        tests: s.tests.flatMap((t, i) =>
          gating.has(t.name) ? [{ name: t.name, outcome: outcomes[i]! }] : [],
        ),
        ...(regressions ? { regressions } : {}),
        ...(maybeRegressed.length > 0 ? { maybeRegressed } : {}),
      },
      results.gateOverrides,
    );
    return {
      name: s.name,
      file: s.file,
      counts: countOutcomes(tests, outcomes),
      durationMs: tests.reduce((n, t) => n + t.durationMs, 0),
      gate,
      tests,
    };
  });

  const totals = suites.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
  const ran = totals.total - totals.skipped;
  const reasons = suites.flatMap((s) => s.gate.reasons);
  // --against: a comparison needs a verdict on both sides. A baseline side without one leaves the
  // run incomplete: no regression check is ever made over absent results.
  for (const m of baselineUnknown) missing.push(m);
  // Complete means every selected test has a verdict, whatever the file claims.
  const complete = results.complete && missing.length === 0;
  const incompleteCause = complete ? undefined : describeMissing(results, missing, pendingRuns.length);
  if (incompleteCause !== undefined) reasons.unshift(`incomplete: ${incompleteCause}`);
  // An empty selection proves nothing: it passes only when asked for, or as an empty shard of
  // a selection the other shards run (the merge checks that they all did). So does one whose
  // every test is quarantined: nothing in it gates.
  if (gatingRan === 0 && !results.passWithNoTests && !((results.shard?.candidates ?? 0) > 0)) {
    reasons.push(
      ran === 0
        ? 'no test was selected: every test was filtered out or skipped (pass --pass-with-no-tests to allow an empty selection)'
        : `no test gates: every selected test is quarantined (${ran} ran and gate nothing; pass --no-quarantine to gate on them, or --pass-with-no-tests to allow it)`,
    );
  }
  const gateReasons = reasons.filter((r) => !r.startsWith('incomplete: '));
  const passed = complete && gateReasons.length === 0 && suites.every((s) => s.gate.ok);
  const verdict = !complete ? 'incomplete' : passed ? 'passed' : 'failed';
  const allTests = suites.flatMap((s) => s.tests);
  const toRef = (t: TestEvaluation): TestRef => ({
    suite: t.suite,
    test: t.test,
    file: t.file,
    line: t.line,
  });
  const evaluation: Evaluation = {
    schema: EVALUATION_SCHEMA,
    passed,
    complete,
    verdict,
    cause:
      verdict === 'passed'
        ? 'all gates held'
        : verdict === 'incomplete'
          ? (incompleteCause ?? 'the run did not finish')
          : `${gateReasons[0] ?? 'a gate failed'}${gateReasons.length > 1 ? ` (and ${gateReasons.length - 1} more)` : ''}`,
    reasons,
    gating: gatingRan,
    missing,
    warnings: uniq(suites.flatMap((s) => s.gate.warnings)),
    totals,
    passRate: ran === 0 ? null : (totals.passed + totals.flaky) / ran,
    durationMs: suites.reduce((n, s) => n + s.durationMs, 0),
    suites,
    flaky: allTests.filter((t) => t.outcome === 'flaky').map(toRef),
    pendingRuns,
  };
  const quarantined = allTests.filter((t) => t.quarantine !== undefined);
  if (quarantined.length > 0) {
    const releaseAfter = results.history?.releaseAfter;
    evaluation.quarantine = {
      gating: results.noQuarantine === true,
      tests: quarantined.map((t) => ({
        ...toRef(t),
        reason: t.quarantine ?? '',
        outcome: t.outcome,
        ready: releaseAfter !== undefined && (t.history?.passStreak ?? 0) >= releaseAfter,
        ...(t.history ? { passStreak: t.history.passStreak } : {}),
      })),
    };
  }
  if (results.history) {
    const h = results.history;
    evaluation.history = {
      runs: h.runs,
      window: h.window,
      releaseAfter: h.releaseAfter,
      flaky: allTests.flatMap((t) =>
        t.history?.flaky ? [{ ...toRef(t), strip: t.history.strip, flips: t.history.flips }] : [],
      ),
      suites: h.suites.map((x) => ({ ...x, rate: x.total === 0 ? null : x.passing / x.total })),
    };
  }
  const tr = trialRate(allOutcomes.filter((o) => o.outcome !== 'skipped'));
  if (tr) evaluation.trialPassRate = tr;
  if (inRun) {
    const { versionId, label, significance, rows } = inRun;
    evaluation.against = { versionId, label, significance, rows };
  }
  if (results.spent) evaluation.spent = results.spent;
  if (comparison) {
    const pick = (c: Change) => allTests.filter((t) => t.change === c).map(toRef);
    evaluation.baseline = {
      regressions: pick('regression'),
      fixed: pick('fixed'),
      new: pick('new'),
      criterionRegressions:
        snapshot && inRun
          ? [...comparison.criterionRegressions, ...inRun.comparison.criterionRegressions]
          : comparison.criterionRegressions,
    };
  }
  return evaluation;
}

/** Tests whose baseline side (--against) has no verdict, and why. */
function baselineMissing(results: Results, gates: (t: TestResult) => boolean): MissingTest[] {
  const label = results.against?.label ?? 'baseline';
  return results.suites.flatMap((s) =>
    s.tests.flatMap((t) => {
      // A quarantined test's missing baseline decides nothing, like its own missing verdict.
      if (t.skipped || !gates(t)) return [];
      const side = baselineSide(t);
      const o = testOutcome(side);
      if (!hasNoVerdict(o)) return [];
      const why = `on the baseline (${label}): ${testMessage(side, o) ?? 'no verdict'}`;
      return [{ suite: s.name, test: t.name, file: t.file, line: t.line, why }];
    }),
  );
}

/** Why results are incomplete: what the run said, then how many tests have no verdict. */
function describeMissing(results: Results, missing: readonly MissingTest[], stillRunning: number): string {
  const parts: string[] = [];
  if (!results.complete) parts.push(results.incompleteReason ?? 'the run did not finish');
  const n = missing.length;
  const total = results.suites.reduce((k, s) => k + s.tests.filter((t) => !t.skipped).length, 0);
  if (n > 0) {
    const running =
      stillRunning > 0 && !parts.some((p) => p.includes('in progress remotely'))
        ? ` (${stillRunning} run${stillRunning === 1 ? '' : 's'} still in progress remotely)`
        : '';
    parts.push(
      `${n} of ${total} selected test${total === 1 ? '' : 's'} ${n === 1 ? 'has' : 'have'} no verdict${running}`,
    );
  }
  return parts.join('; ');
}
