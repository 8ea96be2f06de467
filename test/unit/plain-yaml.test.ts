// plain-yaml.ts reads suite files without yaml's parser. Its one rule: whatever it accepts, it
// reads exactly as yaml does (the same nodes, values, types and start offsets, so the same
// values and the same file:line:col of every problem); anything else it declines. Checked on
// generated YAML around the subset's edges (the scalars yaml's core schema reads as something
// else, indentation, comments, block scalars, flow lists) and on random edits of it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, type Node, parseAllDocuments } from 'yaml';
import { checkBounds } from '../../src/suite/bounds.js';
import { parseSuiteText } from '../../src/suite/parse.js';
import { PLAIN_YAML_MAX_CHARS, readPlainYaml } from '../../src/suite/plain-yaml.js';

const root = join(import.meta.dirname, '..', '..');

/** Every node in document order: kind, start offset and (scalars) style and value. */
function shape(node: unknown, out: unknown[] = []): unknown[] {
  if (isMap(node)) {
    out.push(['map', node.range?.[0], Boolean(node.flow)]);
    for (const pair of node.items) {
      shape(pair.key, out);
      shape(pair.value, out);
    }
  } else if (isSeq(node)) {
    out.push(['seq', node.range?.[0], Boolean(node.flow)]);
    for (const item of node.items) shape(item, out);
  } else if (isScalar(node)) {
    out.push(['scalar', node.range?.[0], node.type, typeof node.value, node.value]);
  } else out.push(['other', String(node)]);
  return out;
}

/** The two readers agree on `text`; returns whether plain-yaml.ts read it. */
function agree(text: string): boolean {
  const plain = readPlainYaml(text);
  const env = { SET: 'value' };
  // Whichever reader, parse.ts's whole answer (suite, declared name, located problems).
  expect(parseSuiteText(text, { file: 'f.yaml', env })).toEqual(
    parseSuiteText(text, { file: 'f.yaml', env, reader: 'yaml' }),
  );
  if (plain === undefined) return false;
  const docs = parseAllDocuments(text, { merge: true, uniqueKeys: false, logLevel: 'error' });
  expect(Array.isArray(docs) ? docs.length : -1).toBe(1);
  const doc = (docs as ReturnType<typeof readPlainYaml>[])[0];
  if (!doc) throw new Error('no document');
  expect([...doc.errors, ...doc.warnings].map((e) => e.message)).toEqual([]);
  expect(shape(plain.contents)).toEqual(shape(doc.contents as Node));
  expect(plain.toJS()).toEqual(doc.toJS());
  expect(plain.range[0]).toBe(doc.range[0]);
  return true;
}

const PLAIN = [
  'hello',
  'Say hi, then wait',
  'C# is fine',
  'a:b',
  'x #y',
  'ends:',
  'true',
  'True',
  'TRUE',
  'false',
  'yes',
  'no',
  'on',
  'null',
  'Null',
  'NULL',
  '~',
  '1',
  '007',
  '1.0',
  '1.',
  '.5',
  '1e3',
  '0x1F',
  '0o17',
  '+15550001111',
  '-3',
  '1.2.3',
  '10 minutes',
  'phone_call',
  "it's",
  'say "hi"',
  '@x',
  '`x',
  '%x',
  '&a x',
  '*a',
  '!tag x',
  '{a: 1}',
  '- x',
  '? x',
  'a: b',
  'ünïcode ✓',
  '😀 ok',
  'back\\slash',
  '${SET} and ${UNSET}',
  '.inf',
  '.nan',
  '12:30',
  '2026-11-26',
];
const QUOTED = [
  "'single'",
  "'it''s'",
  "''",
  '"double"',
  '""',
  '"esc\\n"',
  '"q\\"q"',
  "'un closed",
  '"a # b"',
  "'x' y",
];
const FLOW = [
  '[a, b]',
  '[]',
  '[ a , b ]',
  '[a,b]',
  "['x', y]",
  '[a, [b]]',
  '[a, ]',
  '[1, true, null]',
  '[a]  ',
  '[a] # c',
];
const USUAL_KEYS = [
  'suite',
  'tests',
  'name',
  'instructions',
  'destination',
  'rubric',
  'criteria',
  'tags',
  'trials',
];
const KEYS = [...USUAL_KEYS, ...USUAL_KEYS, ...USUAL_KEYS, 'x-y', '_k', 'true', 'null', '1k', 'k2'];
const LINES = [
  'text here',
  'more text',
  '',
  '  indented more',
  'trailing  ',
  '# not a comment',
  'x: y',
  '- item',
];

