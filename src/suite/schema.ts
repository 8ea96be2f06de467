// The suite-file format as zod schemas: the one definition behind validation (suite/parse.ts)
// and the editor JSON Schema (schema/suite.schema.json, see renderSuiteJsonSchema).
// Structure, types and per-field limits live here; rules that need several fields at once
// (defaults, E.164 per channel, duplicates, min_passes <= trials) are in suite/check.ts.
// zod/mini, not classic zod: the same core (checks, issues, JSON Schema), but `validate` starts in
// a fraction of the time classic zod takes to load (issue 17: start-up within 1.5x of bare node).
import * as z from 'zod/mini';
// Named imports, not `z.core.*`: the core namespace object would bundle every locale into `validate`.
import {
  $ZodArray,
  $ZodNumberFormat,
  $ZodObject,
  $ZodOptional,
  type $ZodType,
  type GlobalMeta,
} from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';
import { CHANNELS, LIMITS } from '../api/limits.js';

// Classic zod installs English messages when its first schema is built; mini has none, and an
// issue's own message (suite/messages.ts prints it for codes it does not rewrite) must stay the same.
if (z.config().localeError === undefined) z.config(en());

/** Attach editor metadata (description, title), as classic zod's `.meta()` does. */
function meta<T extends $ZodType>(schema: T, data: GlobalMeta): T {
  z.globalRegistry.add(schema, data);
  return schema;
}

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

const ChannelField = meta(z.enum(CHANNELS), {
  description: 'Conversation channel: phone_call | web_call | sms_chat | web_chat (API default: web_chat).',
});
const DestinationField = meta(z.string().check(z.minLength(1)), {
  description: `Where the test conversation goes: an E.164 number (+15551234567) for phone_call and sms_chat, otherwise e.g. an assistant id. \${VAR} is read from the environment.`,
});
const MaxDurationField = meta(
  z.int().check(z.minimum(LIMITS.maxDurationMin), z.maximum(LIMITS.maxDurationMax)),
  {
    description: `Seconds before the conversation times out (${LIMITS.maxDurationMin}-${LIMITS.maxDurationMax}).`,
  },
);
/** Text of `min` to `max` characters. */
const text = (min: number, max?: number) =>
  max === undefined
    ? z.string().check(z.minLength(min))
    : z.string().check(z.minLength(min), z.maxLength(max));

/**
 * A suite name: it travels in the path of the suite's run calls (/test-suites/{suite_name}/runs).
 * An escaped "/" (%2F) is decoded before a typical server routes the path (the API's errors are
 * FastAPI's), so the name would split into two segments and every call of the suite miss.
 */
const SuiteNameField = text(1, LIMITS.suiteMax).check(
  z.regex(/^[^/]*$/, {
    error:
      'a suite name cannot hold "/": it is part of the API path of the suite\'s runs, where it would split; use another character, e.g. "-"',
  }),
  // Nor be a path's "." or "..": a URL resolves them to another resource (api/route.ts).
  z.regex(/^(?!\.\.?$)/, {
    error:
      'a suite name cannot be "." or "..": it is part of the API path of the suite\'s runs, where it would mean another path; give it a name',
  }),
);

/**
 * A tag: --tag and the Action's tags input split on commas, so a tag holding one could never be
 * selected. Refused here, at its place in the file, rather than silently never matched.
 */
const TagField = z.string().check(
  z.minLength(1),
  z.regex(/^[^,]*$/, {
    error: (issue) => {
      const tag = typeof issue.input === 'string' ? issue.input.replace(/\s+/g, ' ') : '';
      const shown = tag.length > 40 ? `${tag.slice(0, 37)}...` : tag;
      const parts = tag
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const fix =
        parts.length < 2
          ? 'remove the comma'
          : `write separate tags${shown === tag ? `: [${parts.join(', ')}]` : ''}`;
      return `tag "${shown}" has a comma, and --tag and the Action's tags input split on commas, so no filter can select it; ${fix}`;
    },
  }),
  // Nor spaces at either end: --tag and the tags input trim what they are given.
  z.regex(/^(?:|\S|\S[\s\S]*\S)$/, {
    error: (issue) => {
      const tag = typeof issue.input === 'string' ? issue.input : '';
      const trimmed = tag.trim();
      return trimmed === ''
        ? 'a tag must not be blank; remove it'
        : `tag "${tag.length > 40 ? `${tag.slice(0, 37)}...` : tag}" starts or ends with a space, and --tag trims what it is given, so no filter can select it; write "${trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed}"`;
    },
  }),
);

export const CriterionSchema = meta(
  z.strictObject({
    name: meta(text(1), { description: 'Criterion label, unique within the test (e.g. Accuracy).' }),
    criteria: meta(text(1), { description: 'How to judge the assistant on this criterion.' }),
    required: meta(z.optional(z.boolean()), {
      description: 'Local only. A failure here fails the suite gate whatever the pass rate (default false).',
    }),
  }),
  { title: 'Rubric criterion' },
);

