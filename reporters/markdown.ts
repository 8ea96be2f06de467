// summary.md: verdict and gate explanation first, then what needs attention, then a table per
// suite, then logs. Pure. Everything that came from the API or a suite file goes through
// escapeMarkdown/escapeHtml, so a hostile name renders as plain text. The document stays
// under a byte limit (GitHub's step summary: 1 MiB) by dropping detail in steps, never by
// cutting mid-table (the changesets/action approach).

import { formatPercent, formatThreshold, formatTrialRate, gateState } from '../src/gate.js';
import { pairKey } from '../src/keys.js';
import type { Results } from '../src/results.js';
import { cleanLine, cleanText } from '../src/sanitize.js';
import type { Evaluation, SuiteEvaluation, TestEvaluation } from '../src/verdict.js';
import { comparisonCells, comparisonHeadline, spentLine } from './comparison.js';
import {
  formatCounts,
  formatCriteria,
  formatDuration,
  formatTrials,
  OUTCOME_ORDER,
  promotionFailedNote,
  shownVerdict,
  VERDICT_TITLE,
  wallTimeMs,
} from './format.js';
import { historyNote, quarantineNote, stripEmoji, suiteHistoryLine } from './memory.js';

export const STEP_SUMMARY_LIMIT = 1024 * 1024;

export interface MarkdownOptions {
  /** Maximum size in bytes (UTF-8). Default: 1 MiB, GitHub's step-summary limit. */
  maxBytes?: number;
  /** Longest log shown per attempt, in characters; longer logs are cut with a note. */
  maxLogChars?: number;
  /** Link or path shown where detail was dropped ("see ..."). */
  fullReport?: string;
  /** Logs of every attempt; by default only of failing, errored and flaky tests. */
  allLogs?: boolean;
}

/** Whose logs summary.md shows by default: the tests someone has to look at. */
const LOGGED_OUTCOMES = new Set<TestEvaluation['outcome']>(['failed', 'error', 'flaky']);

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * For text inside HTML (<summary>, <pre>): the one sanitiser's multi-line cleaning (escapes,
 * controls, bidi overrides, lone surrogates out; src/sanitize.ts), then entities; newlines kept.
 */
export function escapeHtml(text: string): string {
  return entities(cleanText(text));
}

/** Untrusted text as one clean line of HTML text (the HTML reports' escaper). */
export const escapeHtmlLine = (text: string): string => entities(cleanLine(text));

