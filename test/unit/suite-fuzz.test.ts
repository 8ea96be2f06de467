// Fuzz-style: thousands of seeded mutations of the example suites (text damage and structural
// edits, as YAML and JSON), and fast-check properties over generated text and trees. Every input
// must end in a suite or in located problems (in range, at most the per-file cap), never a throw.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { SUITE_FILE_LIMITS } from '../../src/suite/bounds.js';
import { INTERNAL, type ParseResult, parseSuiteText } from '../../src/suite/parse.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EXAMPLES = readdirSync(`${ROOT}/suites`)
  .filter((f) => /\.ya?ml$/.test(f) && !f.includes('.scenario.'))
  .sort()
  .map((f) => readFileSync(`${ROOT}/suites/${f}`, 'utf8'));

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

const CHARS = [...'abcXYZ019 :-?[]{},"\'&*!|>#%@`\t\n\\$'];
const TOKENS = [
  '',
  '~',
  'null',
  '[]',
  '{}',
  '- x',
  '&a',
  '*a',
  '!!int x',
  '"',
  "'",
  '|',
  '>-',
  '3.5',
  '-1',
  'true',
  `\${X}`,
  '{a: [b',
];

function mutateText(text: string, r: Rng): string {
  const lines = text.split('\n');
  const i = r.int(lines.length);
  switch (r.int(7)) {
    case 0:
      lines.splice(i, 1);
      break;
    case 1:
      lines.splice(i, 0, lines[i] ?? '');
      break;
    case 2: {
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      break;
    }
    case 3: {
      const at = r.int(text.length + 1);
      const junk = Array.from({ length: 1 + r.int(4) }, () => r.pick(CHARS)).join('');
      return text.slice(0, at) + junk + text.slice(at);
    }
    case 4:
      return text.slice(0, r.int(text.length + 1));
    case 5: {
      const line = lines[i] ?? '';
      lines[i] = r.next() < 0.5 ? line.replace(/^ {1,3}/, '') : `${r.pick([' ', '  ', '\t'])}${line}`;
      break;
    }
    default: {
      const line = lines[i] ?? '';
      const colon = line.indexOf(': ');
      lines[i] = colon >= 0 ? `${line.slice(0, colon + 2)}${r.pick(TOKENS)}` : `${line}${r.pick(TOKENS)}`;
    }
  }
  return lines.join('\n');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const REQUIRED = new Set(['suite', 'tests', 'name', 'instructions', 'rubric', 'criteria']);
const VALUES: Json[] = [
  null,
  0,
  -1,
  1.5,
  3601,
  'x',
  '',
  true,
  [],
  {},
  ['a'],
  { a: 1 },
  'y'.repeat(5001),
  '+1',
  `\${UNSET}`,
];

/** Every (container, key) in the tree, to pick one at random. */
function slots(v: Json, out: Array<[Json[] | { [k: string]: Json }, string | number]> = []) {
  if (Array.isArray(v))
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out);
    });
  else if (v !== null && typeof v === 'object')
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      slots(v[k]!, out);
    }
  return out;
}

/** A structural edit; `breaks` when the edit always makes the file invalid. */
function mutateTree(tree: Json, r: Rng): { breaks: boolean } {
  const all = slots(tree);
  const [parent, key] = r.pick(all);
  const isMapKey = !Array.isArray(parent) && typeof key === 'string';
  switch (r.int(4)) {
    case 0: // delete
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
      return { breaks: isMapKey && REQUIRED.has(key as string) };
    case 1: // duplicate into the same list, or under a near-miss key
      if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]!));
      else parent[`${key}_`] = structuredClone(parent[key as string]!);
      return { breaks: isMapKey };
    case 2: // retype
      (parent as Record<string | number, Json>)[key] = structuredClone(r.pick(VALUES));
      return { breaks: false };
    default: {
      // rename with a typo (drop a character)
      if (!isMapKey) return { breaks: false };
      const k = key as string;
      const typo = k.length > 1 ? k.slice(0, -1) : `${k}x`;
      const obj = parent as { [k: string]: Json };
      obj[typo] = obj[k]!;
      delete obj[k];
      return { breaks: true };
    }
  }
}

function assertLocated(result: ParseResult, text: string, file: string): void {
  const source = text.replace(/^\ufeff/, '').split('\n');
  const lines = source.length;
  expect(result.problems.length).toBeLessThanOrEqual(SUITE_FILE_LIMITS.problems + 1);
  if (result.problems.length === 0) {
    expect(result.suite?.tests.length).toBeGreaterThan(0);
    return;
  }
  expect(result.suite).toBeUndefined();
  for (const p of result.problems) {
    expect(p.file).toBe(file);
    expect(p.message).not.toContain(INTERNAL);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message).not.toMatch(/\p{Cc}/u);
    expect(
      Number.isInteger(p.line) && p.line >= 1 && p.line <= lines + 1,
      `${p.line} in ${lines} lines`,
    ).toBe(true);
    expect(Number.isInteger(p.col) && p.col >= 1, `col ${p.col}`).toBe(true);
    // Within the line (one past its end for "unexpected end of file").
    const width = source[p.line - 1]?.length ?? 0;
    expect(p.col, `col ${p.col} of a ${width}-character line ${p.line}`).toBeLessThanOrEqual(width + 1);
  }
}

// Bounded loops, but thousands of parses: generous on a shared, loaded machine.
const FUZZ = { timeout: 120_000 };

