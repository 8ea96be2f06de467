import { pairKey } from '../src/keys.js';
import type { Evaluation } from '../src/verdict.js';
import { escapeHtmlLine } from './markdown.js';
import { historyNote, quarantineNote, stripEmoji, suiteHistoryLine } from './memory.js';

const esc = escapeHtmlLine;

export function historySection(ev: Evaluation, anchors: ReadonlyMap<string, string>): string {
  const h = ev.history;
  const q = ev.quarantine;
  if (!h && !q) return '';
  const link = (x: { suite: string; test: string }) => {
    const id = anchors.get(pairKey(x.suite, x.test));
    const text = `${esc(x.suite)} › ${esc(x.test)}`;
    return id ? `<a href="#${id}">${text}</a>` : text;
  };
  const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
  const out: string[] = ['<h2>Across runs</h2>'];
  if (h) {
    out.push(
      `<p class="muted">${h.runs} run${h.runs === 1 ? '' : 's'} of history, this one included; strips show the last ${h.window} runs of each test's current definition, oldest first. None of this changes the gate.</p>`,
    );
    if (h.suites.length > 0) {
      out.push(`<p>${h.suites.map((s) => esc(suiteHistoryLine(s))).join('<br>')}</p>`);
    }
    if (h.flaky.length > 0) {
      out.push(
        '<p><b>Flaky by history</b> (the outcome flipped back and forth under the same definition):</p><ul>',
        ...h.flaky.map((f) => `<li>${link(f)}: ${stripEmoji(f.strip)} (${f.flips} flips)</li>`),
        '</ul>',
      );
    }
  }
  if (q) {
    out.push(
      `<p><b>Quarantined</b> (${q.gating ? 'gating: --no-quarantine' : 'reported, not gating'}):</p><ul>`,
      ...q.tests.map((t) => {
        const e = byTest.get(pairKey(t.suite, t.test));
        const recent = e?.history ? ` ${esc(historyNote(e.history))}` : '';
        return `<li>${link(t)}: ${esc(t.outcome)}${recent} — ${esc(quarantineNote(t, h?.releaseAfter))}</li>`;
      }),
      '</ul>',
    );
  }
  return out.join('\n');
}
