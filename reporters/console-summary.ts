// The verdict block printed at the end of run/report/merge: plain text, short, and safe for
// a terminal (names from the API or suite files cannot carry escape sequences). Pure.
import { formatPercent, formatTrialRate } from '../src/gate.js';
import type { Promotion } from '../src/results.js';
import type { Evaluation } from '../src/verdict.js';
import { formatCounts, plainText } from './format.js';
import type { ReportPaths } from './index.js';

export interface ConsoleSummaryOptions {
  /** Failed rules shown before "... and N more". */
  maxReasons?: number;
  paths?: ReportPaths;
  /** What promote did (or why not), shown after the verdict. */
  promotion?: Promotion | undefined;
}

export function renderConsoleSummary(evaluation: Evaluation, options: ConsoleSummaryOptions = {}): string {
  const ev = evaluation;
  const max = options.maxReasons ?? 10;
  // The first line states the verdict and its real cause.
  const lines = [`rubric-gate: ${ev.verdict.toUpperCase()}: ${plainText(ev.cause)}`];
  let counts = `  ${ev.totals.total} test${ev.totals.total === 1 ? '' : 's'}: ${formatCounts(ev.totals)}`;
  if (ev.passRate !== null) {
    const ran = ev.totals.total - ev.totals.skipped;
    counts += ` (pass rate ${ev.totals.passed + ev.totals.flaky}/${ran} = ${formatPercent(ev.passRate)})`;
  }
  lines.push(counts);
  if (ev.trialPassRate) lines.push(`  ${formatTrialRate(ev.trialPassRate)}`);
  if (ev.missing.length > 0) {
    lines.push(`  missing: ${ev.missing.length} test${ev.missing.length === 1 ? '' : 's'} without a verdict`);
    for (const m of ev.missing.slice(0, max))
      lines.push(`    - ${plainText(`${m.suite} › ${m.test}: ${m.why}`)}`);
    if (ev.missing.length > max) lines.push(`    ... and ${ev.missing.length - max} more (see the reports)`);
  }
  // The incomplete cause is the first line already; what follows are failures already certain.
  const failures = ev.reasons.filter((r) => !r.startsWith('incomplete: '));
  if (!ev.complete && failures.length > 0) lines.push('  already failing, whatever the missing results say:');
  for (const r of failures.slice(0, max)) lines.push(`  x ${plainText(r)}`);
  if (failures.length > max) lines.push(`  ... and ${failures.length - max} more (see the reports)`);
  for (const w of ev.warnings.slice(0, max)) lines.push(`  ! ${plainText(w)}`);
  if (ev.warnings.length > max) lines.push(`  ... and ${ev.warnings.length - max} more warnings`);
  if (ev.baseline) {
    const b = ev.baseline;
    lines.push(`  baseline: ${b.regressions.length} regressed, ${b.fixed.length} fixed, ${b.new.length} new`);
  }
  if (ev.flaky.length > 0) lines.push(`  flaky: ${ev.flaky.length} (passed only after a retry)`);
  if (ev.pendingRuns.length > 0) {
    lines.push(
      `  still running remotely: ${ev.pendingRuns.length} run${ev.pendingRuns.length === 1 ? '' : 's'} (rubric-gate run --resume picks them up)`,
    );
  }
  if (options.promotion) {
    lines.push(`  promotion: ${options.promotion.status}: ${plainText(options.promotion.message)}`);
  }
  const p = options.paths;
  if (p?.junitPath) lines.push(`  junit:    ${p.junitPath}`);
  if (p?.markdownPath) lines.push(`  summary:  ${p.markdownPath}`);
  if (p?.resultsPath) lines.push(`  results:  ${p.resultsPath}`);
  return `${lines.join('\n')}\n`;
}
