// The built `rubric-gate validate`: dist/cli.js runs dist/chunks/validate.cjs by itself (no CLI
// program, no commander) and, on Node 20, through its own code cache (scripts/require-compiled.cjs).
// It must print what the program prints, load neither the program nor node:stream's tree, and
// keep its cache only where it is safe, never at the cost of an answer.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { node24 } from './node24.js';
import { runProcess } from './process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rg-validate-direct-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
writeFileSync(join(work, 'bad.yaml'), 'suite: bad\ntests:\n  - name: x\n    instrutions: typo\n');

const run = (cli: string, args: string[], env: Record<string, string> = {}, pre: string[] = []) =>
  runProcess(process.execPath, [...pre, cli, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TMPDIR: join(work, 'tmp'), ...env },
  });
mkdirSync(join(work, 'tmp'));

describe('validate, started directly by dist/cli.js', () => {
  for (const args of [
    ['validate'],
    ['validate', 'suites'],
    ['validate', 'suites', '--json'],
    ['validate', join(work, 'bad.yaml')],
    ['validate', '--json', join(work, 'bad.yaml'), 'missing'],
  ]) {
    it(`${args.join(' ')}: what the program prints, byte for byte`, async () => {
      const direct = await run('dist/cli.js', args);
      const program = await run('dist/chunks/cli.js', args);
      expect(program.stdout.length + program.stderr.length).toBeGreaterThan(10);
      expect(direct).toEqual(program);
    });
  }

  it('needs neither the program nor node:stream, node:net or node:tty; any other form goes to the program', async () => {
    const dir = join(work, 'alone');
    mkdirSync(join(dir, 'chunks'), { recursive: true });
    for (const f of ['cli.js', 'package.json', 'chunks/validate.cjs', 'chunks/package.json'])
      copyFileSync(join(ROOT, 'dist', f), join(dir, f));
    const report = join(work, 'modules.cjs');
    writeFileSync(
      report,
      'process.on("exit",()=>process._rawDebug("MODULES "+JSON.stringify(process.moduleLoadList)))',
    );
    const r = await run(join(dir, 'cli.js'), ['validate', 'suites'], {}, ['-r', report]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('3 suites, 9 tests OK\n');
    const mods = JSON.parse(r.stderr.split('MODULES ')[1] ?? '[]') as string[];
    expect(mods.length).toBeGreaterThan(10);
    expect(mods.filter((m) => /^NativeModule (stream|net|tty|v8|child_process)$/.test(m))).toEqual([]);
    for (const args of [
      ['validate', '--help'],
      ['validate', '--', 'suites'],
      ['validate', '-x'],
    ]) {
      const other = await run(join(dir, 'cli.js'), args);
      expect(other.code, args.join(' ')).not.toBe(0);
      expect(other.stderr, args.join(' ')).toMatch(/ERR_MODULE_NOT_FOUND/);
    }
  });

  it("on Node 24 (the runtime's own compile cache) too", async () => {
    const node = node24();
    const at = (cli: string) =>
      runProcess(node, [cli, 'validate', 'suites', join(work, 'bad.yaml')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_COMPILE_CACHE: join(work, 'node24-cache') },
      });
    const direct = await at('dist/cli.js');
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/bad\.yaml:4:5: .*instrutions/);
    expect(await at('dist/cli.js')).toEqual(direct);
    expect(await at('dist/chunks/cli.js')).toEqual(direct);
  });

  it('a reader gone before the answer (| head -0) is no crash, and the exit code still says the result', async () => {
    const r = await runProcess(process.execPath, ['dist/cli.js', 'validate', join(work, 'bad.yaml')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
      onStart: (child) => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        return () => {};
      },
    });
    expect(r.code).toBe(2);
  });
});

// Node 22.1+ has the runtime's own compile cache (module.enableCompileCache), which the stub uses
// instead; there this is a plain require.
const ownCache = !('enableCompileCache' in createRequire(import.meta.url)('node:module'));

describe.runIf(ownCache)("validate's code cache on Node 20 (scripts/require-compiled.cjs)", () => {
  const uid = process.getuid?.();
  const cacheIn = (tmp: string) =>
    join(tmp, `rubric-gate-compile-cache${uid === undefined ? '' : `-${uid}`}`);
  const fresh = (name: string) => {
    const tmp = join(work, name);
    mkdirSync(tmp);
    return tmp;
  };
  const ok = async (tmp: string, env: Record<string, string> = {}) => {
    const r = await run('dist/cli.js', ['validate', 'suites'], { TMPDIR: tmp, ...env });
    expect(r).toEqual({ code: 0, stdout: '3 suites, 9 tests OK\n', stderr: '' });
  };
  const only = (dir: string) => {
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    return join(dir, files[0] ?? '');
  };

  it('is written by the first run (this user only), then used as is', async () => {
    const tmp = fresh('first');
    await ok(tmp);
    const dir = cacheIn(tmp);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const file = only(dir);
    expect(file).toMatch(new RegExp(`-${process.version}-${process.arch}-\\w+\\.bin$`));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).size).toBeGreaterThan(50_000);
    const before = statSync(file);
    await ok(tmp);
    // Accepted by V8, so not written again.
    const after = statSync(file);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('a cache V8 refuses (garbage, cut short, empty) is replaced, and the answer is the same', async () => {
    const tmp = fresh('refused');
    await ok(tmp);
    const file = only(cacheIn(tmp));
    const good = readFileSync(file);
    for (const bad of [Buffer.alloc(good.length, 7), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(file, bad);
      await ok(tmp);
      // Written again (V8's own output, so not byte for byte the first), and taken as is next time.
      const replaced = statSync(file);
      expect(replaced.size).toBeGreaterThan(50_000);
      expect(readFileSync(file).equals(bad)).toBe(false);
      await ok(tmp);
      expect([statSync(file).ino, statSync(file).mtimeMs]).toEqual([replaced.ino, replaced.mtimeMs]);
    }
  });

  it('is never read or written in a folder others may write, nor with NODE_DISABLE_COMPILE_CACHE', async () => {
    const tmp = fresh('shared');
    mkdirSync(cacheIn(tmp), { mode: 0o700 });
    chmodSync(cacheIn(tmp), 0o777);
    await ok(tmp);
    expect(readdirSync(cacheIn(tmp))).toEqual([]);

    const off = fresh('off');
    await ok(off, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(existsSync(cacheIn(off))).toBe(false);
  });

  it('a tmpdir it cannot write costs the cache, not the answer', async () => {
    const tmp = fresh('blocked');
    writeFileSync(cacheIn(tmp), 'a file where the folder would be');
    await ok(tmp);
  });
});
