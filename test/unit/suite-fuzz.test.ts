// Fuzz-style: thousands of seeded mutations of the example suites (text damage and structural
// edits, as YAML and JSON). Every one must end in a suite or in located problems, never a throw.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
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
  const lines = text.replace(/^\ufeff/, '').split('\n').length;
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
  }
}

describe('fuzz: mutated suite files end in a suite or located problems', () => {
  it('1250 text mutations (deleted, duplicated, swapped lines, junk, truncation, indentation)', () => {
    const r = rng(0xc0ffee);
    let failed = 0;
    for (let n = 0; n < 1250; n++) {
      let text = r.pick(EXAMPLES);
      for (let k = 1 + r.int(3); k > 0; k--) text = mutateText(text, r);
      const result = parseSuiteText(text, { file: 'suites/fuzz.yaml', env: {} });
      assertLocated(result, text, 'suites/fuzz.yaml');
      if (result.problems.length > 0) failed++;
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
