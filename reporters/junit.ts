// junit.xml: the subset every consumer reads (ci-conventions.md section 2.3), valid against
// the Jenkins JUnit schema plus `file` and `line`. Pure: returns the XML text; index.ts writes it.
//
// For its consumers (dorny/test-reporter, mikepenz/action-junit-report, EnricoMi, Jenkins,
// GitLab): every <testcase> has `file` and `line` (the test in its suite file, where annotations
// go); <skipped> carries its reason as text (the schema allows no attribute on it; Jenkins and
// GitLab read the text); <error>/<failure> `type` is the kind and `message` does not repeat it
// (dorny shows "type: message"); a flaky test passes, with " (flaky)" after its name, the only
// field every consumer shows for a passing case, plus status="flaky" and notes in <system-out>.
//
// Written with xml.ts, not junit-report-builder: that library has no `line` and no skipped
// reason, and its CDATA escaping split only the first "]]>". Text from the API or the suite
// files goes through the sanitiser (cleanLine for attributes, cleanText for text), and xml.ts
// escapes the rest, so the file is well-formed for any input.
//
// The schema allows <properties> only on <testsuite>, so per-test facts (run ids,
// conversation ids, trials, criteria) are suite properties named "<test> › <key>", and are
// repeated in the test's <system-out> for consumers that only show cases.

import { gateState } from '../src/gate.js';
import { pairKey } from '../src/keys.js';
import { formatFailedCriterion } from '../src/outcome.js';
import type { Attempt, Results, SuiteResult, TestResult } from '../src/results.js';
import { cleanLine, cleanText } from '../src/sanitize.js';
import type { Evaluation, SuiteEvaluation, TestEvaluation } from '../src/verdict.js';
import { formatCriteria } from './format.js';
import { historyNote } from './memory.js';
import { el, type XmlElement, xmlChunks } from './xml.js';

export interface JunitOptions {
  /** The <testsuites name>. */
  name?: string;
}

/** ms → seconds, plain decimal (no exponent, no grouping). */
export const seconds = (ms: number): number => Math.round(Math.max(0, ms)) / 1000;

