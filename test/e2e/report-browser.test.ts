// report.html in a real browser (Debian's Chromium via puppeteer-core): every test is on the
// page, the failures filter and the search work, nothing is fetched, nothing logs an error,
// hostile names stay text, and the page reads with scripts off. Saves a screenshot to
// test-artifacts/report.png (UPDATE_DOCS_SCREENSHOT=1 also refreshes docs/report-screenshot.png).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../reporters/html.js';
import type { Results } from '../../src/results.js';
import { cleanLine } from '../../src/sanitize.js';
import { type Evaluation, evaluate } from '../../src/verdict.js';
import { bigResults, loadFixture } from '../unit/helpers/results.js';
import { type LaunchedBrowser, launchChromium } from './browser.js';

// The page-side callbacks run in Chromium. The project compiles without the DOM lib (src must
// not see browser globals), so they are typed with these few shapes.
interface El {
  textContent: string | null;
  innerText: string;
  offsetParent: unknown;
  hidden: boolean;
  open: boolean;
  value: string;
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
  dispatchEvent(event: Event): boolean;
  scrollIntoView(): void;
}
declare const document: {
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El> & ArrayLike<El>;
  scripts: { length: number };
};

const root = join(import.meta.dirname, '..', '..');
const ARTIFACTS = join(root, 'test-artifacts');
const dir = mkdtempSync(join(tmpdir(), 'rg-html-'));
let chromium: LaunchedBrowser;

