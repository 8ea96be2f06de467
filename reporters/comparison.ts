// The candidate-vs-baseline comparison of `run --against` and the cost line, as plain text cells
// that each reporter escapes its own way (markdown.ts, html-comparison.ts, console-summary.ts).
// Pure.
import { formatP, formatSide } from '../src/compare.js';
import type { Evaluation } from '../src/verdict.js';

export interface ComparisonCells {
  suite: string;
  test: string;
  /** "passed → failed", "passed 3/3 → failed 0/3 of 5". */
  outcomes: string;
  /** regression, fixed, unchanged, new, or "not significant" (a regression the test did not bear out). */
  change: string;
  /** "Policy accuracy passed → failed, Tone failed → passed". */
  flipped: string;
  /** "p = 0.050", or '' without trials. */
  p: string;
  regression: boolean;
}

export const ORDER: Record<string, number> = {
  regression: 0,
  'not significant': 1,
  fixed: 2,
  new: 3,
  unchanged: 4,
};

/** One row per compared test, regressions first. */
export function comparisonCells(ev: Evaluation): ComparisonCells[] {
  const rows = (ev.against?.rows ?? []).map((r) => ({
    suite: r.suite,
    test: r.test,
    outcomes: `${formatSide(r.baseline, r.trials)} → ${formatSide(r.candidate, r.trials)}`,
    change: r.notSignificant ? 'not significant' : r.change,
    flipped: r.flipped.map((c) => `${c.name} ${c.before ?? '?'} → ${c.after ?? '?'}`).join(', '),
    p: r.pValue === undefined ? '' : formatP(r.pValue),
    regression: r.change === 'regression',
  }));
  return rows.sort((a, b) => (ORDER[a.change] ?? 9) - (ORDER[b.change] ?? 9));
}

/** "Against main (version v-1): 1 regression, 0 fixed, 3 unchanged; with trials a regression needs p <= 0.05 (one-sided Fisher exact test)". */
export function comparisonHeadline(ev: Evaluation): string | undefined {
  const a = ev.against;
  if (!a) return undefined;
  const count = (c: string) => a.rows.filter((r) => r.change === c).length;
  const insignificant = a.rows.filter((r) => r.notSignificant).length;
  const who = a.label === a.versionId ? `version ${a.versionId}` : `${a.label} (version ${a.versionId})`;
  const parts = [
    `${count('regression')} regression${count('regression') === 1 ? '' : 's'}`,
    `${count('fixed')} fixed`,
    `${count('unchanged')} unchanged`,
    ...(insignificant > 0 ? [`${insignificant} not significant`] : []),
  ];
  const trials = a.rows.some((r) => r.trials > 1)
    ? `; with trials, a regression needs p <= ${a.significance} (one-sided Fisher exact test)`
    : '';
  return `Against ${who}, in the same run: ${parts.join(', ')}${trials}`;
}

/** "19 runs, 9.5 call minutes spent; sequential trials saved 6 runs". */
export function spentLine(ev: Evaluation): string | undefined {
  const s = ev.spent;
  if (!s) return undefined;
  const saved =
    s.runsSaved > 0 ? `; sequential trials saved ${s.runsSaved} run${s.runsSaved === 1 ? '' : 's'}` : '';
  return `${s.runs} run${s.runs === 1 ? '' : 's'}, ${s.callMinutes} call minute${s.callMinutes === 1 ? '' : 's'} spent${saved}`;
}
