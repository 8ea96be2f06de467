// junit.xml: the subset every consumer reads (ci-conventions.md section 2.3), valid against
// the Jenkins JUnit schema plus `file`. Pure: returns the XML text; index.ts writes it.
//
// The schema allows <properties> only on <testsuite>, so per-test facts (run ids,
// conversation ids, trials, criteria) are suite properties named "<test> › <key>", and are
// repeated in the test's <system-out> for consumers that only show cases.
import { stripVTControlCharacters } from 'node:util';
import junitReportBuilder, { type Builder, type TestCase } from 'junit-report-builder';
import { formatFailedCriterion } from '../src/outcome.js';
import type { Attempt, Results, SuiteResult, TestResult } from '../src/results.js';
import type { Evaluation, SuiteEvaluation, TestEvaluation } from '../src/verdict.js';
import { formatCriteria } from './format.js';

// Under NodeNext the CJS default export is typed as the module namespace (TS2339 on
// newBuilder); at run time, in Node and in the esbuild bundle, it is the builder instance.
const rootBuilder = junitReportBuilder as unknown as Builder;

export interface JunitOptions {
  /** The <testsuites name>. */
  name?: string;
}

// Invalid in XML 1.0, plus the "discouraged" controls and non-characters (as vitest does).
// With the `u` flag, [\uD800-\uDFFF] matches only unpaired surrogates.
const INVALID_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]/gu;

export function removeInvalidXmlCharacters(text: string): string {
  return stripVTControlCharacters(text).replace(INVALID_XML, '');
}

/** ms → seconds, plain decimal (no exponent, no grouping). */
export const seconds = (ms: number): number => Math.round(Math.max(0, ms)) / 1000;

/** An ISO timestamp in UTC (Jenkins assumes Z when there is no zone), or undefined. */
export function utcTimestamp(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** Names are one line (attributes): XML keeps a newline as &#xA;, consumers show it raw. */
const oneLine = (text: string): string =>
  removeInvalidXmlCharacters(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim();
const clean = (text: string, fallback: string): string => oneLine(text) || fallback;

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

function addCase(
  tc: TestCase,
  suite: SuiteResult,
  t: TestResult,
  e: TestEvaluation,
  name: string,
  versionId: string | undefined,
): void {
  tc.className(clean(suite.name, '(unnamed suite)'))
    .name(name)
    .time(seconds(e.durationMs))
    .file(removeInvalidXmlCharacters(t.file));
  switch (e.outcome) {
    case 'failed': {
      const names = e.failedCriteria.map(formatFailedCriterion).join(', ');
      const message = names
        ? `failed: ${names}`
        : `failed: ${e.passes}/${e.trials} trials passed, ${e.minPasses} needed`;
      tc.failure(removeInvalidXmlCharacters(message), 'rubric').stacktrace(
        removeInvalidXmlCharacters(detailText(t, e)),
      );
      break;
    }
    case 'error': {
      const kind = e.errorKind ?? 'error';
      tc.error(
        removeInvalidXmlCharacters(`${kind}: ${e.message ?? 'the run ended in error'}`),
        kind,
        removeInvalidXmlCharacters(detailText(t, e)),
      );
      break;
    }
    case 'skipped':
      tc.skipped();
      break;
    default:
      break; // passed and flaky: a passing case (flaky is noted in system-out and properties)
  }
  tc.standardOutput(removeInvalidXmlCharacters(systemOut(suite, t, e, versionId)));
}

/** `caseNames[i]` is the unique case name of `suite.tests[i]`: per-test properties are keyed by it. */
function suiteProperties(
  results: Results,
  suite: SuiteResult,
  ev: SuiteEvaluation,
  caseNames: readonly string[],
): [string, string][] {
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
    ['gate.result', ev.gate.ok ? 'passed' : 'failed'],
  ];
  if (ev.gate.reasons.length > 0) props.push(['gate.reasons', ev.gate.reasons.join('; ')]);
  if (results.promotion) {
    props.push(['rubric_gate.promotion', `${results.promotion.status}: ${results.promotion.message}`]);
  }
  if (suiteRunIds.length > 0) props.push(['test_suite_run_ids', suiteRunIds.join(', ')]);
  suite.tests.forEach((t, i) => {
    const e = ev.tests[i]!;
    const name = caseNames[i]!;
    props.push([`${name} › outcome`, e.outcome]);
    if (t.skipped) return;
    props.push([`${name} › trials`, `${e.passes}/${e.trials} passed, min_passes ${e.minPasses}`]);
    if (e.runIds.length > 0) props.push([`${name} › run_ids`, e.runIds.join(', ')]);
    if (e.conversationIds.length > 0)
      props.push([`${name} › conversation_ids`, e.conversationIds.join(', ')]);
    props.push([`${name} › criteria`, criteriaProperty(t, e)]);
  });
  return props;
}

/** classname+name must be unique (GitLab keeps only the first, mikepenz treats repeats as retries). */
function uniqueName(seen: Set<string>, classname: string, name: string): string {
  let candidate = name;
  for (let n = 2; seen.has(JSON.stringify([classname, candidate])); n++) candidate = `${name} [${n}]`;
  seen.add(JSON.stringify([classname, candidate]));
  return candidate;
}

export function renderJunit(results: Results, evaluation: Evaluation, options: JunitOptions = {}): string {
  const builder = rootBuilder.newBuilder(); // never the module-wide singleton
  builder.name(clean(options.name ?? 'rubric-gate', 'rubric-gate'));
  const seen = new Set<string>();
  results.suites.forEach((suite, i) => {
    const ev = evaluation.suites[i];
    if (!ev || ev.name !== suite.name)
      throw new Error(`evaluation does not match results at suite ${suite.name}`);
    // Jenkins drops a suite with no test case; an empty suite has nothing to report anyway.
    if (suite.tests.length === 0) return;
    const ts = builder.testSuite().name(clean(suite.name, '(unnamed suite)')).time(seconds(ev.durationMs));
    const started = suite.tests
      .flatMap((t) => t.attempts.map((a) => utcTimestamp(a.triggeredAt)))
      .filter((x): x is string => x !== undefined)
      .sort()[0];
    const timestamp = started ?? utcTimestamp(results.startedAt);
    if (timestamp) ts.timestamp(timestamp);
    const classname = clean(suite.name, '(unnamed suite)');
    const caseNames = suite.tests.map((t) => uniqueName(seen, classname, clean(t.name, '(unnamed test)')));
    for (const [name, value] of suiteProperties(results, suite, ev, caseNames)) {
      // property must carry a value attribute (multilineProperty's text form is not in the schema).
      ts.property(oneLine(name), removeInvalidXmlCharacters(value));
    }
    suite.tests.forEach((t, j) => {
      addCase(ts.testCase(), suite, t, ev.tests[j]!, caseNames[j]!, results.versionId);
    });
  });
  return `${builder.build()}\n`;
}
