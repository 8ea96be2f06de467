// parseSuiteText: the model it builds (defaults, trials, locations), ${VAR} interpolation,
// JSON files, and the YAML corners (BOM, CRLF, anchors, merges).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { interpolateString } from '../../src/suite/interpolate.js';
import { toApiBody } from '../../src/suite/model.js';
import { parseSuiteText } from '../../src/suite/parse.js';
import { closest, didYouMean, editDistance } from '../../src/suite/suggest.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (rel: string) => readFileSync(`${ROOT}/${rel}`, 'utf8');
const parse = (text: string, env: Record<string, string> = {}, file = 'suites/x.yaml') =>
  parseSuiteText(text, { file, env });

const MINIMAL = `suite: s
defaults:
  destination: \${DEST}
tests:
  - name: t
    instructions: Call about \${TOPIC}.
    rubric:
      - name: n
        criteria: c
`;

describe('the example suites', () => {
  it('refunds.yaml: defaults applied, local-only fields kept out of the API body', () => {
    const { suite, problems } = parse(read('suites/refunds.yaml'), {}, 'suites/refunds.yaml');
    expect(problems).toEqual([]);
    expect(suite?.name).toBe('refunds');
    expect(suite?.gate).toEqual({ minPassRate: 0.9, maxErrors: 0, failOnRegression: true });
    expect(suite?.loc).toEqual({ file: 'suites/refunds.yaml', line: 3, col: 8 });
    const [first, , third] = suite!.tests;
    expect(first).toMatchObject({
      suite: 'refunds',
      name: 'Damaged product refund',
      channel: 'web_chat',
      destination: 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34',
      maxDurationSeconds: 300,
      trials: 1,
      minPasses: 1,
      tags: ['smoke', 'refunds'],
      renamedFrom: [],
      loc: { file: 'suites/refunds.yaml', line: 13, col: 5 },
    });
    expect(first?.rubric.map((c) => c.required)).toEqual([true, false, false]);
    expect(first?.instructions).toMatch(/^Act as a frustrated customer .* to reach your card\.$/);
    expect(third).toMatchObject({ trials: 2, minPasses: 2, renamedFrom: ['Where is my refund'] });
    expect(third?.description).toBeUndefined();
    const body = toApiBody(first!);
    expect(Object.keys(body).sort()).toEqual(
      [
        'description',
        'destination',
        'instructions',
        'max_duration_seconds',
        'name',
        'rubric',
        'telnyx_conversation_channel',
        'test_suite',
      ].sort(),
    );
  });

  it('appointments.yaml: phone_call, trials 3 / min_passes 2, a per-test duration', () => {
    const { suite, problems } = parse(read('suites/appointments.yaml'));
    expect(problems).toEqual([]);
    const [book, , cancel] = suite!.tests;
    expect(book).toMatchObject({
      channel: 'phone_call',
      destination: '+15550100001',
      trials: 3,
      minPasses: 2,
    });
    expect(cancel?.maxDurationSeconds).toBe(180);
    expect(suite?.gate).toEqual({ minPassRate: 1, maxErrors: 1, failOnRegression: false });
  });

  it('after-hours.yaml: sms_chat', () => {
    const { suite, problems } = parse(read('suites/after-hours.yaml'));
    expect(problems).toEqual([]);
    expect(suite?.tests.every((t) => t.channel === 'sms_chat' && t.destination === '+15550100002')).toBe(
      true,
    );
  });
});

describe('defaults', () => {
  it('a test overrides defaults; no channel anywhere means the API default web_chat; gate defaults', () => {
    const { suite, problems } = parse(
      'suite: s\ntests:\n  - name: t\n    destination: d\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n',
    );
    expect(problems).toEqual([]);
    expect(suite?.tests[0]).toMatchObject({ channel: 'web_chat', destination: 'd', trials: 1, minPasses: 1 });
    expect(suite?.tests[0]?.maxDurationSeconds).toBeUndefined();
    expect(suite?.gate).toEqual({ minPassRate: 1, maxErrors: 0, failOnRegression: false });
  });

  it('E.164 applies to the channel a test inherits and the destination it overrides', () => {
    const text = `suite: s
defaults: {channel: phone_call, destination: "+15550100001"}
tests:
  - {name: a, destination: "5550100", instructions: i, rubric: [{name: n, criteria: c}]}
  - {name: b, channel: web_chat, destination: asst-1, instructions: i, rubric: [{name: n, criteria: c}]}
`;
    expect(parse(text).problems.map((p) => `${p.line}:${p.col}`)).toEqual(['4:28']);
  });
});

