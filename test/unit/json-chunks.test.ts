// Reports and the run state are written in pieces (src/json-chunks.ts, reporters/index.ts) so a
// 10,000-test run never holds a 20 MB file as one string. The pieces must make exactly the text
// the one-string renderers make: consumers read these files, and their contracts do not change.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { htmlChunks, renderHtml } from '../../reporters/html.js';
import { REPORT_FILES, writeReports } from '../../reporters/index.js';
import { renderJson, resultsJsonChunks } from '../../reporters/json.js';
import { junitChunks, renderJunit } from '../../reporters/junit.js';
import { writeFileAtomic } from '../../src/files.js';
import { batched, jsonChunks } from '../../src/json-chunks.js';
import { type RunState, readState, STATE_FILE, writeState } from '../../src/run/state.js';
import { evaluate } from '../../src/verdict.js';
import { bigResults, loadFixture } from './helpers/results.js';

const dir = mkdtempSync(join(tmpdir(), 'rg-json-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('jsonChunks', () => {
  it('joins to JSON.stringify(value, null, space) for any JSON value, space and depth', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(0 as const, 2 as const),
        fc.integer({ min: 0, max: 6 }),
        // Per-field depths of a top-level object, keys drawn like fc.jsonValue's short ones.
        fc.dictionary(fc.string({ maxLength: 2 }), fc.integer({ min: 0, max: 6 })),
        (value, space, depth, fieldDepths) => {
          expect([...jsonChunks(value, space, depth, fieldDepths)].join('')).toBe(
            JSON.stringify(value, null, space),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('drops what JSON.stringify drops and defers to toJSON', () => {
    const value = {
      a: undefined,
      f: () => 1,
      s: Symbol('x'),
      list: [undefined, () => 1, 1],
      date: new Date(0),
      boxed: new String('x'),
      nested: { toJSON: () => ({ replaced: true }) },
      empty: { gone: undefined },
    };
    for (const space of [0, 2] as const)
      expect([...jsonChunks(value, space, 4)].join('')).toBe(JSON.stringify(value, null, space));
  });

  it('yields pieces no larger than one test: a 2,000-test document is not one string', () => {
    const r = bigResults(2, 1_000, 200);
    const pieces = [...resultsJsonChunks(r, evaluate(r))];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(pieces.length).toBeGreaterThan(2_000);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 100);
  });

  it('batched joins pieces into batches of about the given size, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 })), fc.integer({ min: 1, max: 50 }), (pieces, size) => {
        const batches = [...batched(pieces, size)];
        expect(batches.join('')).toBe(pieces.join(''));
        for (const b of batches.slice(0, -1)) expect(b.length).toBeGreaterThanOrEqual(size);
        for (const b of batches) expect(b.length).toBeLessThan(size + 20);
      }),
    );
  });
});