const pad = (n: number) => ' '.repeat(n);

/** What suite files hold: values the reader takes. */
const USUAL = [
  'hello',
  'Say hi, then wait.',
  'phone_call',
  '3',
  '0.9',
  'true',
  "it's fine",
  'C# is fine',
  "'quoted'",
  '"+15550001111"',
  '[smoke, booking]',
];

const scalar = fc.oneof(
  { arbitrary: fc.constantFrom(...USUAL), weight: 30 },
  { arbitrary: fc.constantFrom(...PLAIN), weight: 5 },
  { arbitrary: fc.constantFrom(...QUOTED), weight: 2 },
  { arbitrary: fc.constantFrom(...FLOW), weight: 1 },
);
const trailer = fc.constantFrom(...Array(12).fill(''), ' ', ' # note');
const block = fc.record({
  header: fc.constantFrom('>-', '>-', '>', '|', '|-', '>+', '|2', '>- # c', '> '),
  lines: fc.array(fc.constantFrom(...LINES, 'text here', 'more text', 'and more'), {
    minLength: 0,
    maxLength: 4,
  }),
  extra: fc.constantFrom(0, 0, 0, 1, 3),
});
const between = fc.constantFrom(
  '',
  '',
  '',
  '',
  '',
  '',
  '\n',
  '# comment\n',
  '  # indented comment\n',
  '   \n',
);

type Tree =
  | { kind: 'scalar'; text: string; trail: string }
  | { kind: 'block'; b: { header: string; lines: string[]; extra: number } }
  | { kind: 'map'; entries: Array<[string, Tree, string]>; step: number }
  | { kind: 'seq'; items: Array<[Tree, string]>; step: number };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    {
      arbitrary: fc.record({ kind: fc.constant('scalar' as const), text: scalar, trail: trailer }),
      weight: 5,
    },
    { arbitrary: fc.record({ kind: fc.constant('block' as const), b: block }), weight: 1 },
    {
      arbitrary: fc.record({
        kind: fc.constant('map' as const),
        entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node'), between), {
          minLength: 1,
          maxLength: 4,
        }),
        step: fc.constantFrom(2, 2, 2, 2, 4, 1, 3),
      }),
      weight: 2,
    },
    {
      arbitrary: fc.record({
        kind: fc.constant('seq' as const),
        items: fc.array(fc.tuple(tie('node'), between), { minLength: 1, maxLength: 3 }),
        step: fc.constantFrom(0, 0, 2, 2, 2, 1),
      }),
      weight: 2,
    },
  ),
})).node;

/** A value after `key:` (or `- `) at column `col`: inline, or on the lines below. */
function value(t: Tree, col: number): string {
  switch (t.kind) {
    case 'scalar':
      return ` ${t.text}${t.trail}\n`;
    case 'block':
      return ` ${t.b.header}\n${t.b.lines.map((l) => (l === '' ? '\n' : `${pad(col + 2 + t.b.extra)}${l}\n`)).join('')}`;
    case 'map':
      return `\n${mapping(t, col + t.step)}`;
    case 'seq':
      return `\n${sequence(t, col + t.step)}`;
  }
}

function mapping(t: Extract<Tree, { kind: 'map' }>, col: number, first = true): string {
  return t.entries
    .map(([key, v, gap], i) => `${i === 0 && !first ? '' : pad(col)}${key}:${value(v, col)}${gap}`)
    .join('');
}

function sequence(t: Extract<Tree, { kind: 'seq' }>, col: number): string {
  return t.items
    .map(([item, gap]) => {
      const head = `${pad(col)}-`;
      if (item.kind === 'map') return `${head} ${mapping(item, col + 2, false)}${gap}`;
      if (item.kind === 'seq') return `${head}${value(item, col)}${gap}`;
      return `${head}${value(item, col)}${gap}`;
    })
    .join('');
}