describe('fuzz: mutated suite files end in a suite or located problems', FUZZ, () => {
  it('1250 text mutations (deleted, duplicated, swapped lines, junk, truncation, indentation)', () => {
    const r = rng(0xc0ffee);
    let failed = 0;
    for (let n = 0; n < 1250; n++) {
      let text = r.pick(EXAMPLES);
      for (let k = 1 + r.int(3); k > 0; k--) text = mutateText(text, r);
      const result = parseSuiteText(text, { file: 'suites/fuzz.yaml', env: {} });
      assertLocated(result, text, 'suites/fuzz.yaml');
      if (result.problems.length > 0) failed++;
      // Line ends: CR alone, as LF, gives the same suite or the same problems at the same places.
      if (n % 5 === 0 && !text.includes('\r')) {
        const cr = parseSuiteText(text.replace(/\n/g, '\r'), { file: 'suites/fuzz.yaml', env: {} });
        expect(cr).toEqual(result);
      }
    }
    // The mutations are real: most of them break the file, some are harmless (e.g. in a comment).
    expect(failed).toBeGreaterThan(600);
    expect(failed).toBeLessThan(1250);
  });

  it('1250 structural mutations (deleted, duplicated, retyped, renamed keys) as YAML and JSON', () => {
    const r = rng(42);
    const trees = EXAMPLES.map((t) => parseYaml(t) as Json);
    let broken = 0;
    for (let n = 0; n < 1250; n++) {
      const tree = structuredClone(r.pick(trees));
      // With one edit we know whether it must break the file; a second edit may undo the first.
      const edits = 1 + r.int(2);
      let breaks = false;
      for (let k = 0; k < edits; k++) breaks = mutateTree(tree, r).breaks;
      breaks &&= edits === 1;
      const asJson = r.next() < 0.3;
      const file = asJson ? 'suites/fuzz.json' : 'suites/fuzz.yaml';
      const text = asJson ? JSON.stringify(tree, null, 2) : stringify(tree);
      const result = parseSuiteText(text, { file, env: {} });
      assertLocated(result, text, file);
      if (breaks) {
        broken++;
        expect(result.problems.length, text).toBeGreaterThan(0);
      }
    }
    expect(broken).toBeGreaterThan(200);
  });
});

describe('properties (fast-check): any input ends in a suite or located problems', FUZZ, () => {
  // Characters and fragments YAML and JSON treat specially, so generated text reaches every
  // branch of the lexer, the JSON check and the composer.
  const fragment = fc.constantFrom(
    ...[...'abc019 :-?[]{},"\'&*!|>#%@`\t\n\\$~'],
    'suite: s\n',
    'tests:\n',
    '  - name: t\n',
    '    rubric: [{name: a, criteria: b}]\n',
    '&a ',
    '*a',
    '<<: *a\n',
    '---\n',
    '!!str ',
    '"\\u00',
    '\r\n',
    '\ufeff',
    '\u0000',
    '\ud800',
  );
  const text = fc.array(fragment, { maxLength: 60 }).map((xs) => xs.join(''));

  it('generated text, as .yaml and .json', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('suites/p.yaml', 'suites/p.json'), (t, file) => {
        assertLocated(parseSuiteText(t, { file, env: {} }), t, file);
      }),
      { numRuns: 1500 },
    );
  });

  // Random trees with suite-shaped keys, rendered as block YAML, flow YAML or JSON.
  const key = fc.constantFrom('suite', 'tests', 'name', 'instructions', 'rubric', 'criteria', 'x', '1', '<<');
  const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(null, true, 0, -1.5, 'x', '', '+15551234567', `\${UNSET}`, 'web_chat'),
      fc.array(tie('tree'), { maxLength: 4 }),
      fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    ),
  }));
  it('generated trees as block YAML, flow YAML and JSON', () => {
    fc.assert(
      fc.property(tree, fc.constantFrom('block', 'flow', 'json'), (value, style) => {
        const file = style === 'json' ? 'suites/t.json' : 'suites/t.yaml';
        const t =
          style === 'json'
            ? (JSON.stringify(value, null, 2) ?? 'null')
            : stringify(value, { collectionStyle: style === 'flow' ? 'flow' : 'block' });
        const result = parseSuiteText(t, { file, env: {} });
        assertLocated(result, t, file);
        // Valid JSON is never refused as JSON syntax.
        if (style === 'json')
          for (const p of result.problems) expect(p.message).not.toMatch(/^JSON: (?!duplicate)/);
      }),
      { numRuns: 800 },
    );
  });

  it('truncated JSON suites always get a JSON message, at the end of the text', () => {
    const suites = EXAMPLES.map((t) => JSON.stringify(parseYaml(t), null, 2));
    fc.assert(
      fc.property(fc.constantFrom(...suites), fc.nat(), (json, n) => {
        const cut = json.slice(0, n % json.length).trimEnd();
        const result = parseSuiteText(cut, { file: 'suites/cut.json', env: {} });
        assertLocated(result, cut, 'suites/cut.json');
        expect(result.problems).toHaveLength(1);
        const [p] = result.problems;
        expect(p?.message).toMatch(/^JSON: /);
        const lines = cut.split('\n');
        // The end of the file, or inside the string that is never closed.
        if (p?.message.includes('unexpected end of file')) {
          expect([p.line, p.col]).toEqual([lines.length, (lines.at(-1)?.length ?? 0) + 1]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
