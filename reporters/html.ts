// report.html: one self-contained page (inline CSS and script, nothing fetched) rendered from
// the same results + evaluation as every other report. Pure. Readable with scripts off: tests
// fold with <details>, and the script only adds a failures filter and a name search. Every
// string from a run goes through the sanitiser (src/sanitize.ts) and escapeHtml; the
// Content-Security-Policy allows no source at all and pins the inline style and script by
// hash, so even an escaping slip could not load or run anything.
import { createHash } from 'node:crypto';
import { formatPercent, formatThreshold, formatTrialRate, gateState } from '../src/gate.js';
import { pairKey } from '../src/keys.js';
import { isPass } from '../src/outcome.js';
import type { Attempt, Results, TestResult } from '../src/results.js';
import type { Evaluation, SuiteEvaluation, TestEvaluation } from '../src/verdict.js';
import { spentLine } from './comparison.js';
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
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { comparisonSection } from './html-comparison.js';
import { historySection } from './html-history.js';
import { escapeHtml, escapeHtmlLine } from './markdown.js';
import { historyNote } from './memory.js';

/** Untrusted text on one line (names, messages): the project's sanitiser, then HTML entities. */
const esc = escapeHtmlLine;

/**
 * Sections other features add (the in-run comparison, the history across runs): trusted HTML
 * rendered by their own reporters, each placed in its marked slot. Absent = an empty slot.
 */
export type HtmlSlot = 'comparison' | 'history';

export interface HtmlOptions {
  /** Longest log shown per attempt, in characters. */
  maxLogChars?: number;
  /**
   * Characters of logs from passing and skipped tests kept in the page; logs of failing,
   * errored and flaky tests are always kept. Keeps a 2,000-test report a reasonable size.
   */
  passingLogBudget?: number;
  sections?: Partial<Record<HtmlSlot, string>>;
}

const OUTCOME_LABEL: Record<TestEvaluation['outcome'], string> = {
  passed: '✓ passed',
  failed: '✗ failed',
  error: '⚠ error',
  flaky: '↻ flaky',
  skipped: '– skipped',
};
const VERDICT_MARK: Record<Evaluation['verdict'], string> = { passed: '✓', failed: '✗', incomplete: '⚠' };
/** A suite's gate (gateState): the class and mark after `class="`. */
const GATE_MARK = { passed: 'ok">✓', failed: 'bad">✗', undecided: 'warn">⚠' } as const;

const NEEDS_LOGS = new Set<TestEvaluation['outcome']>(['failed', 'error', 'flaky']);

/** What the failures filter keeps: every test without a passing verdict that was not skipped. */
const needsAttention = (e: TestEvaluation): boolean => !isPass(e.outcome) && e.outcome !== 'skipped';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A slot other issues fill; the comment marks where it goes even while empty. */
const slot = (name: HtmlSlot, html: string | undefined) =>
  `<!-- slot:${name} --><section class="slot" id="${name}">${html ?? ''}</section>`;

function header(results: Results, ev: Evaluation): string {
  const facts = [`<b>${plural(ev.totals.total, 'test')}</b>: ${esc(formatCounts(ev.totals))}`];
  if (ev.passRate !== null) {
    const ran = ev.totals.total - ev.totals.skipped;
    facts.push(`pass rate ${ev.totals.passed + ev.totals.flaky}/${ran} = ${formatPercent(ev.passRate)}`);
  }
  if (ev.trialPassRate) facts.push(esc(formatTrialRate(ev.trialPassRate)));
  facts.push(
    `version ${results.versionName ? `${esc(results.versionName)} ` : ''}<code>${esc(results.versionId ?? 'main')}</code>`,
  );
  facts.push(`${formatDuration(wallTimeMs(results))} wall time`);
  const spent = spentLine(ev);
  if (spent) facts.push(esc(spent));
  if (results.shard) facts.push(`shard ${results.shard.index}/${results.shard.total}`);
  const shown = shownVerdict(ev, results);
  return [
    `<header class="verdict v-${shown}">`,
    `<h1>${VERDICT_MARK[shown]} rubric-gate: ${esc(title(results, ev))}</h1>`,
    `<p>${facts.join(' · ')}</p>`,
    `<p class="muted">${esc(results.startedAt)} → ${esc(results.finishedAt)} · ${esc(results.tool.name)} ${esc(results.tool.version)}</p>`,
    '</header>',
  ].join('\n');
}

