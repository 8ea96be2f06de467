// Hostile suite inputs against the CLI built from source (src/cli.ts under tsx) as a child process:
// devices, FIFOs, sockets, huge, deep and alias-bomb files. Each must end in exit 2 with a located
// message naming the path, within a CPU-time and peak-memory bound measured by the child itself
// (usage-probe.ts). A hang (a FIFO opened for reading blocks forever) fails through the kill timeout.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITE_FILE_LIMITS } from '../../src/suite/bounds.js';
import { runProcess } from './process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'src', 'cli.ts');
const TSX = import.meta.resolve('tsx');
const PROBE = new URL('./usage-probe.ts', import.meta.url).href;
// Generous against a loaded machine (wall time), strict on the work itself (CPU, memory).
const KILL_AFTER_MS = 90_000;
const MAX_CPU_MS = 5_000;
const MAX_RSS_KB = 300 * 1024;
const unix = process.platform !== 'win32';
/** Linux: the kernel's file of this process's environment. */
const HAS_PROC = existsSync('/proc/self/environ');

let dir: string;
let socket: Server | undefined;

async function validate(target: string) {
  const usage = path.join(dir, `usage-${Math.random().toString(36).slice(2)}.json`);
  const ran = await runProcess(
    process.execPath,
    ['--import', TSX, '--import', PROBE, CLI, 'validate', target],
    {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', CI: 'true', RG_USAGE_FILE: usage },
      timeoutMs: KILL_AFTER_MS,
    },
  );
  // No usage file: the child was killed (hung) or crashed before exiting.
  const measured = JSON.parse(readFileSync(usage, 'utf8')) as { cpuMs: number; maxRssKb: number };
  return { ...ran, ...measured };
}

