// The one sanitiser between untrusted text (API answers: test and criterion names, logs, error
// details; suite-file content) and every terminal, CI log, annotation and XML report. Pure.
//
// Two layers, one mechanism:
// - cleanLine / cleanText where untrusted text is interpolated: no escape sequences, no C0/C1
//   controls, no bidi overrides, no line separators inside a line, nothing a GitHub runner would
//   read as a workflow command, nothing XML 1.0 forbids.
// - outputGuard at the sink (the CLI's stdout/stderr, the Action's log): the same rules applied to
//   everything written, statefully across writes, so no renderer can bypass them. Only our own
//   styling survives: colour where colour is on, erase-line and carriage return on a terminal.
//
// Workflow commands (actions/runner ActionCommand.cs): a line is a command when, after leading
// whitespace, it starts with "::" (TryParseV2), or when it contains "##[" anywhere (the legacy
// TryParse, still tried second). Lines end at \n or \r. The runner compares with culture-sensitive
// StartsWith/IndexOf, which skip "ignorable" characters (zero-width, format, controls), so a
// zero-width character cannot break a command: we insert a plain space (": :", "## [").
import { stripVTControlCharacters } from 'node:util';

/* biome-ignore-start lint/suspicious/noControlCharactersInRegex: finding control characters is the point */
/** OSC, DCS, SOS, PM and APC strings (7-bit or C1 introducer) through their terminator. */
const STRING_SEQUENCE =
  /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;
/** Whatever breaks or ends a line, for a terminal, the runner or a log viewer. */
const LINE_BREAKS = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/g;
/** C0, DEL, C1; bidi embeddings, overrides and isolates (they reorder what a line shows). */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** Code points no text needs and XML 1.0 forbids. */
const NONCHARACTERS = /[\ufffe\uffff]/g;
/** With the u flag, only unpaired surrogates match. */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;
/** Our own styling: SGR (colour) and erase-line. */
const STYLING = /(\u001b\[[\d;]*m|\u001b\[[0-2]?K)/;
/** Anything cleanLine has to remove or replace (surrogates: pairs too, for a quick test). */
const NEEDS_CLEANING =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]/;
/** NEEDS_CLEANING but \n: text whose only line breaks are \n and that holds nothing else to strip. */
const NEEDS_CLEANING_BUT_LF =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]/;
/** A ':' before anything but whitespace and ignorable characters. */
const LEADING_COLON = /^[\s\p{Default_Ignorable_Code_Point}\p{Cc}]*:/u;
/* biome-ignore-end lint/suspicious/noControlCharactersInRegex: finding control characters is the point */

/** Escape sequences out: string sequences whole, then CSI and the rest (node's own pattern). */
const stripSequences = (text: string): string => stripVTControlCharacters(text.replace(STRING_SEQUENCE, ''));

/** Where a workflow-command scan stands: at the start of a line, after one ':' there, or mid-line. */
export interface CommandScan {
  lead: 'blank' | 'colon' | 'text';
  hashes: number;
}
export const lineStart = (): CommandScan => ({ lead: 'blank', hashes: 0 });

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;

/** Skipped by the runner's culture-sensitive comparisons: controls and default-ignorables. */
const isIgnorable = (code: number): boolean =>
  code < 0x20 ||
  (code >= 0x7f && code <= 0x9f) ||
  (code > 0x9f && DEFAULT_IGNORABLE.test(String.fromCodePoint(code)));

/** Leading whitespace the runner trims (controls are ignorable, handled before). */
const isSpace = (code: number): boolean =>
  code === 0x20 || (code > 0x7f && /\s/u.test(String.fromCodePoint(code)));

/**
 * Insert a space wherever the text would otherwise complete "::" at the start of a line or "##["
 * anywhere. `scan` carries the state from the text written before (a stream written in pieces).
 */
