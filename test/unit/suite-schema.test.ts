// schema/suite.schema.json: generated from the zod definitions, committed, and kept fresh.
// An editor using it (via the yaml-language-server line) agrees with `validate` on the basics.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderSuiteJsonSchema } from '../../scripts/gen-schema.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const committed = readFileSync(`${ROOT}/schema/suite.schema.json`, 'utf8');
const exampleFiles = readdirSync(`${ROOT}/suites`).filter(
  (f) => /\.ya?ml$/.test(f) && !f.includes('.scenario.'),
);

describe('suite JSON Schema', () => {
  it('the committed schema matches the zod definitions (run `npx tsx scripts/gen-schema.ts` if not)', () => {
    expect(committed).toBe(renderSuiteJsonSchema());
  });

  it('carries the spec limits and forbids unknown keys', () => {
    const schema = JSON.parse(committed);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['suite', 'tests']);
    const test = schema.properties.tests.items;
    expect(test.additionalProperties).toBe(false);
    expect(test.properties.name).toMatchObject({ minLength: 1, maxLength: 255 });
    expect(test.properties.instructions).toMatchObject({ minLength: 1, maxLength: 5000 });
    expect(test.properties.description).toMatchObject({ maxLength: 1000 });
    expect(test.properties.max_duration_seconds).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 3600,
    });
    expect(test.properties.rubric).toMatchObject({ minItems: 1 });
    expect(schema.properties.suite).toMatchObject({ maxLength: 100 });
  });

  it('every example suite carries the yaml-language-server line and is valid under the schema', () => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(3);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed));
    for (const f of exampleFiles) {
      const text = readFileSync(`${ROOT}/suites/${f}`, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/suite.schema.json');
      expect(validate(parseYaml(text)), `${f}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  it('rejects what validate rejects structurally', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed));
    const ok = {
      suite: 's',
      tests: [{ name: 't', instructions: 'i', rubric: [{ name: 'n', criteria: 'c' }] }],
    };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, tests: [] })).toBe(false);
    expect(validate({ ...ok, suit: 'x' })).toBe(false);
    expect(validate({ ...ok, tests: [{ ...ok.tests[0], trials: 1.5 }] })).toBe(false);
    expect(validate({ ...ok, gate: { min_pass_rate: 90 } })).toBe(false);
    // --tag and the Action's tags input split on commas: such a tag could never be selected.
    expect(validate({ ...ok, tests: [{ ...ok.tests[0], tags: ['smoke'] }] })).toBe(true);
    expect(validate({ ...ok, tests: [{ ...ok.tests[0], tags: ['smoke,voice'] }] })).toBe(false);
    // Nor spaces at an end, which --tag trims; inside is fine.
    expect(validate({ ...ok, tests: [{ ...ok.tests[0], tags: ['smoke '] }] })).toBe(false);
    expect(validate({ ...ok, tests: [{ ...ok.tests[0], tags: ['slow path'] }] })).toBe(true);
    // A suite name is a path segment of its run calls: "/" would split it.
    expect(validate({ ...ok, suite: 'billing/refunds' })).toBe(false);
    expect(validate({ ...ok, suite: 'billing-refunds' })).toBe(true);
    expect(validate({ ...ok, suite: '..' })).toBe(false);
    expect(validate({ ...ok, suite: '.' })).toBe(false);
    expect(validate({ ...ok, suite: '...' })).toBe(true);
  });
});
