// Runs: triggers, history lists and one run (CONTRACT.md 2.5-2.9). Outcomes are planned from the
// scenario at trigger time; the status is derived from the clock on every read.
import { randomUUID } from 'node:crypto';
import { isFinal } from '../api/schemas.js';
import { type Ctx, type Handler, param } from './context.js';
import { phaseAt, renderRun } from './lifecycle.js';
import { planRun, testKey } from './outcome.js';
import { badRequest, notFound, parseOr422 } from './replies.js';
import { paginate, parsePage, TriggerInput } from './requests.js';
import { findVersion, type RunRecord, type TestRecord } from './state.js';
import { getTest } from './tests-api.js';

function createRun(
  ctx: Ctx,
  test: TestRecord,
  versionId: string | undefined,
  suiteRunId?: string,
): RunRecord {
  const runIndex = ctx.state.runCounts.get(test.test_id) ?? 0;
  ctx.state.runCounts.set(test.test_id, runIndex + 1);
  const version = versionId === undefined ? undefined : findVersion(ctx.state, versionId);
  const plan = planRun({
    seed: ctx.scenario.seed,
    tests: ctx.scenario.tests,
    ...(version?.tests ? { versionTests: version.tests } : {}),
    ...(versionId === undefined ? {} : { versionId }),
    key: testKey(test.test_suite, test.name),
    rubric: test.rubric,
    runIndex,
  });
  const run: RunRecord = {
    run_id: randomUUID(),
    test_id: test.test_id,
    triggered_by: 'api',
    conversation_id: randomUUID(),
    createdMs: ctx.now,
    durationMs: (plan.durationSeconds / ctx.clockScale) * 1000,
    plan,
    testName: test.name,
    channel: test.telnyx_conversation_channel,
  };
  if (test.test_suite !== undefined) run.test_suite = test.test_suite;
  if (suiteRunId !== undefined) run.test_suite_run_id = suiteRunId;
  if (versionId !== undefined) run.destination_version_id = versionId;
  if (test.destination !== undefined) run.destination = test.destination;
  ctx.state.runs.set(run.run_id, run);
  ctx.track(run);
  return run;
}

/** destination_version_id must name an existing version, or 400 (per the field's description). */
function readVersion(ctx: Ctx): string | undefined {
  const { destination_version_id: id } = parseOr422(TriggerInput, ctx.body, ['body']);
  if (id !== undefined && !findVersion(ctx.state, id)) {
    throw badRequest(`Assistant version ${id} does not exist`, '/destination_version_id');
  }
  return id;
}

/**
 * The status filter is a free string in the spec ("pending, running, completed, failed,
 * timeout"): TestStatus values match exactly, `completed` matches every final status, and
 * anything else (`timeout`) matches nothing, since no such status exists.
 */
function statusMatches(filter: string, status: string): boolean {
  if (filter === 'completed') return isFinal(status);
  return status === filter;
}

/**
 * Filtered by the status each run has now, newest first, then one page. Only the page's runs
 * are rendered: a list of thousands of runs is read a page at a time, and rendering every run
 * for every page made reading it quadratic.
 */
function listRuns(ctx: Ctx, runs: RunRecord[]) {
  const page = parsePage(ctx.query);
  const filter = ctx.query.get('status');
  const kept = runs.filter((r) => {
    if (filter === null || ctx.statusFilter === 'ignore') return true;
    if (ctx.statusFilter === 'nothing') return false;
    return statusMatches(filter, phaseAt(r, ctx.now).status) !== (ctx.statusFilter === 'inverted');
  });
  kept.sort((a, b) => b.createdMs - a.createdMs);
  const { data, meta } = paginate(kept, page, ctx.pageShift);
  return { status: 200, body: { data: data.map((r) => renderRun(r, ctx.now)), meta } };
}

export const listSuiteRuns: Handler = (ctx) => {
  const suite = param(ctx, 'suite_name');
  const batch = ctx.query.get('test_suite_run_id');
  const runs = [...ctx.state.runs.values()].filter(
    (r) => r.test_suite === suite && (batch === null || r.test_suite_run_id === batch),
  );
  return listRuns(ctx, runs);
};

/** One run per test in the suite, sharing one test_suite_run_id. A suite with no tests is 404. */
export const triggerSuite: Handler = (ctx) => {
  const suite = param(ctx, 'suite_name');
  const versionId = readVersion(ctx);
  const tests = [...ctx.state.tests.values()].filter((t) => t.test_suite === suite);
  if (tests.length === 0) throw notFound('Test suite', suite);
  const suiteRunId = randomUUID();
  const runs = tests.map((t) => createRun(ctx, t, versionId, suiteRunId));
  return { status: 201, body: runs.map((r) => renderRun(r, ctx.now)) };
};

export const listTestRuns: Handler = (ctx) => {
  const test = getTest(ctx, param(ctx, 'test_id'));
  return listRuns(
    ctx,
    [...ctx.state.runs.values()].filter((r) => r.test_id === test.test_id),
  );
};

export const triggerTest: Handler = (ctx) => {
  const test = getTest(ctx, param(ctx, 'test_id'));
  const versionId = readVersion(ctx);
  return { status: 201, body: renderRun(createRun(ctx, test, versionId), ctx.now) };
};

export const retrieveRun: Handler = (ctx) => {
  const test = getTest(ctx, param(ctx, 'test_id'));
  const runId = param(ctx, 'run_id');
  const run = ctx.state.runs.get(runId);
  if (!run || run.test_id !== test.test_id) throw notFound('Test run', runId);
  return { status: 200, body: renderRun(run, ctx.now) };
};

/** Runs still pending, starting or running at nowMs. */
export const inProgress = (run: RunRecord, nowMs: number): boolean => !phaseAt(run, nowMs).final;
