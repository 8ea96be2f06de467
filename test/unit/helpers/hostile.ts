// Hostile text for the sanitiser's tests: the pieces the trust review found, and a model of
// what a GitHub runner takes as a workflow command.
import fc from 'fast-check';

/** Hostile pieces: escape sequences, controls, separators, workflow commands, XML trouble. */
export const HOSTILE = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u001b[2J',
  '\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007',
  '\u001b]0;title\u001b\\',
  '\u009b31m',
  '\u009d0;t\u009c',
  '\r',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u200b',
  '\ufeff',
  '::error::x',
  '::add-mask::secret',
  '  ::stop-commands::tok',
  '\t::warning file=a::b',
  '##[error]x',
  '##[stop-commands]tok',
  '#',
  ':',
  ']]>',
  '\ud800',
  '\udfff',
  '\uffff',
  '\ufffe',
  '😀',
];

/* biome-ignore-start lint/suspicious/noControlCharactersInRegex: asserting their absence */
/** Controls but \n. */
export const C0_C1 = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** What XML 1.0 cannot carry (with the u flag a paired surrogate is one character, so fine). */
export const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;
/** Our own TTY styling: SGR and erase line. */
export const OUR_STYLING = /\u001b\[[\d;]*m|\u001b\[[0-2]?K/g;
/* biome-ignore-end lint/suspicious/noControlCharactersInRegex: asserting their absence */

/**
 * The runner's view of one line, made stricter than the runner (actions/runner ActionCommand.cs):
 * characters its culture-sensitive comparisons may skip are dropped first, then leading
 * whitespace; a command starts with "::" or holds "##[" anywhere.
 */
export function isWorkflowCommand(line: string): boolean {
  const seen = line.replace(/[\p{Default_Ignorable_Code_Point}\p{Cc}]/gu, '').replace(/^\s+/u, '');
  return seen.startsWith('::') || seen.includes('##[');
}

/** Lines as the runner splits a stream: at \n and at \r. */
export const runnerLines = (text: string): string[] => text.split(/\r\n|[\r\n]/);

/** Random text full of the hostile pieces, in any order, mixed with any Unicode. */
export const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(':', '#', '[', ' ', '\n', '\r', '\u200b', 'a') }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