const title = (results: Results, ev: Evaluation): string =>
  [VERDICT_TITLE[ev.verdict], promotionFailedNote(results)].filter(Boolean).join(', ');

function gateSection(results: Results, ev: Evaluation): string {
  const out = ['<section id="gate"><h2>Gate</h2><ul class="gate">'];
  if (ev.reasons.length > 0) for (const r of ev.reasons) out.push(`<li class="bad">✗ ${esc(r)}</li>`);
  else
    for (const s of ev.suites)
      for (const r of s.gate.rules) out.push(`<li class="ok">✓ ${esc(r.message)}</li>`);
  for (const w of ev.warnings) out.push(`<li class="warn">⚠ ${esc(w)}</li>`);
  out.push('</ul>');
  if (results.promotion) {
    const p = results.promotion;
    out.push(`<p><b>Promotion</b> (${esc(p.status)}): ${esc(p.message)}</p>`);
  }
  out.push('</section>');
  if (ev.pendingRuns.length > 0) {
    out.push(
      '<section id="pending"><h2>Still running remotely</h2>',
      '<p>These runs had not finished when the report was written; <code>--resume</code> (the Action&#39;s <code>resume: true</code>) picks them up.</p>',
      '<table><tr><th>Suite</th><th>Test</th><th>Trial</th><th>Run id</th><th>Status</th></tr>',
      ...ev.pendingRuns.map(
        (r) =>
          `<tr><td>${esc(r.suite)}</td><td>${esc(r.test)}</td><td>${r.trial}</td><td><code>${esc(r.runId ?? '-')}</code></td><td>${esc(r.status)}</td></tr>`,
      ),
      '</table></section>',
    );
  }
  return out.join('\n');
}

function baselineSection(ev: Evaluation, anchors: Map<string, string>): string {
  const b = ev.baseline;
  if (!b) return '';
  const link = (x: { suite: string; test: string }) => {
    const id = anchors.get(pairKey(x.suite, x.test));
    const text = `${esc(x.suite)} › ${esc(x.test)}`;
    return id ? `<a href="#${id}">${text}</a>` : text;
  };
  const out = [
    '<section id="baseline"><h2>Against the baseline</h2>',
    `<p>${plural(b.regressions.length, 'regression')}, ${b.fixed.length} fixed, ${b.new.length} new.</p>`,
  ];
  for (const [label, list] of [
    ['Regressed', b.regressions],
    ['Fixed', b.fixed],
    ['New', b.new],
  ] as const) {
    if (list.length > 0) out.push(`<p><b>${label}</b>: ${list.map(link).join(', ')}</p>`);
  }
  if (b.criterionRegressions.length > 0) {
    out.push(
      '<p><b>Criteria that regressed</b>: ',
      b.criterionRegressions.map((c) => `${link(c)}: ${esc(c.criterion)}`).join('; '),
      '</p>',
    );
  }
  out.push('</section>');
  return out.join('\n');
}

