// loadSuites: which files a path means, how files are named in problems and the model, and the
// checks across files. Uses a temp directory, never the repo's suites/.
import { execFileSync } from 'node:child_process';
import fs, {
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SuiteFileError } from '../../src/errors.js';
import { SUITE_FILE_LIMITS } from '../../src/suite/bounds.js';
import { loadSuites, loadSuitesOrThrow, readSuiteFile } from '../../src/suite/load.js';

const suite = (name: string, dest = 'asst-1') =>
  `suite: ${name}\ntests:\n  - name: t\n    destination: ${dest}\n    instructions: i\n    rubric: [{name: n, criteria: c}]\n`;

let cwd: string;
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
  writeFileSync(path.join(cwd, rel), text);
};
beforeEach(() => {
  cwd = mkdtempSync(path.join(tmpdir(), 'rg-load-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

describe('loadSuites', () => {
  it('a directory means its *.yaml, *.yml and *.json, sorted, without scenarios, dotfiles or others', async () => {
    write('suites/b.yml', suite('b'));
    write('suites/a.yaml', suite('a'));
    write(
      'suites/c.json',
      JSON.stringify({
        suite: 'c',
        defaults: { destination: 'x' },
        tests: [{ name: 't', instructions: 'i', rubric: [{ name: 'n', criteria: 'c' }] }],
      }),
    );
    write('suites/demo.scenario.yaml', 'not: a suite\n');
    write('suites/.hidden.yaml', 'not: a suite\n');
    write('suites/README.md', '# notes\n');
    write('suites/nested/d.yaml', suite('d'));
    const { suites, problems } = await loadSuites([], { cwd, env: {} });
    expect(problems).toEqual([]);
    expect(suites.map((s) => [s.name, s.file])).toEqual([
      ['a', 'suites/a.yaml'],
      ['b', 'suites/b.yml'],
      ['c', 'suites/c.json'],
    ]);
    expect(suites[0]?.tests[0]?.loc).toEqual({ file: 'suites/a.yaml', line: 3, col: 5 });
  });

  it('explicit files, a file named twice is read once, paths stay relative to cwd', async () => {
    write('x/one.yaml', suite('one'));
    const { suites, problems } = await loadSuites(['x/one.yaml', 'x', './x/one.yaml'], { cwd, env: {} });
    expect(problems).toEqual([]);
    expect(suites.map((s) => s.file)).toEqual(['x/one.yaml']);
  });

  it(`passes env through to \${VAR}`, async () => {
    write('suites/a.yaml', suite('a', `\${ASSISTANT}`));
    const { suites } = await loadSuites(['suites'], { cwd, env: { ASSISTANT: 'asst-42' } });
    expect(suites[0]?.tests[0]?.destination).toBe('asst-42');
  });

  it('the same suite in two files is found even when the first file has other problems', async () => {
    write('suites/a.yaml', `${suite('shared')}    trials: 0\n`);
    write('suites/b.yaml', suite('shared'));
    write('suites/c.yaml', suite('other'));
    const { suites, problems } = await loadSuites([], { cwd, env: {} });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      'suites/a.yaml:7:13: tests[0].trials: must be at least 1, got 0',
      'suites/b.yaml:1:8: suite "shared" is also declared in suites/a.yaml:1:8; one suite per file: rename one of them or merge the files',
    ]);
    // Only files without problems yield suites.
    expect(suites.map((s) => s.name)).toEqual(['other']);
  });

  it('loadSuitesOrThrow throws SuiteFileError with every problem', async () => {
    write('suites/a.yaml', 'suite: a\ntests: []\n');
    write('suites/b.yaml', 'suite: b\n');
    const err = await loadSuitesOrThrow([], { cwd, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SuiteFileError);
    expect((err as SuiteFileError).problems.map((p) => p.file)).toEqual(['suites/a.yaml', 'suites/b.yaml']);
    expect((err as SuiteFileError).message).toContain('suites/a.yaml:2:8: tests: add at least one test');
    write('suites/a.yaml', suite('a'));
    write('suites/b.yaml', suite('b'));
    expect((await loadSuitesOrThrow([], { cwd, env: {} })).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it('missing paths, non-suite files and empty directories are located problems', async () => {
    write('empty/notes.txt', 'x');
    write('file.txt', 'x');
    const { problems } = await loadSuites(['missing', 'empty', 'file.txt'], { cwd, env: {} });
    expect(problems).toEqual([
      {
        file: 'missing',
        line: 1,
        col: 1,
        message: 'no such path; check the path (suites live in suites/ by default)',
      },
      {
        file: 'empty',
        line: 1,
        col: 1,
        message: 'no suite files here (expected *.yaml, *.yml or *.json); add one or pass another path',
      },
      {
        file: 'file.txt',
        line: 1,
        col: 1,
        message: 'not a suite file: expected a .yaml, .yml or .json file or a directory',
      },
    ]);
  });

  // A FIFO opened for reading blocks until a writer comes: if the loader opened one, these tests
  // would hang and fail on the timeout.
  it.skipIf(process.platform === 'win32')(
    'only regular files are read: FIFOs, devices and directories are named, never opened',
    async () => {
      write('suites/good.yaml', suite('good'));
      execFileSync('mkfifo', [path.join(cwd, 'suites/pipe.yaml')]);
      symlinkSync('/dev/zero', path.join(cwd, 'suites/zero.yml'));
      mkdirSync(path.join(cwd, 'suites/dir.json'));
      write('real.yaml', suite('linked'));
      symlinkSync(path.join(cwd, 'real.yaml'), path.join(cwd, 'suites/link.yaml'));
      execFileSync('mkfifo', [path.join(cwd, 'explicit.yaml')]);
      symlinkSync('/dev/urandom', path.join(cwd, 'random'));
      const { suites, problems } = await loadSuites(['suites', 'explicit.yaml', 'random'], { cwd, env: {} });
      const tail = 'not a regular file; suite files must be regular files (a symlink to one is fine)';
      expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
        `suites/dir.json:1:1: is a directory, ${tail}`,
        `suites/pipe.yaml:1:1: is a FIFO (named pipe), ${tail}`,
        `suites/zero.yml:1:1: is a character device, ${tail}`,
        `explicit.yaml:1:1: is a FIFO (named pipe), ${tail}`,
        `random:1:1: is a character device, ${tail}`,
      ]);
      // A symlink to a regular file is read; the good file beside the FIFO still loads.
      expect(suites.map((s) => s.name)).toEqual(['good', 'linked']);
    },
  );

  it('a file over the size limit is refused from its size, without reading it', async () => {
    write('suites/huge.yaml', '');
    // Sparse: the size the file claims, without writing the bytes.
    truncateSync(path.join(cwd, 'suites/huge.yaml'), SUITE_FILE_LIMITS.bytes + 1);
    write('suites/edge.yaml', suite('edge').padEnd(SUITE_FILE_LIMITS.bytes, '#'));
    const { suites, problems } = await loadSuites([], { cwd, env: {} });
    expect(problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`)).toEqual([
      'suites/huge.yaml:1:1: file is larger than 2 MiB; is it really a suite file?',
    ]);
    // Exactly at the limit is read (the padding is a YAML comment on the last line).
    expect(suites.map((s) => s.name)).toEqual(['edge']);
  });

  // The read buffer is sized from the stat; a file longer than its stat said (one that grew
  // after it) is still read whole. The stat is made to say 1 byte.
  it('reads a file whole when it is longer than its stat said', async () => {
    write('suites/small.yaml', suite('small'));
    const realStat = fs.fstatSync;
    let stats = 0;
    fs.fstatSync = ((fd: number) => {
      stats++;
      return Object.assign(realStat(fd), { size: 1 });
    }) as typeof fs.fstatSync;
    syncBuiltinESMExports();
    try {
      expect(await readSuiteFile(path.join(cwd, 'suites/small.yaml'))).toEqual({ text: suite('small') });
      expect(stats).toBe(1);
    } finally {
      fs.fstatSync = realStat;
      syncBuiltinESMExports();
    }
  });

  it.skipIf(!existsSync('/proc/self/environ'))(
    'refuses a file under /proc unread: it holds the environment, and stat says it is empty',
    async () => {
      expect(await readSuiteFile('/proc/self/environ')).toMatchObject({
        problem: expect.stringMatching(/refused unread/),
      });
    },
  );
});
