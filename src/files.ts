// The one way a file we own is replaced: written to a temporary name beside it, then renamed,
// so a reader (or a killed run) sees the old file or the new one, never half of one. And the one
// way a file we are given is read: never more of it than a limit.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { batched } from './json-chunks.js';

/**
 * Write `text` (a string, or its pieces in order) to a temporary file, then rename it over
 * `path`; the folder is made if missing. Pieces go out in small batches, so a large file never
 * exists as one string or one buffer (10,000 tests: results.json over 10 MB, junit.xml 12 MB).
 *
 * Synchronous on purpose: these writes come when the work is done and nothing else waits on
 * the event loop, and a promise round trip per 32 KB batch cost more than the writing (5,000
 * tests: four reports ~130 ms faster). A signal that arrives meanwhile is handled right after.
 */
export function writeFileAtomic(path: string, text: string | Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const batch of typeof text === 'string' ? [text] : batched(text)) writeAll(fd, batch);
      // On disk before the rename: a crash must not leave an empty file where a whole one was.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * All of `text`: write(2) may take only part (a full disk or a file-size limit answers the rest
 * with an error on the next call, not this one), and a short temporary file renamed over a whole
 * one was a cut-off report with no error.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let at = 0; at < bytes.length; ) {
    const n = writeSync(fd, bytes, at, bytes.length - at);
    if (n <= 0) throw new Error(`could not write: ${n} bytes accepted`);
    at += n;
  }
}

/** The limit for the JSON files we read back (results.json, history, run state): ~10x a 10,000-test run's. */
export const JSON_FILE_LIMIT = 128 * 1024 * 1024;

/**
 * A file's text, or undefined when it holds more than `limit` bytes: read in pieces and given up
 * as soon as it passes the limit, so a wrong path (a device that never ends, a huge file) costs
 * `limit` bytes, not all the memory there is. Pipes work (`--baseline <(...)`). Errors of the
 * open and the reads (ENOENT, EISDIR, ...) are thrown for the caller to name.
 */
export function readCapped(path: string, limit: number): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const pieces: Buffer[] = [];
    let total = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n === 0) break;
      pieces.push(n === piece.length ? piece : piece.subarray(0, n));
      total += n;
      if (total > limit) return undefined;
    }
    return Buffer.concat(pieces, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** "128 MiB" */
export const mib = (bytes: number): string => `${Math.round(bytes / 1024 / 1024)} MiB`;
