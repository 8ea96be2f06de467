// The limits on a suite file (size, values, depth, aliases, problems listed) and JSON syntax for
// .json files: unit cases with exact messages and positions, and properties (fast-check) where the
// rule is general: the JSON check agrees with JSON.parse on any text, depth is caught at the limit
// whatever the layout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lexer, Parser, stringify } from 'yaml';
import { checkBounds, SUITE_FILE_LIMITS } from '../../src/suite/bounds.js';
import { checkJson } from '../../src/suite/json.js';
import { INTERNAL, parseSuiteText } from '../../src/suite/parse.js';

const parse = (text: string, file = 'suites/x.yaml') => parseSuiteText(text, { file, env: {} });
const lines = (text: string, file = 'suites/x.yaml') =>
  parse(text, file).problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
const L = SUITE_FILE_LIMITS;

describe('.json suite files are JSON', () => {
  const ok = '{\n  "suite": "s",\n  "tests": []\n}\n';

  it.each([
    [
      'a trailing comma in an object',
      '{\n  "suite": "s",\n  "tests": [],\n}',
      "4:1: JSON: unexpected '}' after a comma, expected a property name in double quotes; remove the trailing comma",
    ],
    [
      'a trailing comma in a list',
      '{"suite": "s", "tests": [1, 2,\n]}',
      "2:1: JSON: unexpected ']' after a comma, expected a value; remove the trailing comma",
    ],
    [
      'a comment',
      '{\n  // the suite\n  "suite": "s"\n}',
      "2:3: JSON: unexpected '/', expected a property name in double quotes or '}'; JSON has no comments, remove it",
    ],
    [
      'single quotes',
      '{"suite": \'s\'}',
      '1:11: JSON: unexpected a single quote, expected a value; JSON strings and property names use double quotes',
    ],
    [
      'an unquoted key',
      '{suite: "s"}',
      "1:2: JSON: unexpected 'suite', expected a property name in double quotes or '}'; put the name in double quotes",
    ],
    [
      'a truncated file',
      '{\n  "suite": "s",\n  "tests": [\n    {"name": "a"',
      "4:17: JSON: unexpected end of file, expected ',' or '}'; is the file cut short?",
    ],
    [
      'a truncated string',
      '{"suite": "s',
      '1:11: JSON: this string is never closed; add the closing double quote',
    ],
    [
      'a missing comma',
      '{"suite": "s"\n "tests": []}',
      `2:2: JSON: unexpected string "tests", expected ',' or '}'; a comma is missing before it`,
    ],
    [
      'a YAML document',
      'suite: s\ntests: []\n',
      "1:1: JSON: unexpected 'suite', expected a value; put text in double quotes",
    ],
    [
      'two values',
      '{"suite": "s"} {}',
      "1:16: JSON: unexpected '{', expected nothing after the end of the top-level value",
    ],
    ['a bad number', '{"suite": 01}', "1:11: JSON: invalid number '01'; write digits like 3, -1, 0.5 or 1e3"],
    [
      'a raw line break in a string',
      '{"suite": "a\nb"}',
      '1:13: JSON: a line break inside a string; write it as an escape (\\n, \\t, \\u0000)',
    ],
    ['an empty file', '', '1:1: JSON: unexpected end of file, expected a value; is the file cut short?'],
  ])('%s', (_, text, expected) => {
    expect(lines(text, 'suites/x.json')).toEqual([expected]);
  });

  it('the same text is fine as YAML (the rule is the file extension)', () => {
    expect(lines('{\n  "suite": "s",\n  "tests": [],\n}', 'suites/x.yaml')).toEqual([
      '3:12: tests: add at least one test',
    ]);
  });

  it('duplicate keys are named in JSON terms', () => {
    expect(lines('{"suite": "a", "suite": "b", "tests": []}', 'suites/x.json')).toEqual([
      '1:16: JSON: duplicate key "suite" in this object; remove or rename one of them',
    ]);
  });

  it('valid JSON (tabs, CRLF, escapes, compact) gets schema problems located in it', () => {
    const text =
      '{\r\n\t"suite": "s\\u00e9",\r\n\t"tests": [{"name":"t","instructions":"i","destination":"d",\r\n\t\t"rubric":[{"name":"n","criteria":"c","weight":1}]}]\r\n}';
    expect(lines(text, 'suites/x.json')).toEqual([
      '4:40: tests[0].rubric[0]: unknown key "weight"; expected one of: name, criteria, required',
    ]);
    expect(lines(ok, 'suites/x.json')).toEqual(['3:12: tests: add at least one test']);
  });

  it('agrees with JSON.parse on any JSON value, and on any damage to one', () => {
    const damage = fc.tuple(
      fc.json(),
      fc.nat(),
      fc.constantFrom(
        '',
        ',',
        '}',
        ']',
        '{',
        '[',
        '"',
        "'",
        ':',
        '/',
        '//x',
        '\n',
        '1',
        '-',
        'e',
        'tru',
        '\\',
      ),
      fc.nat(3),
    );
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(checkJson(text, 1000)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(damage, ([text, at, insert, remove]) => {
        const i = at % (text.length + 1);
        const damaged = text.slice(0, i) + insert + text.slice(i + remove);
        let valid = true;
        try {
          JSON.parse(damaged);
        } catch {
          valid = false;
        }
        const error = checkJson(damaged, 1000);
        expect(error === undefined, damaged).toBe(valid);
        if (error) expect(error.offset >= 0 && error.offset <= damaged.length).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with JSON.parse on arbitrary text from JSON characters', () => {
    const chars = fc.constantFrom(...'{}[],:"\\ \t\n\r0123456789-+.eEtrufalsn/\'ux'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 30 }), (cs) => {
        const text = cs.join('');
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(checkJson(text, 1000) === undefined, JSON.stringify(text)).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('limits', () => {
  it('values: a flow list past the limit is refused where the limit is crossed', () => {
    const over = `suite: s\ntests: [${Array(L.values + 10)
      .fill('1')
      .join(',')}]\n`;
    const problems = parse(over).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe(
      `the file holds more than ${L.values} values (keys, items, scalars); a suite file this large is not supported`,
    );
    expect(problems[0]?.line).toBe(2);
    // The value that crossed the limit: suite, s, tests, the list, then items at columns 9, 11, ...
    expect(problems[0]?.col).toBe(9 + 2 * (L.values - 4));
  });

  it('values: under the limit, a long list is parsed and checked', () => {
    const under = `suite: s\ntests: [${Array(L.values - 100)
      .fill('1')
      .join(',')}]\n`;
    const problems = parse(under).problems;
    expect(problems.length).toBe(L.problems + 1);
    expect(problems[0]?.message).toBe('tests[0]: expected a mapping (key: value), got the number 1');
    expect(problems.at(-1)?.message).toBe(
      `${L.values - 100 - L.problems} more problems in this file are not listed; fix the ones above first`,
    );
  });

  it('aliases: more uses than the limit are refused', () => {
    const text = `suite: &s s\nx: [${Array(L.aliases + 1)
      .fill('*s')
      .join(', ')}]\n`;
    expect(lines(text)).toEqual([
      `2:${5 + 4 * L.aliases}: more than ${L.aliases} aliases (*name); a suite file needs a few`,
    ]);
  });

  it('aliases: a billion laughs is refused by its expanded size, before it is expanded', () => {
    const rows = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of ['ba', 'cb', 'dc', 'ed', 'fe'])
      rows.push(`${n}: &${n} [${Array(10).fill(`*${p}`).join(', ')}]`);
    const problems = parse(`${rows.join('\n')}\nsuite: s\ntests: *f\n`).problems;
    expect(problems.map((p) => p.message)).toEqual([
      `with its aliases expanded, the file holds more than ${L.values} values (keys, items, scalars); a suite file this large is not supported`,
    ]);
  });

  it('aliases: one inside its own anchor is a problem, not a loop', () => {
    expect(lines('suite: s\ntests: &t [*t]\n')).toEqual([
      '2:12: alias *t is inside its own anchor &t; move it out',
    ]);
  });

  it('20k unknown top-level keys: 100 listed, the rest counted, in linear time', () => {
    let text = 'suite: s\ntests: []\n';
    for (let i = 0; i < 20_000; i++) text += `k${i}: 1\n`;
    const t0 = performance.now();
    const problems = parse(text).problems;
    // Generous: linear work is well under a second; the quadratic locate took minutes.
    expect(performance.now() - t0).toBeLessThan(15_000);
    expect(problems).toHaveLength(L.problems + 1);
    expect(`${problems[1]?.line}:${problems[1]?.col}: ${problems[1]?.message}`).toBe(
      '3:1: unknown key "k0"; expected one of: $schema, suite, defaults, gate, tests',
    );
    expect(problems.at(-1)?.message).toBe(
      `${20_001 - L.problems} more problems in this file are not listed; fix the ones above first`,
    );
  });

  it('the lexer pass never needs the parser: 600k nested brackets in milliseconds', () => {
    const t0 = performance.now();
    const problem = checkBounds(`tests: ${'['.repeat(300_000)}`);
    expect(problem?.message).toMatch(/^nested more than 64 levels deep/);
    expect(problem?.offset).toBe(7 + 63);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('the bounds pass feeds the parser (one lexing pass)', () => {
  // Lexemes checkBounds hands on, and the CST a parser fed from them builds.
  const fed = (text: string) => {
    const lexemes: string[] = [];
    const parser = new Parser();
    const cst: unknown[] = [];
    const problem = checkBounds(text, (lexeme) => {
      lexemes.push(lexeme);
      for (const t of parser.next(lexeme)) cst.push(t);
    });
    if (!problem) for (const t of parser.end()) cst.push(t);
    // The source text they cover: the lexer's markers (document, scalar, flow end) take no room in it.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the lexer's own marker characters
    const covered = lexemes.join('').replace(/[\x02\x18\x1f]/g, '');
    return { problem, lexemes, cst, covered };
  };
  const yamlish = fc
    .array(fc.constantFrom(...'ab: -[]{},&*!|>#"\'\n  \t?.%@`'.split(''), 'key: value\n', '- item\n', '  '), {
      maxLength: 60,
    })
    .map((xs) => xs.join(''));

  it('within the limits: every lexeme, in order, and the same CST as Parser.parse', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const { problem, lexemes, cst, covered } = fed(text);
        const all = [...new Lexer().lex(text)];
        if (problem) {
          // Over a limit: only a prefix reached the parser, none of it past the problem.
          expect(all.slice(0, lexemes.length)).toEqual(lexemes);
          expect(covered.length).toBeLessThanOrEqual(problem.offset);
        } else {
          expect(lexemes).toEqual(all);
          expect(cst).toEqual([...new Parser().parse(text)]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a suite file parses to the same CST as Parser.parse', () => {
    const text = stringify({
      suite: 's',
      tests: [
        { name: 'a', instructions: 'x', rubric: [{ name: 'c', criteria: "it's |fine| # not a comment" }] },
      ],
    });
    const { problem, cst } = fed(`# top\n${text}---\n[1, {a: *x}]\n`);
    expect(problem).toBeUndefined();
    expect(cst).toEqual([...new Parser().parse(`# top\n${text}---\n[1, {a: *x}]\n`)]);
  });

  it('over a limit, the parser never sees the token that crosses it', () => {
    const text = `tests: ${'['.repeat(100)}`;
    const { problem, covered } = fed(text);
    expect(problem?.message).toMatch(/^nested more than 64 levels deep/);
    expect(covered).toBe(`tests: ${'['.repeat(63)}`);
  });
});

describe('depth, whatever the layout', () => {
  type Level = 'seq' | 'map';
  const nest = (levels: readonly Level[]): unknown =>
    levels.reduceRight<unknown>((inner, l) => (l === 'seq' ? [inner] : { k: inner }), 'x');
  const layouts = ['block', 'block-indent-seq', 'flow', 'json', 'json-compact'] as const;
  const render = (value: unknown, layout: (typeof layouts)[number]): [string, string] => {
    switch (layout) {
      case 'block':
        return [stringify(value, { indentSeq: false }), 'x.yaml'];
      case 'block-indent-seq':
        return [stringify(value), 'x.yaml'];
      case 'flow':
        return [stringify(value, { collectionStyle: 'flow' }), 'x.yaml'];
      case 'json':
        return [JSON.stringify(value, null, 2), 'x.json'];
      default:
        return [JSON.stringify(value), 'x.json'];
    }
  };

  it('at most 62 levels: no depth problem; more than 64: one, and never an internal error', () => {
    const levels = fc.array(fc.constantFrom<Level>('seq', 'map'), { minLength: 1, maxLength: 90 });
    fc.assert(
      fc.property(levels, fc.constantFrom(...layouts), (ls, layout) => {
        const [text, file] = render(nest(ls), layout);
        const messages = parse(text, `suites/${file}`).problems.map((p) => p.message);
        const deep = messages.filter((m) => m.includes('levels deep'));
        if (ls.length <= L.depth - 2) expect(deep, text).toEqual([]);
        if (ls.length > L.depth) expect(deep, `${ls.length} levels, ${layout}`).toHaveLength(1);
        for (const m of messages) expect(m).not.toContain(INTERNAL);
      }),
      { numRuns: 400 },
    );
  });
});
