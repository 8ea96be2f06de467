// Typed errors and the one place that maps them (and the verdict) to exit codes.
// 0 every gate held; 1 a gate failed; 2 usage error or invalid suite files (nothing sent);
// 3 could not finish (API/network error, timeout, cancelled).

import { cleanLine } from './sanitize.js';

export const EXIT = { ok: 0, gateFailed: 1, usage: 2, incomplete: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad flags, env or arguments. Nothing was sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A problem located in a user file. line/col are 1-based. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

/**
 * One `file:line:col: message` line (editors and problem matchers read one per line). A file name
 * with a line break or another control in it is shown JSON-quoted, so it neither splits the line
 * nor hides which file it is.
 */
export const formatProblem = (p: Problem): string =>
  `${shownFile(p.file)}:${p.line}:${p.col}: ${cleanLine(p.message)}`;

const shownFile = (file: string): string => {
  const clean = cleanLine(file);
  return clean === file ? file : cleanLine(JSON.stringify(file));
};

/** Invalid suite files: every problem found, located. Nothing was sent. */
export class SuiteFileError extends Error {
  override name = 'SuiteFileError';
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in suite files:\n${problems.map(formatProblem).join('\n')}`,
    );
  }
}

/** The API answered with an error, or could not be reached after retries. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly details: {
      method: string;
      path: string;
      status?: number; // undefined: no HTTP response (connection error, timeout, abort)
      code?: string; // Telnyx error code, e.g. "10009"
      title?: string;
      detail?: string;
      attempts: number;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The run could not finish (timeout, cancelled, interrupted). Partial reports are still written. */
/** The API answered 404: what was asked for is not there (or not visible to the key). */
export const isNotFound = (err: unknown): boolean => err instanceof ApiError && err.details.status === 404;

export class IncompleteError extends Error {
  override name = 'IncompleteError';
}

/** Exit code for an error thrown out of a command. */
export function exitCodeForError(err: unknown): ExitCode {
  if (err instanceof UsageError || err instanceof SuiteFileError) return EXIT.usage;
  return EXIT.incomplete;
}

/**
 * An error thrown out of a command, as every entry point ends it: its message on stderr without
 * the API key, and its exit code.
 */
export function reportError(
  err: unknown,
  io: { stderr(text: string): void; env: Readonly<Record<string, string | undefined>> },
): ExitCode {
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`${redact(message, io.env.TELNYX_API_KEY)}\n`);
  return exitCodeForError(err);
}

/** Exit code for a finished (possibly partial) evaluation. */
export function exitCodeForVerdict(v: { passed: boolean; complete: boolean }): ExitCode {
  if (!v.complete) return EXIT.incomplete;
  return v.passed ? EXIT.ok : EXIT.gateFailed;
}

/** The shortest piece of a secret masked on its own (a long secret cut or quoted in part). */
const FRAGMENT = 8;

/**
 * Whether text holds any piece of the secret that redact would mask: one regular-expression pass
 * over the text for all of its 8-character pieces, so a large text without the secret (an API
 * answer) costs one scan, not one per piece. For a short secret, whether it holds it whole.
 */
export function secretProbe(secret: string): (text: string) => boolean {
  if (secret.length < 2 * FRAGMENT) return (text) => secret.length >= 4 && text.includes(secret);
  const pieces = new Set<string>();
  for (let k = 0; k + FRAGMENT <= secret.length; k++) pieces.add(secret.slice(k, k + FRAGMENT));
  const any = new RegExp([...pieces].map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  return (text) => any.test(text);
}

/**
 * Remove every occurrence of a secret from text before it is shown or written, and, for a secret
 * of 16 characters or more (an API key), every run of 8 or more characters that is part of it:
 * a server's error text may echo the key cut short, or quote only its start.
 */
export function redact(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 4) return text;
  const whole = text.split(secret).join('***');
  if (secret.length < 2 * FRAGMENT) return whole;
  // Where each of the secret's 8-character pieces occurs (a native scan each), grown to the
  // longest run of the text that is still part of the secret.
  const spans: Array<[number, number]> = [];
  for (let k = 0; k + FRAGMENT <= secret.length; k++) {
    const piece = secret.slice(k, k + FRAGMENT);
    for (let i = whole.indexOf(piece); i >= 0; i = whole.indexOf(piece, i + 1)) {
      let end = i + FRAGMENT;
      while (end < whole.length && secret.includes(whole.slice(i, end + 1))) end++;
      let start = i;
      while (start > 0 && secret.includes(whole.slice(start - 1, end))) start--;
      spans.push([start, end]);
    }
  }
  if (spans.length === 0) return whole;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    out += `${whole.slice(at, Math.max(at, start))}***`;
    at = end;
  }
  return out + whole.slice(at);
}
