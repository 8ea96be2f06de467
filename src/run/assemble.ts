// The run ledger and the selection → the neutral results model (src/results.ts). Pure.
// Every loaded test appears: skipped ones with their reason, selected ones with every attempt.
import { isInProgress } from '../api/schemas.js';
import { tupleKey } from '../keys.js';
import { type Attempt, RESULTS_SCHEMA, type Results, type SuiteResult, type TestResult } from '../results.js';
import { VERSION } from '../version.js';
import type { SelectedTest, Shard } from './select.js';
import { spentOf } from './sequential.js';
import { mayHaveStarted, type RunState, type Work } from './state.js';

export interface AssembleInput {
  state: RunState;
  selection: readonly SelectedTest[];
  startedAt: string;
  finishedAt: string;
  shard?: Shard | undefined;
  /** Why the run stopped early (cancel, --timeout, an API error), if it did. */
  stopReason?: string | undefined;
  gateOverrides?: Results['gateOverrides'];
}

export function toAttempt(w: Work): Attempt {
  const a: Attempt = {
    trial: w.trial,
    retry: w.retry,
    status: w.status === 'queued' ? 'not_started' : w.status,
    criteria: w.criteria.map((c) => ({ name: c.name, status: c.status })),
  };
  if (w.runId !== undefined) a.runId = w.runId;
  if (w.testSuiteRunId !== undefined) a.testSuiteRunId = w.testSuiteRunId;
  if (w.triggeredAt !== undefined) a.triggeredAt = w.triggeredAt;
  if (w.completedAt !== undefined) a.completedAt = w.completedAt;
  if (w.durationMs !== undefined) a.durationMs = w.durationMs;
  if (w.conversationId !== undefined) a.conversationId = w.conversationId;
  if (w.logs !== undefined) a.logs = w.logs;
  const message = w.status === 'queued' ? (w.message ?? 'never triggered') : w.message;
  if (message !== undefined) a.message = message;
  if (w.undocumented !== undefined) a.undocumented = w.undocumented;
  return a;
}

/** The attempts of each (side, suite, test), ordered by trial then retry. */
function attemptsByTest(state: RunState): Map<string, Work[]> {
  const map = new Map<string, Work[]>();
  for (const w of state.work) {
    const k = tupleKey(w.side ?? '', w.suite, w.test);
    const list = map.get(k) ?? [];
    list.push(w);
    map.set(k, list);
  }
  for (const list of map.values()) list.sort((a, b) => a.trial - b.trial || a.retry - b.retry);
  return map;
}

/** Each trial's deciding (latest) attempt, per side: --against's baseline trials count too. */
function decidingAttempts(state: RunState): Map<string, Work> {
  const last = new Map<string, Work>();
  for (const w of state.work) {
    const k = tupleKey(w.side ?? '', w.suite, w.test, w.trial);
    const prev = last.get(k);
    if (!prev || w.retry > prev.retry) last.set(k, w);
  }
  return last;
}

/**
 * Why the results are incomplete, or undefined when every trial reached a verdict: the deciding
 * (last) attempt of some trial timed out, never started or is still running remotely.
 */
