// Our junit.xml as its consumers read it: three independent JUnit readers from npm (junit2json
// on xml2js, junitxml-to-javascript on xml2js-parser, test-results-parser on fast-xml-parser)
// must find the totals, the case names, files and lines, the skip reasons and the failure and
// error messages that results.json holds. Expectations are derived from results.json here, not
// from the renderer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestCase as J2JCase, type TestSuites as J2JSuites, parse as junit2json } from 'junit2json';
import { parse as parseTestResults } from 'test-results-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { renderJunit } from '../../reporters/junit.js';
import type { Results } from '../../src/results.js';
import { cleanLine } from '../../src/sanitize.js';
import { type Evaluation, evaluate, type TestEvaluation } from '../../src/verdict.js';
import { bigResults, loadFixture } from './helpers/results.js';

/** junitxml-to-javascript ships no types: the slice of its API used here. */
interface J2JsCase {
  name: string;
  result: 'succeeded' | 'failed' | 'skipped';
  message: string;
}
interface J2JsReport {
  testsuites: {
    name: string;
    tests: number;
    succeeded: number;
    errors: number;
    skipped: number;
    testCases: J2JsCase[];
  }[];
}
type RawCase = { name?: string; file?: string; line?: string };
const JunitXmlParser = createRequire(import.meta.url)('junitxml-to-javascript') as new (opts: {
  modifier?: (raw: Record<string, unknown>) => Record<string, unknown>;
}) => { parseXMLString(xml: string): Promise<J2JsReport> };