describe(`\${VAR} interpolation`, () => {
  it('substitutes, reports each missing variable once, escapes $${', () => {
    expect(interpolateString(`\${A}-\${B}`, { A: '1', B: '2' })).toEqual({
      value: '1-2',
      missing: [],
      malformed: [],
    });
    expect(interpolateString(`\${A} \${A} \${C}`, {})).toMatchObject({ missing: ['A', 'A', 'C'] });
    expect(interpolateString('price $${AMOUNT}', {})).toEqual({
      value: `price \${AMOUNT}`,
      missing: [],
      malformed: [],
    });
    expect(interpolateString(`\${not valid} \${`, {}).malformed).toEqual([`\${not valid}`, `\${`]);
    expect(interpolateString('no refs, $5 only', {}).value).toBe('no refs, $5 only');
  });

  it('resolves values from the env passed in, not from process.env', () => {
    const { suite, problems } = parse(MINIMAL, { DEST: 'asst-9', TOPIC: 'refunds' });
    expect(problems).toEqual([]);
    expect(suite?.tests[0]).toMatchObject({ destination: 'asst-9', instructions: 'Call about refunds.' });
  });

  it('a missing variable names itself and the place', () => {
    const { suite, problems } = parse(MINIMAL, { TOPIC: 'x' });
    expect(suite).toBeUndefined();
    expect(problems).toEqual([
      {
        file: 'suites/x.yaml',
        line: 3,
        col: 16,
        message:
          'defaults.destination: environment variable DEST is not set; export it or write the value in the file',
      },
    ]);
  });

  it('limits apply to the resolved value (E.164, length)', () => {
    const phone = MINIMAL.replace('defaults:', 'defaults:\n  channel: sms_chat');
    expect(parse(phone, { DEST: '+15550100009', TOPIC: 'x' }).problems).toEqual([]);
    const bad = parse(phone, { DEST: 'asst-1', TOPIC: 'x' }).problems;
    expect(bad.map((p) => p.message)).toEqual([
      'defaults.destination: "asst-1" is not an E.164 phone number, which channel sms_chat needs (used by test "t"); use E.164 like +15551234567',
    ]);
    const long = parse(MINIMAL, { DEST: 'a', TOPIC: 'x'.repeat(5000) }).problems;
    expect(long.map((p) => p.message)).toEqual([
      'tests[0].instructions: is 5012 characters; the limit is 5000, shorten it',
    ]);
  });

  it('keys are not interpolated', () => {
    const { problems } = parse(MINIMAL.replace('suite: s', `suite: s\n\${X}: 1`), {
      DEST: 'd',
      TOPIC: 't',
      X: 'gate',
    });
    expect(problems.map((p) => p.message)).toEqual([
      `unknown key "\${X}"; expected one of: $schema, suite, defaults, gate, tests`,
    ]);
  });
});

describe('JSON suite files', () => {
  const json = `{
  "$schema": "../schema/suite.schema.json",
  "suite": "json-suite",
  "defaults": { "channel": "sms_chat", "destination": "+15550100004" },
  "gate": { "min_pass_rate": 0.5 },
  "tests": [
    {
      "name": "Opening hours",
      "instructions": "Ask about opening hours.",
      "rubric": [{ "name": "Hours", "criteria": "Gives the hours.", "required": true }],
      "trials": 4,
      "min_passes": 3
    }
  ]
}
`;
  it('parses into the same model, located by line and column', () => {
    const { suite, problems } = parse(json, {}, 'suites/j.json');
    expect(problems).toEqual([]);
    expect(suite?.tests[0]).toMatchObject({
      suite: 'json-suite',
      channel: 'sms_chat',
      trials: 4,
      minPasses: 3,
      rubric: [{ name: 'Hours', criteria: 'Gives the hours.', required: true }],
      loc: { file: 'suites/j.json', line: 7, col: 5 },
    });
    expect(suite?.gate.minPassRate).toBe(0.5);
  });

  it('locates problems in JSON files too', () => {
    const { problems } = parse(json.replace('"trials": 4', '"trials": 2'), {}, 'suites/j.json');
    expect(problems).toEqual([
      {
        file: 'suites/j.json',
        line: 12,
        col: 21,
        message: 'tests[0].min_passes: 3 is more than trials (2); lower min_passes or set trials: 3 or more',
      },
    ]);
  });
});

