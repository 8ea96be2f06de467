// The suite-file format as zod schemas: the one definition behind validation (suite/parse.ts)
// and the editor JSON Schema (schema/suite.schema.json, see renderSuiteJsonSchema).
// Structure, types and per-field limits live here; rules that need several fields at once
// (defaults, E.164 per channel, duplicates, min_passes <= trials) are in suite/check.ts.
import { z } from 'zod';
import { CHANNELS, LIMITS } from '../api/schemas.js';

/** E.164: '+', a non-zero digit, up to 15 digits in all. */
export const E164 = /^\+[1-9]\d{1,14}$/;
/** Channels whose destination is a phone number. */
export const PHONE_CHANNELS: ReadonlySet<string> = new Set(['phone_call', 'sms_chat']);
/** The API's default channel when none is given (CreateAssistantTestRequest). */
export const DEFAULT_CHANNEL = 'web_chat' as const;
/** Local cap: each trial is a real conversation (and on voice, billed minutes). */
export const TRIALS_MAX = 100;
/** A quarantine reason is a short note for reports, not documentation. */
export const QUARANTINE_REASON_MAX = 500;

const ChannelField = z.enum(CHANNELS).meta({
  description: 'Conversation channel: phone_call | web_call | sms_chat | web_chat (API default: web_chat).',
});
const DestinationField = z.string().min(1).meta({
  description: `Where the test conversation goes: an E.164 number (+15551234567) for phone_call and sms_chat, otherwise e.g. an assistant id. \${VAR} is read from the environment.`,
});
const MaxDurationField = z
  .int()
  .min(LIMITS.maxDurationMin)
  .max(LIMITS.maxDurationMax)
  .meta({
    description: `Seconds before the conversation times out (${LIMITS.maxDurationMin}-${LIMITS.maxDurationMax}).`,
  });

export const CriterionSchema = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'Criterion label, unique within the test (e.g. Accuracy).' }),
    criteria: z.string().min(1).meta({ description: 'How to judge the assistant on this criterion.' }),
    required: z.boolean().optional().meta({
      description: 'Local only. A failure here fails the suite gate whatever the pass rate (default false).',
    }),
  })
  .meta({ title: 'Rubric criterion' });

export const TestSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .max(LIMITS.nameMax)
      .meta({ description: `Unique in the suite; the sync identity (1-${LIMITS.nameMax} characters).` }),
    description: z
      .string()
      .max(LIMITS.descriptionMax)
      .optional()
      .meta({ description: `What the test checks (at most ${LIMITS.descriptionMax} characters).` }),
    instructions: z
      .string()
      .min(1)
      .max(LIMITS.instructionsMax)
      .meta({
        description: `The scenario the simulated user plays (1-${LIMITS.instructionsMax} characters).`,
      }),
    destination: DestinationField.optional(),
    channel: ChannelField.optional(),
    max_duration_seconds: MaxDurationField.optional(),
    rubric: z.array(CriterionSchema).min(1).meta({ description: 'At least one criterion, names unique.' }),
    trials: z
      .int()
      .min(1)
      .max(TRIALS_MAX)
      .optional()
      .meta({ description: `Local only. Runs per test (1-${TRIALS_MAX}, default 1).` }),
    min_passes: z
      .int()
      .min(1)
      .max(TRIALS_MAX)
      .optional()
      .meta({ description: 'Local only. Passing trials needed, at most trials (default: trials).' }),
    tags: z
      .array(z.string().min(1))
      .optional()
      .meta({ description: 'Local only. Labels for --tag filtering, e.g. [smoke].' }),
    renamed_from: z.array(z.string().min(1).max(LIMITS.nameMax)).optional().meta({
      description: 'Local only. Former names: sync renames the remote test in place, keeping its history.',
    }),
    quarantine: z.string().min(1).max(QUARANTINE_REASON_MAX).optional().meta({
      description:
        'Local only. Why the test is quarantined: it still runs and is reported, but never affects a gate (--no-quarantine gates on it).',
    }),
  })
  .meta({ title: 'Test' });

export const DefaultsSchema = z
  .strictObject({
    channel: ChannelField.optional(),
    destination: DestinationField.optional(),
    max_duration_seconds: MaxDurationField.optional(),
  })
  .meta({ title: 'Defaults', description: 'Values for every test that does not set its own.' });

export const GateSchema = z
  .strictObject({
    min_pass_rate: z.number().min(0).max(1).optional().meta({
      description: 'Fraction of tests in this suite that must pass, 0..1 (default 1: all).',
    }),
    max_errors: z.int().min(0).optional().meta({
      description: 'Runs allowed to end in error or time out (default 0).',
    }),
    fail_on_regression: z.boolean().optional().meta({
      description: 'Fail when a test that passed in the baseline fails now (default false).',
    }),
  })
  .meta({ title: 'Gate', description: 'Local only. When this suite counts as passing.' });

export const SuiteFileSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'JSON Schema reference, for editors (JSON files).' }),
    suite: z
      .string()
      .min(1)
      .max(LIMITS.suiteMax)
      .meta({ description: `The API's test_suite (1-${LIMITS.suiteMax} characters); one file per suite.` }),
    defaults: DefaultsSchema.optional(),
    gate: GateSchema.optional(),
    tests: z.array(TestSchema).min(1).meta({ description: 'The tests of this suite (at least one).' }),
  })
  .meta({
    title: 'rubric-gate suite file',
    description: 'One Telnyx assistant-test suite, kept in git and synced by rubric-gate.',
  });

export type SuiteFile = z.infer<typeof SuiteFileSchema>;
export type TestEntry = z.infer<typeof TestSchema>;

/** The JSON Schema text committed as schema/suite.schema.json (draft-07: what editors support best). */
export function renderSuiteJsonSchema(): string {
  const schema = z.toJSONSchema(SuiteFileSchema, { target: 'draft-07', io: 'input' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** The schema of the value at a data path (optional unwrapped), if the path fits the format. */
export function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = SuiteFileSchema;
  for (const seg of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(seg)];
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else return undefined;
  }
  return unwrap(s);
}

/** The keys a mapping at `path` may hold, for "did you mean". */
export function keysAt(path: readonly PropertyKey[]): string[] {
  const s = schemaAt(path);
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/** Whether the value at `path` must be a whole number (zod reports such a string as "expected number"). */
export function isIntAt(path: readonly PropertyKey[]): boolean {
  const s = schemaAt(path);
  return s instanceof z.ZodNumber && s.isInt === true;
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  while (s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType;
  return s;
}

/** Where each key of the format lives, to say "belongs in gate" for a key put in the wrong place. */
export const KEY_HOMES: ReadonlyArray<{ where: string; keys: readonly string[] }> = [
  { where: 'the top level', keys: Object.keys(SuiteFileSchema.shape) },
  { where: 'defaults', keys: Object.keys(DefaultsSchema.shape) },
  { where: 'gate', keys: Object.keys(GateSchema.shape) },
  { where: 'a test', keys: Object.keys(TestSchema.shape) },
  { where: 'a rubric criterion', keys: Object.keys(CriterionSchema.shape) },
];
