// writeFileAtomic writes all of a file or none of it: under a file-size limit (as on a full
// disk) write(2) takes part of a batch without an error, and a short temporary file renamed over
// a whole report was a cut-off report with no error.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'rg-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const files = resolve('src/files.ts');
const unix = process.platform !== 'win32' && existsSync('/bin/bash');

/** Run writeFileAtomic(path, text) in a child whose files may hold at most `kib` KiB. */
function writeUnderLimit(kib: number, path: string, text: string | string[]) {
  const script = join(dir, 'write.mts');
  writeFileSync(
    script,
    `import { writeFileAtomic } from ${JSON.stringify(files)};\n` +
      `try { writeFileAtomic(${JSON.stringify(path)}, ${JSON.stringify(text)}); console.log('ok'); }\n` +
      `catch (e) { console.log('threw ' + e.code); }\n`,
  );
  return spawnSync(
    'bash',
    ['-c', `ulimit -f ${kib} && exec "$0" --import tsx "$1"`, process.execPath, script],
    {
      encoding: 'utf8',
    },
  );
}

describe.runIf(unix)('writeFileAtomic under a file-size limit', () => {
  it.each([
    ['one string', 'x'.repeat(20_000)],
    ['pieces', Array.from({ length: 200 }, (_, i) => `${i}:${'y'.repeat(97)}\n`)],
  ])('%s: throws, and the file before it stays whole', (_, text) => {
    const path = join(dir, 'report.json');
    writeFileSync(path, '{"whole":true}');
    const res = writeUnderLimit(8, path, text);
    expect(res.stdout.trim(), res.stderr).toBe('threw EFBIG');
    expect(readFileSync(path, 'utf8')).toBe('{"whole":true}');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a file within the limit is written whole', () => {
    const path = join(dir, 'small.json');
    const res = writeUnderLimit(64, path, 'z'.repeat(20_000));
    expect(res.stdout.trim(), res.stderr).toBe('ok');
    expect(readFileSync(path, 'utf8')).toBe('z'.repeat(20_000));
  });
});
