import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reporters/html.js';
import { HTML_SCRIPT, HTML_STYLE } from '../../reporters/html-assets.js';
import { REPORT_FILES, REPORTERS } from '../../reporters/index.js';
import { escapeHtml } from '../../reporters/markdown.js';
import { evaluate } from '../../src/verdict.js';
import {
  attempt,
  bigResults,
  fail,
  loadFixture,
  pass,
  results,
  suite,
  testResult,
} from './helpers/results.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

describe('renderHtml', () => {
  it('is one of the default reports, written as report.html', () => {
    expect(REPORTERS).toContain('html');
    expect(REPORT_FILES.html).toBe('report.html');
  });

  it('puts the verdict and the gate before any test, and every test in its suite', () => {
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r);
    const html = renderHtml(r, ev);
    const verdict = html.indexOf('<header class="verdict v-incomplete">');
    expect(verdict).toBeGreaterThan(0);
    expect(html.indexOf('id="gate"')).toBeGreaterThan(verdict);
    expect(html.indexOf('<details class="t')).toBeGreaterThan(html.indexOf('id="gate"'));
    expect(html.match(/<details class="t[ "]/g)).toHaveLength(ev.totals.total);
    for (const reason of ev.reasons) expect(html).toContain(`✗ ${escapeHtml(reason)}</li>`);
  });

  it('pins its only style and script by hash and allows no other source', () => {
    const r = loadFixture('all-outcomes.json');
    const html = renderHtml(r, evaluate(r));
    const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(HTML_STYLE)}`);
    expect(csp).toContain(`script-src ${hash(HTML_SCRIPT)}`);
    expect(html).toContain(`<script>${HTML_SCRIPT}</script>`);
    expect(html).toContain(`<style>${HTML_STYLE}</style>`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/);
  });

  it('shows the criteria × trials grid with run and conversation ids, and baseline deltas', () => {
    const r = loadFixture('all-outcomes.json');
    const html = renderHtml(r, evaluate(r, { baseline: loadFixture('baseline.json') }));
    const block = html.slice(html.indexOf('Damaged product refund</span>'));
    const one = block.slice(0, block.indexOf('</details></div></details>'));
    expect(one).toContain('<table class="grid">');
    expect(one).toContain('<code>run-dmg</code>');
    expect(one).toContain('<code>conv-run-dmg</code>');
    expect(one).toMatch(/Accuracy <span class="muted">required<\/span><\/th><td class="c bad">✗/);
    expect(one).toContain('Against the baseline: <b>regression</b>');
    expect(one).toContain('<details><summary>Log · trial 1 · failed</summary><pre>Customer: My blender');
    expect(html).toContain('<section id="baseline">');
  });

  it('marks the failures the filter keeps: every test without a pass that was not skipped', () => {
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r);
    const html = renderHtml(r, ev);
    const marked = [...html.matchAll(/<details class="t( f)?" id="[^"]+" data-outcome="(\w+)"/g)];
    expect(marked).toHaveLength(ev.totals.total);
    for (const [, f, outcome] of marked) {
      expect(Boolean(f), outcome).toBe(!['passed', 'flaky', 'skipped'].includes(outcome!));
    }
  });

  it('leaves marked slots for the in-run comparison and history, filled when given', () => {
    const r = results([suite('s', [pass('a')])]);
    const empty = renderHtml(r, evaluate(r));
    expect(empty).toContain('<!-- slot:comparison --><section class="slot" id="comparison"></section>');
    expect(empty).toContain('<!-- slot:history --><section class="slot" id="history"></section>');
    const filled = renderHtml(r, evaluate(r), { sections: { history: '<h2>History</h2>' } });
    expect(filled).toContain('<section class="slot" id="history"><h2>History</h2></section>');
  });

  it('escapes every name, message and log: no tag or attribute from the data survives', () => {
    const r = loadFixture('hostile-names.json');
    const html = renderHtml(r, evaluate(r));
    const body = html.slice(html.indexOf('<body>'), html.indexOf('<script>'));
    expect(body).not.toMatch(/<(script|img|iframe|object|embed|form)[\s>]/i);
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(body).toContain('evil | suite &lt;b&gt;*x*&lt;/b&gt;');
  });

  it('never lets text from a run open a tag or an attribute (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (name, log) => {
        const r = results([
          suite(name, [
            testResult(name, [attempt(1, 'failed', { [name]: 'failed' }, { logs: log, runId: name })]),
          ]),
        ]);
        const html = renderHtml(r, evaluate(r));
        const body = html.slice(html.indexOf('<body>') + 6, html.indexOf('<script>'));
        const tags = body.match(/<\/?([a-z0-9]+)/gi) ?? [];
        const allowed =
          /^<\/?(header|h1|h2|p|b|code|section|ul|li|span|table|tr|th|td|details|summary|div|label|input|main|pre|a)$/i;
        for (const t of tags) expect(t).toMatch(allowed);
        expect(body).not.toMatch(/<[^>]*\son\w+=/i);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a 2,000-test report under 2.5 MB: every failing log kept, passing logs within a budget', () => {
    const big = bigResults();
    const ev = evaluate(big);
    const html = renderHtml(big, ev);
    expect(bytes(html)).toBeLessThan(2.5 * 1024 * 1024);
    expect(html.match(/<details class="t[ "]/g)).toHaveLength(2000);
    const failingLogs = html.match(/<summary>Log · trial 1 · (failed|timeout)<\/summary>/g) ?? [];
    expect(failingLogs).toHaveLength(80);
    expect(html).toMatch(/\d+ logs of passing or skipped tests left out to keep this file small/);
  });

  it('keeps every log when they fit, and cuts one long log with a note', () => {
    const r = results([
      suite('s', [
        pass('a', {
          attempts: [attempt(1, 'passed', { Accuracy: 'passed', Empathy: 'passed' }, { logs: 'short log' })],
        }),
        fail('b', { Accuracy: 'failed' }, { attempts: [attempt(1, 'failed', {}, { logs: 'x'.repeat(50) })] }),
      ]),
    ]);
    const html = renderHtml(r, evaluate(r), { maxLogChars: 10 });
    expect(html).toContain('<pre>short log</pre>');
    expect(html).toContain(`<pre>${'x'.repeat(10)}\n… (40 more characters; see junit.xml)</pre>`);
    expect(html).not.toContain('left out to keep this file small');
  });

  it('shows the wall time of the run, not the sum of run durations', () => {
    const r = results([suite('s', [pass('a'), pass('b')])], {
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:00:01.500Z',
    });
    expect(renderHtml(r, evaluate(r))).toContain('1.5s wall time');
  });
});
