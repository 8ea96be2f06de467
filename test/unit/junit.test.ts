import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import { errorMessage, renderJunit, seconds, utcTimestamp } from '../../reporters/junit.js';
import type { Results } from '../../src/results.js';
import { type Evaluation, evaluate } from '../../src/verdict.js';
import { bigResults, loadFixture, pass, results, suite } from './helpers/results.js';

const XSD = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'jenkins-junit-extended.xsd'), 'utf8');

async function validate(xml: string) {
  return validateXML({
    xml: { fileName: 'junit.xml', contents: xml },
    schema: { fileName: 'jenkins-junit-extended.xsd', contents: XSD },
    maxMemoryPages: 4096,
  });
}

type Node = Record<string, unknown>;
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

/** Read junit.xml back as a consumer would: count cases by their result element. */
function readBack(xml: string) {
  const doc = parser.parse(xml) as { testsuites: Node & { testsuite?: Node[] } };
  const suites = doc.testsuites.testsuite ?? [];
  const cases = suites.flatMap((s) => (s.testcase as Node[] | undefined) ?? []);
  return {
    root: doc.testsuites,
    suites,
    cases,
    counts: {
      tests: cases.length,
      failures: cases.filter((c) => 'failure' in c).length,
      errors: cases.filter((c) => 'error' in c).length,
      skipped: cases.filter((c) => 'skipped' in c).length,
    },
  };
}

const render = (r: Results, ev: Evaluation = evaluate(r)) => renderJunit(r, ev);

/** Times and ids vary between runs; the structure must not. */
const normalise = (xml: string) =>
  xml
    .replace(/ time="[\d.]+"/g, ' time="T"')
    .replace(/timestamp="[^"]+"/g, 'timestamp="TS"')
    .replace(/\b(run|conv|tsr)-[\w-]+/g, '$1-ID');

