import { stripVTControlCharacters } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldIn, guardedStream } from '../../src/io.js';
import { cleanLine, cleanText, neutraliseCommands, outputGuard } from '../../src/sanitize.js';
import {
  C0_C1,
  HOSTILE,
  hostileText,
  isWorkflowCommand,
  OUR_STYLING,
  runnerLines,
} from './helpers/hostile.js';

const LONE_SURROGATE = /[\ud800-\udfff]/u;

function assertSafeLine(out: string): void {
  expect(out).not.toMatch(C0_C1);
  expect(out).not.toMatch(/[\n\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/);
  expect(out).not.toMatch(LONE_SURROGATE);
  expect(isWorkflowCommand(out)).toBe(false);
}

describe('cleanLine', () => {
  it('removes each hostile piece', () => {
    expect(cleanLine('a\u0000b\u0007c')).toBe('abc');
    expect(cleanLine('\u001b[31mred\u001b[0m')).toBe('red');
    expect(cleanLine('\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u0007')).toBe('link');
    expect(cleanLine('\u009b31mred')).toBe('red');
    expect(cleanLine('one\r\ntwo\rthree\u2028four\u2029five\nsix')).toBe('one two three four five six');
    expect(cleanLine('tab\there')).toBe('tab here');
    expect(cleanLine('abc\u202edcba')).toBe('abcdcba');
    expect(cleanLine('x\ud800y\uffffz')).toBe('x\ufffdyz');
    expect(cleanLine('😀 ok')).toBe('😀 ok');
  });

  it('breaks workflow commands with a visible space', () => {
    expect(cleanLine('::error::x')).toBe(': :error::x');
    expect(cleanLine('  ::stop-commands::tok')).toBe('  : :stop-commands::tok');
    expect(cleanLine('\u200b::add-mask::k')).toBe('\u200b: :add-mask::k');
    expect(cleanLine('a ##[error]x')).toBe('a ## [error]x');
    expect(cleanLine('#\u200b#[error]x')).toBe('#\u200b# [error]x');
    expect(cleanLine('a ::b')).toBe('a ::b'); // mid-line "::" is no command
    for (const h of HOSTILE) expect(isWorkflowCommand(cleanLine(h))).toBe(false);
  });

  it('leaves ordinary text alone', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...Array.from('abc XYZ 019 .,;!?()<>&"\'/-_é漢😀')) }),
        (s) => {
          expect(cleanLine(s)).toBe(s);
        },
      ),
    );
  });

  it('for any input: one safe line, and idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText, fc.string({ unit: 'binary' })), (s) => {
        const out = cleanLine(s);
        assertSafeLine(out);
        expect(cleanLine(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cleanText', () => {
  it('keeps line breaks as \\n and cleans every line', () => {
    expect(cleanText('a\r\n::error::b\rc\u2028##[x]')).toBe('a\n: :error::b\nc\n## [x]');
  });

  it('for any input: every line safe, and idempotent', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const out = cleanText(s);
        for (const line of runnerLines(out)) assertSafeLine(line);
        expect(out).not.toContain('\r');
        expect(cleanText(out)).toBe(out);
      }),
      { numRuns: 500 },
    );
  });
});

/** Write `text` through a guard in pieces cut at the given points. */
function throughGuard(guard: (chunk: string) => string, text: string, cuts: number[]): string {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const p of [...points, text.length]) {
    out += guard(text.slice(from, p));
    from = p;
  }
  return out;
}

