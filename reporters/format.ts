// Small formatting helpers shared by the reporters. Pure.
import type { FailedCriterion } from '../src/outcome.js';
import type { Results } from '../src/results.js';
import { cleanLine } from '../src/sanitize.js';
import type { Evaluation, TestEvaluation } from '../src/verdict.js';

/** "850ms", "12.3s", "2m 05s", "1h 02m". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0ms';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** The run's wall time (startedAt → finishedAt); not the sum of run durations, which overlap. */
export function wallTimeMs(results: Pick<Results, 'startedAt' | 'finishedAt'>): number {
  const ms = Date.parse(results.finishedAt) - Date.parse(results.startedAt);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** One line of plain text from untrusted input: the project's sanitiser (src/sanitize.ts). */
export const plainText = cleanLine;

export const VERDICT_TITLE: Record<Evaluation['verdict'], string> = {
  passed: 'all gates held',
  failed: 'gate failed',
  incomplete: 'incomplete (the run could not finish)',
};

/**
 * Added to the first line of every report when every gate held but the promotion after it
 * failed (promote exits 3): "all gates held" alone reads as done. Undefined otherwise.
 */
export const promotionFailedNote = (results: Pick<Results, 'promotion'>): string | undefined =>
  results.promotion?.status === 'failed' ? 'but the promotion failed (see Promotion)' : undefined;

/**
 * The verdict every report shows (icon, mark, colour): incomplete when every gate held but the
 * promotion after it failed, as promote then exits 3 (exitCodeOf, src/commands/report.ts, uses this too); a
 * green mark beside "but the promotion failed" would read as done. Else the gate's verdict.
 */
export const shownVerdict = (
  ev: Pick<Evaluation, 'verdict'>,
  results: Pick<Results, 'promotion'>,
): Evaluation['verdict'] =>
  ev.verdict === 'passed' && promotionFailedNote(results) !== undefined ? 'incomplete' : ev.verdict;

/** "14 passed, 1 flaky, 3 failed, 1 error, 1 skipped" (zero counts left out, except passed). */
export function formatCounts(c: Evaluation['totals']): string {
  const parts = [`${c.passed} passed`];
  if (c.flaky) parts.push(`${c.flaky} flaky`);
  if (c.failed) parts.push(`${c.failed} failed`);
  const errors = c.error - c.unfinished; // a test without a verdict is missing, not an error
  if (errors) parts.push(`${errors} error${errors === 1 ? '' : 's'}`);
  if (c.unfinished)
    parts.push(`${c.unfinished} without a verdict${c.pending ? ` (${c.pending} still running)` : ''}`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

/** "Accuracy (2/3, required), Empathy (1/3)". */
export function formatCriteria(criteria: readonly FailedCriterion[]): string {
  return criteria
    .map((c) => {
      const notes = [
        c.trials > 1 ? `${c.failedTrials}/${c.trials}` : '',
        c.required ? 'required' : '',
      ].filter(Boolean);
      return notes.length > 0 ? `${c.name} (${notes.join(', ')})` : c.name;
    })
    .join(', ');
}

/** "2/3 (min 2)" for multi-trial tests, "1/1" otherwise; passes over trials. */
export function formatTrials(t: TestEvaluation): string {
  if (t.outcome === 'skipped') return '-';
  if (t.decidedAfter !== undefined) {
    return `${t.passes}/${t.decidedAfter} (min ${t.minPasses}), decided after ${t.decidedAfter} of ${t.trials} trials`;
  }
  return t.trials > 1 ? `${t.passes}/${t.trials} (min ${t.minPasses})` : `${t.passes}/${t.trials}`;
}

/** Order for listing: what needs attention first. */
export const OUTCOME_ORDER: Record<TestEvaluation['outcome'], number> = {
  failed: 0,
  error: 1,
  flaky: 2,
  passed: 3,
  skipped: 4,
};
