// The files we are given (results.json, a history file, a run state) are read at most up to a
// limit: a wrong path to a device that never ends, or a huge file, is refused after `limit`
// bytes instead of being read until memory runs out.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_FILE_LIMIT, readCapped } from '../../src/files.js';
import { readHistoryFile } from '../../src/history.js';
import { readResultsFile } from '../../src/results-file.js';
import { readState, statePath } from '../../src/run/state.js';

const dir = mkdtempSync(join(tmpdir(), 'rg-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const unix = process.platform !== 'win32' && existsSync('/dev/zero');

describe('readCapped', () => {
  it('reads a file up to the limit, and refuses one byte more', () => {
    const file = join(dir, 'ten');
    writeFileSync(file, 'é'.repeat(5)); // 10 bytes of UTF-8
    expect(readCapped(file, 10)).toBe('ééééé');
    expect(readCapped(file, 9)).toBeUndefined();
    expect(readCapped(file, 1024 * 1024 * 3)).toBe('ééééé');
    writeFileSync(file, '');
    expect(readCapped(file, 0)).toBe('');
  });

  it.runIf(unix)('a device that never ends costs the limit, not all memory', () => {
    expect(readCapped('/dev/zero', 3 * 1024 * 1024 + 5)).toBeUndefined();
  });

  it.runIf(unix)('reads a pipe to its end', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // A writer in another process, since opening a FIFO blocks until both ends are open.
    const writer = `require("fs").writeFileSync(${JSON.stringify(fifo)}, "x".repeat(3000000))`;
    const child = spawn(process.execPath, ['-e', writer]);
    expect(readCapped(fifo, 4_000_000)?.length).toBe(3_000_000);
    child.kill();
  });

  it('throws the open error for the caller to name', () => {
    expect(() => readCapped(join(dir, 'missing'), 10)).toThrow(/ENOENT/);
  });
});

describe.runIf(unix)('the readers of our JSON files refuse what passes the limit', () => {
  const huge = `larger than ${JSON_FILE_LIMIT / 1024 / 1024} MiB`;
  it('results.json (report --from, merge, --baseline)', async () => {
    await expect(readResultsFile('/dev/zero', 'zero.json')).rejects.toThrow(
      `zero.json: ${huge}; is this a results.json written by rubric-gate?`,
    );
  });

  it('a history file (--history)', async () => {
    await expect(readHistoryFile('/dev/zero', 'h.json')).rejects.toThrow(`--history h.json: ${huge}`);
  });

  it('a run state (--resume)', () => {
    const out = join(dir, 'out');
    mkdirSync(out);
    symlinkSync('/dev/zero', statePath(out));
    expect(() => readState(out)).toThrow(`is ${huge}; it is not a rubric-gate run state`);
  });
});
