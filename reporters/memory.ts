// Text for what rubric-gate remembers across runs (--history, quarantine), shared by the
// reporters. Plain text: each reporter escapes it for its format. Pure.
import { formatPercent } from '../src/gate.js';
import type { Evaluation, QuarantinedTest, TestEvaluation } from '../src/verdict.js';

/** "✅❌✅✅" for a strip of P(assed), F(ailed), E(rror), oldest first. */
export function stripEmoji(strip: string): string {
  return [...strip].map((c) => (c === 'P' ? '✅' : c === 'F' ? '❌' : '⚠️')).join('');
}

/** "✅❌✅✅ (2 flips)". */
export function historyNote(h: NonNullable<TestEvaluation['history']>): string {
  return `${stripEmoji(h.strip)} (${h.flips} flip${h.flips === 1 ? '' : 's'})`;
}

/** Why a quarantined test is listed, and whether it can be released. */
export function quarantineNote(q: QuarantinedTest, releaseAfter: number | undefined): string {
  const release =
    q.ready && releaseAfter !== undefined
      ? ` · passed its last ${releaseAfter} runs: ready to release (remove quarantine)`
      : '';
  return `${q.reason}${release}`;
}

/** "refunds 18/20 = 90.0% over the last 5 runs". */
export function suiteHistoryLine(s: NonNullable<Evaluation['history']>['suites'][number]): string {
  const rate = s.rate === null ? '-' : `${s.passing}/${s.total} = ${formatPercent(s.rate)}`;
  return `${s.suite} ${rate} over the last ${s.runs} run${s.runs === 1 ? '' : 's'}`;
}
