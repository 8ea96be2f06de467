// validate over the corpus of broken suite files: the exact `file:line:col: message` lines,
// exit code 2, no stack trace. One fixture per kind of problem (test/fixtures/suites-broken/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/commands/validate.js';
import { EXIT } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = 'test/fixtures/suites-broken';

async function validate(paths: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const io = memoryIo({ cwd: opts.cwd ?? ROOT, env: opts.env ?? {} });
  const code = await validateCommand(paths, io);
  const err = io.err.join('');
  return { code, out: io.out.join(''), err, lines: err.split('\n').filter((l) => l !== '') };
}

const CORPUS: Array<[string, string[]]> = [
  ['alias.yaml', ['alias.yaml:7:13: alias *shared_rubric has no anchor &shared_rubric before it']],
  [
    'channel.yaml',
    [
      'channel.yaml:4:12: defaults.channel: text "webchat" is not one of phone_call, web_call, sms_chat, web_chat (did you mean "web_chat"?)',
      'channel.yaml:7:14: tests[0].channel: text "fax" is not one of phone_call, web_call, sms_chat, web_chat',
    ],
  ],
  [
    'duplicate-criterion.yaml',
    [
      'duplicate-criterion.yaml:10:15: tests[0].rubric[1].name: criterion "Accuracy" is already in this rubric at line 8; rename one of them',
    ],
  ],
  [
    'duplicate-key.yaml',
    [
      'duplicate-key.yaml:7:5: YAML: duplicate key "instructions" in this mapping; remove or rename one of them',
    ],
  ],
  [
    'duplicate-test.yaml',
    [
      'duplicate-test.yaml:10:11: tests[1].name: test "Opening hours" is already defined at line 5; rename one of them',
    ],
  ],
  [
    'e164.yaml',
    [
      'e164.yaml:4:16: defaults.destination: "555-0100" is not an E.164 phone number, which channel phone_call needs (used by test "Uses the default destination"); use E.164 like +15551234567',
      'e164.yaml:18:18: tests[2].destination: "+0155501000" is not an E.164 phone number, which channel sms_chat needs; use E.164 like +15551234567',
    ],
  ],
  ['empty-tests.yaml', ['empty-tests.yaml:4:8: tests: add at least one test']],
  ['empty.yaml', ['empty.yaml:1:1: the file is empty; a suite file needs suite: and tests:']],
  [
    'gate.yaml',
    [
      'gate.yaml:5:18: gate.min_pass_rate: must be at most 1, got 90 (a fraction: 0.9 means 90%)',
      'gate.yaml:6:15: gate.max_errors: must be at least 0, got -1',
      'gate.yaml:7:23: gate.fail_on_regression: expected true or false, got text "yes"; write true or false',
    ],
  ],
  [
    'instructions-too-long.yaml',
    [
      'instructions-too-long.yaml:6:19: tests[0].instructions: is 5001 characters; the limit is 5000, shorten it',
    ],
  ],
  [
    'limits.yaml',
    [
      'limits.yaml:1:8: suite: is 101 characters; the limit is 100, shorten it',
      'limits.yaml:4:25: defaults.max_duration_seconds: must be at least 1, got 0',
      'limits.yaml:6:11: tests[0].name: is 256 characters; the limit is 255, shorten it',
      'limits.yaml:7:18: tests[0].description: is 1001 characters; the limit is 1000, shorten it',
      'limits.yaml:8:19: tests[0].instructions: must not be empty',
      'limits.yaml:9:27: tests[0].max_duration_seconds: must be at most 3600, got 3601',
      'limits.yaml:10:13: tests[0].rubric: add at least one criterion (name and criteria)',
      'limits.yaml:11:11: tests[1].name: must not be empty',
      'limits.yaml:13:13: tests[1].trials: must be at least 1, got 0',
      'limits.yaml:15:15: tests[1].rubric[0].name: must not be empty',
      'limits.yaml:16:19: tests[1].rubric[0].criteria: must not be empty',
    ],
  ],
  [
    'min-passes.yaml',
    [
      'min-passes.yaml:8:17: tests[0].min_passes: 3 is more than trials (2); lower min_passes or set trials: 3 or more',
      'min-passes.yaml:14:17: tests[1].min_passes: 2 is more than trials (1); lower min_passes or set trials: 2 or more',
    ],
  ],
  [
    'missing-env.yaml',
    [
      'missing-env.yaml:4:16: defaults.destination: environment variable RUBRIC_GATE_TEST_UNSET_NUMBER is not set; export it or write the value in the file',
      'missing-env.yaml:7:19: tests[0].instructions: environment variable RUBRIC_GATE_TEST_UNSET_CITY is not set; export it or write the value in the file',
      `missing-env.yaml:7:19: tests[0].instructions: "\${broken-name}" is not a variable reference; write \${NAME} (letters, digits, _) or $\${ for a literal \${`,
    ],
  ],
  [
    'missing-fields.yaml',
    [
      'missing-fields.yaml:3:5: tests[0]: missing required key "instructions"; add it',
      'missing-fields.yaml:3:5: tests[0]: missing required key "rubric"; add rubric: with at least one criterion (name and criteria)',
      'missing-fields.yaml:3:5: tests[0]: no destination; add destination: to this test or to defaults',
      'missing-fields.yaml:4:5: tests[1]: missing required key "name"; add it',
      'missing-fields.yaml:7:9: tests[1].rubric[0]: missing required key "name"; add it',
    ],
  ],
  [
    'not-a-mapping.yaml',
    ['not-a-mapping.yaml:1:1: a suite file must be a mapping with suite: and tests: at the top, got a list'],
  ],
  // Latin-1, not UTF-8: before, the é became U+FFFD and was sent to the API.
  ['not-utf8.yaml', ['not-utf8.yaml:6:14: byte 96 is not UTF-8 (0xe9); save the file as UTF-8']],
  ['notes.txt', ['notes.txt:1:1: not a suite file: expected a .yaml, .yml or .json file or a directory']],
  [
    'renamed-from.yaml',
    [
      `renamed-from.yaml:7:27: tests[0].renamed_from[1]: "Opening hours" is this test's own name; remove it`,
      'renamed-from.yaml:13:20: tests[1].renamed_from[0]: "Hours" is already in renamed_from of test "Opening hours"; only one test can take over a name',
      'renamed-from.yaml:13:27: tests[1].renamed_from[1]: "Opening hours" is still the name of a test at line 5; remove it from renamed_from or rename that test',
    ],
  ],
  [
    'syntax.json',
    [`syntax.json:4:75: JSON: unexpected string "rubric", expected ',' or '}'; a comma is missing before it`],
  ],
  [
    'syntax.yaml',
    ['syntax.yaml:8:1: YAML: missing closing quote; a quoted value above this line is never closed'],
  ],
  [
    'two-documents.yaml',
    [
      'two-documents.yaml:10:1: a second YAML document (after ---); one suite per file: move it to its own file',
    ],
  ],
  [
    'unknown-key.json',
    [
      'unknown-key.json:8:69: tests[0].rubric[0]: unknown key "weight"; expected one of: name, criteria, required',
    ],
  ],
  [
    'unknown-key.yaml',
    [
      'unknown-key.yaml:4:3: defaults: unknown key "chanel" (did you mean "channel"?)',
      'unknown-key.yaml:7:5: tests[0]: unknown key "instrutions" (did you mean "instructions"?)',
      'unknown-key.yaml:8:5: tests[0]: unknown key "min_pass_rate"; it belongs in gate',
      'unknown-key.yaml:9:5: tests[0]: unknown key "colour"; expected one of: name, description, instructions, destination, channel, max_duration_seconds, rubric, trials, min_passes, tags, renamed_from, quarantine',
      'unknown-key.yaml:13:9: tests[0].rubric[0]: unknown key "requried" (did you mean "required"?)',
    ],
  ],
  [
    'wrong-type.yaml',
    [
      'wrong-type.yaml:5:11: tests[0].name: expected text, got the number 2024; quote it: "2024"',
      'wrong-type.yaml:7:13: tests[0].trials: expected a whole number, got text "three"',
      'wrong-type.yaml:8:11: tests[0].tags: expected a list, got text "smoke"; write a list: [smoke]',
      'wrong-type.yaml:9:27: tests[0].max_duration_seconds: expected a whole number, got 2.5',
      'wrong-type.yaml:13:19: tests[0].rubric[0].required: expected true or false, got text "yes"; write true or false',
      'wrong-type.yaml:15:17: tests[1].description: expected text, got an empty value; write a value or remove the key',
      'wrong-type.yaml:16:19: tests[1].instructions: expected text, got a list',
      'wrong-type.yaml:18:7: tests[1].rubric: expected a list, got a mapping; start each item with "- "',
    ],
  ],
  [
    'duplicate-suite',
    [
      'duplicate-suite/b.yaml:2:8: suite "support" is also declared in test/fixtures/suites-broken/duplicate-suite/a.yaml:1:8; one suite per file: rename one of them or merge the files',
    ],
  ],
];