describe('reports written in pieces', () => {
  const r = loadFixture('all-outcomes.json');
  const ev = evaluate(r);

  it('results.json, junit.xml and report.html pieces join to the one-string renderers', () => {
    expect([...resultsJsonChunks(r, ev)].join('')).toBe(`${JSON.stringify({ ...r, evaluation: ev })}\n`);
    expect(renderJson(r, ev)).toBe(`${JSON.stringify({ ...r, evaluation: ev })}\n`);
    expect([...junitChunks(r, ev)].join('')).toBe(renderJunit(r, ev));
    expect([...htmlChunks(r, ev)].join('')).toBe(renderHtml(r, ev));
  });

  it('report.html comes a test block at a time, never a suite as one string', () => {
    const big = bigResults(2, 1_000, 200);
    const pieces = [...htmlChunks(big, evaluate(big))];
    const total = pieces.reduce((n, p) => n + p.length, 0);
    expect(pieces.length).toBeGreaterThan(2_000);
    // The largest pieces are the inline style and script; a suite of 1,000 tests is far more.
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(total / 100);
  });

  it('junit.xml cases are made as they are written: the first case comes before the last is built', () => {
    const big = bigResults(2, 500, 100);
    const ev = evaluate(big);
    const suites = big.suites;
    const touched: string[] = [];
    for (const s of suites) {
      const last = s.tests[s.tests.length - 1];
      if (!last) continue;
      const file = last.file;
      Object.defineProperty(last, 'file', {
        get: () => {
          touched.push(s.name);
          return file;
        },
      });
    }
    const pieces = junitChunks(big, ev);
    for (let p = pieces.next(); !p.done && !p.value.includes('<testcase'); p = pieces.next());
    expect(touched).toEqual([]);
    const rest = [...pieces].join('');
    expect([...new Set(touched)]).toEqual(suites.map((s) => s.name));
    expect(rest).toContain('</testsuites>');
  });

  it('report.html says how many passing logs the budget left out before the tests, as rendered', () => {
    const big = bigResults(3, 400, 3_000);
    const html = renderHtml(big, evaluate(big), { passingLogBudget: 50_000 });
    const kept = (html.match(/<summary>Log · /g) ?? []).length;
    const note = /<p class="muted">(\d+) logs? of passing or skipped tests left out/.exec(html);
    const withLogs = big.suites
      .flatMap((s) => s.tests.flatMap((t) => t.attempts))
      .filter((a) => a.logs).length;
    expect(kept).toBeGreaterThan(0);
    expect(Number(note?.[1])).toBe(withLogs - kept);
    expect(html.indexOf(note?.[0] ?? '?')).toBeLessThan(html.indexOf('<main id="tests">'));
  });

  it('writeReports writes what the renderers render, byte for byte', async () => {
    const big = bigResults(3, 400, 3_000);
    const bigEv = evaluate(big);
    const out = join(dir, 'reports');
    await writeReports(big, bigEv, { outDir: out, reporters: ['json', 'junit', 'html'] });
    expect(readFileSync(join(out, REPORT_FILES.json), 'utf8')).toBe(renderJson(big, bigEv));
    expect(readFileSync(join(out, REPORT_FILES.junit), 'utf8')).toBe(renderJunit(big, bigEv));
    expect(readFileSync(join(out, REPORT_FILES.html), 'utf8')).toBe(renderHtml(big, bigEv));
  });

  it('writeReports: one that cannot be written fails the call, the others land whole, no temporary file stays', async () => {
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r);
    const out = join(dir, 'one-fails');
    mkdirSync(join(out, REPORT_FILES.junit), { recursive: true }); // a directory where junit.xml goes
    await expect(writeReports(r, ev, { outDir: out })).rejects.toThrow();
    expect(readFileSync(join(out, REPORT_FILES.json), 'utf8')).toBe(renderJson(r, ev));
    expect(readFileSync(join(out, REPORT_FILES.html), 'utf8')).toBe(renderHtml(r, ev));
    expect(readFileSync(join(out, REPORT_FILES.markdown), 'utf8').length).toBeGreaterThan(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writeFileAtomic takes a string or pieces (more than one batch)', () => {
    const path = join(dir, 'pieces.txt');
    const pieces = Array.from({ length: 5_000 }, (_, i) => `${i} ${'é'.repeat(300)}\n`);
    writeFileAtomic(path, pieces);
    expect(readFileSync(path, 'utf8')).toBe(pieces.join(''));
    writeFileAtomic(path, 'short');
    expect(readFileSync(path, 'utf8')).toBe('short');
  });
});

describe('run state written in pieces', () => {
  it('is the compact JSON of the state plus a newline, and reads back', () => {
    const out = join(dir, 'state');
    const state: RunState = {
      schema: 'rubric-gate/run-state@1',
      nonce: 'n',
      startedAt: '2026-01-01T00:00:00.000Z',
      settings: { tags: [], retries: 0 },
      tests: [{ suite: 's', name: 't0', testId: 'id-0' }],
      batches: [],
      work: Array.from({ length: 3 }, (_, i) => ({
        suite: 's',
        test: `t${i}`,
        trial: 1,
        retry: 0,
        via: 'suite' as const,
        status: 'passed' as const,
        criteria: [],
        failures: 0,
        logs: 'ünïcödé\n'.repeat(10),
      })),
    };
    writeState(out, state);
    expect(readFileSync(join(out, STATE_FILE), 'utf8')).toBe(`${JSON.stringify(state)}\n`);
    expect(readState(out)).toEqual(state);
  });
});
