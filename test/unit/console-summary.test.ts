import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { colorEnabled } from '../../reporters/style.js';
import { evaluate } from '../../src/verdict.js';
import { attempt, errored, fail, pass, results, suite, testResult } from './helpers/results.js';

describe('renderConsoleSummary names the failing tests', () => {
  const r = results([
    suite('refunds', [
      pass('Happy path'),
      fail('Damaged product refund', { Accuracy: 'failed', Empathy: 'passed' }, { line: 12 }),
      testResult(
        'Invoice copy',
        [attempt(1, 'error', {}, { message: 'assistant returned an internal error' })],
        {
          line: 30,
        },
      ),
    ]),
  ]);

  it('with the failed criteria or the cause, at file:line, failures first', () => {
    const text = renderConsoleSummary(evaluate(r));
    const lines = text.split('\n');
    const at = lines.indexOf('  failing tests:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 3)).toEqual([
      '    x refunds › Damaged product refund (suites/s.yaml:12): Accuracy (required)',
      '    ! refunds › Invoice copy (suites/s.yaml:30): error: assistant returned an internal error',
    ]);
    expect(text).not.toContain('Happy path');
  });

  it('caps the list with "and N more"', () => {
    const many = results([
      suite(
        's',
        Array.from({ length: 25 }, (_, i) => errored(`t${i}`)),
      ),
    ]);
    const text = renderConsoleSummary(evaluate(many), { maxTests: 5 });
    expect(text.match(/^ {4}! s › t\d+/gm)).toHaveLength(5);
    expect(text).toContain('    ... and 20 more failing tests (see the reports)');
  });

  it('colours only when asked, and the text is the same once the colour is stripped', () => {
    const plain = renderConsoleSummary(evaluate(r));
    const coloured = renderConsoleSummary(evaluate(r), { color: true });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ESC
    expect(plain).not.toMatch(/\u001b/);
    expect(coloured).toContain('\u001b[31m');
    expect(coloured.startsWith('rubric-gate: \u001b[31m\u001b[1mFAILED')).toBe(true);
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  it('keeps a hostile name from styling the terminal even with colour on', () => {
    const evil = results([suite('s', [fail('x\u001b[31mred\u001b]0;title\u0007', { Accuracy: 'failed' })])]);
    const text = renderConsoleSummary(evaluate(evil), { color: true });
    expect(text).not.toContain('\u001b]0;');
    expect(text).toContain('s › xred (suites/s.yaml:1)');
  });

  it('lists the HTML report beside the others', () => {
    const text = renderConsoleSummary(evaluate(r), { paths: { htmlPath: 'out/report.html' } });
    expect(text).toContain('  report:   out/report.html');
  });
});

describe('colorEnabled', () => {
  it('follows FORCE_COLOR, then NO_COLOR, then the terminal', () => {
    expect(colorEnabled({}, true)).toBe(true);
    expect(colorEnabled({}, false)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorEnabled({ NO_COLOR: '' }, true)).toBe(true); // no-color.org: empty means unset
    expect(colorEnabled({ FORCE_COLOR: '1' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '' }, false)).toBe(true);
    expect(colorEnabled({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: 'false', NO_COLOR: '' }, true)).toBe(false);
    expect(colorEnabled({ FORCE_COLOR: '3', NO_COLOR: '1' }, false)).toBe(true);
  });

  it('never colours with NO_COLOR set and FORCE_COLOR unset (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.boolean(), (noColor, tty) => {
        expect(colorEnabled({ NO_COLOR: noColor }, tty)).toBe(false);
      }),
    );
  });
});