describe('validate: the broken-file corpus', () => {
  it.each(CORPUS)('%s', async (name, expected) => {
    const { code, out, lines } = await validate([`${DIR}/${name}`]);
    expect(code).toBe(EXIT.usage);
    expect(out).toBe('');
    const problems = lines.slice(0, -1);
    expect(problems).toEqual(expected.map((l) => `${DIR}/${l}`));
    const files = new Set(expected.map((l) => l.split(':')[0])).size;
    expect(lines.at(-1)).toBe(
      `${expected.length} problem${expected.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; nothing was sent`,
    );
    expect(lines.join('\n')).not.toMatch(/^\s+at /m);
  });

  it('reports every problem of every file in one pass over the directory', async () => {
    const { code, lines } = await validate([DIR]);
    expect(code).toBe(EXIT.usage);
    // The directory holds the *.yaml|*.json fixtures (not notes.txt, not the sub-directory).
    const expected = CORPUS.filter(([n]) => /\.(yaml|json)$/.test(n)).flatMap(([, l]) =>
      l.map((x) => `${DIR}/${x}`),
    );
    expect(lines.slice(0, -1).sort()).toEqual([...expected].sort());
    expect(lines.at(-1)).toMatch(new RegExp(`^${expected.length} problems in \\d+ files; nothing was sent$`));
  });

  it('the missing variables resolve when the environment has them', async () => {
    const env = { RUBRIC_GATE_TEST_UNSET_NUMBER: '+15550100003', RUBRIC_GATE_TEST_UNSET_CITY: 'Austin' };
    const { lines } = await validate([`${DIR}/missing-env.yaml`], { env });
    expect(lines).toEqual([
      `${DIR}/missing-env.yaml:7:19: tests[0].instructions: "\${broken-name}" is not a variable reference; write \${NAME} (letters, digits, _) or $\${ for a literal \${`,
      '1 problem in 1 file; nothing was sent',
    ]);
  });
});

