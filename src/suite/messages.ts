// zod issues rewritten as messages that say what is wrong and what to do, in suite-file terms
// (keys, lists, text), not TypeScript terms. Pure.
import type { z } from 'zod';
import { SUITE_FILE_LIMITS } from './bounds.js';
import { type DataPath, showPath } from './locate.js';
import { isIntAt, KEY_HOMES, keysAt } from './schema.js';
import { closest } from './suggest.js';

/** A problem before it is located: `at: 'key'` points at the mapping key rather than its value. */
export interface PathProblem {
  path: DataPath;
  at: 'value' | 'key';
  message: string;
  /** For a missing required key: its name. */
  missing?: string;
  /** For an unknown key: the known key it is probably a typo of. */
  typoOf?: string;
}

const prefix = (path: DataPath): string => (path.length === 0 ? '' : `${showPath(path)}: `);

/** Read a value at a path in plain data; undefined when the path does not exist. */
export function valueAt(data: unknown, path: DataPath): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    if (!Object.hasOwn(v, seg as PropertyKey)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as PropertyKey];
  }
  return v;
}

/**
 * One line, no control characters: messages embed user text (keys, names, values) and are
 * printed as `file:line:col: message` lines, sometimes to a terminal.
 */
export const oneLine = (s: string): string =>
  s.replace(/\p{Cc}/gu, (c) => (/\s/.test(c) ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

/** User text shortened for a message. */
export const clip = (s: string): string => {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
};

/** How a value reads in a message: text "abc", the number 3, a list, an empty value... */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (typeof v === 'string') return `text "${clip(v)}"`;
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return typeof v;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
};

const MISSING_HINT: Record<string, string> = {
  suite: 'add suite: <name>, the test suite these tests belong to',
  tests: 'add tests: with at least one test',
  rubric: 'add rubric: with at least one criterion (name and criteria)',
};

function typeHint(expected: string, v: unknown): string {
  if (v === null) return '; write a value or remove the key';
  if (expected === 'string' && (typeof v === 'number' || typeof v === 'boolean')) return `; quote it: "${v}"`;
  if (expected === 'array' && (typeof v === 'string' || typeof v === 'number'))
    return `; write a list: [${v}]`;
  if (expected === 'array' && typeof v === 'object') return '; start each item with "- "';
  if (expected === 'boolean' && typeof v === 'string') return '; write true or false';
  if ((expected === 'number' || expected === 'int') && typeof v === 'string' && v.trim() !== '') {
    return Number.isFinite(Number(v)) ? '; remove the quotes' : '';
  }
  return '';
}

/** Messages for the unknown keys of one zod `unrecognized_keys` issue, each located at its key. */
function unknownKeys(path: DataPath, keys: readonly string[]): PathProblem[] {
  const allowed = keysAt(path);
  return keys.map((key, i): PathProblem => {
    // Past the per-file cap a problem is counted, not shown: skip the costly suggestion.
    const shown = i <= SUITE_FILE_LIMITS.problems;
    const typoOf = shown ? closest(key, allowed) : undefined;
    let hint = typoOf !== undefined ? ` (did you mean "${typoOf}"?)` : '';
    if (hint === '' && shown) {
      const home = KEY_HOMES.find((h) => h.keys.includes(key) && !allowed.includes(key));
      hint = home ? `; it belongs in ${home.where}` : `; expected one of: ${allowed.join(', ')}`;
    }
    const problem: PathProblem = {
      path: [...path, key],
      at: 'key',
      message: `${prefix(path)}unknown key "${clip(key)}"${hint}`,
    };
    if (typoOf !== undefined) problem.typoOf = typoOf;
    return problem;
  });
}

function sizeMessage(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig, v: unknown): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const last = issue.path[issue.path.length - 1];
  switch (issue.origin) {
    case 'string': {
      const len = typeof v === 'string' ? v.length : 0;
      if (small && bound <= 1) return 'must not be empty';
      return small
        ? `is ${len} characters; write at least ${bound}`
        : `is ${len} characters; the limit is ${bound}, shorten it`;
    }
    case 'array':
      if (small && last === 'rubric') return 'add at least one criterion (name and criteria)';
      if (small && last === 'tests') return 'add at least one test';
      return small ? `must have at least ${bound} items` : `must have at most ${bound} items`;
    default: {
      const fraction = last === 'min_pass_rate' ? ' (a fraction: 0.9 means 90%)' : '';
      const got = typeof v === 'number' ? `, got ${v}` : '';
      return `must be ${small ? 'at least' : 'at most'} ${bound}${got}${fraction}`;
    }
  }
}

/** One zod issue (from parsing `data`) as located-by-path problems. */
export function issueToProblems(issue: z.core.$ZodIssue, data: unknown): PathProblem[] {
  const path = issue.path as PropertyKey[];
  const v = valueAt(data, path);
  const one = (message: string, at: 'value' | 'key' = 'value'): PathProblem[] => [{ path, at, message }];
  switch (issue.code) {
    case 'unrecognized_keys':
      return unknownKeys(path, issue.keys);
    case 'invalid_type': {
      if (v === undefined && path.length > 0) {
        const parent = path.slice(0, -1);
        const key = String(path[path.length - 1]);
        const hint = MISSING_HINT[key] ?? 'add it';
        const message = `${prefix(parent)}missing required key "${key}"; ${hint}`;
        return [{ path: parent, at: 'value', message, missing: key }];
      }
      if (path.length === 0) {
        return one(
          `a suite file must be a mapping with suite: and tests: at the top, got ${describeValue(v)}`,
        );
      }
      const kind = issue.expected === 'number' && isIntAt(path) ? 'int' : issue.expected;
      const what = kind === 'int' && typeof v === 'number' ? `${v}` : describeValue(v);
      return one(`${prefix(path)}expected ${EXPECTED[kind] ?? kind}, got ${what}${typeHint(kind, v)}`);
    }
    case 'too_small':
    case 'too_big':
      return one(`${prefix(path)}${sizeMessage(issue, v)}`);
    case 'invalid_value': {
      const options = issue.values.map(String);
      const mean = typeof v === 'string' ? closest(v, options) : undefined;
      const hint = mean !== undefined ? ` (did you mean "${mean}"?)` : '';
      return one(`${prefix(path)}${describeValue(v)} is not one of ${options.join(', ')}${hint}`);
    }
    default:
      return one(`${prefix(path)}${issue.message}`);
  }
}
