// What the simulator accepts: request bodies and query parameters, with the spec's limits
// (LIMITS, shared with the suite-file validator). Violations become FastAPI-style 422s.
import { z } from 'zod';
import { CHANNELS, LIMITS } from '../api/schemas.js';
import { RuleInput } from './canary.js';
import { type FastApiDetail, validationError } from './replies.js';

const RubricItemInput = z.strictObject({ name: z.string(), criteria: z.string() });

const testFields = {
  name: z.string().min(1).max(LIMITS.nameMax),
  destination: z.string().min(1),
  instructions: z.string().min(1).max(LIMITS.instructionsMax),
  rubric: z.array(RubricItemInput).min(1),
  description: z.string().max(LIMITS.descriptionMax),
  telnyx_conversation_channel: z.enum(CHANNELS),
  max_duration_seconds: z.number().int().min(LIMITS.maxDurationMin).max(LIMITS.maxDurationMax),
  test_suite: z.string().max(LIMITS.suiteMax),
};

/** CreateAssistantTestRequest. Unknown top-level keys are ignored, as FastAPI does by default. */
export const CreateTestInput = z.object({
  ...testFields,
  description: testFields.description.optional(),
  telnyx_conversation_channel: testFields.telnyx_conversation_channel.default('web_chat'),
  max_duration_seconds: testFields.max_duration_seconds.optional(),
  test_suite: testFields.test_suite.optional(),
});

/** UpdateAssistantTestRequest: every field optional, no defaults. */
export const UpdateTestInput = z.object(testFields).partial();

/** TriggerTestRunRequest / TriggerTestSuiteRunsRequest. */
export const TriggerInput = z.object({ destination_version_id: z.string().optional() });

export const CanaryInput = z.object({ rules: z.array(RuleInput).default([]) });

/** The UpdateAssistantRequest fields the simulator keeps on a version; others are accepted and ignored. */
export const UpdateVersionInput = z.object({
  name: z.string().optional(),
  model: z.string().optional(),
  instructions: z.string().optional(),
  description: z.string().optional(),
  greeting: z.string().optional(),
  tags: z.array(z.string()).optional(),
  version_name: z.string().max(50).optional(),
});

export interface PageQuery {
  number: number;
  size: number;
}

/** page[number] (default 1, min 1) and page[size] (default 20, 1-100), as FastAPI validates them. */
export function parsePage(query: URLSearchParams): PageQuery {
  const problems: FastApiDetail[] = [];
  const read = (name: string, fallback: number, max?: number): number => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const loc = ['query', name];
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
      problems.push({
        loc,
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        type: 'int_parsing',
      });
      return fallback;
    }
    const n = Number(raw);
    if (n < 1)
      problems.push({ loc, msg: 'Input should be greater than or equal to 1', type: 'greater_than_equal' });
    if (max !== undefined && n > max) {
      problems.push({ loc, msg: `Input should be less than or equal to ${max}`, type: 'less_than_equal' });
    }
    return n;
  };
  const page = { number: read('page[number]', 1), size: read('page[size]', 20, LIMITS.pageSizeMax) };
  if (problems.length > 0) throw validationError(problems);
  return page;
}

/**
 * One page of items plus the Meta the spec requires. `shift` (a 'page-shift' fault) moves the
 * window as if items had been inserted ahead of it (positive) or removed (negative).
 */
export function paginate<T>(
  items: readonly T[],
  page: PageQuery,
  shift = 0,
): { data: T[]; meta: Record<string, number> } {
  const start = Math.max(0, (page.number - 1) * page.size - shift);
  return {
    data: items.slice(start, start + page.size),
    meta: {
      page_number: page.number,
      page_size: page.size,
      total_pages: Math.ceil(items.length / page.size),
      total_results: items.length,
    },
  };
}
