// What the short commands load: `--version`, `--help` and `validate` start in a fraction of a
// second only if they leave out the Node built-ins the long commands need. node:v8 (imported by
// the prologue to set flags) pulls in node:stream's whole tree; node:child_process (required by
// commander at load, for executable subcommands this CLI has none of) pulls in its own. Together
// ~5-10 ms of every start on Node 20. Read from the running process's own module list (node:net
// is there anyway when stdout is a pipe).
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
