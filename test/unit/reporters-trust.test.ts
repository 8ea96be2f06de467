// What the reports say must be what happened: no mention or issue reference GitHub would link
// from a run's text, a log's lines exactly as the run wrote them, and no green mark on a run
// whose promotion failed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { shownVerdict } from '../../reporters/format.js';
import { renderHtml } from '../../reporters/html.js';
import { escapeHtml, escapeMarkdown, renderMarkdown } from '../../reporters/markdown.js';
import type { Promotion, Results } from '../../src/results.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, fail, pass, results, suite, testResult } from './helpers/results.js';

const failing = (name: string, logs: string) =>
  testResult(name, [attempt(1, 'failed', { Accuracy: 'failed', Empathy: 'passed' }, { logs })]);

const render = (r: Results) => renderMarkdown(r, evaluate(r));

/** The text GitHub would see once entities are decoded (the zero-width space included). */
const decoded = (html: string) =>
  html
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** A mention, issue or GH- reference GitHub would link in rendered text. */
const LINKABLE = /@[A-Za-z0-9]|#\d|\bGH-\d/i;

describe('summary.md links no one and no issue', () => {
  const r = results([
    suite('@acme/release-managers', [failing('ping @acme/security-team see #1 or GH-7', 'x')]),
  ]);

  it('in the <summary> of a log, where GitHub links mentions too', () => {
    const md = render(r);
    const title = md.split('\n').find((l) => l.startsWith('<details><summary>')) ?? '';
    expect(title).toBe(
      '<details><summary>@&#8203;acme/release-managers › ping @&#8203;acme/security-team see #&#8203;1 or GH-&#8203;7 · trial 1 · failed</summary>',
    );
  });

  it('GH-123 in Markdown text, in any case', () => {
    expect(escapeMarkdown('see GH-123, gh-4 and #45')).toBe(
      'see GH\\-&#8203;123, gh\\-&#8203;4 and \\#&#8203;45',
    );
    expect(escapeMarkdown('GH-team and HIGH-5')).toBe('GH\\-team and HIGH\\-5');
  });

  it('for any names, outside the logs themselves', () => {
    const piece = fc.constantFrom('@', '#', 'GH-', 'gh-', '1', 'a', ' ', '/', "'", '&', '<', '-', '\\');
    const name = fc.array(piece, { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(name, name, (s, t) => {
        const md = render(results([suite(s, [failing(t, 'log')])]));
        const markup = md.replace(/<pre>[\s\S]*?<\/pre>/g, '<pre/>');
        for (const line of markup.split('\n')) {
          // Backslash escapes count in Markdown, not inside the HTML block of a log's title.
          const text = line.startsWith('<details>') ? line : line.replace(/\\(.)/g, '$1');
          expect(decoded(text)).not.toMatch(LINKABLE);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('summary.md keeps a log as the run wrote it', () => {
  it('blank lines and all', () => {
    const logs = 'line1\n\n\n\nline5\n\n\n\n\n\nline11';
    const md = render(results([suite('s', [failing('t', logs)])]));
    expect(md).toContain(`<pre>${logs}</pre>`);
  });

  it('byte for byte, after escaping, for any log', () => {
    const line = fc.constantFrom('', ' ', 'a', '<b>', '&', '\t', '@x #1', 'x  ');
    const log = fc
      .array(line, { minLength: 1, maxLength: 20 })
      .map((l) => l.join('\n'))
      .filter((l) => l !== ''); // an empty log is no log
    fc.assert(
      fc.property(log, (logs) => {
        const md = render(results([suite('s', [failing('t', logs)])]));
        expect(md).toContain(`<pre>${escapeHtml(logs)}</pre>`);
      }),
      { numRuns: 200 },
    );
  });

  it('while the sections around the logs still have single blank lines', () => {
    const md = render(results([suite('s', [failing('t', 'a\n\n\nb')])]));
    expect(md.replace(/<pre>[\s\S]*?<\/pre>/g, '<pre/>')).not.toMatch(/\n{3,}/);
  });
});

describe('a failed promotion after every gate held is not green', () => {
  const promotion = (status: Promotion['status']): Promotion => ({
    assistantId: 'a',
    versionId: 'v',
    action: 'promote',
    status,
    message: 'HTTP 500',
  });
  const held = (status?: Promotion['status']) =>
    results([suite('s', [pass('a')])], status ? { promotion: promotion(status) } : {});

  it('shownVerdict: incomplete exactly when the gate held and the promotion failed', () => {
    const failedPromotion = { promotion: promotion('failed') };
    expect(shownVerdict({ verdict: 'passed' }, failedPromotion)).toBe('incomplete');
    expect(shownVerdict({ verdict: 'failed' }, failedPromotion)).toBe('failed');
    expect(shownVerdict({ verdict: 'incomplete' }, failedPromotion)).toBe('incomplete');
    expect(shownVerdict({ verdict: 'passed' }, { promotion: promotion('done') })).toBe('passed');
    expect(shownVerdict({ verdict: 'passed' }, {})).toBe('passed');
  });

  it('summary.md', () => {
    expect(render(held('failed')).split('\n')[0]).toBe(
      '## ⚠️ rubric-gate: all gates held, but the promotion failed \\(see Promotion\\)',
    );
    expect(render(held()).split('\n')[0]).toBe('## ✅ rubric-gate: all gates held');
  });

  it('report.html', () => {
    const header = (r: Results) =>
      renderHtml(r, evaluate(r)).match(/<header class="[^"]*">\n<h1>[^\n]*/)?.[0];
    expect(header(held('failed'))).toBe(
      '<header class="verdict v-incomplete">\n<h1>⚠ rubric-gate: all gates held, but the promotion failed (see Promotion)</h1>',
    );
    expect(header(held())).toBe('<header class="verdict v-passed">\n<h1>✓ rubric-gate: all gates held</h1>');
  });

  it('the console verdict line', () => {
    const first = (r: Results) =>
      renderConsoleSummary(evaluate(r), { promotion: r.promotion }).split('\n')[0];
    expect(first(held('failed'))).toBe(
      'rubric-gate: INCOMPLETE: all gates held, but the promotion failed (see Promotion)',
    );
    expect(first(held())).toMatch(/^rubric-gate: PASSED: /);
    const colored = renderConsoleSummary(evaluate(held('failed')), {
      promotion: promotion('failed'),
      color: true,
    });
    expect(colored.split('\n')[0]).toContain('\u001b[33m'); // yellow, as incomplete
  });

  it('and a failed gate stays red whatever the promotion says', () => {
    const r = results([suite('s', [fail('b')])], { promotion: promotion('failed') });
    expect(render(r)).toMatch(/^## ❌ /);
    expect(renderHtml(r, evaluate(r))).toContain('<header class="verdict v-failed">');
  });
});