const file = fc
  .tuple(
    fc.constantFrom('', '# header comment\n', '\n', '# yaml-language-server: $schema=x\n# two\n'),
    fc.array(fc.tuple(fc.constantFrom(...KEYS), tree, between), { minLength: 1, maxLength: 5 }),
  )
  .map(([head, entries]) => head + mapping({ kind: 'map', entries, step: 0 }, 0));

const edit = fc.tuple(
  fc.nat(),
  fc.constantFrom('insert', 'delete'),
  fc.constantFrom(' ', '\n', ':', '#', '-', "'", '"', '\t', '[', '>', '  ', 'x', '\r', '\u00a0', '\u3000'),
);

describe('plain-yaml.ts reads only what yaml reads the same way', () => {
  it('on generated suite-like files: whatever it reads, it reads as yaml does', () => {
    let read = 0;
    fc.assert(
      fc.property(file, (text) => {
        if (agree(text)) read++;
      }),
      { numRuns: Number(process.env.PLAIN_YAML_RUNS ?? 1500) },
    );
    // Not a reader that declines everything: most generated files are inside its subset.
    expect(read).toBeGreaterThan(200);
  });

  it('on random edits of them', () => {
    fc.assert(
      fc.property(file, fc.array(edit, { minLength: 1, maxLength: 3 }), (text, edits) => {
        let t = text;
        for (const [at, op, ch] of edits) {
          const i = at % (t.length + 1);
          t = op === 'insert' ? t.slice(0, i) + ch + t.slice(i) : t.slice(0, i) + t.slice(i + 1);
        }
        agree(t);
      }),
      { numRuns: Number(process.env.PLAIN_YAML_RUNS ?? 1500) },
    );
  });

  it('keeps what YAML keeps: Unicode spaces are text, not indentation; a key over 1,024 characters is refused', () => {
    // Found by a review: JavaScript's trim() takes NBSP and the other Unicode spaces.
    for (const text of [
      'k: a\u00a0\n',
      'k: [a\u3000]\n',
      "k: 'a'\u00a0\n",
      'k: [a]\u00a0\n',
      'k: v\n\u00a0\n',
      'k: v\n\u2003# c\n',
      'k:\n \u00a0a: 1\n',
      'k: |\n  a\n\u00a0\n  b\n',
      `${'a'.repeat(1025)}: 1\n`,
      `k:\n  - ${'b'.repeat(1025)}: 1\n`,
    ])
      agree(text);
    expect(agree(`${'a'.repeat(1024)}: 1\n`)).toBe(true);
  });

  it("never takes a file that could reach a limit of parse.ts's: the densest it reads stay under them", () => {
    const fill = (head: string, unit: string, tail = '') =>
      head + unit.repeat(Math.floor((PLAIN_YAML_MAX_CHARS - head.length - tail.length) / unit.length)) + tail;
    for (const text of [
      fill('k:\n', '- a\n'),
      fill('k: [a', ', a', ']\n'),
      fill('', 'a: b\n'.replace('a', 'k')),
    ]) {
      expect(text.length).toBeLessThanOrEqual(PLAIN_YAML_MAX_CHARS);
      expect(readPlainYaml(text), text.slice(0, 20)).toBeDefined();
      expect(checkBounds(text)).toBeUndefined();
      // One more unit: over the length, left to yaml.
      expect(readPlainYaml(`${text}- a\n`)).toBeUndefined();
    }
  });

  it('reads the example suites and the broken-suite fixtures as yaml does', () => {
    const files = [
      ...readdirSync(join(root, 'suites')).map((f) => join(root, 'suites', f)),
      ...readdirSync(join(root, 'test/fixtures/suites-broken'))
        .filter((f) => f.endsWith('.yaml'))
        .map((f) => join(root, 'test/fixtures/suites-broken', f)),
    ];
    const read = files.filter((f) => agree(readFileSync(f, 'utf8')));
    // Every example suite is inside the subset (validate's start depends on it).
    for (const f of ['after-hours', 'appointments', 'refunds'])
      expect(read).toContain(join(root, 'suites', `${f}.yaml`));
  });
});
