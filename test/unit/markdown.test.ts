import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../reporters/html.js';
import { renderJunit } from '../../reporters/junit.js';
import { escapeHtml, escapeMarkdown, renderMarkdown, STEP_SUMMARY_LIMIT } from '../../reporters/markdown.js';
import type { Results } from '../../src/results.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, bigResults, loadFixture, pass, results, suite, testResult } from './helpers/results.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Pipes that split cells: a `|` not consumed by a backslash escape. */
const cellPipes = (line: string) => (line.match(/\\[\s\S]|\|/g) ?? []).filter((m) => m === '|').length;

/** Every table is whole: a header, a separator, rows with the header's number of cells. */
function expectWellFormedTables(md: string) {
  const lines = md.replace(/<pre>[\s\S]*?<\/pre>/g, '<pre/>').split('\n'); // logs are not Markdown
  let tables = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith('|')) continue;
    const cols = cellPipes(lines[i]!);
    expect(lines[i + 1], `separator after line ${i + 1}`).toMatch(/^\|(---\|)+$/);
    expect(cellPipes(lines[i + 1]!)).toBe(cols);
    let j = i + 2;
    for (; j < lines.length && lines[j]!.startsWith('|'); j++)
      expect(cellPipes(lines[j]!), lines[j]).toBe(cols);
    expect(lines[j] ?? '', 'a table ends with a blank line or the end').toBe('');
    tables++;
    i = j;
  }
  return tables;
}

const render = (r: Results, opts = {}) => renderMarkdown(r, evaluate(r), opts);