export function incompleteReason(state: RunState, stopReason?: string): string | undefined {
  const last = decidingAttempts(state);
  let timedOut = 0;
  let notStarted = 0;
  let maybe = 0;
  let running = 0;
  for (const w of last.values()) {
    if (w.status === 'timeout') timedOut++;
    // Not started as far as we know, but its trigger may have reached the API (trigger.ts).
    else if (mayHaveStarted(w)) maybe++;
    else if (w.status === 'not_started' || w.status === 'queued') notStarted++;
    else if (isInProgress(w.status)) running++;
  }
  const parts = [
    stopReason,
    timedOut ? `${timedOut} run${timedOut === 1 ? '' : 's'} timed out` : '',
    running ? `${running} run${running === 1 ? ' is' : 's are'} still in progress remotely` : '',
    notStarted ? `${notStarted} run${notStarted === 1 ? ' was' : 's were'} never started` : '',
    maybe
      ? `${maybe} trigger${maybe === 1 ? '' : 's'} got no answer, so ${maybe === 1 ? 'its run' : 'their runs'} may have started remotely (--resume picks them up)`
      : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/**
 * What `--resume` is about to do, from the state as revived: runs to wait for, runs to trigger
 * (never started before), and runs already final. Never "0 to pick up" while runs are pending.
 */
export function resumeSummary(state: RunState): string {
  const latest = decidingAttempts(state);
  let waiting = 0;
  let toTrigger = 0;
  let done = 0;
  for (const w of latest.values()) {
    if (isInProgress(w.status)) waiting++;
    else if (w.status === 'queued') toTrigger++;
    else done++;
  }
  const queuedBatches = state.batches.filter((b) => b.status === 'queued').length;
  const runs = (n: number) => `${n} run${n === 1 ? '' : 's'}`;
  const parts = [
    waiting > 0 ? `${runs(waiting)} to wait for` : '',
    toTrigger > 0 || queuedBatches > 0
      ? `${runs(toTrigger)} to trigger${queuedBatches > 0 ? ` (and ${queuedBatches} suite trigger${queuedBatches === 1 ? '' : 's'})` : ''}`
      : '',
    done > 0 ? `${runs(done)} already final` : '',
  ].filter(Boolean);
  if (waiting === 0 && toTrigger === 0 && queuedBatches === 0) parts.unshift('nothing left to wait for');
  return `Resuming the run started ${state.startedAt}: ${parts.join(', ')} (settings from the state file)`;
}

export function assembleResults(input: AssembleInput): Results {
  const byTest = attemptsByTest(input.state);
  const against = input.state.settings.against;
  return buildResults(
    input.selection,
    (s) => {
      const work = byTest.get(tupleKey('', s.suite.name, s.test.name)) ?? [];
      const base = against ? (byTest.get(tupleKey('baseline', s.suite.name, s.test.name)) ?? []) : [];
      return {
        testId: work.find((w) => w.testId !== undefined)?.testId,
        attempts: work.map(toAttempt),
        ...(against ? { againstAttempts: base.map(toAttempt) } : {}),
        // Trials were held back until needed: one not triggered was not needed (outcome.ts).
        ...(s.trials > 1 && !input.state.settings.allTrials ? { sequential: true } : {}),
      };
    },
    {
      ...input,
      versionId: input.state.settings.versionId,
      versionName: input.state.versionName,
      reason: incompleteReason(input.state, input.stopReason),
      against,
      spent: spentOf(input.state),
    },
  );
}

/**
 * Results for a run that stopped before anything was triggered (the sync before it failed):
 * every selected trial is not_started with the reason, so the partial reports say what is missing.
 */
export function notStartedResults(
  input: Omit<AssembleInput, 'state' | 'stopReason'> & { reason: string; versionId?: string | undefined },
): Results {
  return buildResults(
    input.selection,
    (s) => ({
      attempts: Array.from({ length: s.trials }, (_, i) => ({
        trial: i + 1,
        retry: 0,
        status: 'not_started' as const,
        criteria: [],
        message: input.reason,
      })),
    }),
    input,
  );
}

interface ResultsMeta {
  startedAt: string;
  finishedAt: string;
  shard?: Shard | undefined;
  gateOverrides?: Results['gateOverrides'];
  versionId?: string | undefined;
  versionName?: string | undefined;
  /** Why the results are incomplete; undefined = complete. */
  reason?: string | undefined;
  against?: Results['against'];
  spent?: Results['spent'];
}

function buildResults(
  selection: readonly SelectedTest[],
  attemptsOf: (s: SelectedTest) => {
    testId?: string | undefined;
    attempts: Attempt[];
    againstAttempts?: Attempt[];
    sequential?: boolean;
  },
  meta: ResultsMeta,
): Results {
  const suites: SuiteResult[] = [];
  const bySuite = new Map<string, SuiteResult>();
  for (const s of selection) {
    let suite = bySuite.get(s.suite.name);
    if (!suite) {
      suite = { name: s.suite.name, file: s.suite.file, gate: { ...s.suite.gate }, tests: [] };
      bySuite.set(s.suite.name, suite);
      suites.push(suite);
    }
    const { testId, attempts, againstAttempts, sequential } = s.selected
      ? attemptsOf(s)
      : { testId: undefined, attempts: [], againstAttempts: undefined, sequential: undefined };
    const t: TestResult = {
      name: s.test.name,
      file: s.test.loc.file,
      line: s.test.loc.line,
      tags: [...s.test.tags],
      criteria: s.test.rubric.map((c) => ({ name: c.name, required: c.required })),
      trials: s.trials,
      minPasses: s.minPasses,
      skipped: !s.selected,
      attempts,
    };
    if (testId !== undefined) t.testId = testId;
    if (sequential) t.sequential = true;
    if (againstAttempts !== undefined) t.againstAttempts = againstAttempts;
    if (s.test.maxDurationSeconds !== undefined) t.maxDurationSeconds = s.test.maxDurationSeconds;
    if (s.test.renamedFrom.length > 0) t.renamedFrom = [...s.test.renamedFrom];
    if (!s.selected && s.skipReason !== undefined) t.skipReason = s.skipReason;
    suite.tests.push(t);
  }
  const results: Results = {
    schema: RESULTS_SCHEMA,
    tool: { name: 'rubric-gate', version: VERSION },
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    complete: meta.reason === undefined,
    suites,
  };
  if (meta.versionId !== undefined) results.versionId = meta.versionId;
  if (meta.versionId !== undefined && meta.versionName !== undefined) results.versionName = meta.versionName;
  if (meta.against !== undefined) results.against = { ...meta.against };
  if (meta.spent !== undefined) results.spent = meta.spent;
  if (meta.shard && meta.shard.total > 1) results.shard = { ...meta.shard };
  if (meta.reason !== undefined) results.incompleteReason = meta.reason;
  if (meta.gateOverrides && Object.keys(meta.gateOverrides).length > 0)
    results.gateOverrides = meta.gateOverrides;
  return results;
}