const dir = mkdtempSync(join(tmpdir(), 'rg-junit-consumers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What results.json says each case is, in document order (empty suites are not written). */
interface Expected {
  suite: string;
  name: string;
  file: string;
  line: number;
  outcome: TestEvaluation['outcome'];
  skipReason?: string;
  errorType?: string;
}

function expected(r: Results, ev: Evaluation): Expected[] {
  const out: Expected[] = [];
  r.suites.forEach((s, i) => {
    s.tests.forEach((t, j) => {
      const e = ev.suites[i]!.tests[j]!;
      const base = cleanLine(t.name).trim() || '(unnamed test)';
      out.push({
        suite: cleanLine(s.name).trim() || '(unnamed suite)',
        name: e.outcome === 'flaky' ? `${base} (flaky)` : base,
        file: t.file,
        line: t.line,
        outcome: e.outcome,
        ...(t.skipReason ? { skipReason: t.skipReason } : {}),
        ...(e.outcome === 'error' ? { errorType: e.errorKind ?? 'error' } : {}),
      });
    });
  });
  return out;
}

const count = (xs: readonly Expected[], o: TestEvaluation['outcome']) =>
  xs.filter((x) => x.outcome === o).length;

async function readAll(name: string, r: Results) {
  const ev = evaluate(r);
  const xml = renderJunit(r, ev);
  const path = join(dir, `${name}.xml`);
  writeFileSync(path, xml);
  const raw: RawCase[] = [];
  const modifier = (doc: Record<string, unknown>) => {
    // The parsed document before the library's model drops file and line.
    const suites = (doc.testsuites as { testsuite?: unknown }).testsuite;
    for (const s of [suites ?? []].flat() as { testcase?: unknown }[])
      raw.push(...([s.testcase ?? []].flat() as RawCase[]));
    return doc;
  };
  return {
    want: expected(r, ev),
    j2j: (await junit2json(xml)) as J2JSuites & { skipped?: number },
    j2js: await new JunitXmlParser({ modifier }).parseXMLString(xml),
    raw,
    trp: parseTestResults({ type: 'junit', files: [path] }),
  };
}

describe.each([
  ['every outcome kind', () => loadFixture('all-outcomes.json')],
  ['hostile names', () => loadFixture('hostile-names.json')],
  ['2,000 tests', () => bigResults()],
])('junit.xml read by three JUnit parsers: %s', (name, make) => {
  const read = readAll(name.replace(/\W+/g, '-'), make());

  it('junit2json (xml2js): totals, names, files, lines, skip reasons, failure and error types', async () => {
    const { want, j2j } = await read;
    expect(j2j).toMatchObject({
      tests: want.length,
      failures: count(want, 'failed'),
      errors: count(want, 'error'),
      skipped: count(want, 'skipped'),
    });
    const cases = (j2j.testsuite ?? []).flatMap((s) => s.testcase ?? []) as (J2JCase & {
      file?: string | number;
      line?: number;
    })[];
    expect(cases).toHaveLength(want.length);
    cases.forEach((c, i) => {
      const w = want[i]!;
      if (!name.startsWith('hostile')) expect(String(c.name)).toBe(w.name);
      expect(String(c.classname)).toBe(w.suite);
      expect(String(c.file)).toBe(cleanLine(w.file));
      expect(c.line).toBe(w.line);
      expect(Boolean(c.failure)).toBe(w.outcome === 'failed');
      expect(Boolean(c.error)).toBe(w.outcome === 'error');
      if (w.outcome === 'skipped') {
        const reason = (c.skipped?.[0] as { inner?: string } | undefined)?.inner;
        expect(reason).toBe(
          w.skipReason ? cleanLine(w.skipReason) : 'not selected in this run (--grep, --tag or --shard)',
        );
      }
      if (w.errorType) {
        const e = c.error![0]!;
        expect(e.type).toBe(w.errorType);
        expect(String(e.message).toLowerCase().startsWith(`${w.errorType}:`)).toBe(false);
      }
    });
  });

  it('junitxml-to-javascript (xml2js-parser): per-suite counts, names, results, files and lines', async () => {
    const { want, j2js, raw } = await read;
    const cases = j2js.testsuites.flatMap((s) => s.testCases);
    expect(cases).toHaveLength(want.length);
    const sum = (k: 'tests' | 'succeeded' | 'errors' | 'skipped') =>
      j2js.testsuites.reduce((n, s) => n + s[k], 0);
    expect(sum('tests')).toBe(want.length);
    expect(sum('errors')).toBe(count(want, 'failed') + count(want, 'error'));
    expect(sum('skipped')).toBe(count(want, 'skipped'));
    expect(sum('succeeded')).toBe(count(want, 'passed') + count(want, 'flaky'));
    const byName = new Map(cases.map((c) => [String(c.name), c]));
    for (const w of want) {
      if (name.startsWith('hostile')) continue; // names are checked by the other readers there
      const c = byName.get(w.name);
      expect(c, w.name).toBeDefined();
      expect(c!.result).toBe(
        w.outcome === 'failed' || w.outcome === 'error'
          ? 'failed'
          : w.outcome === 'skipped'
            ? 'skipped'
            : 'succeeded',
      );
    }
    expect(raw.map((c) => [String(c.file), Number(c.line)])).toEqual(
      want.map((w) => [cleanLine(w.file), w.line]),
    );
  });

  it('test-results-parser (fast-xml-parser): totals and each case status', async () => {
    const { want, trp } = await read;
    // It counts `total` without the skipped ones, and failed/errors apart.
    expect(trp).toMatchObject({
      total: want.length - count(want, 'skipped'),
      failed: count(want, 'failed'),
      errors: count(want, 'error'),
      skipped: count(want, 'skipped'),
      passed: count(want, 'passed') + count(want, 'flaky'),
    });
    const cases = trp.suites.flatMap((s) => s.cases);
    expect(cases).toHaveLength(want.length);
    cases.forEach((c, i) => {
      const w = want[i]!;
      if (!name.startsWith('hostile')) expect(String(c.name)).toBe(w.name);
      expect(c.status).toBe(
        w.outcome === 'failed' || w.outcome === 'error' ? 'FAIL' : w.outcome === 'skipped' ? 'SKIP' : 'PASS',
      );
    });
  });
});