describe('validate: paths', () => {
  it('a missing path is a located problem, not a crash', async () => {
    const { code, lines } = await validate(['nowhere/suites.yaml']);
    expect(code).toBe(EXIT.usage);
    expect(lines).toEqual([
      'nowhere/suites.yaml:1:1: no such path; check the path (suites live in suites/ by default)',
      '1 problem in 1 file; nothing was sent',
    ]);
  });

  it('a directory without suite files is a problem; scenario files are not suites', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-validate-'));
    try {
      writeFileSync(path.join(dir, 'demo.scenario.yaml'), 'seed: 1\n');
      const { code, lines } = await validate(['.'], { cwd: dir });
      expect(code).toBe(EXIT.usage);
      expect(lines[0]).toBe(
        '.:1:1: no suite files here (expected *.yaml, *.yml or *.json); add one or pass another path',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a file name with a line break stays on its problem line, quoted', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-validate-'));
    try {
      // A name that, split at its break, would make a second line look like a workflow command.
      writeFileSync(path.join(dir, 'a\n::error::b.yaml'), 'suite: [\n');
      const { code, lines } = await validate(['.'], { cwd: dir });
      expect(code).toBe(EXIT.usage);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^"a\\n::error::b\.yaml":\d+:\d+: YAML: /);
      expect(lines[1]).toBe('1 problem in 1 file; nothing was sent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the example suites are valid: default path suites/', async () => {
    const { code, out, err } = await validate([]);
    expect(err).toBe('');
    expect(code).toBe(EXIT.ok);
    expect(out).toBe('3 suites, 9 tests OK\n');
  });

  it('a tag with a comma is refused at its place: --tag and the tags input could never select it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-validate-'));
    try {
      writeFileSync(
        path.join(dir, 'tags.yaml'),
        'suite: s\ntests:\n  - name: t\n    destination: a\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n    tags: [ok, "smoke,voice", ",", " voice"]\n',
      );
      const { code, lines } = await validate(['tags.yaml'], { cwd: dir });
      expect(code).toBe(EXIT.usage);
      expect(lines).toEqual([
        `tags.yaml:7:16: tests[0].tags[1]: tag "smoke,voice" has a comma, and --tag and the Action's tags input split on commas, so no filter can select it; write separate tags: [smoke, voice]`,
        `tags.yaml:7:31: tests[0].tags[2]: tag "," has a comma, and --tag and the Action's tags input split on commas, so no filter can select it; remove the comma`,
        `tags.yaml:7:36: tests[0].tags[3]: tag " voice" starts or ends with a space, and --tag trims what it is given, so no filter can select it; write "voice"`,
        '3 problems in 1 file; nothing was sent',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a suite name with "/" is refused at its place: it would split the API path of its runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-validate-'));
    try {
      writeFileSync(
        path.join(dir, 'slash.yaml'),
        'suite: billing/refunds\ntests:\n  - name: t\n    destination: a\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n',
      );
      const { code, lines } = await validate(['slash.yaml'], { cwd: dir });
      expect(code).toBe(EXIT.usage);
      expect(lines).toEqual([
        `slash.yaml:1:8: suite: a suite name cannot hold "/": it is part of the API path of the suite's runs, where it would split; use another character, e.g. "-"`,
        '1 problem in 1 file; nothing was sent',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('one suite, one test: singular summary', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-validate-'));
    try {
      writeFileSync(
        path.join(dir, 'one.yml'),
        'suite: one\ntests:\n  - name: t\n    destination: a\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n',
      );
      const { code, out } = await validate(['one.yml'], { cwd: dir });
      expect(code).toBe(EXIT.ok);
      expect(out).toBe('1 suite, 1 test OK\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