export const TestSchema = meta(
  z.strictObject({
    name: meta(text(1, LIMITS.nameMax), {
      description: `Unique in the suite; the sync identity (1-${LIMITS.nameMax} characters).`,
    }),
    description: meta(z.optional(z.string().check(z.maxLength(LIMITS.descriptionMax))), {
      description: `What the test checks (at most ${LIMITS.descriptionMax} characters).`,
    }),
    instructions: meta(text(1, LIMITS.instructionsMax), {
      description: `The scenario the simulated user plays (1-${LIMITS.instructionsMax} characters).`,
    }),
    destination: z.optional(DestinationField),
    channel: z.optional(ChannelField),
    max_duration_seconds: z.optional(MaxDurationField),
    rubric: meta(z.array(CriterionSchema).check(z.minLength(1)), {
      description: 'At least one criterion, names unique.',
    }),
    trials: meta(z.optional(z.int().check(z.minimum(1), z.maximum(TRIALS_MAX))), {
      description: `Local only. Runs per test (1-${TRIALS_MAX}, default 1).`,
    }),
    min_passes: meta(z.optional(z.int().check(z.minimum(1), z.maximum(TRIALS_MAX))), {
      description: 'Local only. Passing trials needed, at most trials (default: trials).',
    }),
    tags: meta(z.optional(z.array(TagField)), {
      description:
        "Local only. Labels for --tag filtering, e.g. [smoke]. No commas: --tag and the Action's tags input split on them.",
    }),
    renamed_from: meta(z.optional(z.array(text(1, LIMITS.nameMax))), {
      description: 'Local only. Former names: sync renames the remote test in place, keeping its history.',
    }),
    quarantine: meta(z.optional(text(1, QUARANTINE_REASON_MAX)), {
      description:
        'Local only. Why the test is quarantined: it still runs and is reported, but never affects a gate (--no-quarantine gates on it).',
    }),
  }),
  { title: 'Test' },
);

export const DefaultsSchema = meta(
  z.strictObject({
    channel: z.optional(ChannelField),
    destination: z.optional(DestinationField),
    max_duration_seconds: z.optional(MaxDurationField),
  }),
  { title: 'Defaults', description: 'Values for every test that does not set its own.' },
);

export const GateSchema = meta(
  z.strictObject({
    min_pass_rate: meta(z.optional(z.number().check(z.minimum(0), z.maximum(1))), {
      description: 'Fraction of tests in this suite that must pass, 0..1 (default 1: all).',
    }),
    max_errors: meta(z.optional(z.int().check(z.minimum(0))), {
      description:
        'Tests allowed to end in error after retries (default 0); a timeout is an error. A timed-out run that no retry replaced also leaves the whole run incomplete (exit 3), whatever max_errors says.',
    }),
    fail_on_regression: meta(z.optional(z.boolean()), {
      description: 'Fail when a test that passed in the baseline fails now (default false).',
    }),
  }),
  { title: 'Gate', description: 'Local only. When this suite counts as passing.' },
);

export const SuiteFileSchema = meta(
  z.strictObject({
    $schema: meta(z.optional(z.string()), {
      description: 'JSON Schema reference, for editors (JSON files).',
    }),
    suite: meta(SuiteNameField, {
      description: `The API's test_suite (1-${LIMITS.suiteMax} characters, no "/"); one file per suite.`,
    }),
    defaults: z.optional(DefaultsSchema),
    gate: z.optional(GateSchema),
    tests: meta(z.array(TestSchema).check(z.minLength(1)), {
      description: 'The tests of this suite (at least one).',
    }),
  }),
  {
    title: 'rubric-gate suite file',
    description: 'One Telnyx assistant-test suite, kept in git and synced by rubric-gate.',
  },
);

export type SuiteFile = z.infer<typeof SuiteFileSchema>;
export type TestEntry = z.infer<typeof TestSchema>;

/** The JSON Schema text committed as schema/suite.schema.json (draft-07: what editors support best). */
export function renderSuiteJsonSchema(): string {
  const schema = z.toJSONSchema(SuiteFileSchema, { target: 'draft-07', io: 'input' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

type Schema = $ZodType;

/** The schema of the value at a data path (optional unwrapped), if the path fits the format. */
export function schemaAt(path: readonly PropertyKey[]): Schema | undefined {
  let s: Schema | undefined = SuiteFileSchema;
  for (const seg of path) {
    s = unwrap(s);
    if (s instanceof $ZodObject) s = (s._zod.def.shape as Record<string, Schema>)[String(seg)];
    else if (s instanceof $ZodArray) s = s._zod.def.element;
    else return undefined;
  }
  return unwrap(s);
}

/** The keys a mapping at `path` may hold, for "did you mean". */
export function keysAt(path: readonly PropertyKey[]): string[] {
  const s = schemaAt(path);
  return s instanceof $ZodObject ? Object.keys(s._zod.def.shape) : [];
}

/** Whether the value at `path` must be a whole number (zod reports such a string as "expected number"). */
export function isIntAt(path: readonly PropertyKey[]): boolean {
  const s = schemaAt(path);
  return s instanceof $ZodNumberFormat && s._zod.def.format.includes('int');
}

function unwrap(s: Schema | undefined): Schema | undefined {
  while (s instanceof $ZodOptional) s = s._zod.def.innerType;
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
