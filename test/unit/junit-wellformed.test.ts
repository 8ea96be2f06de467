// junit.xml is well-formed for any input string, and reads back as the sanitised input.
// Random text (full Unicode, lone surrogates, "]]>" runs, C0/C1, escape sequences, workflow
// commands) goes into every string of a results model; libxml2 (xmllint-wasm) parses and
// validates each rendered file against the Jenkins schema, and a second parser reads it back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { errorMessage, renderJunit } from '../../reporters/junit.js';
import { el, renderXml } from '../../reporters/xml.js';
import { formatFailedCriterion } from '../../src/outcome.js';
import type { Attempt, Results, TestResult } from '../../src/results.js';
import { cleanLine, cleanText } from '../../src/sanitize.js';
import { evaluate } from '../../src/verdict.js';
import { hostileText, XML_FORBIDDEN } from './helpers/hostile.js';
import { attempt, results, suite, testResult } from './helpers/results.js';

const XSD = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jenkins-junit-extended.xsd'), 'utf8');

/** Text that breaks XML: "]]>" any number of times, controls, surrogates, any Unicode. */
const nasty = fc.oneof(
  hostileText,
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.constantFrom(']]>', ']]', ']', '>', '<![CDATA[', '&', '&amp;', '\u0000', '\ud83d', 'x'), {
      maxLength: 10,
    })
    .map((p) => p.join('')),
);

const STATUSES: readonly Attempt['status'][] = [
  'passed',
  'failed',
  'error',
  'timeout',
  'not_started',
  'running',
];

const attemptArb = (trial: number, criteria: readonly string[]) =>
  fc
    .record({
      status: fc.constantFrom(...STATUSES),
      retries: fc.nat({ max: 1 }),
      logs: fc.option(nasty, { nil: undefined }),
      message: fc.option(nasty, { nil: undefined }),
      runId: nasty,
      conversationId: nasty,
      marks: fc.array(fc.constantFrom('passed' as const, 'failed' as const), {
        minLength: criteria.length,
        maxLength: criteria.length,
      }),
    })
    .map((r): Attempt[] => {
      const crit = Object.fromEntries(criteria.map((c, i) => [c, r.marks[i]!]));
      const one = (retry: number, status: Attempt['status']) =>
        attempt(trial, status, status === 'passed' || status === 'failed' ? crit : {}, {
          retry,
          runId: r.runId,
          conversationId: r.conversationId,
          ...(r.logs === undefined ? {} : { logs: r.logs }),
          ...(r.message === undefined ? {} : { message: r.message }),
        });
      // A retry after an error that passes makes the test flaky.
      return r.retries === 0 ? [one(0, r.status)] : [one(0, 'error'), one(1, r.status)];
    });

const testArb: fc.Arbitrary<TestResult> = fc
  .record({
    name: nasty,
    file: nasty,
    line: fc.integer({ min: 1, max: 99_999 }),
    criteria: fc.uniqueArray(nasty, { minLength: 1, maxLength: 3 }),
    skipped: fc.boolean(),
    skipReason: fc.option(nasty, { nil: undefined }),
  })
  .chain((t) =>
    attemptArb(1, t.criteria).map((attempts) =>
      testResult(t.name, t.skipped ? [] : attempts, {
        file: t.file,
        line: t.line,
        criteria: t.criteria.map((name, i) => ({ name, required: i === 0 })),
        skipped: t.skipped,
        ...(t.skipReason === undefined ? {} : { skipReason: t.skipReason }),
      }),
    ),
  );