export function neutraliseCommands(text: string, scan: CommandScan = lineStart()): string {
  let out = '';
  let copied = 0;
  // Just after the last character the runner does not skip: the space goes there, before any
  // ignorable run, so it never lands inside an escape sequence we keep ("##" ESC "[31m").
  let afterSignificant = 0;
  const insertSpace = () => {
    out += `${text.slice(copied, afterSignificant)} `;
    copied = afterSignificant;
  };
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      code = ((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      i++;
    }
    if (code === 0x0a || code === 0x0d) {
      scan.lead = 'blank';
      scan.hashes = 0;
      continue;
    }
    if (isIgnorable(code)) continue;
    if (code === 0x3a /* : */ && scan.lead === 'colon') {
      insertSpace();
      scan.lead = 'text';
    } else if (code === 0x3a && scan.lead === 'blank') {
      scan.lead = 'colon';
    } else if (!(scan.lead === 'blank' && isSpace(code))) {
      scan.lead = 'text';
    }
    if (code === 0x5b /* [ */ && scan.hashes >= 2) insertSpace();
    scan.hashes = code === 0x23 /* # */ ? scan.hashes + 1 : 0;
    afterSignificant = i + 1;
  }
  return out + text.slice(copied);
}

/** Controls, separators and invalid code points out of text that has no line breaks left. */
const stripControls = (text: string): string =>
  text.replace(CONTROLS, '').replace(NONCHARACTERS, '').replace(LONE_SURROGATE, '\ufffd');

/**
 * Untrusted text as one line, safe anywhere: in a terminal line, a CI log line, an annotation,
 * an XML attribute. Line breaks and tabs become spaces; escape sequences, controls, bidi
 * overrides and noncharacters go; a lone surrogate becomes U+FFFD; "::" at its start and "##["
 * anywhere are broken with a space.
 */
export function cleanLine(text: string): string {
  const stripped = NEEDS_CLEANING.test(text)
    ? stripControls(stripSequences(text).replace(LINE_BREAKS, ' ').replace(/\t/g, ' '))
    : text;
  // Only a '[' (for "##[") or a ':' first (for "::") can call for a space.
  return stripped.includes('[') || (stripped.includes(':') && LEADING_COLON.test(stripped))
    ? neutraliseCommands(stripped)
    : stripped;
}

/** Untrusted multi-line text (logs, error details): every line cleaned as by cleanLine, joined by \n. */
export function cleanText(text: string): string {
  // Most text (every report's per-test details) has no escape or other break to find first.
  if (!NEEDS_CLEANING_BUT_LF.test(text)) return text.split('\n').map(cleanLine).join('\n');
  return stripSequences(text).split(LINE_BREAKS).map(cleanLine).join('\n');
}

/**
 * The sink guard: a filter for one output stream, applied to every write in order. Of all
 * escape sequences only our own styling survives: SGR colour when colour is on for the stream,
 * erase-line on a terminal. Of all controls only \n survives, and \r on a terminal (elsewhere
 * it becomes \n, a line break for the runner too). Workflow commands are broken across writes:
 * the scan state is kept.
 */
export function outputGuard(opts: { tty: boolean; colour: boolean }): (chunk: string) => string {
  const scan = lineStart();
  // Between the line breaks we keep, the same cleaning as cleanLine (less the command scan,
  // which runs over the whole stream).
  const plain = (segment: string): string =>
    stripSequences(segment)
      .split(/(\r\n|[\n\r])/)
      .map((p, i) =>
        i % 2 === 1 ? (opts.tty ? p : '\n') : stripControls(p.replace(/[\t\v\f\u0085\u2028\u2029]/g, ' ')),
      )
      .join('');
  const keep = (sequence: string): boolean => (sequence.endsWith('m') ? opts.colour : opts.tty);
  return (chunk) => {
    // split() with a capturing group: odd indices are styling sequences.
    const parts = chunk.split(STYLING);
    const filtered = parts.map((p, i) => (i % 2 === 1 ? (keep(p) ? p : '') : plain(p))).join('');
    return neutraliseCommands(filtered, scan);
  };
}