function suitesTable(ev: Evaluation): string {
  if (ev.suites.length < 2) return '';
  const rows = ev.suites.map(
    (s, i) =>
      `<tr><td><a href="#s-${i}">${esc(s.name)}</a></td><td class="c ${GATE_MARK[gateState(s.gate)]}</td><td>${s.counts.passed}</td><td>${s.counts.failed}</td><td>${s.counts.error}</td><td>${s.counts.flaky}</td><td>${s.counts.skipped}</td><td>${s.gate.passRate === null ? '-' : formatPercent(s.gate.passRate)}</td></tr>`,
  );
  return [
    '<section id="suites"><h2>Suites</h2>',
    '<table><tr><th>Suite</th><th>Gate</th><th>Passed</th><th>Failed</th><th>Errors</th><th>Flaky</th><th>Skipped</th><th>Pass rate</th></tr>',
    ...rows,
    '</table></section>',
  ].join('\n');
}

const sortedAttempts = (t: TestResult): Attempt[] =>
  [...t.attempts].sort((a, b) => a.trial - b.trial || a.retry - b.retry);

/** Criteria × attempts: each criterion's verdict in each run, then the run's own facts. */
function grid(t: TestResult, attempts: readonly Attempt[]): string {
  if (attempts.length === 0) return '';
  const names = [...t.criteria.map((c) => c.name)];
  for (const a of attempts) for (const c of a.criteria) if (!names.includes(c.name)) names.push(c.name);
  const required = new Set(t.criteria.filter((c) => c.required).map((c) => c.name));
  const head = attempts.map((a) => `<th>trial ${a.trial}${a.retry > 0 ? ` retry ${a.retry}` : ''}</th>`);
  const rows = names.map((name) => {
    const cells = attempts.map((a) => {
      const s = a.criteria.find((c) => c.name === name)?.status;
      if (s === 'passed') return '<td class="c ok">✓</td>';
      if (s === 'failed') return '<td class="c bad">✗</td>';
      return `<td class="c muted">${s ? esc(s) : '–'}</td>`;
    });
    return `<tr><th>${esc(name)}${required.has(name) ? ' <span class="muted">required</span>' : ''}</th>${cells.join('')}</tr>`;
  });
  const fact = (label: string, f: (a: Attempt) => string) =>
    `<tr><th class="muted">${label}</th>${attempts.map((a) => `<td>${f(a)}</td>`).join('')}</tr>`;
  const code = (v: string | undefined) => (v ? `<code>${esc(v)}</code>` : '–');
  return [
    `<table class="grid"><tr><th>Criterion</th>${head.join('')}</tr>`,
    ...rows,
    fact('status', (a) => esc(a.status)),
    fact('run', (a) => code(a.runId)),
    fact('conversation', (a) => code(a.conversationId)),
    // One run's duration is already in the test's facts line.
    attempts.length > 1
      ? fact('duration', (a) => (a.durationMs === undefined ? '–' : formatDuration(a.durationMs)))
      : '',
    '</table>',
  ].join('');
}

function changeNote(e: TestEvaluation): string {
  if (!e.change || e.change === 'unchanged') {
    const moved = (e.criteriaChanges ?? []).filter((c) => c.change === 'regression' || c.change === 'fixed');
    if (moved.length === 0) return '';
  }
  const crit = (e.criteriaChanges ?? [])
    .filter((c) => c.change !== 'unchanged')
    .map((c) => `${esc(c.name)} ${c.before ?? 'none'} → ${c.after ?? 'none'}`);
  return `<p>Against the baseline: <b>${esc(e.change ?? 'unchanged')}</b>${crit.length > 0 ? ` · ${crit.join(', ')}` : ''}</p>`;
}

interface LogBudget {
  left: number;
  dropped: number;
}

/** An attempt's log as shown: cut at maxChars, with a note saying how much was left out. */
const logBody = (logs: string, maxChars: number): string =>
  logs.length > maxChars
    ? `${logs.slice(0, maxChars)}\n… (${logs.length - maxChars} more characters; see junit.xml)`
    : logs;

/** Whether a log is kept: always for the tests someone has to look at, else while the budget lasts. */
function keepLog(body: string, e: TestEvaluation, budget: LogBudget): boolean {
  if (NEEDS_LOGS.has(e.outcome)) return true;
  if (body.length > budget.left) {
    budget.dropped++;
    return false;
  }
  budget.left -= body.length;
  return true;
}

