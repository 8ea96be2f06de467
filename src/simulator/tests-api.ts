// /ai/assistants/tests and /ai/assistants/tests/test-suites (CONTRACT.md 2.1-2.4).
import { randomUUID } from 'node:crypto';
import { type Ctx, type Handler, iso, param } from './context.js';
import { notFound, parseOr422 } from './replies.js';
import { CreateTestInput, paginate, parsePage, UpdateTestInput } from './requests.js';
import type { TestRecord } from './state.js';

export function getTest(ctx: Ctx, testId: string): TestRecord {
  const test = ctx.state.tests.get(testId);
  if (!test) throw notFound('Assistant test', testId);
  return test;
}

export const listTests: Handler = (ctx) => {
  const page = parsePage(ctx.query);
  const suite = ctx.query.get('test_suite');
  const channel = ctx.query.get('telnyx_conversation_channel');
  const destination = ctx.query.get('destination');
  const tests = [...ctx.state.tests.values()].filter(
    (t) =>
      (suite === null || t.test_suite === suite) &&
      (channel === null || t.telnyx_conversation_channel === channel) &&
      (destination === null || t.destination === destination),
  );
  return { status: 200, body: paginate(tests, page, ctx.pageShift) };
};

export const createTest: Handler = (ctx) => {
  const input = parseOr422(CreateTestInput, ctx.body, ['body']);
  const test: TestRecord = {
    test_id: randomUUID(),
    name: input.name,
    telnyx_conversation_channel: input.telnyx_conversation_channel,
    rubric: input.rubric.map((r) => ({ name: r.name, criteria: r.criteria })),
    created_at: iso(ctx.now),
    destination: input.destination,
    instructions: input.instructions,
  };
  if (input.description !== undefined) test.description = input.description;
  if (input.max_duration_seconds !== undefined) test.max_duration_seconds = input.max_duration_seconds;
  if (input.test_suite !== undefined) test.test_suite = input.test_suite;
  ctx.state.tests.set(test.test_id, test);
  return { status: 201, body: test };
};

export const retrieveTest: Handler = (ctx) => ({ status: 200, body: getTest(ctx, param(ctx, 'test_id')) });

/** PUT is a partial update: "Only provided fields will be updated, others remain unchanged". */
export const updateTest: Handler = (ctx) => {
  const test = getTest(ctx, param(ctx, 'test_id'));
  const input = parseOr422(UpdateTestInput, ctx.body, ['body']);
  const updated: TestRecord = { ...test };
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined) Object.assign(updated, { [key]: value });
  }
  ctx.state.tests.set(test.test_id, updated);
  return { status: 200, body: updated };
};

/** "Permanently removes an assistant test and all associated data": its runs go too. */
export const deleteTest: Handler = (ctx) => {
  const test = getTest(ctx, param(ctx, 'test_id'));
  ctx.state.tests.delete(test.test_id);
  for (const [id, run] of ctx.state.runs) if (run.test_id === test.test_id) ctx.state.runs.delete(id);
  return { status: 200 };
};

/** Distinct suite names of the existing tests, sorted. */
export const listSuites: Handler = (ctx) => {
  const names = new Set<string>();
  for (const t of ctx.state.tests.values()) if (t.test_suite) names.add(t.test_suite);
  return { status: 200, body: { data: [...names].sort() } };
};
