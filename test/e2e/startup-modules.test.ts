// What the short commands load: `--version`, `--help` and `validate` start in a fraction of a
// second only if they leave out the Node built-ins the long commands need. node:v8 (imported by
// the prologue to set flags) pulls in node:stream's whole tree; node:child_process (required by
// commander at load, for executable subcommands this CLI has none of) pulls in its own. Together
// ~5-10 ms of every start on Node 20. Read from the running process's own module list (node:net
// is there anyway when stdout is a pipe).
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess } from './process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMODULES "+JSON.stringify(process.moduleLoadList)))';

async function loaded(args: string[]): Promise<string[]> {
  const r = await runProcess(process.execPath, ['--import', REPORT, 'dist/cli.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
  });
  expect(r.code).toBe(0);
  const line = r.stderr.split('\n').find((l) => l.startsWith('MODULES '));
  return JSON.parse(line?.slice('MODULES '.length) ?? '[]') as string[];
}

describe('start-up of the short commands', () => {
  for (const args of [['--version'], ['--help'], ['validate', 'suites']]) {
    it(`${args.join(' ')} loads neither node:v8 nor node:child_process`, async () => {
      const mods = await loaded(args);
      expect(mods.length).toBeGreaterThan(10);
      expect(mods.filter((m) => /^NativeModule (v8|child_process)$/.test(m))).toEqual([]);
    });
  }

  it('a long command still sets its V8 flags (node:v8 is loaded)', async () => {
    // `sync --help` goes through the long-command prologue and prints help: nothing is sent.
    const mods = await loaded(['sync', '--help']);
    expect(mods).toContain('NativeModule v8');
  });
});

describe('answers the stub gives without loading the program', () => {
  const env = { PATH: process.env.PATH ?? '' };
  const run = (cli: string, args: string[], pre: string[] = []) =>
    runProcess(process.execPath, [...pre, cli, ...args], { cwd: ROOT, env });

  for (const args of [['--version'], ['-V'], ['--help'], ['-h']]) {
    it(`${args[0]} prints byte for byte what the program prints`, async () => {
      const fast = await run('dist/cli.js', args);
      const program = await run('dist/chunks/cli.js', args);
      expect(program.code).toBe(0);
      expect(program.stdout.length).toBeGreaterThan(4);
      expect(fast).toEqual(program);
    });
  }

  it('they need no program, and anything else (a terminal for --help) goes to it', async () => {
    // The stub alone in a folder: what it answers by itself works, the rest cannot load.
    const dir = mkdtempSync(join(tmpdir(), 'rg-stub-'));
    try {
      copyFileSync(join(ROOT, 'dist/cli.js'), join(dir, 'cli.js'));
      writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
      const cli = join(dir, 'cli.js');
      expect((await run(cli, ['--version'])).code).toBe(0);
      expect((await run(cli, ['--help'])).code).toBe(0);
      const tty = 'data:text/javascript,Object.defineProperty(process.stdout,"isTTY",{value:true})';
      for (const [args, pre] of [
        [['--help'], ['--import', tty]],
        [['--version', '--help'], []],
        [['help'], []],
        [['validate', 'suites'], []],
      ] as const) {
        const r = await run(cli, [...args], [...pre]);
        expect(r.code, args.join(' ')).not.toBe(0);
        // The program (an ES module) or, for validate, its CommonJS file.
        expect(r.stderr, args.join(' ')).toMatch(/MODULE_NOT_FOUND/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reader gone before the answer (| head -0) is no crash', async () => {
    for (const cli of ['dist/cli.js', 'dist/chunks/cli.js']) {
      const r = await runProcess(process.execPath, [cli, '--help'], {
        cwd: ROOT,
        env,
        onStart: (child) => {
          child.stdout?.destroy();
          return () => {};
        },
      });
      expect({ cli, code: r.code, stderr: r.stderr }).toEqual({ cli, code: 0, stderr: '' });
    }
  });
});