beforeAll(async () => {
  chromium = await launchChromium();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, results: Results, evaluation: Evaluation): string {
  const path = join(dir, name);
  writeFileSync(path, renderHtml(results, evaluation));
  return path;
}

interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** Open a report, recording console errors, page errors, requests and dialogs. */
async function open(path: string, opts: { javascript?: boolean } = {}): Promise<Opened> {
  const page = await chromium.browser.newPage();
  await page.setJavaScriptEnabled(opts.javascript ?? true);
  await page.setViewport({ width: 1200, height: 900 });
  const o: Opened = { page, errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') o.errors.push(m.text());
  });
  page.on('pageerror', (e) => o.errors.push(String(e)));
  page.on('request', (r) => o.requests.push(r.url()));
  page.on('dialog', (d) => {
    o.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load', timeout: 60_000 });
  return o;
}

const visibleTests = (page: Page) =>
  page.$$eval('details.t', (els) =>
    els
      .filter((e) => (e as unknown as El).offsetParent !== null)
      .map((e) => ({
        name: e.querySelector('.n')?.textContent ?? '',
        outcome: (e as unknown as El).dataset.outcome ?? '',
      })),
  );

describe('report.html in Chromium', () => {
  it('shows every test, filters to failures, searches by name, fetches nothing', async () => {
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r, { baseline: loadFixture('baseline.json') });
    const path = write('report.html', r, ev);
    const { page, errors, requests, dialogs } = await open(path);

    // Verdict and gates come before any test.
    const order = await page.evaluate(() =>
      ['header.verdict', '#gate', 'details.t'].map((sel) => {
        const el = document.querySelector(sel);
        return el ? [...document.querySelectorAll('*')].indexOf(el) : -1;
      }),
    );
    expect(order[0]).toBeGreaterThan(-1);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(await page.$eval('h1', (h) => h.textContent)).toContain('rubric-gate: incomplete');

    const all = ev.suites.flatMap((s) => s.tests);
    const shown = await visibleTests(page);
    expect(shown.map((t) => t.name).sort()).toEqual(all.map((t) => t.test).sort());
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe(
      `${all.length} of ${all.length} tests shown`,
    );

    await page.click('#only-failures');
    const failures = all.filter((t) => !['passed', 'flaky', 'skipped'].includes(t.outcome));
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(all.length);
    const filtered = await visibleTests(page);
    expect(filtered.map((t) => t.name).sort()).toEqual(failures.map((t) => t.test).sort());
    expect(await page.$eval('#shown', (e) => e.textContent)).toBe(
      `${failures.length} of ${all.length} tests shown`,
    );
    await page.click('#only-failures');

    const target = all.find((t) => t.outcome === 'passed')!;
    await page.type('#search', target.test.slice(2, 12).toUpperCase());
    const found = await visibleTests(page);
    expect(found.map((t) => t.name)).toContain(target.test);
    expect(found.every((t) => t.name.toLowerCase().includes(target.test.slice(2, 12).toLowerCase()))).toBe(
      true,
    );
    // A suite with nothing left to show folds away with its tests.
    const suitesShown = await page.$$eval('section.suite', (s) => s.filter((x) => !x.hidden).length);
    expect(suitesShown).toBe(new Set(found.map(() => target.suite)).size);
    await page.$eval('#search', (e) => {
      (e as unknown as El).value = '';
    });
    await page.type('#search', 'no test is named like this');
    expect(await visibleTests(page)).toEqual([]);
    await page.$eval('#search', (e) => {
      (e as unknown as El).value = '';
      e.dispatchEvent(new Event('input'));
    });

    // The failing test's detail: criteria x trials grid, run and conversation ids, its log.
    const failing = all.find((t) => t.outcome === 'failed' && t.runIds.length > 0)!;
    const detail = await page.$$eval(
      'details.t',
      (els, name) => {
        const el = els.find((e) => e.querySelector('.n')?.textContent === name) as unknown as El;
        el.open = true;
        return { text: el.innerText, grid: el.querySelectorAll('table.grid tr').length };
      },
      failing.test,
    );
    for (const id of [...failing.runIds, ...failing.conversationIds]) expect(detail.text).toContain(id);
    for (const c of failing.failedCriteria) expect(detail.text).toContain(c.name);
    expect(detail.grid).toBeGreaterThan(2);

    mkdirSync(ARTIFACTS, { recursive: true });
    // From the top, so the sticky filter bar sits in its place in the full-page shot.
    await page.$eval('header', (h) => (h as unknown as El).scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    if (process.env.UPDATE_DOCS_SCREENSHOT) {
      copyFileSync(join(ARTIFACTS, 'report.png'), join(root, 'docs', 'report-screenshot.png'));
    }

    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
    await page.close();
  }, 120_000);

  it('reads with scripts off: every test and its detail, no dead controls', async () => {
    const r = loadFixture('all-outcomes.json');
    const ev = evaluate(r);
    const { page, errors } = await open(write('noscript.html', r, ev), { javascript: false });
    const all = ev.suites.flatMap((s) => s.tests);
    expect((await visibleTests(page)).length).toBe(all.length);
    expect(await page.$eval('#controls', (e) => (e as unknown as El).offsetParent === null)).toBe(true);
    // <details> folds and unfolds without a script.
    await page.click('details.t > summary');
    expect(await page.$eval('details.t', (e) => (e as unknown as El).open)).toBe(true);
    expect(await page.$eval('details.t', (e) => (e as unknown as El).innerText)).toContain('status');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('keeps hostile names as text: no markup, no script, no dialog', async () => {
    const r = loadFixture('hostile-names.json');
    const ev = evaluate(r);
    const path = write('hostile.html', r, ev);
    const { page, errors, requests, dialogs } = await open(path);
    const names = (await visibleTests(page)).map((t) => t.name);
    // Names go through the project's sanitiser (one clean line), and read exactly as it leaves them.
    expect(names.sort()).toEqual(ev.suites.flatMap((s) => s.tests.map((t) => cleanLine(t.test))).sort());
    const injected = await page.evaluate(() => ({
      scripts: document.scripts.length,
      elements: document.querySelectorAll('img, iframe, object, embed, form, a[href^="javascript"]').length,
    }));
    expect(injected).toEqual({ scripts: 1, elements: 0 });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(path).href]);
    await page.close();
  }, 120_000);

  it('handles 2,000 tests: under 2.5 MB, every test listed, the filter finds the 80 failures', async () => {
    const big = bigResults();
    const ev = evaluate(big);
    const path = write('big.html', big, ev);
    expect(statSync(path).size).toBeLessThan(2.5 * 1024 * 1024);
    const { page, errors } = await open(path);
    expect(await page.$$eval('details.t', (e) => e.length)).toBe(2000);
    await page.click('#only-failures');
    const shown = await visibleTests(page);
    // 40 behavioural failures and 40 timeouts.
    expect(shown).toHaveLength(80);
    expect(shown.every((t) => t.outcome === 'failed' || t.outcome === 'error')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
