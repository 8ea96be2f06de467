// Sequential trials: the rule that decides a test with `trials: N, min_passes: M` before all N
// trials have run, and how many more results could still change that decision. Pure.
//
// The verdict over all N trials (outcome.ts) is: passed when passes >= M; failed when even
// every errored trial passing would leave passes < M (passes + errors < M); error otherwise.
// A test is decided early when that verdict is the same whatever the open trials (not triggered
// yet, or still running) turn out to be, so stopping then gives exactly the verdict all N
// trials would have given for the trial results that were observed.

export interface TrialTally {
  passes: number;
  failures: number;
  errors: number;
  /** Trials without a verdict yet: not triggered, or triggered and not final. */
  open: number;
}

export type Decided = 'passed' | 'failed' | 'error';

/** The all-N verdict when no completion of the open trials can change it; undefined otherwise. */
export function decidedVerdict(minPasses: number, t: TrialTally): Decided | undefined {
  const { passes: p, errors: e, open } = t;
  if (p >= minPasses) return 'passed';
  // Every open trial passing or erroring still leaves passes + errors below min_passes.
  if (p + e + open < minPasses) return 'failed';
  // Passing is out of reach, and failed already is: enough trials errored.
  if (p + open < minPasses && p + e >= minPasses) return 'error';
  return undefined;
}

/**
 * The fewest further trial results (open ones included) that could decide the test: the
 * sequential schedule keeps exactly this many trials outstanding. 0 when it is decided. Each
 * way to decide is reached fastest when every new result is alike: all pass (passed), all fail
 * (failed), or all error (error); mixing results only delays each of them.
 */
export function resultsNeeded(minPasses: number, t: TrialTally): number {
  if (decidedVerdict(minPasses, t) !== undefined) return 0;
  const { passes: p, errors: e, open } = t;
  const ways = [
    minPasses - p, // all pass
    p + e + open - minPasses + 1, // all fail: passes + errors + the rest drop below min_passes
    Math.max(minPasses - p - e, p + open - minPasses + 1), // all error
  ].filter((k) => k >= 1 && k <= open);
  // Undecided means some open trial can still matter, so one of the ways is within reach.
  return Math.min(open, ...ways);
}

/**
 * How many trials to keep outstanding (triggered and not final, or to trigger now). Before any
 * result: min_passes, the trials a pass needs anyway, so a passing test (the common case) takes
 * one round. After that: only the fewest results that could still decide it (resultsNeeded).
 */
export function trialsToKeepOpen(minPasses: number, t: TrialTally): number {
  const needed = resultsNeeded(minPasses, t);
  if (needed === 0) return 0;
  const started = t.passes + t.failures + t.errors > 0;
  return started ? needed : Math.max(needed, Math.min(minPasses, t.open));
}

/** Runs one side of a test takes at best (every trial passes) and at worst (all of them). */
export const trialBounds = (trials: number, minPasses: number): { best: number; worst: number } => ({
  best: Math.min(minPasses, trials),
  worst: trials,
});
