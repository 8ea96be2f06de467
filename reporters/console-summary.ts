// The verdict block printed at the end of run/report/merge: short, and safe for a terminal
// (names from the API or suite files cannot carry escape sequences). It names every failing or
// errored test (capped) with its failed criteria or cause. Colour only when asked. Pure.
import { formatPercent, formatTrialRate } from '../src/gate.js';
import { pairKey } from '../src/keys.js';
import type { Promotion } from '../src/results.js';
import type { Evaluation, TestEvaluation } from '../src/verdict.js';
import { comparisonCells, comparisonHeadline, spentLine } from './comparison.js';
import {
  formatCounts,
  formatCriteria,
  OUTCOME_ORDER,
  plainText,
  promotionFailedNote,
  shownVerdict,
} from './format.js';
import type { ReportPaths } from './index.js';
import { historyNote, quarantineNote, suiteHistoryLine } from './memory.js';
import { painter } from './style.js';

export interface ConsoleSummaryOptions {
  /** Failed rules shown before "... and N more". */
  maxReasons?: number;
  paths?: ReportPaths;
  /** What promote did (or why not), shown after the verdict. */
  promotion?: Promotion | undefined;
  /** Failing and errored tests named before "... and N more". */
  maxTests?: number;
  /** ANSI colour (decide with colorEnabled in style.ts). */
  color?: boolean;
}

const VERDICT_STYLE = { passed: 'green', failed: 'red', incomplete: 'yellow' } as const;

/** "refunds › Damaged product refund (suites/refunds.yaml:12): Accuracy (required)". */
function failingLine(t: TestEvaluation): string {
  const why =
    t.failedCriteria.length > 0
      ? formatCriteria(t.failedCriteria)
      : `${t.outcome}${t.message ? `: ${t.message}` : ''}`;
  return plainText(`${t.suite} › ${t.test} (${t.file}:${t.line}): ${why}`);
}

/** Flaky by history, quarantined tests, recent pass rates: never part of the verdict. */
function memoryLines(ev: Evaluation, max: number): string[] {
  const lines: string[] = [];
  const h = ev.history;
  if (h && h.flaky.length > 0) {
    lines.push(`  flaky by history: ${h.flaky.length} (flipped over recent runs of the same definition)`);
    const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
    for (const f of h.flaky.slice(0, max)) {
      const t = byTest.get(pairKey(f.suite, f.test));
      lines.push(
        `    ~ ${plainText(`${f.suite} › ${f.test}`)}: ${t?.history ? historyNote(t.history) : f.strip}`,
      );
    }
    if (h.flaky.length > max) lines.push(`    ... and ${h.flaky.length - max} more (see the reports)`);
  }
  const q = ev.quarantine;
  if (q) {
    lines.push(
      `  quarantined: ${q.tests.length} (${q.gating ? 'gating: --no-quarantine' : 'reported, not gating'})`,
    );
    for (const t of q.tests.slice(0, max))
      lines.push(
        `    - ${plainText(`${t.suite} › ${t.test}: ${t.outcome}: ${quarantineNote(t, h?.releaseAfter)}`)}`,
      );
    if (q.tests.length > max) lines.push(`    ... and ${q.tests.length - max} more (see the reports)`);
  }
  if (h && h.suites.length > 0) {
    lines.push(`  history: ${plainText(h.suites.slice(0, max).map(suiteHistoryLine).join('; '))}`);
  }
  return lines;
}

