import { pairKey } from '../src/keys.js';
import type { Evaluation } from '../src/verdict.js';
import { comparisonCells, comparisonHeadline } from './comparison.js';
import { escapeHtmlLine } from './markdown.js';

const esc = escapeHtmlLine;

export function comparisonSection(ev: Evaluation, anchors: ReadonlyMap<string, string>): string {
  const headline = comparisonHeadline(ev);
  if (headline === undefined) return '';
  const rows = comparisonCells(ev).map((r) => {
    const id = anchors.get(pairKey(r.suite, r.test));
    const name = `${esc(r.suite)} › ${esc(r.test)}`;
    const change = r.regression ? `<b>${esc(r.change)}</b>` : esc(r.change);
    return `<tr><td>${id ? `<a href="#${id}">${name}</a>` : name}</td><td>${esc(r.outcomes)}</td><td>${change}</td><td>${esc(r.flipped)}</td><td>${esc(r.p)}</td></tr>`;
  });
  return [
    '<h2>Candidate against baseline</h2>',
    `<p>${esc(headline)}</p>`,
    '<table><thead><tr><th>Test</th><th>Baseline → candidate</th><th>Change</th><th>Criteria that flipped</th><th>p</th></tr></thead>',
    `<tbody>${rows.join('')}</tbody></table>`,
  ].join('\n');
}