/** An ISO timestamp in UTC (Jenkins assumes Z when there is no zone), or undefined. */
export function utcTimestamp(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** A name: one clean line (XML keeps a newline as &#xA;, consumers show it raw), never empty. */
const clean = (text: string, fallback: string): string => cleanLine(text).trim() || fallback;

const SKIPPED_REASON = 'not selected in this run (--grep, --tag or --shard)';
const FLAKY = ' (flaky)';
// A quarantined test keeps its real result (a failure stays a <failure>), named so that anyone
// reading a consumer's list sees it does not gate.
const QUARANTINED = ' (quarantined)';

function attemptLine(a: Attempt): string {
  const run = a.runId ? ` run ${a.runId}` : '';
  const conv = a.conversationId ? ` conversation ${a.conversationId}` : '';
  const criteria = a.criteria.map((c) => `${c.name}=${c.status}`).join(' ');
  const message = a.message ? ` (${a.message})` : '';
  return `trial ${a.trial} attempt ${a.retry + 1}${run}${conv}: ${a.status}${message}${criteria ? ` · ${criteria}` : ''}`;
}

const sortedAttempts = (t: TestResult): Attempt[] =>
  [...t.attempts].sort((a, b) => a.trial - b.trial || a.retry - b.retry);

/** The human detail of a failure or error: counts, failed criteria, one line per attempt. */
function detailText(t: TestResult, e: TestEvaluation): string {
  const lines = [
    `${e.passes}/${e.trials} trial${e.trials === 1 ? '' : 's'} passed, ${e.minPasses} needed (min_passes); ${e.failures} failed, ${e.errors} errored`,
  ];
  if (e.failedCriteria.length > 0) lines.push(`failed criteria: ${formatCriteria(e.failedCriteria)}`);
  if (e.message) lines.push(e.message);
  lines.push(...sortedAttempts(t).map(attemptLine));
  return lines.join('\n');
}

function systemOut(
  suite: SuiteResult,
  t: TestResult,
  e: TestEvaluation,
  versionId: string | undefined,
): string {
  const lines = [
    `suite: ${suite.name} (${t.file}:${t.line})`,
    `outcome: ${e.outcome}${e.pending ? ' (still running remotely)' : ''}`,
  ];
  if (e.message) lines.push(`note: ${e.message}`);
  if (e.quarantine !== undefined) lines.push(`quarantined (does not gate): ${e.quarantine}`);
  if (e.history) {
    lines.push(`recent runs: ${historyNote(e.history)}${e.history.flaky ? ', flaky by history' : ''}`);
  }
  if (!t.skipped) lines.push(`trials: ${e.passes}/${e.trials} passed, min_passes ${e.minPasses}`);
  lines.push(`version: ${versionId ?? 'main'}`);
  if (e.runIds.length > 0) lines.push(`run ids: ${e.runIds.join(', ')}`);
  if (e.conversationIds.length > 0) lines.push(`conversation ids: ${e.conversationIds.join(', ')}`);
  for (const a of sortedAttempts(t)) {
    lines.push('', `--- ${attemptLine(a)}`);
    if (a.logs) lines.push(a.logs);
  }
  return lines.join('\n');
}

/** Per-criterion results across trials: "Accuracy: passed, failed, passed; Empathy: passed". */
function criteriaProperty(t: TestResult, e: TestEvaluation): string {
  const byName = new Map<string, string[]>(t.criteria.map((c) => [c.name, []]));
  const deciding = new Map<number, Attempt>();
  for (const a of sortedAttempts(t)) deciding.set(a.trial, a);
  for (const a of deciding.values()) {
    for (const c of a.criteria) byName.set(c.name, [...(byName.get(c.name) ?? []), c.status]);
  }
  const required = new Set(t.criteria.filter((c) => c.required).map((c) => c.name));
  return [...byName]
    .map(
      ([name, statuses]) =>
        `${name}${required.has(name) ? ' (required)' : ''}: ${statuses.join(', ') || (e.outcome === 'skipped' ? 'skipped' : 'no result')}`,
    )
    .join('; ');
}

/** "error: error: …" in dorny (it shows "type: message"): the message never starts with its type. */
export function errorMessage(type: string, message: string | undefined): string {
  const text = cleanLine(message ?? '').trim();
  const prefix = `${type.toLowerCase()}:`;
  const rest = text.toLowerCase().startsWith(prefix) ? text.slice(prefix.length).trim() : text;
  return rest || 'the run ended in error';
}

function testCase(
  suite: SuiteResult,
  t: TestResult,
  e: TestEvaluation,
  name: string,
  versionId: string | undefined,
): XmlElement {
  const result: XmlElement[] = [];
  switch (e.outcome) {
    case 'failed': {
      const names = e.failedCriteria.map(formatFailedCriterion).join(', ');
      const message = names
        ? `failed: ${names}`
        : `failed: ${e.passes}/${e.trials} trials passed, ${e.minPasses} needed`;
      result.push(
        el('failure', { message: cleanLine(message), type: 'rubric' }, cleanText(detailText(t, e))),
      );
      break;
    }
    case 'error': {
      const type = e.errorKind ?? 'error';
      result.push(el('error', { message: errorMessage(type, e.message), type }, cleanText(detailText(t, e))));
      break;
    }
    case 'skipped':
      result.push(el('skipped', {}, clean(e.message ?? '', SKIPPED_REASON)));
      break;
    default:
      break; // passed and flaky: a passing case
  }
  return el(
    'testcase',
    {
      classname: clean(suite.name, '(unnamed suite)'),
      name,
      time: seconds(e.durationMs),
      file: cleanLine(t.file),
      line: t.line,
      status: e.outcome === 'flaky' ? 'flaky' : undefined,
    },
    [...result, el('system-out', {}, cleanText(systemOut(suite, t, e, versionId)))],
  );
}

/** `caseNames[i]` is the unique case name of `suite.tests[i]`: per-test properties are keyed by it. */
function* suiteProperties(
  results: Results,
  suite: SuiteResult,
  ev: SuiteEvaluation,
  caseNames: readonly string[],
): Generator<[string, string]> {
  const g = ev.gate.effective;
  const suiteRunIds = [
    ...new Set(suite.tests.flatMap((t) => t.attempts.map((a) => a.testSuiteRunId))),
  ].filter((x): x is string => Boolean(x));
  const props: [string, string][] = [
    ['rubric_gate.version', results.tool.version],
    ['assistant.version_id', results.versionId ?? 'main'],
    ['suite.file', suite.file],
    ['gate.min_pass_rate', String(g.minPassRate)],
    ['gate.max_errors', String(g.maxErrors)],
    ['gate.fail_on_regression', String(g.failOnRegression)],
    ['gate.result', gateState(ev.gate)],
  ];
  if (ev.gate.reasons.length > 0) props.push(['gate.reasons', ev.gate.reasons.join('; ')]);
  if (results.promotion) {
    props.push(['rubric_gate.promotion', `${results.promotion.status}: ${results.promotion.message}`]);
  }
  if (suiteRunIds.length > 0) props.push(['test_suite_run_ids', suiteRunIds.join(', ')]);
  yield* props;
  // Per-test properties as they are written (50,000 of them at 10,000 tests).
  for (let i = 0; i < suite.tests.length; i++) {
    const t = suite.tests[i]!;
    const e = ev.tests[i]!;
    const name = caseNames[i]!;
    yield [`${name} › outcome`, e.outcome];
    if (e.quarantine !== undefined) yield [`${name} › quarantine`, e.quarantine];
    if (e.history) {
      yield [`${name} › history`, `${historyNote(e.history)}${e.history.flaky ? ', flaky by history' : ''}`];
    }
    if (t.skipped) continue;
    yield [`${name} › trials`, `${e.passes}/${e.trials} passed, min_passes ${e.minPasses}`];
    if (e.runIds.length > 0) yield [`${name} › run_ids`, e.runIds.join(', ')];
    if (e.conversationIds.length > 0) yield [`${name} › conversation_ids`, e.conversationIds.join(', ')];
    yield [`${name} › criteria`, criteriaProperty(t, e)];
  }
}

/** classname+name must be unique (GitLab keeps only the first, mikepenz treats repeats as retries). */
function uniqueName(seen: Set<string>, classname: string, name: string): string {
  let candidate = name;
  for (let n = 2; seen.has(pairKey(classname, candidate)); n++) candidate = `${name} [${n}]`;
  seen.add(pairKey(classname, candidate));
  return candidate;
}

/** Counts as the cases show them: every test without a verdict is an <error> case. */
const countAttrs = (tests: readonly Pick<TestEvaluation, 'outcome'>[]) => ({
  tests: tests.length,
  failures: tests.filter((t) => t.outcome === 'failed').length,
  errors: tests.filter((t) => t.outcome === 'error').length,
  skipped: tests.filter((t) => t.outcome === 'skipped').length,
});

function testSuite(results: Results, suite: SuiteResult, ev: SuiteEvaluation, seen: Set<string>): XmlElement {
  const classname = clean(suite.name, '(unnamed suite)');
  const caseNames = suite.tests.map((t, j) =>
    uniqueName(
      seen,
      classname,
      `${clean(t.name, '(unnamed test)')}${ev.tests[j]?.outcome === 'flaky' ? FLAKY : ''}${ev.tests[j]?.quarantine === undefined ? '' : QUARANTINED}`,
    ),
  );
  const started = suite.tests
    .flatMap((t) => t.attempts.map((a) => utcTimestamp(a.triggeredAt)))
    .filter((x): x is string => x !== undefined)
    .sort()[0];
  const properties = function* () {
    for (const [name, value] of suiteProperties(results, suite, ev, caseNames))
      yield el('property', { name: cleanLine(name), value: cleanLine(value) });
  };
  // Cases are made as they are written: a 10,000-test report is never one tree in memory.
  const cases = function* () {
    yield el('properties', {}, properties());
    for (let j = 0; j < suite.tests.length; j++)
      yield testCase(suite, suite.tests[j]!, ev.tests[j]!, caseNames[j]!, results.versionId);
  };
  return el(
    'testsuite',
    {
      name: classname,
      ...countAttrs(ev.tests),
      time: seconds(ev.durationMs),
      timestamp: started ?? utcTimestamp(results.startedAt),
    },
    cases(),
  );
}

export function renderJunit(results: Results, evaluation: Evaluation, options: JunitOptions = {}): string {
  return [...junitChunks(results, evaluation, options)].join('');
}

/** junit.xml in pieces (renderJunit's text), for writing a large report without one big string. */
export function junitChunks(
  results: Results,
  evaluation: Evaluation,
  options: JunitOptions = {},
): Generator<string> {
  const seen = new Set<string>();
  results.suites.forEach((suite, i) => {
    const ev = evaluation.suites[i];
    if (!ev || ev.name !== suite.name)
      throw new Error(`evaluation does not match results at suite ${suite.name}`);
  });
  // Each suite's element is made when the one before it has been written (case names stay
  // unique across suites in file order: `seen` fills suite by suite, as before).
  const suites = function* () {
    for (const [i, suite] of results.suites.entries()) {
      // Jenkins drops a suite with no test case; an empty suite has nothing to report anyway.
      if (suite.tests.length > 0) yield testSuite(results, suite, evaluation.suites[i]!, seen);
    }
  };
  return xmlChunks(
    el(
      'testsuites',
      {
        name: clean(options.name ?? 'rubric-gate', 'rubric-gate'),
        ...countAttrs(evaluation.suites.flatMap((e) => e.tests)),
      },
      suites(),
    ),
  );
}