describe('renderJunit', () => {
  const fixture = loadFixture('all-outcomes.json');
  const ev = evaluate(fixture, { baseline: loadFixture('baseline.json') });
  const xml = renderJunit(fixture, ev);

  it('matches the snapshot (every outcome kind)', async () => {
    await expect(normalise(xml)).toMatchFileSnapshot('__snapshots__/all-outcomes.junit.xml');
  });

  it('validates against the Jenkins JUnit schema (plus file)', async () => {
    const result = await validate(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('reads back into the same counts', () => {
    const back = readBack(xml);
    const t = ev.totals;
    expect(back.counts).toEqual({ tests: t.total, failures: t.failed, errors: t.error, skipped: t.skipped });
    expect(back.root).toMatchObject({
      tests: String(t.total),
      failures: String(t.failed),
      errors: String(t.error),
      skipped: String(t.skipped),
    });
    expect(back.suites.map((s) => [s.name, s.tests])).toEqual(
      ev.suites.map((s) => [s.name, String(s.counts.total)]),
    );
  });

  it('writes the case attributes consumers need', () => {
    const { cases, suites } = readBack(xml);
    const damaged = cases.find((c) => c.name === 'Damaged product refund')!;
    expect(damaged).toMatchObject({ classname: 'refunds', file: 'suites/refunds.yaml', time: '42' });
    expect(damaged.failure).toMatchObject({ message: 'failed: Accuracy, Empathy', type: 'rubric' });
    expect(cases.find((c) => c.name === 'Store credit offer')?.failure).toMatchObject({
      message: 'failed: Accuracy (2/3)',
    });
    expect(cases.find((c) => c.name === 'Payment plan')?.error).toMatchObject({ type: 'timeout' });
    expect(cases.find((c) => c.name === 'Balance inquiry')?.error).toMatchObject({ type: 'pending' });
    expect(String(cases.find((c) => c.name === 'Damaged product refund')?.['system-out'])).toContain(
      'Assistant: Refunds take 90 days.',
    );
    const props = (suites[0]!.properties as { property: Node[] }).property;
    const prop = (name: string) => props.find((p) => p.name === name)?.value;
    expect(prop('assistant.version_id')).toBe('ver-candidate-42');
    expect(prop('Damaged product refund › run_ids')).toBe('run-dmg');
    expect(prop('Damaged product refund › conversation_ids')).toBe('conv-run-dmg');
    expect(prop('Store credit offer › trials')).toBe('1/3 passed, min_passes 2');
    expect(prop('Store credit offer › criteria')).toBe(
      'Accuracy (required): passed, failed, failed; Empathy: passed, passed, passed',
    );
    for (const s of suites) expect(String(s.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives consumers a line, a skip reason, a type that the message does not repeat, and flaky tests', () => {
    const { cases } = readBack(xml);
    const model = fixture.suites.flatMap((s) => s.tests);
    expect(cases).toHaveLength(model.length);
    cases.forEach((c, i) => {
      expect(c.file).toBe(model[i]!.file);
      expect(c.line).toBe(String(model[i]!.line)); // annotations land on the test, not line 1
    });
    expect(cases.find((c) => c.name === 'Refund by phone')?.skipped).toBe('filtered out by --tag smoke');
    const errors = cases.flatMap((c) => (c.error ? [c.error as Node] : []));
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      // dorny shows "type: message": never "error: error: ..." or "timeout: timeout: ...".
      expect(
        String(e.message)
          .toLowerCase()
          .startsWith(`${String(e.type).toLowerCase()}:`),
      ).toBe(false);
    }
    expect(errors.find((e) => e.type === 'error')?.message).toBe('assistant returned an internal error');
    const flaky = cases.find((c) => String(c.name).startsWith('Flaky refund lookup'))!;
    expect(flaky).toMatchObject({ name: 'Flaky refund lookup (flaky)', status: 'flaky' });
    expect(flaky.failure ?? flaky.error ?? flaky.skipped).toBeUndefined(); // a pass, marked
    expect(String(flaky['system-out'])).toMatch(
      /^suite: refunds .*\noutcome: flaky\nnote: passed after 1 retry/,
    );
  });

  it('never repeats the type at the start of an error message', () => {
    expect(errorMessage('error', 'error: the conversation ended')).toBe('the conversation ended');
    expect(errorMessage('timeout', 'Timeout: no verdict')).toBe('no verdict');
    expect(errorMessage('error', undefined)).toBe('the run ended in error');
    expect(errorMessage('error', 'error:')).toBe('the run ended in error');
    expect(errorMessage('not_started', 'trigger failed')).toBe('trigger failed');
  });

  it('keeps hostile names valid, unique and free of invalid characters', async () => {
    const hostile = loadFixture('hostile-names.json');
    const out = render(hostile);
    const result = await validate(out);
    expect(result.errors).toEqual([]);
    const back = readBack(out);
    const keys = back.cases.map((c) => `${c.classname}\u0000${c.name}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(back.cases.map((c) => c.name)).toContain('dup [2]');
    expect(back.cases.map((c) => c.name)).toContain('<script>alert(1)</script>'); // escaped text, read back verbatim
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(out).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(back.counts.tests).toBe(hostile.suites[0]!.tests.length);
    // Per-test properties are keyed by the unique case name.
    const props = (back.suites[0]!.properties as { property: Node[] }).property.map((p) => String(p.name));
    expect(props).toContain('dup › outcome');
    expect(props).toContain('dup [2] › outcome');
    expect(new Set(props).size).toBe(props.length);
  });

  it('never writes an empty suite, and writes one per suite otherwise', () => {
    const r = results([suite('empty', []), suite('full', [pass('a')])]);
    const back = readBack(render(r));
    expect(back.suites.map((s) => s.name)).toEqual(['full']);
  });

  it('renders the same report twice from the same input (no state between reports)', () => {
    const r = results([suite('s', [pass('a')])]);
    expect(readBack(render(r)).counts.tests).toBe(1);
    expect(readBack(render(r)).counts.tests).toBe(1);
  });

  it('validates and reads back a 2,000-test run', async () => {
    const big = bigResults();
    const out = render(big);
    expect((await validate(out)).valid).toBe(true);
    expect(readBack(out).counts).toEqual({ tests: 2000, failures: 40, errors: 40, skipped: 40 });
  });
});

describe('helpers', () => {
  it('formats seconds as plain decimals and timestamps in UTC', () => {
    expect(seconds(12001)).toBe(12.001);
    expect(seconds(0)).toBe(0);
    expect(utcTimestamp('2026-01-02T03:04:05-05:00')).toBe('2026-01-02T08:04:05.000Z');
    expect(utcTimestamp('not a date')).toBeUndefined();
  });
});