describe('renderMarkdown', () => {
  it('matches the snapshot: verdict and gate first, every outcome kind', async () => {
    const r = loadFixture('all-outcomes.json');
    const md = renderMarkdown(r, evaluate(r, { baseline: loadFixture('baseline.json') }));
    const normalised = md
      .replace(/\b\d+(\.\d+)?(ms|s)\b|\b\d+m \d\ds\b/g, 'DUR')
      .replace(/\b(run|conv|tsr)\\?-[\w\\-]+/g, '$1-ID');
    await expect(normalised).toMatchFileSnapshot('__snapshots__/all-outcomes.summary.md');
    expect(md.indexOf('### Gate')).toBeLessThan(md.indexOf('### refunds'.replace('### ', '### ❌ ')));
    expect(md.startsWith('## ⚠️ rubric-gate: incomplete')).toBe(true);
    for (const section of ['### Still running remotely', '### Regressions', '### Flaky', '### Logs'])
      expect(md).toContain(section);
    expectWellFormedTables(md);
  });

  it('says when every gate held', () => {
    const md = render(results([suite('greetings', [pass('Hello')])]));
    expect(md).toMatch(/^## ✅ rubric-gate: all gates held/);
    expect(md).toContain('- ✅ greetings\\: pass rate 1/1 = 100\\.0% &gt;= 100% required');
  });

  it('keeps a 2,000-test summary under 1 MiB by dropping logs first, and says so', () => {
    const big = bigResults();
    const ev = evaluate(big);
    const md = renderMarkdown(big, ev, { allLogs: true });
    expect(bytes(md)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    expect(md).toContain('this summary leaves out the logs;');
    expect(md).not.toContain('<details>');
    // Every test still has its row.
    const rows = md.split('\n').filter((l) => /^\| test \d+\\\.\d+ handles/.test(l));
    expect(rows).toHaveLength(2000);
    expectWellFormedTables(md);
  });

  it('shows logs only for failing, errored and flaky tests by default', () => {
    const big = bigResults();
    const md = renderMarkdown(big, evaluate(big));
    expect(md).not.toContain('leaves out the logs');
    const titles = md.match(/<summary>[^<]*<\/summary>/g) ?? [];
    // 40 failed and 40 timed-out tests, none of the 1,880 passing ones.
    expect(titles).toHaveLength(80);
    expect(titles.every((t) => / · (failed|timeout)<\/summary>$/.test(t))).toBe(true);
  });

  it('states the wall time of the run in the header, not the sum of run durations', () => {
    const r = results([suite('s', [pass('a'), pass('b'), pass('c')])], {
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:00:01.500Z',
    });
    expect(renderMarkdown(r, evaluate(r)).split('\n')[2]).toMatch(/ · 1\.5s wall time$/);
  });

  it('drops passing rows next, then caps rows, never cutting a table', () => {
    const big = bigResults();
    const ev = evaluate(big);
    const failingOnly = renderMarkdown(big, ev, { maxBytes: 64 * 1024 });
    expect(bytes(failingOnly)).toBeLessThanOrEqual(64 * 1024);
    expect(failingOnly).toMatch(/leaves out the logs, 1920 passing, flaky or skipped test rows/);
    expect(
      failingOnly.split('\n').filter((l) => l.includes('❌ failed') || l.includes('⚠️ error')).length,
    ).toBe(80);
    expectWellFormedTables(failingOnly);

    const capped = renderMarkdown(big, ev, { maxBytes: 12 * 1024 });
    expect(bytes(capped)).toBeLessThanOrEqual(12 * 1024);
    expect(capped).toMatch(/leaves out the logs, \d+ of 2000 test rows/);
    expect(capped).toMatch(/… and \d+ more (tests|suite tables|suites) not listed/);
    expect(capped.startsWith('## ❌ rubric-gate: gate failed')).toBe(true);
    expectWellFormedTables(capped);

    for (const limit of [3_000, 6_000, 20_000, 100_000, 300_000]) {
      const md = renderMarkdown(big, ev, { maxBytes: limit });
      expect(bytes(md), `limit ${limit}`).toBeLessThanOrEqual(limit);
      expect(md).toContain('### Gate');
      expectWellFormedTables(md);
    }
  });

  it('renders hostile names as inert plain text', () => {
    const hostile = loadFixture('hostile-names.json');
    const md = render(hostile);
    // The only HTML is ours: <details>, <summary>, <pre>.
    expect(md.replace(/<\/?(details|summary|pre)>/g, '')).not.toContain('<');
    // Inside <summary> and <pre> (raw HTML, no Markdown) the data is entity-escaped.
    const html = md.match(/<summary>[\s\S]*?<\/summary>|<pre>[\s\S]*?<\/pre>/g) ?? [];
    expect(html.length).toBeGreaterThan(0);
    for (const block of html) expect(block.replace(/^<\w+>|<\/\w+>$/g, '')).not.toMatch(/[<>]/);
    // Outside them, no unescaped backtick, emphasis or link syntax from the data.
    const markdown = md.replace(/<summary>[\s\S]*?<\/summary>|<pre>[\s\S]*?<\/pre>/g, '');
    expect(markdown).not.toMatch(/<script|<img|\]\(javascript/i);
    const unescaped = (ch: string) =>
      (markdown.match(/\\[\s\S]|[`*_[\]]/g) ?? []).filter((m) => m === ch).length;
    expect(unescaped('`')).toBe(0);
    expect(unescaped('[')).toBe(0);
    expect(unescaped('_')).toBe(0);
    // Our own bold markers are the only unescaped asterisks.
    expect(unescaped('*')).toBe((markdown.match(/\*\*\d+ tests\*\*/g) ?? []).length * 4);
    // Terminal escapes are stripped, not shown as "[31m".
    expect(md).not.toContain('[31m');
    // Newlines inside names cannot start a row, a heading or a list.
    for (const line of md.split('\n')) {
      expect(line).not.toMatch(/^(\| injected|# heading|- list item|line2|next)/);
    }
    // Entities in the data are shown as written, not decoded.
    expect(md).toContain('&amp;amp; &amp;lt;entity&amp;gt;');
    expectWellFormedTables(md);
    // Every table row of the suite table has exactly 5 cells.
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Test'));
    expect(rows.length).toBeGreaterThanOrEqual(hostile.suites[0]!.tests.length);
  });

  it('escapes every character that Markdown or HTML would interpret', () => {
    expect(escapeMarkdown('a|b`c*d_e[f](g)<h>&i\nj')).toBe(
      'a\\|b\\`c\\*d\\_e\\[f\\]\\(g\\)&lt;h&gt;&amp;i j',
    );
    expect(escapeMarkdown("O'Brien #1 - ~x~ !")).toBe('O&#39;Brien \\#&#8203;1 \\- \\~x\\~ \\!');
    expect(escapeMarkdown('\\|')).toBe('\\\\\\|');
  });

  it('breaks @mentions with a zero-width space (GitHub links mentions after Markdown, so \\@ would not)', () => {
    expect(escapeMarkdown('Escalate to @acme/oncall, ping @octocat')).toBe(
      'Escalate to @&#8203;acme/oncall, ping @&#8203;octocat',
    );
    expect(escapeMarkdown('a lone @ and @@x')).toBe('a lone @ and @@&#8203;x');
    const r = results([suite('@acme/oncall', [pass('ping @octocat')])]);
    const md = renderMarkdown(r, evaluate(r), { allLogs: true });
    expect(md).toContain('@&#8203;octocat');
    expect(md.replace(/<pre>[\s\S]*?<\/pre>/g, '')).not.toMatch(/@[A-Za-z0-9]/); // GitHub links none in <pre>
  });

  it('breaks #123 issue references the same way (an entity such as &#39; is left whole)', () => {
    expect(escapeMarkdown("fixes #12 and acme/app#3, it's #x")).toBe(
      'fixes \\#&#8203;12 and acme/app\\#&#8203;3, it&#39;s \\#x',
    );
  });
});

describe('summary.md text goes through the one sanitiser', () => {
  it('drops C1 controls, bidi overrides and lone surrogates, as the terminal does', () => {
    const hostile = 'Refund\u009b31m \u202eevil\u202c \ud800 ok\u0007';
    for (const out of [escapeMarkdown(hostile), escapeHtml(`${hostile}\nline 2`)]) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      expect(out).not.toMatch(/[\u0080-\u009f\u202a-\u202e\u0007]/);
      expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
      expect(out).toContain('Refund');
    }
    expect(escapeHtml('a\nb')).toBe('a\nb');
  });
});

describe('a suite whose tests are not all decided', () => {
  it('is shown undecided in every report, never passed, while the verdict is incomplete', () => {
    const r = results([suite('s', [pass('a'), testResult('b', [attempt(1, 'running')])])], {
      complete: false,
      incompleteReason: 'cancelled',
    });
    const ev = evaluate(r);
    expect(ev.verdict).toBe('incomplete');
    expect(ev.suites[0]?.gate.ok).toBe(true);
    expect(renderMarkdown(r, ev)).toMatch(/^### ⏳ s$/m);
    expect(renderMarkdown(r, ev)).not.toMatch(/^### ✅ s$/m);
    expect(renderJunit(r, ev)).toContain('name="gate.result" value="undecided"');
    expect(renderHtml(r, ev)).toMatch(/<h2><span class="warn">⚠<\/span> s /);
  });
});