const HTML_SPECIAL = /[&<>"']/;
/** Clean text with & < > " ' as entities; most (names, ids, statuses) has none, and no pass. */
const entities = (clean: string): string =>
  HTML_SPECIAL.test(clean) ? clean.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : clean;

/**
 * For untrusted text in Markdown (headings, list items, table cells): one clean line, HTML
 * entities for & < > " ', and a backslash before every Markdown punctuation character, so
 * `|` cannot split a cell, backticks cannot open code, `*_[]` cannot format or link. Then
 * unlinkReferences, so the text mentions and cross-references nothing.
 */
export function escapeMarkdown(text: string): string {
  // Backslashes first, then entities (an entity's own `#` must not be escaped).
  return unlinkReferences(escapeHtml(cleanLine(text).replace(/[\\`*_{}[\]()#+\-.!|~:]/g, '\\$&')));
}

/**
 * Escaped text (HTML or Markdown) with a zero-width space after the `@` of `@user` or
 * `@org/team`, the `#` of `#123` and the `-` of `GH-123`: GitHub links mentions and issue
 * references after rendering, even inside <summary>, so `\@` or an entity would not stop it;
 * unstopped, every run's comment would notify a team or cross-reference an issue. An entity's
 * own `&#` is left alone.
 */
function unlinkReferences(escaped: string): string {
  return escaped
    .replace(/@(?=[A-Za-z0-9])/g, '@&#8203;')
    .replace(/(?<!&)#(?=\d)/g, '#&#8203;')
    .replace(/(?<![A-Za-z0-9])(gh\\?-)(?=\d)/gi, '$1&#8203;');
}

const OUTCOME_ICON: Record<TestEvaluation['outcome'], string> = {
  passed: '✅',
  failed: '❌',
  error: '⚠️',
  flaky: '🔁',
  skipped: '⏭️',
};
const VERDICT_ICON: Record<Evaluation['verdict'], string> = { passed: '✅', failed: '❌', incomplete: '⚠️' };

/** A suite's gate (gateState): undecided as the rules that cannot be decided yet. */
const GATE_ICON = { passed: '✅', failed: '❌', undecided: '⏳' } as const;

/** How much detail to render; each level of degradation lowers one of these. */
interface Detail {
  logs: boolean;
  passingRows: boolean;
  /** Cap on rows per table and items per list. */
  maxRows: number;
}

interface Rendered {
  text: string;
  omittedRows: number;
}

const table = (header: string[], rows: string[][]): string[] => [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
  '', // GFM continues a table into the next non-blank line
];

/** At most `max` items; the caller adds a "... and N more" line. */
function capped<T>(items: readonly T[], max: number): { shown: T[]; more: number } {
  const shown = items.slice(0, Math.max(0, max));
  return { shown, more: items.length - shown.length };
}

const more = (n: number, what: string): string[] => (n > 0 ? [`_… and ${n} more ${what} not listed._`] : []);

const ref = (suite: string, test: string) => `${escapeMarkdown(suite)} › ${escapeMarkdown(test)}`;

function outcomeCell(t: TestEvaluation): string {
  let text = `${OUTCOME_ICON[t.outcome]} ${t.outcome}`;
  if (t.outcome === 'error' && t.errorKind && t.errorKind !== 'error') {
    text += ` (${t.errorKind === 'pending' ? 'still running' : t.errorKind.replace('_', ' ')})`;
  }
  if (t.change === 'regression') text += ' · **regression**';
  else if (t.change === 'fixed') text += ' · fixed';
  else if (t.change === 'new') text += ' · new';
  if (t.history?.flaky) text += ` · flaky by history ${historyNote(t.history)}`;
  if (t.quarantine !== undefined) text += ' · quarantined';
  return text;
}

const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function detailCell(t: TestEvaluation): string {
  if (t.failedCriteria.length > 0) return escapeMarkdown(formatCriteria(t.failedCriteria));
  if (t.message) return escapeMarkdown(truncate(t.message, 300));
  return '';
}

function suiteSection(s: SuiteEvaluation, detail: Detail): Rendered & { skipped: boolean } {
  const g = s.gate;
  const rate =
    g.passRate === null
      ? 'no test ran'
      : `pass rate ${g.passing}/${g.considered} = ${formatPercent(g.passRate)} (min ${formatThreshold(g.effective.minPassRate)})`;
  const trial = g.trialPassRate ? ` · ${formatTrialRate(g.trialPassRate)}` : '';
  const sorted = [...s.tests].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]);
  const candidates = detail.passingRows
    ? sorted
    : sorted.filter((t) => t.outcome === 'failed' || t.outcome === 'error');
  const { shown, more: hidden } = capped(candidates, detail.maxRows);
  const omittedRows = s.tests.length - shown.length;
  if (shown.length === 0 && !detail.passingRows) return { text: '', omittedRows, skipped: true };
  const lines = [
    `### ${GATE_ICON[gateState(g)]} ${escapeMarkdown(s.name)}`,
    '',
    `${formatCounts(s.counts)} · ${rate}${trial} · ${formatDuration(s.durationMs)} · ${escapeMarkdown(s.file)}`,
    '',
  ];
  if (shown.length > 0) {
    lines.push(
      ...table(
        ['Test', 'Outcome', 'Failed criteria / reason', 'Duration', 'Trials'],
        shown.map((t) => [
          escapeMarkdown(t.test),
          outcomeCell(t),
          detailCell(t),
          t.durationMs > 0 ? formatDuration(t.durationMs) : '-',
          formatTrials(t),
        ]),
      ),
    );
  }
  const notListed = candidates.length < sorted.length ? sorted.length - candidates.length : 0;
  lines.push(...more(hidden, 'tests'));
  if (notListed > 0) lines.push(`_${notListed} passing, flaky or skipped tests not listed._`);
  lines.push('');
  return { text: lines.join('\n'), omittedRows, skipped: false };
}

/** Flaky by history, quarantined tests and each suite's recent pass rate: informational. */
function memorySections(ev: Evaluation, detail: Detail): string[] {
  const out: string[] = [];
  const h = ev.history;
  if (h && h.flaky.length > 0) {
    const f = capped(h.flaky, detail.maxRows);
    out.push(
      '### Flaky by history',
      '',
      `The outcome flipped back and forth over the last runs of the same definition (oldest first). It does not change the gate; it says where to look:`,
      '',
      ...f.shown.map(
        (x) =>
          `- ${ref(x.suite, x.test)}: ${stripEmoji(x.strip)} (${x.flips} flips) (${escapeMarkdown(x.file)}:${x.line})`,
      ),
      ...more(f.more, 'flaky tests'),
      '',
    );
  }
  const q = ev.quarantine;
  if (q) {
    const c = capped(q.tests, detail.maxRows);
    const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
    out.push(
      '### Quarantined',
      '',
      q.gating
        ? 'These tests are quarantined, but --no-quarantine gates on them:'
        : 'These tests ran and are reported, but do not affect any gate (--no-quarantine gates on them):',
      '',
      ...table(
        ['Suite', 'Test', 'Now', 'Recent', 'Reason'],
        c.shown.map((x) => {
          const t = byTest.get(pairKey(x.suite, x.test));
          return [
            escapeMarkdown(x.suite),
            escapeMarkdown(x.test),
            `${OUTCOME_ICON[x.outcome]} ${x.outcome}`,
            t?.history ? historyNote(t.history) : '-',
            escapeMarkdown(quarantineNote(x, h?.releaseAfter)),
          ];
        }),
      ),
      ...more(c.more, 'quarantined tests'),
    );
  }
  if (h && h.suites.length > 0) {
    out.push(
      '### History',
      '',
      `Pass rate across the recent runs (${h.runs} run${h.runs === 1 ? '' : 's'} in the history file):`,
      '',
      ...capped(h.suites, detail.maxRows).shown.map((s) => `- ${escapeMarkdown(suiteHistoryLine(s))}`),
      '',
    );
  }
  return out;
}

function logsSection(
  results: Results,
  evaluation: Evaluation,
  maxLogChars: number,
  maxRows: number,
  allLogs: boolean,
): string[] {
  const entries: { title: string; body: string; order: number }[] = [];
  results.suites.forEach((suite, i) => {
    suite.tests.forEach((t, j) => {
      const e = evaluation.suites[i]?.tests[j];
      if (!e) return;
      for (const a of [...t.attempts].sort((x, y) => x.trial - y.trial || x.retry - y.retry)) {
        if (!a.logs || !(allLogs || LOGGED_OUTCOMES.has(e.outcome))) continue;
        const title = `${suite.name} › ${t.name} · trial ${a.trial}${a.retry > 0 ? ` attempt ${a.retry + 1}` : ''} · ${a.status}`;
        const cut = a.logs.length > maxLogChars;
        const body = cut
          ? `${a.logs.slice(0, maxLogChars)}\n… (${a.logs.length - maxLogChars} more characters; see junit.xml)`
          : a.logs;
        entries.push({ title, body, order: OUTCOME_ORDER[e.outcome] });
      }
    });
  });
  if (entries.length === 0) return [];
  entries.sort((a, b) => a.order - b.order);
  const { shown, more: hidden } = capped(entries, maxRows);
  const lines = ['### Logs', ''];
  for (const e of shown) {
    // <pre> is an HTML block: Markdown is not parsed inside, and escaped text cannot close it.
    lines.push(
      `<details><summary>${unlinkReferences(escapeHtml(e.title.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')))}</summary>`,
      '',
      `<pre>${escapeHtml(e.body)}</pre>`,
      '',
      '</details>',
      '',
    );
  }
  lines.push(...more(hidden, 'logs'));
  return lines;
}

function render(
  results: Results,
  evaluation: Evaluation,
  detail: Detail,
  options: MarkdownOptions,
  dropped: string[],
): Rendered {
  const ev = evaluation;
  const out: string[] = [];
  let omittedRows = 0;
  // The first line states the verdict and its real cause.
  const notPromoted = promotionFailedNote(results);
  const headline =
    ev.verdict === 'passed'
      ? [VERDICT_TITLE.passed, notPromoted].filter(Boolean).join(', ')
      : `${VERDICT_TITLE[ev.verdict].split(' (')[0]}: ${ev.cause}`;
  out.push(`## ${VERDICT_ICON[shownVerdict(ev, results)]} rubric-gate: ${escapeMarkdown(headline)}`, '');
  const summary = [
    `**${ev.totals.total} test${ev.totals.total === 1 ? '' : 's'}**: ${formatCounts(ev.totals)}`,
  ];
  if (ev.passRate !== null) {
    const passing = ev.totals.passed + ev.totals.flaky;
    summary.push(
      `pass rate ${passing}/${ev.totals.total - ev.totals.skipped} = ${formatPercent(ev.passRate)}`,
    );
  }
  if (ev.trialPassRate) summary.push(formatTrialRate(ev.trialPassRate));
  const { versionId, versionName } = results;
  const version =
    versionId === undefined
      ? 'main'
      : versionName === undefined
        ? escapeMarkdown(versionId)
        : `${escapeMarkdown(versionName)} (${escapeMarkdown(versionId)})`;
  summary.push(`version ${version}`);
  // Wall time: runs overlap, so the sum of their durations overstates how long the run took.
  summary.push(`${formatDuration(wallTimeMs(results))} wall time`);
  const spent = spentLine(ev);
  if (spent) summary.push(spent);
  out.push(summary.join(' · '), '');
  if (results.promotion) {
    const p = results.promotion;
    out.push(`**Promotion** (${p.status}): ${escapeMarkdown(p.message)}`, '');
  }
  if (dropped.length > 0) {
    const where = options.fullReport
      ? `; the full report is in ${escapeMarkdown(options.fullReport)}`
      : '; results.json and junit.xml have everything';
    out.push(
      `> [!NOTE]`,
      `> To stay under ${formatBytes(options.maxBytes ?? STEP_SUMMARY_LIMIT)} this summary leaves out ${dropped.join(', ')}${where}.`,
      '',
    );
  }

  if (ev.missing.length > 0) {
    const m = capped(ev.missing, detail.maxRows);
    out.push('### Missing', '', 'These selected tests have no verdict, so the gate cannot be decided:', '');
    out.push(...m.shown.map((x) => `- ${ref(x.suite, x.test)}: ${escapeMarkdown(x.why)}`));
    out.push(...more(m.more, 'tests'), '');
  }

  // The gate explanation: failed rules (with numbers), else the rules that held (or wait on
  // missing results). An incomplete run's cause is in the heading and the Missing list.
  out.push('### Gate', '');
  const failed = ev.reasons.filter((r) => !r.startsWith('incomplete: '));
  const lines =
    failed.length > 0
      ? failed.map((r) => `- ❌ ${escapeMarkdown(r)}`)
      : ev.suites.flatMap((s) =>
          s.gate.rules.map((r) => `- ${r.undecided ? '⏳' : '✅'} ${escapeMarkdown(r.message)}`),
        );
  const gateList = capped(lines, Math.max(detail.maxRows, 10));
  out.push(...gateList.shown, ...more(gateList.more, failed.length > 0 ? 'failed rules' : 'rules'));
  const warnings = capped(ev.warnings, Math.max(detail.maxRows, 10));
  out.push(...warnings.shown.map((w) => `- ⚠️ ${escapeMarkdown(w)}`), ...more(warnings.more, 'warnings'));
  out.push('');

  if (ev.pendingRuns.length > 0) {
    const p = capped(ev.pendingRuns, detail.maxRows);
    out.push(
      '### Still running remotely',
      '',
      `These runs had not finished when the report was written; \`--resume\` (the Action's \`resume: true\`) picks them up.`,
      '',
    );
    if (p.shown.length > 0) {
      out.push(
        ...table(
          ['Suite', 'Test', 'Trial', 'Run id', 'Status'],
          p.shown.map((r) => [
            escapeMarkdown(r.suite),
            escapeMarkdown(r.test),
            String(r.trial),
            escapeMarkdown(r.runId ?? '-'),
            escapeMarkdown(r.status),
          ]),
        ),
      );
    }
    out.push(...more(p.more, 'runs'), '');
  }

  if (ev.baseline) {
    const b = ev.baseline;
    out.push('### Regressions', '');
    out.push(
      `${b.regressions.length} regression${b.regressions.length === 1 ? '' : 's'}, ${b.fixed.length} fixed, ${b.new.length} new against the baseline.`,
      '',
    );
    const byTest = new Map(
      ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t] as const)),
    );
    const r = capped(b.regressions, detail.maxRows);
    if (r.shown.length > 0) {
      out.push(
        ...table(
          ['Suite', 'Test', 'Now', 'Criteria that regressed'],
          r.shown.map((x) => {
            const t = byTest.get(pairKey(x.suite, x.test));
            const crit = (t?.criteriaChanges ?? [])
              .filter((c) => c.change === 'regression')
              .map((c) => c.name);
            return [
              escapeMarkdown(x.suite),
              escapeMarkdown(x.test),
              t ? outcomeCell({ ...t, change: undefined }) : '',
              escapeMarkdown(crit.join(', ')),
            ];
          }),
        ),
      );
    }
    out.push(...more(r.more, 'regressions'));
    for (const [label, list] of [
      ['Fixed', b.fixed],
      ['New', b.new],
    ] as const) {
      const c = capped(list, detail.maxRows);
      if (c.shown.length > 0) {
        const names = c.shown.map((x) => ref(x.suite, x.test)).join(', ');
        out.push('', `${label}: ${names}${c.more > 0 ? ` and ${c.more} more` : ''}.`);
      }
    }
    const regressedTests = new Set(b.regressions.map((x) => pairKey(x.suite, x.test)));
    const quiet = b.criterionRegressions.filter((c) => !regressedTests.has(pairKey(c.suite, c.test)));
    if (quiet.length > 0) {
      const q = capped(quiet, detail.maxRows);
      out.push(
        '',
        'Criteria that regressed in tests that still pass:',
        '',
        ...q.shown.map((c) => `- ${ref(c.suite, c.test)}: ${escapeMarkdown(c.criterion)}`),
        ...more(q.more, 'criteria'),
      );
    }
    out.push('');
  }

  const against = comparisonHeadline(ev);
  if (against !== undefined) {
    out.push('### Candidate against baseline', '', `${escapeMarkdown(against)}.`, '');
    const c = capped(comparisonCells(ev), detail.maxRows);
    if (c.shown.length > 0) {
      out.push(
        ...table(
          ['Suite', 'Test', 'Baseline → candidate', 'Change', 'Criteria that flipped', 'p'],
          c.shown.map((r) => [
            escapeMarkdown(r.suite),
            escapeMarkdown(r.test),
            escapeMarkdown(r.outcomes),
            r.regression ? `**${r.change}**` : escapeMarkdown(r.change),
            escapeMarkdown(r.flipped),
            escapeMarkdown(r.p),
          ]),
        ),
      );
    }
    out.push(...more(c.more, 'compared tests'), '');
  }

  if (ev.flaky.length > 0) {
    const f = capped(ev.flaky, detail.maxRows);
    out.push('### Flaky', '', 'Passed only after a retry of a run that ended in error:', '');
    out.push(
      ...f.shown.map((x) => `- ${ref(x.suite, x.test)} (${escapeMarkdown(x.file)}:${x.line})`),
      ...more(f.more, 'flaky tests'),
      '',
    );
  }

  out.push(...memorySections(ev, detail));

  if (ev.suites.length > 1) {
    const s = capped(ev.suites, detail.maxRows);
    out.push('### Suites', '');
    out.push(
      ...table(
        ['Suite', 'Gate', 'Passed', 'Failed', 'Errors', 'Flaky', 'Skipped', 'Pass rate'],
        s.shown.map((x) => [
          escapeMarkdown(x.name),
          GATE_ICON[gateState(x.gate)],
          String(x.counts.passed),
          String(x.counts.failed),
          String(x.counts.error),
          String(x.counts.flaky),
          String(x.counts.skipped),
          x.gate.passRate === null ? '-' : formatPercent(x.gate.passRate),
        ]),
      ),
      ...more(s.more, 'suites'),
      '',
    );
  }

  const sections = capped(ev.suites, detail.maxRows);
  for (const s of sections.shown) {
    const section = suiteSection(s, detail);
    omittedRows += section.omittedRows;
    if (!section.skipped) out.push(section.text);
  }
  for (const s of ev.suites.slice(sections.shown.length)) omittedRows += s.tests.length;
  out.push(...more(sections.more, 'suite tables'));

  // Runs of blank lines between sections collapse to one; the logs come after, so a log's own
  // blank lines (kept verbatim in its <pre>) are not collapsed with them.
  const sectionsText = out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  const logs = detail.logs
    ? logsSection(
        results,
        ev,
        options.maxLogChars ?? 16_000,
        Number.POSITIVE_INFINITY,
        options.allLogs ?? false,
      )
    : [];
  const text = logs.length > 0 ? `${sectionsText}\n\n${logs.join('\n').trimEnd()}` : sectionsText;
  return { text: `${text}\n`, omittedRows };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Render summary.md within `maxBytes`, degrading in steps: everything; without logs;
 * without passing rows; then fewer rows per table (binary search for the most that fit).
 * Each step says what it dropped.
 */
export function renderMarkdown(
  results: Results,
  evaluation: Evaluation,
  options: MarkdownOptions = {},
): string {
  const max = options.maxBytes ?? STEP_SUMMARY_LIMIT;
  const all = Number.POSITIVE_INFINITY;
  const full = render(results, evaluation, { logs: true, passingRows: true, maxRows: all }, options, []);
  if (bytes(full.text) <= max) return full.text;

  const noLogs = render(results, evaluation, { logs: false, passingRows: true, maxRows: all }, options, [
    'the logs',
  ]);
  if (bytes(noLogs.text) <= max) return noLogs.text;

  const failingOnly = { logs: false, passingRows: false, maxRows: all };
  const dropRows = (omitted: number) => ['the logs', `${omitted} passing, flaky or skipped test rows`];
  const probe = render(results, evaluation, failingOnly, options, []);
  const attempt = render(results, evaluation, failingOnly, options, dropRows(probe.omittedRows));
  if (bytes(attempt.text) <= max) return attempt.text;

  // Binary search the largest row cap that fits; the note is rendered into every candidate.
  const total = evaluation.suites.reduce((n, s) => n + s.tests.length, 0);
  const at = (maxRows: number): string => {
    const d = { logs: false, passingRows: false, maxRows };
    const p = render(results, evaluation, d, options, []);
    return render(results, evaluation, d, options, [
      'the logs',
      `${p.omittedRows} of ${total} test rows (passing rows first)`,
    ]).text;
  };
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytes(at(mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  const best = at(lo);
  if (bytes(best) <= max) return best;
  // Even the bare verdict does not fit (a tiny limit): keep whole lines that fit.
  const lines = best.split('\n');
  let text = '';
  for (const line of lines) {
    if (line.startsWith('|') || bytes(`${text}${line}\n`) > max) break;
    text += `${line}\n`;
  }
  return text;
}
