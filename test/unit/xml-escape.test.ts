// The XML escapers take one pass (and none when there is nothing to escape); they must write
// exactly what escaping & first and then each other character in turn writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText } from '../../reporters/xml.js';

/* biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;
const referenceText = (s: string): string =>
  s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
const referenceAttr = (s: string): string =>
  referenceText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');

// Strings dense in the characters that matter, plus any UTF-16 (lone surrogates included).
const text = fc.oneof(
  fc.string({
    unit: fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\t', 'a', ';', '#', '\u0001', '\ufffe'),
  }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
);

describe('XML escaping', () => {
  it('escapeText equals the chained replaces, for any string', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(escapeText(s)).toBe(referenceText(s));
      }),
      { numRuns: 2000 },
    );
  });
  it('escapeAttr equals the chained replaces, for any string', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(escapeAttr(s)).toBe(referenceAttr(s));
      }),
      { numRuns: 2000 },
    );
  });
  it('returns text with nothing to escape unchanged', () => {
    expect(escapeAttr('t0001 › outcome')).toBe('t0001 › outcome');
    expect(escapeText('A & B <c>\r')).toBe('A &amp; B &lt;c&gt;&#13;');
  });
});
