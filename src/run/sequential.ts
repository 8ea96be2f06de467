// Sequential trials in the run ledger: which held trials to trigger now, and which are no longer
// needed because their test is decided (src/sequential.ts has the rule). Pure over the state.
//
// Every trial of a multi-trial test starts held (ledger.ts initialState). Before each trigger
// round the loop calls releaseTrials: per test and side, it keeps trialsToKeepOpen trials
// outstanding, lowest trial first, and once the test is decided it drops the held rest. A suite
// trigger runs every test of the suite, so a held batch is released whole only when every test
// of the suite needs its trial; tests that need it alone get per-test triggers instead, and the
// batch is dropped once the rest are decided.

import { tupleKey } from '../keys.js';
import { attemptVerdict, type Rubric } from '../outcome.js';
import type { Spent } from '../results.js';
import { decidedVerdict, type TrialTally, trialsToKeepOpen } from '../sequential.js';
import { isInFlight, workKey } from './ledger.js';
import type { RunState, Work } from './state.js';

export interface TrialRule {
  trials: number;
  minPasses: number;
  /** The test's rubric: a pass must carry a result for each criterion (outcome.ts attemptVerdict). */
  rubric: Rubric;
}

export interface Release {
  released: number;
  /** Attempts dropped untriggered: their test was decided without them. */
  dropped: number;
}

const groupKey = (w: Work): string => tupleKey(w.side ?? '', w.suite, w.test);

/** Per trial, the deciding (latest) attempt. */
function lastPerTrial(items: readonly Work[]): Map<number, Work> {
  const last = new Map<number, Work>();
  for (const w of items) {
    const prev = last.get(w.trial);
    if (!prev || w.retry > prev.retry) last.set(w.trial, w);
  }
  return last;
}

/** The tally of one test (one side): open = trials without a final verdict yet. */
export function tallyOf(items: readonly Work[], rule: TrialRule): { tally: TrialTally; outstanding: number } {
  const tally: TrialTally = { passes: 0, failures: 0, errors: 0, open: 0 };
  let outstanding = 0;
  for (const w of lastPerTrial(items).values()) {
    if (w.status === 'queued' || isInFlight(w)) {
      if (!w.held) outstanding++;
      continue;
    }
    const { status, criteria, undocumented } = w;
    const v = attemptVerdict({ status, criteria, undocumented }, rule.rubric).status;
    if (v === 'passed') tally.passes++;
    else if (v === 'failed') tally.failures++;
    else tally.errors++;
  }
  // Trials already dropped belong to a decided test; any other trial without a verdict is open.
  tally.open = rule.trials - tally.passes - tally.failures - tally.errors;
  return { tally, outstanding };
}

/** Release the trials each test needs now and drop the ones no test needs any more. Mutates state. */
export function releaseTrials(state: RunState, ruleOf: (w: Work) => TrialRule | undefined): Release {
  const groups = new Map<string, Work[]>();
  for (const w of state.work) {
    const list = groups.get(groupKey(w)) ?? [];
    list.push(w);
    groups.set(groupKey(w), list);
  }
  const release = new Set<Work>();
  const decided = new Set<string>();
  for (const [key, items] of groups) {
    const held = items.filter((w) => w.held).sort((a, b) => a.trial - b.trial);
    if (held.length === 0) continue;
    const rule = ruleOf(items[0]!);
    if (!rule) {
      // Without the test's definition nothing can be decided early: run every trial.
      for (const w of held) release.add(w);
      continue;
    }
    const { tally, outstanding } = tallyOf(items, rule);
    if (decidedVerdict(rule.minPasses, tally) !== undefined) {
      decided.add(key);
      continue;
    }
    const more = Math.max(0, trialsToKeepOpen(rule.minPasses, tally) - outstanding);
    for (const w of held.slice(0, more)) release.add(w);
  }

  const out: Release = { released: 0, dropped: 0 };
  const drop = new Set<Work>();
  // Suite triggers: a batch goes when any of its tests needs the trial; it is dropped only when
  // all of them are decided (its trigger would run them all).
  const byBatch = new Map<string, Work[]>();
  for (const w of state.work) {
    if (w.batch === undefined) continue;
    const list = byBatch.get(w.batch) ?? [];
    list.push(w);
    byBatch.set(w.batch, list);
  }
  const droppedBatches = new Set<string>();
  for (const b of state.batches) {
    if (!b.held) continue;
    const items = byBatch.get(b.key) ?? [];
    const wanted = items.filter((w) => release.has(w));
    if (wanted.length > 0 && wanted.length === items.length && !b.split) {
      // Every test of the suite needs this trial: one suite trigger, as planned.
      delete b.held;
      for (const w of items) {
        delete w.held;
        out.released++;
      }
      continue;
    }
    // Only some need it: those get their own trigger (a suite trigger would run them all), and
    // so will the rest, whenever they do.
    if (wanted.length > 0) b.split = true;
    for (const w of wanted) {
      w.via = 'test';
      delete w.batch;
      w.key = workKey(state.nonce, w.suite, w.test, w.trial, w.retry, w.side);
      delete w.held;
      out.released++;
    }
    const rest = items.filter((w) => !release.has(w));
    if (rest.every((w) => decided.has(groupKey(w)))) {
      droppedBatches.add(b.key);
      for (const w of rest) drop.add(w);
    }
  }
  for (const w of release) {
    if (w.via !== 'test' || !w.held) continue;
    delete w.held;
    out.released++;
  }
  for (const w of state.work) {
    if (w.held && w.via === 'test' && decided.has(groupKey(w))) drop.add(w);
  }
  if (drop.size > 0 || droppedBatches.size > 0) {
    state.work = state.work.filter((w) => !drop.has(w));
    state.batches = state.batches.filter((b) => !droppedBatches.has(b.key));
    out.dropped = drop.size;
    state.notNeeded = (state.notNeeded ?? 0) + drop.size;
  }
  return out;
}

/** Runs started and call minutes spent (both sides), and the runs sequential trials saved. */
export function spentOf(state: RunState): Spent {
  const ran = state.work.filter((w) => w.runId !== undefined);
  const ms = ran.reduce((n, w) => n + (w.durationMs ?? 0), 0);
  return {
    runs: ran.length,
    callMinutes: Math.round((ms / 60_000) * 10) / 10,
    runsSaved: state.notNeeded ?? 0,
  };
}