export function renderConsoleSummary(evaluation: Evaluation, options: ConsoleSummaryOptions = {}): string {
  const ev = evaluation;
  const max = options.maxReasons ?? 10;
  const paint = painter(options.color ?? false);
  // The first line states the verdict and its real cause.
  const promotion = { promotion: options.promotion };
  const notPromoted = promotionFailedNote(promotion);
  const verdict = shownVerdict(ev, promotion);
  const lines = [
    `rubric-gate: ${paint([VERDICT_STYLE[verdict], 'bold'], verdict.toUpperCase())}: ${plainText(ev.cause)}${notPromoted ? `, ${notPromoted}` : ''}`,
  ];
  let counts = `  ${ev.totals.total} test${ev.totals.total === 1 ? '' : 's'}: ${formatCounts(ev.totals)}`;
  if (ev.passRate !== null) {
    const ran = ev.totals.total - ev.totals.skipped;
    counts += ` (pass rate ${ev.totals.passed + ev.totals.flaky}/${ran} = ${formatPercent(ev.passRate)})`;
  }
  lines.push(counts);
  if (ev.trialPassRate) lines.push(`  ${formatTrialRate(ev.trialPassRate)}`);
  const spent = spentLine(ev);
  if (spent) lines.push(`  ${spent}`);
  const against = comparisonHeadline(ev);
  if (against !== undefined) {
    lines.push(`  ${plainText(against)}`);
    const changed = comparisonCells(ev).filter((r) => r.change !== 'unchanged');
    for (const r of changed.slice(0, max)) {
      const extra = [r.flipped, r.p].filter(Boolean).join('; ');
      lines.push(
        `    ${plainText(`${r.suite} › ${r.test}: ${r.outcomes} (${r.change}${extra ? `; ${extra}` : ''})`)}`,
      );
    }
    if (changed.length > max) lines.push(`    ... and ${changed.length - max} more (see the reports)`);
  }
  if (ev.missing.length > 0) {
    lines.push(`  missing: ${ev.missing.length} test${ev.missing.length === 1 ? '' : 's'} without a verdict`);
    for (const m of ev.missing.slice(0, max))
      lines.push(`    - ${plainText(`${m.suite} › ${m.test}: ${m.why}`)}`);
    if (ev.missing.length > max) lines.push(`    ... and ${ev.missing.length - max} more (see the reports)`);
  }
  // The incomplete cause is the first line already; what follows are failures already certain.
  const failures = ev.reasons.filter((r) => !r.startsWith('incomplete: '));
  if (!ev.complete && failures.length > 0) lines.push('  already failing, whatever the missing results say:');
  for (const r of failures.slice(0, max)) lines.push(`  ${paint('red', 'x')} ${plainText(r)}`);
  if (failures.length > max) lines.push(`  ... and ${failures.length - max} more (see the reports)`);
  // Every failing or errored test by name; tests without a verdict are listed under "missing".
  const missing = new Set(ev.missing.map((m) => pairKey(m.suite, m.test)));
  const failing = ev.suites
    .flatMap((s) => s.tests)
    .filter(
      (t) => (t.outcome === 'failed' || t.outcome === 'error') && !missing.has(pairKey(t.suite, t.test)),
    )
    .sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]);
  const maxTests = options.maxTests ?? 10;
  if (failing.length > 0) lines.push(`  failing tests:`);
  for (const t of failing.slice(0, maxTests)) {
    lines.push(`    ${t.outcome === 'failed' ? paint('red', 'x') : paint('yellow', '!')} ${failingLine(t)}`);
  }
  if (failing.length > maxTests) {
    lines.push(`    ... and ${failing.length - maxTests} more failing tests (see the reports)`);
  }
  for (const w of ev.warnings.slice(0, max)) lines.push(`  ${paint('yellow', '!')} ${plainText(w)}`);
  if (ev.warnings.length > max) lines.push(`  ... and ${ev.warnings.length - max} more warnings`);
  if (ev.baseline) {
    const b = ev.baseline;
    lines.push(`  baseline: ${b.regressions.length} regressed, ${b.fixed.length} fixed, ${b.new.length} new`);
  }
  if (ev.flaky.length > 0) lines.push(`  flaky: ${ev.flaky.length} (passed only after a retry)`);
  lines.push(...memoryLines(ev, max));
  if (ev.pendingRuns.length > 0) {
    lines.push(
      `  still running remotely: ${ev.pendingRuns.length} run${ev.pendingRuns.length === 1 ? '' : 's'} (--resume, the Action's resume: true, picks them up)`,
    );
  }
  if (options.promotion) {
    lines.push(`  promotion: ${options.promotion.status}: ${plainText(options.promotion.message)}`);
  }
  const p = options.paths;
  if (p?.junitPath) lines.push(`  junit:    ${p.junitPath}`);
  if (p?.markdownPath) lines.push(`  summary:  ${p.markdownPath}`);
  if (p?.resultsPath) lines.push(`  results:  ${p.resultsPath}`);
  if (p?.htmlPath) lines.push(`  report:   ${p.htmlPath}`);
  return `${lines.join('\n')}\n`;
}
