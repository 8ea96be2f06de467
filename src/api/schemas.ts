// zod schemas for the Telnyx assistant-tests, versions and canary-deploy APIs.
// Source of truth: test/fixtures/telnyx-openapi.json (the official spec extract) and
// ../shared/telnyx-api/CONTRACT.md. Response objects are loose (unknown fields pass
// through, the API may add fields); required fields are strict.
import { z } from 'zod';
import { CHANNELS, LIMITS } from './limits.js';

// Plain constants in limits.ts: importing them must not load zod (see suite/schema.ts).
export { CHANNELS, LIMITS };
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const TEST_STATUSES = ['pending', 'starting', 'running', 'passed', 'failed', 'error'] as const;
export const TestStatus = z.enum(TEST_STATUSES);
export type TestStatus = z.infer<typeof TestStatus>;
export const FINAL_STATUSES: ReadonlySet<TestStatus> = new Set(['passed', 'failed', 'error']);
export const isFinal = (s: string): boolean => FINAL_STATUSES.has(s as TestStatus);
/** A run (or attempt) status that is not an outcome yet: pending, starting, running. */
export const IN_PROGRESS_STATUSES: ReadonlySet<TestStatus> = new Set(['pending', 'starting', 'running']);
export const isInProgress = (s: string): boolean => IN_PROGRESS_STATUSES.has(s as TestStatus);

export const RubricItem = z.object({ name: z.string(), criteria: z.string() });
export type RubricItem = z.infer<typeof RubricItem>;

export const AssistantTest = z.looseObject({
  test_id: z.string(),
  name: z.string(),
  telnyx_conversation_channel: Channel,
  rubric: z.array(RubricItem),
  created_at: z.string(),
  description: z.string().optional(),
  destination: z.string().optional(),
  instructions: z.string().optional(),
  max_duration_seconds: z.number().int().optional(),
  test_suite: z.string().optional(),
});
export type AssistantTest = z.infer<typeof AssistantTest>;

/** A status string as the API sent it; undocumented ones are handled by the caller (ledger.ts). */
export const isTestStatus = (s: string): s is TestStatus => (TEST_STATUSES as readonly string[]).includes(s);

// Statuses are read as free strings: an undocumented one (the Telnyx CLI documents `completed`
// and `timeout`) must not fail a whole page read. The run ledger turns it into an error outcome
// that names it at once: an unknown answer can only make the verdict worse.
export const DetailResult = z.looseObject({ name: z.string(), status: z.string() });
export type DetailResult = z.infer<typeof DetailResult>;

export const TestRun = z.looseObject({
  run_id: z.string(),
  test_id: z.string(),
  status: z.string(),
  triggered_by: z.string(),
  created_at: z.string(),
  completed_at: z.string().optional(),
  updated_at: z.string().optional(),
  test_suite_run_id: z.string().optional(),
  detail_status: z.array(DetailResult).optional(),
  logs: z.string().optional(),
  conversation_id: z.string().optional(),
  conversation_insights_id: z.string().optional(),
});
export type TestRun = z.infer<typeof TestRun>;

export const Meta = z.looseObject({
  page_number: z.number().int(),
  page_size: z.number().int(),
  total_pages: z.number().int(),
  total_results: z.number().int(),
});
export type Meta = z.infer<typeof Meta>;

export const page = <T extends z.ZodType>(item: T) => z.looseObject({ data: z.array(item), meta: Meta });
export const TestPage = page(AssistantTest);
export const RunPage = page(TestRun);
export const SuiteNames = z.looseObject({ data: z.array(z.string()) });
export const TriggerSuiteResponse = z.array(TestRun);

export const Assistant = z.looseObject({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  model: z.string(),
  instructions: z.string(),
  version_id: z.string().optional(),
  version_name: z.string().optional(),
  version_created_at: z.string().optional(),
});
export type Assistant = z.infer<typeof Assistant>;
export const AssistantList = z.looseObject({ data: z.array(Assistant) });

export const Clause = z.looseObject({
  attribute: z.string(),
  operator: z.enum(['in', 'not_in', 'starts_with']),
  values: z.array(z.string()).min(1),
});
export const RolloutSlot = z.looseObject({ version_id: z.string(), weight: z.number().min(0).max(100) });
export const Serve = z.looseObject({
  version_id: z.string().optional(),
  rollout: z.array(RolloutSlot).optional(),
});
export const Rule = z.looseObject({ match: z.array(Clause).optional(), serve: Serve });
export type Rule = z.infer<typeof Rule>;
export const CanaryDeploy = z.looseObject({
  assistant_id: z.string(),
  rules: z.array(Rule),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CanaryDeploy = z.infer<typeof CanaryDeploy>;

// Request bodies (what we send). Typed, not validated on the way out.
export interface CreateTestBody {
  name: string;
  destination: string;
  instructions: string;
  rubric: RubricItem[];
  description?: string;
  telnyx_conversation_channel?: Channel;
  max_duration_seconds?: number;
  test_suite?: string;
}
export type UpdateTestBody = Partial<CreateTestBody>;
export interface TriggerBody {
  destination_version_id?: string;
}
export interface CanaryDeployBody {
  rules: Rule[];
}

// Error envelopes. Both shapes occur on these endpoints (CONTRACT.md section 4).
export const TelnyxErrors = z.looseObject({
  errors: z.array(
    z.looseObject({
      code: z.union([z.string(), z.number()]).transform(String),
      title: z.string().optional(),
      detail: z.unknown().optional(),
      source: z.looseObject({ pointer: z.string().optional(), parameter: z.string().optional() }).optional(),
    }),
  ),
});
export const FastApiErrors = z.looseObject({
  detail: z.array(
    z.looseObject({ loc: z.array(z.union([z.string(), z.number()])), msg: z.string(), type: z.string() }),
  ),
});
