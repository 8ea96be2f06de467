// Compare a run with a baseline run (e.g. the last main-branch results.json): regressions,
// fixes and new tests, per test and per criterion. Also reads results files (for --baseline,
// `report` and `merge`) with errors located at file:line:col.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatProblem, type Problem, UsageError } from './errors.js';
import { isPass, type Outcome, type TestOutcome, testOutcome } from './outcome.js';
import { RESULTS_SCHEMA, Results, type TestResult } from './results.js';

export type Change = 'regression' | 'fixed' | 'new' | 'unchanged';
export type CriterionState = 'passed' | 'failed';

export interface CriterionChange {
  name: string;
  change: Change;
  before?: CriterionState;
  after?: CriterionState;
}

export interface TestChange {
  suite: string;
  test: string;
  change: Change;
  /** Absent for a new test. */
  before?: Outcome;
  after: Outcome;
  criteria: CriterionChange[];
}

export interface BaselineComparison {
  /** Every test that ran now (skipped tests are not compared). */
  tests: TestChange[];
  regressions: TestChange[];
  fixed: TestChange[];
  new: TestChange[];
  /** Criteria that passed in the baseline and fail now, including in tests that still pass. */
  criterionRegressions: { suite: string; test: string; criterion: string }[];
}

/**
 * A criterion's verdict in one test, on the test's own terms: it fails when it failed in
 * more trials than min_passes leaves room for, and passes when it passed in at least
 * min_passes trials. Otherwise (errors, missing results) it has no verdict.
 */
export function criterionStates(test: TestResult, outcome: TestOutcome): Map<string, CriterionState> {
  const tally = new Map<string, { passed: number; failed: number }>();
  for (const t of outcome.trialOutcomes) {
    if (t.status === 'error' || !t.last) continue;
    for (const c of t.last.criteria) {
      const n = tally.get(c.name) ?? { passed: 0, failed: 0 };
      if (c.status === 'passed') n.passed++;
      else if (c.status === 'failed') n.failed++;
      tally.set(c.name, n);
    }
  }
  const states = new Map<string, CriterionState>();
  for (const [name, n] of tally) {
    if (n.failed > test.trials - test.minPasses) states.set(name, 'failed');
    else if (n.passed >= test.minPasses) states.set(name, 'passed');
  }
  return states;
}

const changeOf = (before: boolean | undefined, after: boolean): Change => {
  if (before === undefined) return 'new';
  if (before && !after) return 'regression';
  if (!before && after) return 'fixed';
  return 'unchanged';
};

const key = (suite: string, test: string) => JSON.stringify([suite, test]);

export function compareWithBaseline(current: Results, baseline: Results): BaselineComparison {
  const before = new Map<string, { test: TestResult; outcome: TestOutcome }>();
  for (const s of baseline.suites) {
    for (const t of s.tests) {
      if (!t.skipped) before.set(key(s.name, t.name), { test: t, outcome: testOutcome(t) });
    }
  }
  const tests: TestChange[] = [];
  const criterionRegressions: BaselineComparison['criterionRegressions'] = [];
  for (const s of current.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const now = testOutcome(t);
      const then = before.get(key(s.name, t.name));
      tests.push({
        suite: s.name,
        test: t.name,
        change: testChange(then?.outcome.outcome, now.outcome),
        ...(then ? { before: then.outcome.outcome } : {}),
        after: now.outcome,
        criteria: criteriaChanges(then && criterionStates(then.test, then.outcome), criterionStates(t, now)),
      });
      for (const c of tests.at(-1)?.criteria ?? []) {
        if (c.change === 'regression')
          criterionRegressions.push({ suite: s.name, test: t.name, criterion: c.name });
      }
    }
  }
  return {
    tests,
    regressions: tests.filter((t) => t.change === 'regression'),
    fixed: tests.filter((t) => t.change === 'fixed'),
    new: tests.filter((t) => t.change === 'new'),
    criterionRegressions,
  };
}

/**
 * Regression: passed (or flaky) there, failed now. Fixed: failed there, passes now.
 * Errors are infrastructure, gated by max_errors, so they neither regress nor fix.
 */
function testChange(before: Outcome | undefined, after: Outcome): Change {
  if (before === undefined) return 'new';
  if (isPass(before) && after === 'failed') return 'regression';
  if (before === 'failed' && isPass(after)) return 'fixed';
  return 'unchanged';
}

function criteriaChanges(
  before: Map<string, CriterionState> | undefined,
  after: Map<string, CriterionState>,
): CriterionChange[] {
  const out: CriterionChange[] = [];
  for (const [name, state] of after) {
    const was = before?.get(name);
    const change =
      before === undefined || was === undefined ? 'new' : changeOf(was === 'passed', state === 'passed');
    out.push({ name, change, ...(was ? { before: was } : {}), after: state });
  }
  return out;
}

// ---- reading results files --------------------------------------------------------------

/**
 * Parse and validate a results.json text. Errors name the file, the line:col and the field,
 * e.g. `out/results.json:12:20: suites[0].tests[1].trials: Too small: expected number to be >=1`.
 */
export function parseResults(text: string, file: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const pos = at ? lineCol(text, Number(at[1])) : { line: 1, col: 1 };
    throw new UsageError(
      `${formatProblem({ file, ...pos, message: `not valid JSON: ${message}` })}\nIs this a results.json written by rubric-gate?`,
    );
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== RESULTS_SCHEMA) {
    // Not ours (or another version of ours): one clear line beats a list of missing fields.
    const found = typeof schema === 'string' ? `schema "${schema}"` : 'no "schema" field';
    const hint =
      typeof schema === 'string' && schema.startsWith('rubric-gate/results@')
        ? '; was it written by another rubric-gate version?'
        : '';
    throw new UsageError(
      `${file}: not a rubric-gate results file: expected schema "${RESULTS_SCHEMA}", found ${found}${hint}`,
    );
  }
  const parsed = Results.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = locateIssues(text, file, parsed.error.issues);
  const shown = problems.slice(0, 10).map(formatProblem);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  throw new UsageError(`${file} is not a valid rubric-gate results file:\n${shown.join('\n')}`);
}

export async function readResultsFile(path: string, shownAs = path): Promise<Results> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${shownAs}: no such file` : `${shownAs}: cannot read (${code ?? String(err)})`,
    );
  }
  return parseResults(text, shownAs);
}

const formatPath = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}${s ? '.' : ''}${String(p)}`),
    '',
  ) || '(root)';

function locateIssues(text: string, file: string, issues: readonly z.core.$ZodIssue[]): Problem[] {
  // JSON is YAML: the yaml parser gives node ranges, so a field path maps to line:col.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  return issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    let node: unknown;
    // A missing field has no node: point at the nearest ancestor that exists.
    for (let n = path.length; n >= 0 && !node; n--) node = doc.getIn(path.slice(0, n), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    const { line, col } = range ? lineCounter.linePos(range[0]) : { line: 1, col: 1 };
    return { file, line, col, message: `${formatPath(issue.path)}: ${issue.message}` };
  });
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, col: pos - before.lastIndexOf('\n') };
}