describe('YAML corners', () => {
  const env = { DEST: 'd', TOPIC: 't' };
  it('a BOM does not shift columns; CRLF and CR line ends work', () => {
    const bad = MINIMAL.replace('suite: s', 'suite: s\nsuit: x');
    const plain = parse(bad, env).problems;
    expect(parse(`\ufeff${bad}`, env).problems).toEqual(plain);
    expect(parse(bad.replace(/\n/g, '\r\n'), env).problems).toEqual(plain);
    // CR alone is a YAML line break too (it was one long line of syntax errors).
    expect(parse(bad.replace(/\n/g, '\r'), env).problems).toEqual(plain);
    expect(parse(MINIMAL.replace(/\n/g, '\r'), env).suite).toEqual(parse(MINIMAL, env).suite);
    expect(plain.map((p) => [p.line, p.col])).toEqual([[2, 1]]);
  });

  it('anchors and merge keys are resolved; problems in merged values point at the anchor', () => {
    const text = `suite: s
defaults: {destination: d}
tests:
  - &base
    name: a
    instructions: i
    trials: 2
    min_passes: 2
    rubric: [{name: n, criteria: c}]
  - <<: *base
    name: b
    trials: 1
`;
    const { suite, problems } = parse(text);
    expect(problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      '8:17: tests[1].min_passes: 2 is more than trials (1); lower min_passes or set trials: 2 or more',
    ]);
    expect(suite).toBeUndefined();
    const ok = parse(text.replace('trials: 1', 'trials: 3'));
    expect(ok.problems).toEqual([]);
    expect(ok.suite?.tests[1]).toMatchObject({ name: 'b', trials: 3, minPasses: 2, instructions: 'i' });
  });

  it('a merge key with something other than mappings is located at its value', () => {
    const base = `suite: s
defaults: {destination: d}
x: &scalar 3
tests:
  - name: a
    instructions: i
    rubric: [{name: n, criteria: c}]
    <<: VALUE
`;
    const MERGE = 'YAML: a merge key (<<) takes a mapping, an alias of one, or a list of them';
    for (const value of ['3', '[*scalar]', '[{trials: 2}, [1]]', '*scalar']) {
      const { problems } = parse(base.replace('VALUE', value));
      expect(
        problems.find((p) => p.message.startsWith(MERGE)),
        value,
      ).toMatchObject({ line: 8, col: 9 });
    }
    const merged = parse(base.replace('x: &scalar 3\n', '').replace('VALUE', '{trials: 2}'));
    expect(merged.problems).toEqual([]);
    expect(merged.suite?.tests[0]?.trials).toBe(2);
  });

  it('problems are sorted by position and each is reported once', () => {
    const text = 'tests:\n  - name: a\nsuite: ""\n';
    const { problems } = parse(text);
    expect(problems.map((p) => p.message)).toEqual([
      'tests[0]: missing required key "instructions"; add it',
      'tests[0]: missing required key "rubric"; add rubric: with at least one criterion (name and criteria)',
      'tests[0]: no destination; add destination: to this test or to defaults',
      'suite: must not be empty',
    ]);
  });
});

describe('messages', () => {
  it('stay on one line with no control characters, whatever the user text', () => {
    const text =
      'suite: s\n"a\\nb\\u001b[31m": 1\ntests:\n  - name: t\n    destination: "\\u001b[2J"\n    channel: sms_chat\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n';
    expect(parse(text).problems.map((p) => p.message)).toEqual([
      'unknown key "a b\\x1b[31m"; expected one of: $schema, suite, defaults, gate, tests',
      'tests[0].destination: "\\x1b[2J" is not an E.164 phone number, which channel sms_chat needs; use E.164 like +15551234567',
    ]);
  });
});

describe('did you mean', () => {
  it('edit distance with an early cut-off', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
  it('suggests within 2 edits, ignoring case, _ and -', () => {
    const keys = ['max_duration_seconds', 'min_passes', 'trials'];
    expect(closest('maxDurationSeconds', keys)).toBe('max_duration_seconds');
    expect(closest('trails', keys)).toBe('trials');
    expect(closest('banana', keys)).toBeUndefined();
    expect(didYouMean('min-passes', keys)).toBe(' (did you mean "min_passes"?)');
    expect(didYouMean('trials', keys)).toBe('');
  });
});