describe('outputGuard', () => {
  it('off a terminal: only \\n survives, \\r is a line break, and no line is a command', () => {
    const text =
      'ok\n::error::x\n  ::add-mask::k\r::warning::y\u001b[31m red\u001b[0m\u0007\u001b]0;t\u0007\u001b[2K\n';
    expect(outputGuard({ tty: false, colour: false })(text)).toBe(
      'ok\n: :error::x\n  : :add-mask::k\n: :warning::y red\n',
    );
    // With FORCE_COLOR in CI: colour stays (a log renders it), nothing else does.
    expect(outputGuard({ tty: false, colour: true })(text)).toBe(
      'ok\n: :error::x\n  : :add-mask::k\n: :warning::y\u001b[31m red\u001b[0m\n',
    );
  });

  it('breaks a command split across writes', () => {
    const guard = outputGuard({ tty: false, colour: false });
    expect([guard('a\n :'), guard(':error::x\n#'), guard('#'), guard('[error]y\n')].join('')).toBe(
      'a\n : :error::x\n## [error]y\n',
    );
  });

  it('on a TTY keeps our own styling (SGR, erase line, \\r) and nothing else', () => {
    const guard = outputGuard({ tty: true, colour: true });
    expect(guard('\r\u001b[2K3 running · 1 failed  5 s')).toBe('\r\u001b[2K3 running · 1 failed  5 s');
    expect(guard('\u001b[32m+ create\u001b[39m\n')).toBe('\u001b[32m+ create\u001b[39m\n');
    expect(guard('\u001b]8;;https://x/\u0007l\u001b]8;;\u0007 \u001b[2J\u0000\u0007\u009b1m\n')).toBe('l \n');
  });

  it('breaks "##[" before the colour it keeps, never inside it (a lone ESC would reach the terminal)', () => {
    const guard = outputGuard({ tty: true, colour: true });
    expect(guard('##\u001b[31mred\u001b[39m\n')).toBe('## \u001b[31mred\u001b[39m\n');
    const split = outputGuard({ tty: true, colour: true });
    expect([split('a##'), split('\u001b[31m[x'), split('\u001b[39m\n')].join('')).toBe(
      'a## \u001b[31m[x\u001b[39m\n',
    );
    expect(neutraliseCommands('##\u200b[x')).toBe('## \u200b[x');
  });

  it('off a terminal without colour, for any text in any pieces: no control but \\n, no command line', () => {
    fc.assert(
      fc.property(hostileText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const out = throughGuard(outputGuard({ tty: false, colour: false }), text, cuts);
        expect(out).not.toMatch(C0_C1);
        expect(out).not.toMatch(/[\r\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
        for (const line of runnerLines(out)) expect(isWorkflowCommand(line)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('on a TTY, for any text in any pieces: no escape but SGR and erase line, no command line', () => {
    fc.assert(
      fc.property(hostileText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        const out = throughGuard(outputGuard({ tty: true, colour: true }), text, cuts);
        expect(out.replace(OUR_STYLING, '').replace(/\r/g, '')).not.toMatch(C0_C1);
        for (const line of runnerLines(out)) expect(isWorkflowCommand(line)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('the scan is per stream: a fresh guard starts at a line start', () => {
    expect(neutraliseCommands('::x::y')).toBe(': :x::y');
  });
});

describe('folded output (guardedStream + foldIn)', () => {
  it('for any title, body and text around it: the only command lines are our group and endgroup', () => {
    fc.assert(
      fc.property(hostileText, hostileText, hostileText, hostileText, (before, title, body, after) => {
        let out = '';
        const stream = guardedStream(
          (t) => {
            out += t;
          },
          outputGuard({ tty: false, colour: false }),
        );
        stream.text(before);
        foldIn(stream, title, body);
        stream.text(after);
        const commands = runnerLines(out).filter(isWorkflowCommand);
        // Each on a line of its own, whatever was mid-line before it.
        expect(commands).toEqual([`::group::${cleanLine(title)}`, '::endgroup::']);
      }),
      { numRuns: 300 },
    );
  });
});

describe('cleanText fast path', () => {
  it('equals the full path (escapes out, split at every break, each line cleaned) for any text', () => {
    /* biome-ignore-start lint/suspicious/noControlCharactersInRegex: the sanitiser's own patterns, as the reference */
    const full = (text: string) =>
      stripVTControlCharacters(
        text.replace(
          /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g,
          '',
        ),
      )
        .split(/\r\n|[\n\v\f\r\u0085\u2028\u2029]/g)
        .map(cleanLine)
        .join('\n');
    /* biome-ignore-end lint/suspicious/noControlCharactersInRegex: the sanitiser's own patterns, as the reference */
    fc.assert(
      fc.property(
        fc.oneof(hostileText, fc.string({ unit: fc.constantFrom('a', ':', '#', '[', '\n', ' ') })),
        (t) => {
          expect(cleanText(t)).toBe(full(t));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