function logs(attempts: readonly Attempt[], e: TestEvaluation, maxChars: number, budget: LogBudget): string {
  const out: string[] = [];
  for (const a of attempts) {
    if (!a.logs) continue;
    const body = logBody(a.logs, maxChars);
    if (!keepLog(body, e, budget)) continue;
    out.push(
      `<details><summary>Log · trial ${a.trial}${a.retry > 0 ? ` retry ${a.retry}` : ''} · ${esc(a.status)}</summary><pre>${escapeHtml(body)}</pre></details>`,
    );
  }
  return out.join('');
}

function testBlock(
  t: TestResult,
  e: TestEvaluation,
  id: string,
  options: Required<Pick<HtmlOptions, 'maxLogChars'>>,
  budget: LogBudget,
): string {
  const why =
    e.failedCriteria.length > 0 ? formatCriteria(e.failedCriteria) : e.outcome !== 'passed' ? e.message : '';
  const badges: string[] = [];
  if (e.change === 'regression') badges.push('<span class="tag reg">regression</span>');
  else if (e.change === 'fixed' || e.change === 'new') badges.push(`<span class="tag">${e.change}</span>`);
  if (e.history?.flaky) badges.push('<span class="tag">flaky by history</span>');
  if (e.quarantine !== undefined) badges.push('<span class="tag">quarantined</span>');
  const attempts = sortedAttempts(t);
  const facts = [`${esc(e.file)}:${e.line}`];
  if (e.outcome !== 'skipped') facts.push(`trials ${esc(formatTrials(e))}`);
  if (e.durationMs > 0) facts.push(formatDuration(e.durationMs));
  if (t.tags.length > 0) facts.push(`tags ${t.tags.map(esc).join(', ')}`);
  if (e.history) facts.push(`recent ${esc(historyNote(e.history))}`);
  if (e.quarantine !== undefined) facts.push(`quarantined: ${esc(e.quarantine)}`);
  return [
    `<details class="t${needsAttention(e) ? ' f' : ''}" id="${id}" data-outcome="${e.outcome}">`,
    `<summary><span class="o o-${e.outcome}">${OUTCOME_LABEL[e.outcome]}</span> <span class="n">${esc(e.test)}</span>`,
    why ? ` <span class="why">— ${esc(why)}</span>` : '',
    badges.length > 0 ? ` ${badges.join(' ')}` : '',
    '</summary><div>',
    e.message ? `<p>${esc(e.message)}</p>` : '',
    `<p class="muted">${facts.join(' · ')}</p>`,
    changeNote(e),
    grid(t, attempts),
    logs(attempts, e, options.maxLogChars, budget),
    '</div></details>',
  ].join('');
}

/** A suite's tests in the page's order: the ones to look at first, then as in the file. */
const suiteOrder = (s: SuiteEvaluation): number[] =>
  s.tests
    .map((e, j) => ({ e, j }))
    .sort((a, b) => OUTCOME_ORDER[a.e.outcome] - OUTCOME_ORDER[b.e.outcome] || a.j - b.j)
    .map((x) => x.j);

/** A suite's section, a line (a test block) at a time: the page never holds a suite as one string. */
function* suiteSection(
  s: SuiteEvaluation,
  tests: readonly TestResult[],
  index: number,
  options: Required<Pick<HtmlOptions, 'maxLogChars'>>,
  budget: LogBudget,
): Generator<string> {
  const g = s.gate;
  const rate =
    g.passRate === null
      ? 'no test ran'
      : `pass rate ${g.passing}/${g.considered} = ${formatPercent(g.passRate)} (min ${formatThreshold(g.effective.minPassRate)})`;
  yield `<section class="suite" id="s-${index}" data-name="${esc(s.name)}">`;
  yield `<h2><span class="${GATE_MARK[gateState(g)]}</span> ${esc(s.name)} <span class="meta muted">${esc(formatCounts(s.counts))} · ${rate} · ${esc(s.file)}</span></h2>`;
  for (const j of suiteOrder(s)) {
    const t = tests[j];
    const e = s.tests[j];
    if (t && e) yield testBlock(t, e, `t-${index}-${j}`, options, budget);
  }
  yield '</section>';
}

