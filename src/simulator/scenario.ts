// The scenario: what the simulated Telnyx account contains and how its runs end. Parsed from
// YAML/JSON by scenario-file.ts; the format is documented in docs/simulator.md.
import { z } from 'zod';
import { checkRules, RuleInput } from './canary.js';
import type { RateLimit } from './faults.js';

export const OUTCOMES = ['pass', 'fail', 'error', 'hang'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

/** How runs of the tests matching one key end. Keys are "suite/test name", `*` matches anything. */
export const TestEntry = z
  .strictObject({
    outcome: Outcome.optional(),
    criteria: z.record(z.string(), z.enum(['pass', 'fail'])).optional(),
    probability: z.number().min(0).max(1).optional(),
    sequence: z.array(Outcome).min(1).optional(),
    duration_seconds: z.number().positive().max(86_400).optional(),
  })
  .superRefine((e, ctx) => {
    const set = (['outcome', 'probability', 'sequence'] as const).filter((k) => e[k] !== undefined);
    if (set.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [set[1] ?? 'outcome'],
        message: `set only one of outcome, probability or sequence (found ${set.join(' and ')})`,
      });
    }
  });
export type TestEntry = z.infer<typeof TestEntry>;
const TestEntries = z.record(z.string().min(1), TestEntry);
export type TestEntries = z.infer<typeof TestEntries>;

const VersionDef = z.strictObject({
  id: z.string().min(1),
  name: z.string().max(50).optional(),
  main: z.boolean().optional(),
  model: z.string().optional(),
  instructions: z.string().optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  /** Overrides applied to runs triggered with destination_version_id = this version. */
  tests: TestEntries.optional(),
});

const AssistantDef = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  model: z.string().optional(),
  instructions: z.string().optional(),
  description: z.string().optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  versions: z.array(VersionDef).min(1),
  canary: z.strictObject({ rules: z.array(RuleInput) }).optional(),
});
export type AssistantDef = z.infer<typeof AssistantDef>;

/**
 * A token bucket over every request (faults.ts RateLimiter): `per_second` refills, `burst`
 * (default per_second) is its size. Over it, answers are 429 with x-ratelimit-* headers.
 */
export const RateLimitDef = z.strictObject({
  per_second: z.number().positive().max(100_000),
  burst: z.number().int().min(1).max(100_000).optional(),
});
export type RateLimitDef = z.infer<typeof RateLimitDef>;

export const Scenario = z
  .strictObject({
    seed: z.number().int().default(0),
    clock_scale: z.number().positive().optional(),
    rate_limit: RateLimitDef.optional(),
    tests: TestEntries.default({ '*': { outcome: 'pass' } }),
    assistants: z.array(AssistantDef).default([]),
  })
  .superRefine((s, ctx) => {
    const seenAssistants = new Set<string>();
    const seenVersions = new Set<string>();
    s.assistants.forEach((a, i) => {
      if (seenAssistants.has(a.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['assistants', i, 'id'],
          message: `duplicate assistant id ${a.id}`,
        });
      }
      seenAssistants.add(a.id);
      a.versions.forEach((v, j) => {
        // Version ids are global: a trigger's destination_version_id names no assistant.
        if (seenVersions.has(v.id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['assistants', i, 'versions', j, 'id'],
            message: `duplicate version id ${v.id}`,
          });
        }
        seenVersions.add(v.id);
      });
      const mains = a.versions.flatMap((v, j) => (v.main ? [j] : []));
      if (mains.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['assistants', i, 'versions', mains[1] ?? 0, 'main'],
          message: `assistant ${a.id} has more than one main version`,
        });
      }
      if (a.canary) {
        const ids = new Set(a.versions.map((v) => v.id));
        for (const p of checkRules(a.canary.rules, ids)) {
          ctx.addIssue({
            code: 'custom',
            path: ['assistants', i, 'canary', 'rules', ...p.path],
            message: p.message,
          });
        }
      }
    });
  });
export type Scenario = z.infer<typeof Scenario>;

/** The simulator's rate limit from a scenario's `rate_limit`. */
export const rateLimitOf = (def: RateLimitDef): RateLimit => ({
  perSecond: def.per_second,
  ...(def.burst === undefined ? {} : { burst: def.burst }),
});

/** The scenario used when none is given: every run passes. */
export const DEFAULT_SCENARIO: Scenario = Scenario.parse({});

/** The version id marked main, or the first listed. */
export const mainVersionOf = (a: AssistantDef): string =>
  (a.versions.find((v) => v.main) ?? a.versions[0])?.id ?? '';