const suiteHead = 'suite: hostile\ntests:\n';
const test = (i: number) =>
  `  - name: t${i}\n    destination: assistant-1\n    instructions: x\n    rubric: [{name: a, criteria: b}]\n`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-hostile-'));
  const w = (name: string, text: string) => writeFileSync(path.join(dir, name), text);
  // 600 KB: a 200k-item flow list, and 300k nested flow lists.
  w('flow-list.yaml', `suite: s\ntests: [${Array(200_000).fill('[]').join(',')}]\n`);
  w('flow-deep.yaml', `suite: s\ntests: ${'['.repeat(300_000)}${']'.repeat(300_000)}\n`);
  w('block-deep.yaml', `suite: s\ntests:\n${'- '.repeat(300_000)}x\n`);
  w('json-deep.json', `{"suite": "s", "tests": ${'['.repeat(300_000)}${']'.repeat(300_000)}}`);
  w('big.yaml', suiteHead + test(0).repeat(Math.ceil((4 * 1024 * 1024) / test(0).length)));
  let keys = 'suite: s\n';
  for (let i = 0; i < 200_000; i++) keys += `k${i}: 1\n`;
  w('keys.yaml', keys);
  // Under the value limit, so every key is parsed, checked and located: 20k unknown-key problems.
  let someKeys = 'suite: s\ntests: []\n';
  for (let i = 0; i < 20_000; i++) someKeys += `k${i}: 1\n`;
  w('keys-20k.yaml', someKeys);
  const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const [x, y] of ['ba', 'cb', 'dc', 'ed', 'fe', 'gf', 'hg', 'ih'])
    lol.push(`${x}: &${x} [${Array(9).fill(`*${y}`).join(',')}]`);
  w('bomb.yaml', `${lol.join('\n')}\nsuite: s\ntests: *i\n`);
  // The largest valid file the limits allow, in values: the worst case that is not refused.
  let valid = suiteHead;
  for (let i = 0; valid.length < SUITE_FILE_LIMITS.bytes - 200 && i < SUITE_FILE_LIMITS.values / 16; i++)
    valid += test(i);
  w('largest-valid.yaml', valid);
  if (unix) {
    execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
    mkdirSync(path.join(dir, 'folder'));
    execFileSync('mkfifo', [path.join(dir, 'folder', 'a.yaml')]);
    w('folder/b.yaml', suiteHead + test(0));
    symlinkSync('/dev/urandom', path.join(dir, 'urandom.yaml'));
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    // Regular and empty to stat; it holds this process's environment, the API key included.
    if (HAS_PROC) symlinkSync('/proc/self/environ', path.join(dir, 'environ.yaml'));
    const server = createServer();
    socket = server;
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'socket.yaml'), resolve));
  }
});
afterAll(async () => {
  await new Promise((resolve) => (socket ? socket.close(resolve) : resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

type Case = [target: string, located: string, message: RegExp, onlyUnix?: boolean];
const CASES: Case[] = (
  [
    ['fifo.yaml', 'fifo.yaml:1:1', /is a FIFO \(named pipe\), not a regular file/, true],
    ['folder', 'folder/a.yaml:1:1', /is a FIFO \(named pipe\), not a regular file/, true],
    ['urandom.yaml', 'urandom.yaml:1:1', /is a character device, not a regular file/, true],
    ['zero.yaml', 'zero.yaml:1:1', /is a character device, not a regular file/, true],
    ['socket.yaml', 'socket.yaml:1:1', /is a socket, not a regular file/, true],
    [
      'environ.yaml',
      'environ.yaml:1:1',
      /links to a file under \/proc, \/sys or \/dev, .* refused unread/,
      true,
    ],
    ['flow-list.yaml', 'flow-list.yaml:2:', /holds more than 50000 values/],
    ['flow-deep.yaml', 'flow-deep.yaml:2:', /nested more than 64 levels deep/],
    ['block-deep.yaml', 'block-deep.yaml:3:', /nested more than 64 levels deep/],
    ['json-deep.json', 'json-deep.json:1:', /JSON: nested more than 64 levels deep/],
    ['big.yaml', 'big.yaml:1:1', /file is larger than 2 MiB/],
    ['keys.yaml', 'keys.yaml:', /holds more than 50000 values/],
    ['keys-20k.yaml', 'keys-20k.yaml:', /19901 more problems in this file are not listed/],
    ['bomb.yaml', 'bomb.yaml:', /with its aliases expanded, the file holds more than 50000 values/],
  ] satisfies Case[]
).filter(([target]) => target !== 'environ.yaml' || HAS_PROC);

describe.concurrent('validate on hostile input (CLI from source, child process)', () => {
  it.each(CASES)(
    '%s: exit 2, %s, bounded',
    async (target, located, message, onlyUnix) => {
      if (onlyUnix && !unix) return;
      const ran = await validate(target);
      expect(ran.code, ran.stderr).toBe(2);
      expect(ran.stdout).toBe('');
      const line = ran.stderr.split('\n').find((l) => message.test(l));
      expect(line, ran.stderr.slice(0, 2000)).toBeDefined();
      expect(line?.startsWith(located), line).toBe(true);
      expect(ran.stderr).not.toMatch(/internal error|Maximum call stack|^\s+at /m);
      expect(ran.stderr.split('\n').length).toBeLessThanOrEqual(SUITE_FILE_LIMITS.problems + 3);
      expect(ran.cpuMs, 'CPU ms').toBeLessThan(MAX_CPU_MS);
      expect(ran.maxRssKb, 'peak RSS KB').toBeLessThan(MAX_RSS_KB);
    },
    KILL_AFTER_MS + 10_000,
  );

  it(
    'the largest valid file the limits allow is read in bounds',
    async () => {
      const ran = await validate('largest-valid.yaml');
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.stdout).toMatch(/^1 suite, \d{4} tests OK\n$/);
      expect(ran.cpuMs, 'CPU ms').toBeLessThan(MAX_CPU_MS);
      expect(ran.maxRssKb, 'peak RSS KB').toBeLessThan(MAX_RSS_KB);
    },
    KILL_AFTER_MS + 10_000,
  );
});
