import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { parseReporters, writeReports } from '../../reporters/index.js';
import { reportCommand } from '../../src/commands/report.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import type { Results } from '../../src/results.js';
import { evaluate } from '../../src/verdict.js';
import { fail, loadFixture, pass, results, suite } from './helpers/results.js';

function workspace(files: Record<string, Results | string>) {
  const dir = mkdtempSync(join(tmpdir(), 'rg-report-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { dir, io: memoryIo({ cwd: dir }) };
}

const half = results([
  suite('refunds', [pass('a'), fail('b', { Accuracy: 'passed', Empathy: 'failed' })], { minPassRate: 0.5 }),
]);

describe('reportCommand', () => {
  it('exits 0, 1 or 3 from the re-evaluated verdict', async () => {
    const w = workspace({
      ok: half,
      bad: { ...half, suites: [{ ...half.suites[0]!, gate: { ...half.suites[0]!.gate, minPassRate: 1 } }] },
      partial: loadFixture('all-outcomes.json'),
    });
    expect(await reportCommand({ from: 'ok' }, w.io)).toBe(EXIT.ok);
    expect(await reportCommand({ from: 'bad' }, w.io)).toBe(EXIT.gateFailed);
    expect(await reportCommand({ from: 'partial' }, w.io)).toBe(EXIT.incomplete);
  });

  it('writes every report, and its results.json reproduces the verdict', async () => {
    const w = workspace({ 'in.json': half });
    expect(await reportCommand({ from: 'in.json', outDir: 'out', minPassRate: 0.9 }, w.io)).toBe(
      EXIT.gateFailed,
    );
    expect(readdirSync(join(w.dir, 'out')).sort()).toEqual([
      'junit.xml',
      'report.html',
      'results.json',
      'summary.md',
    ]);
    const written = JSON.parse(readFileSync(join(w.dir, 'out', 'results.json'), 'utf8'));
    expect(written.schema).toBe('rubric-gate/results@1');
    expect(written.gateOverrides).toEqual({ minPassRate: 0.9 });
    expect(written.evaluation.reasons).toEqual(['refunds: pass rate 1/2 = 50.0% < 90% required']);
    // Re-reporting the output (no flags) keeps the tightened gate: same verdict.
    expect(await reportCommand({ from: 'out/results.json', outDir: 'again' }, w.io)).toBe(EXIT.gateFailed);
    expect(readFileSync(join(w.dir, 'out', 'summary.md'), 'utf8')).toContain('rubric-gate: gate failed');
    expect(w.io.out.join('')).toContain('summary:  out/summary.md');
  });

  it('flags tighten but never loosen a gate', async () => {
    const strict = results([suite('refunds', [pass('a'), fail('b')], { minPassRate: 1 })]);
    const w = workspace({ 'r.json': strict });
    expect(
      await reportCommand({ from: 'r.json', minPassRate: 0.5, maxErrors: 3, reporters: ['json'] }, w.io),
    ).toBe(EXIT.gateFailed);
    const out = w.io.out.join('');
    expect(out).toContain(
      '! refunds: --min-pass-rate 50% would loosen the suite gate (min_pass_rate 100%); ignored.',
    );
    expect(out).toContain('x refunds: pass rate 1/2 = 50.0% < 100% required');
  });

  it('gates on regressions against a baseline', async () => {
    const before = results([suite('refunds', [pass('a'), pass('b')], { minPassRate: 0.5 })]);
    const w = workspace({ 'now.json': half, 'base.json': before });
    expect(await reportCommand({ from: 'now.json', reporters: ['markdown'] }, w.io)).toBe(EXIT.ok);
    expect(
      await reportCommand(
        { from: 'now.json', baseline: 'base.json', failOnRegression: true, reporters: ['markdown'] },
        w.io,
      ),
    ).toBe(EXIT.gateFailed);
    const md = readFileSync(join(w.dir, 'rubric-gate-report', 'summary.md'), 'utf8');
    expect(md).toContain('### Regressions');
    expect(md).toContain('refunds › b\\: regression');
  });

  it('writes only the chosen reporters', async () => {
    const w = workspace({ 'r.json': half });
    await reportCommand({ from: 'r.json', outDir: 'o', reporters: ['junit'] }, w.io);
    expect(readdirSync(join(w.dir, 'o'))).toEqual(['junit.xml']);
  });

  it('rejects bad input with the file, line:col and field', async () => {
    const bad = JSON.stringify(half, null, 2).replace('"minPassRate": 0.5', '"minPassRate": 5');
    const w = workspace({ 'bad.json': bad, 'notjson.json': '{ nope' });
    await expect(reportCommand({ from: 'bad.json' }, w.io)).rejects.toThrow(
      /bad\.json:\d+:\d+: suites\[0\]\.gate\.minPassRate/,
    );
    await expect(reportCommand({ from: 'notjson.json' }, w.io)).rejects.toThrow(
      /notjson\.json:1:\d+: not valid JSON/,
    );
    await expect(reportCommand({ from: 'missing.json' }, w.io)).rejects.toThrow('missing.json: no such file');
    await expect(reportCommand({ from: 'bad.json', baseline: 'missing.json' }, w.io)).rejects.toBeInstanceOf(
      UsageError,
    );
  });

  it('rejects out-of-range gate flags', async () => {
    const w = workspace({ 'r.json': half });
    await expect(reportCommand({ from: 'r.json', minPassRate: 1.5 }, w.io)).rejects.toThrow(
      /--min-pass-rate must be a number from 0 to 1/,
    );
    await expect(reportCommand({ from: 'r.json', maxErrors: -1 }, w.io)).rejects.toThrow(
      /--max-errors must be a whole number/,
    );
  });
});

describe('writeReports', () => {
  it('writes atomically: no temporary files left, files replaced whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rg-write-'));
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r);
    const first = await writeReports(r, ev, { outDir: join(dir, 'nested', 'out') });
    await writeReports(r, ev, { outDir: join(dir, 'nested', 'out') });
    expect(readdirSync(join(dir, 'nested', 'out')).sort()).toEqual([
      'junit.xml',
      'report.html',
      'results.json',
      'summary.md',
    ]);
    expect(first.resultsPath).toBe(join(dir, 'nested', 'out', 'results.json'));
    expect(JSON.parse(readFileSync(first.resultsPath!, 'utf8')).evaluation.totals).toEqual(ev.totals);
  });

  it('parses --reporter lists', () => {
    expect(parseReporters('junit, markdown,junit')).toEqual({
      reporters: ['junit', 'markdown'],
      unknown: [],
    });
    expect(parseReporters(['json', 'html', 'pdf'])).toEqual({
      reporters: ['json', 'html'],
      unknown: ['pdf'],
    });
  });
});

describe('renderConsoleSummary', () => {
  it('is short, plain, and safe for a terminal', () => {
    const evil = results([suite('s\u001b[2J', [fail('x\u001b]0;pwned\u0007y', { Accuracy: 'failed' })])]);
    const text = renderConsoleSummary(evaluate(evil), { paths: { junitPath: 'out/junit.xml' } });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    // The first line states the verdict and its real cause (made terminal-safe).
    expect(text.split('\n')[0]).toBe(
      'rubric-gate: FAILED: s: pass rate 0/1 = 0.0% < 100% required (and 1 more)',
    );
    expect(text).toContain('junit:    out/junit.xml');
  });

  it('caps the reasons it lists', () => {
    const many = results([
      suite(
        's',
        Array.from({ length: 30 }, (_, i) => fail(`t${i}`, { Accuracy: 'failed' })),
      ),
    ]);
    const text = renderConsoleSummary(evaluate(many));
    expect(text).toContain('... and 21 more (see the reports)');
    // Ten rules and ten failing tests, each with its "... and N more".
    expect(text).toContain('... and 20 more failing tests (see the reports)');
    expect(text.split('\n').length).toBeLessThan(28);
  });
});