/**
 * Logs of passing and skipped tests the budget leaves out, counted before the page is rendered
 * (the note saying so comes before the tests): the same walk, in the same order, as the sections.
 */
function droppedLogs(results: Results, ev: Evaluation, maxChars: number, total: number): number {
  const budget: LogBudget = { left: total, dropped: 0 };
  ev.suites.forEach((s, i) => {
    const tests = results.suites[i]?.tests ?? [];
    for (const j of suiteOrder(s)) {
      const t = tests[j];
      const e = s.tests[j];
      if (!t || !e) continue;
      for (const a of sortedAttempts(t)) if (a.logs) keepLog(logBody(a.logs, maxChars), e, budget);
    }
  });
  return budget.dropped;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderHtml(results: Results, evaluation: Evaluation, options: HtmlOptions = {}): string {
  return [...htmlChunks(results, evaluation, options)].join('');
}

/**
 * report.html in pieces (renderHtml's text), a test block at a time, for writing it without
 * holding the page or a suite as one string (10,000 tests: a 16 MB page).
 */
export function* htmlChunks(
  results: Results,
  evaluation: Evaluation,
  options: HtmlOptions = {},
): Generator<string> {
  let first = true;
  for (const part of htmlParts(results, evaluation, options)) {
    yield first ? part : `\n${part}`;
    first = false;
  }
}

/** The page's lines, sections and test blocks, to be joined with newlines. */
function* htmlParts(results: Results, evaluation: Evaluation, options: HtmlOptions): Generator<string> {
  const ev = evaluation;
  const opts = { maxLogChars: options.maxLogChars ?? 16_000 };
  const logBudget = options.passingLogBudget ?? 300_000;
  const budget: LogBudget = { left: logBudget, dropped: 0 };
  const anchors = new Map<string, string>();
  ev.suites.forEach((s, i) => {
    s.tests.forEach((t, j) => {
      anchors.set(pairKey(t.suite, t.test), `t-${i}-${j}`);
    });
  });
  const droppedCount = droppedLogs(results, ev, opts.maxLogChars, logBudget);
  const dropped =
    droppedCount > 0
      ? `<p class="muted">${plural(droppedCount, 'log')} of passing or skipped tests left out to keep this file small; junit.xml and results.json have them.</p>`
      : '';
  const csp = `default-src 'none'; style-src ${sha256(HTML_STYLE)}; script-src ${sha256(HTML_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  yield* [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>rubric-gate: ${esc(title(results, ev))}</title>`,
    `<style>${HTML_STYLE}</style>`,
    '</head><body>',
    header(results, ev),
    gateSection(results, ev),
    baselineSection(ev, anchors),
    slot('comparison', options.sections?.comparison ?? comparisonSection(ev, anchors)),
    slot('history', options.sections?.history ?? historySection(ev, anchors)),
    suitesTable(ev),
    '<div class="controls" id="controls" hidden>',
    '<label><input type="checkbox" id="only-failures"> only failures and errors</label>',
    '<input type="search" id="search" placeholder="Search tests by name" aria-label="Search tests by name">',
    '<span id="shown" class="muted"></span></div>',
    dropped,
    '<main id="tests">',
  ];
  for (let i = 0; i < ev.suites.length; i++) {
    const s = ev.suites[i];
    if (s) yield* suiteSection(s, results.suites[i]?.tests ?? [], i, opts, budget);
  }
  yield* ['</main>', `<script>${HTML_SCRIPT}</script>`, '</body></html>', ''];
}