const resultsArb: fc.Arbitrary<Results> = fc
  .record({
    suites: fc.array(fc.record({ name: nasty, tests: fc.array(testArb, { minLength: 1, maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    versionId: fc.option(nasty, { nil: undefined }),
  })
  .map((r) =>
    results(
      r.suites.map((s) => suite(s.name, s.tests)),
      r.versionId === undefined ? {} : { versionId: r.versionId },
    ),
  );

type Node = Record<string, unknown>;
/** A second, independent parser; numeric character references decoded, nothing trimmed. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  alwaysCreateTextNode: true,
  isArray: (name) => ['testsuite', 'testcase', 'property', 'failure', 'error', 'skipped'].includes(name),
});
const textOf = (n: unknown): string => String((n as Node | undefined)?.['#text'] ?? '');

/** What a reader gets back: per case, the fields our model put there. */
function readBack(xml: string) {
  const doc = parser.parse(xml) as { testsuites: Node & { testsuite?: Node[] } };
  return (doc.testsuites.testsuite ?? []).map((s) => ({
    name: String(s.name),
    cases: ((s.testcase as Node[] | undefined) ?? []).map((c) => ({
      name: String(c.name),
      classname: String(c.classname),
      file: String(c.file),
      line: String(c.line),
      out: textOf((c['system-out'] as Node) ?? {}),
      failure: (c.failure as Node[] | undefined)?.[0],
      error: (c.error as Node[] | undefined)?.[0],
      skipped: (c.skipped as Node[] | undefined)?.[0],
    })),
  }));
}

const SKIPPED_REASON = 'not selected in this run (--grep, --tag or --shard)';
const clean = (s: string, fallback: string) => cleanLine(s).trim() || fallback;

/** Every string read back equals the sanitised input; nothing else is lost. */
function expectRoundTrip(r: Results, xml: string): void {
  const ev = evaluate(r);
  const back = readBack(xml);
  expect(back.map((s) => s.name)).toEqual(r.suites.map((s) => clean(s.name, '(unnamed suite)')));
  r.suites.forEach((s, i) => {
    s.tests.forEach((t, j) => {
      const c = back[i]!.cases[j]!;
      const e = ev.suites[i]!.tests[j]!;
      const name = `${clean(t.name, '(unnamed test)')}${e.outcome === 'flaky' ? ' (flaky)' : ''}`;
      expect(c.name === name || c.name.startsWith(`${name} [`), `${c.name} vs ${name}`).toBe(true);
      expect(c.classname).toBe(clean(s.name, '(unnamed suite)'));
      expect(c.file).toBe(cleanLine(t.file));
      expect(c.line).toBe(String(t.line));
      for (const a of t.attempts) if (a.logs) expect(c.out).toContain(cleanText(a.logs));
      if (e.outcome === 'skipped') {
        expect(textOf(c.skipped)).toBe(cleanLine(t.skipReason ?? '').trim() || SKIPPED_REASON);
      }
      if (e.outcome === 'error') {
        expect(c.error?.type).toBe(e.errorKind ?? 'error');
        expect(c.error?.message).toBe(errorMessage(e.errorKind ?? 'error', e.message));
      }
      if (e.outcome === 'failed') {
        const names = e.failedCriteria.map(formatFailedCriterion).join(', ');
        if (names) expect(c.failure?.message).toBe(cleanLine(`failed: ${names}`));
      }
    });
  });
}

async function validateAll(xmls: readonly string[]) {
  return validateXML({
    xml: xmls.map((contents, i) => ({ fileName: `junit-${i}.xml`, contents })),
    schema: { fileName: 'jenkins-junit-extended.xsd', contents: XSD },
    maxMemoryPages: 8192,
  });
}

describe('junit.xml for any input', () => {
  it('two "]]>" in a name and a log, controls and lone surrogates: well-formed and valid', async () => {
    const nastyName = 'a]]>b]]>c\u0000\u001b[31m\ud800::error::x';
    const r = results([
      suite(`s]]>]]>${'\u0085'}`, [
        testResult(nastyName, [
          attempt(
            1,
            'failed',
            { 'crit]]>]]>\u0007': 'failed' },
            { logs: 'one ]]> two ]]> three\u0001\udfff\n##[error]y' },
          ),
        ]),
      ]),
    ]);
    const xml = renderJunit(r, evaluate(r));
    const result = await validateAll([xml]);
    expect(result.errors).toEqual([]);
    expect(xml).not.toMatch(/]]>/);
    expectRoundTrip(r, xml);
  });

  it('libxml2 parses and schema-validates every rendered file (random models)', async () => {
    const models = fc.sample(resultsArb, { numRuns: 150 });
    const xmls = models.map((r) => renderJunit(r, evaluate(r)));
    const result = await validateAll(xmls);
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
    expect(result.valid).toBe(true);
  }, 60_000);

  it('reads back as the sanitised input (shrinking property)', () => {
    fc.assert(
      fc.property(resultsArb, (r) => {
        const xml = renderJunit(r, evaluate(r));
        // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
        expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|]]>/);
        expect(xml).not.toMatch(/[\ud800-\udfff]/u);
        expectRoundTrip(r, xml);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the XML writer', () => {
  it('keeps every character XML can carry, in attributes and in text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, t) => {
        const xml = renderXml(el('r', { a }, [el('t', {}, t)]));
        const doc = parser.parse(xml) as { r: Node & { t: Node } };
        const xmlOnly = (s: string) => s.replace(XML_FORBIDDEN, '');
        expect(doc.r.a ?? '').toBe(xmlOnly(a));
        expect(textOf(doc.r.t)).toBe(xmlOnly(t));
      }),
      { numRuns: 500 },
    );
  });

  it('is well-formed for libxml2 whatever the strings', async () => {
    const pairs = fc.sample(fc.tuple(nasty, nasty), { numRuns: 200 });
    const result = await validateXML({
      xml: pairs.map(([a, t], i) => ({
        fileName: `x-${i}.xml`,
        contents: renderXml(el('r', { a }, [el('t', {}, t)])),
      })),
      normalization: 'format', // parse only, no schema
    });
    expect(result.errors.map((e) => e.rawMessage)).toEqual([]);
  }, 60_000);
});
