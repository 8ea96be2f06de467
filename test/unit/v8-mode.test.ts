// How a process that runs suites sets V8 up (scripts/build.mjs v8Mode, whose source is the
// prologue's): never a re-execution that could loop, run a preload twice, or abort the process.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import * as build from '../../scripts/build.mjs';

interface Facts {
  v8Major: number;
  execArgv: string[];
  nodeOptions: string;
  hasExecve: boolean;
  platform: string;
  absoluteExecPath: boolean;
  mayExec: () => boolean;
}
type Mode = 'v8-11' | 'exec' | 'bounded' | 'unbounded';
const { v8Mode, REEXEC_FLAGS_V8_12 } = build as { v8Mode: (f: Facts) => Mode; REEXEC_FLAGS_V8_12: string[] };

/** Node 24 on Linux, started plainly: the case that re-executes. */
const plain: Facts = {
  v8Major: 13,
  execArgv: [],
  nodeOptions: '',
  hasExecve: true,
  platform: 'linux',
  absoluteExecPath: true,
  mayExec: () => true,
};

describe('v8Mode', () => {
  it('re-executes a plain start on V8 12+, and never on V8 11 (Node 20)', () => {
    expect(v8Mode(plain)).toBe('exec');
    expect(v8Mode({ ...plain, execArgv: ['--inspect-port=0', '--enable-source-maps'] })).toBe('exec');
    expect(v8Mode({ ...plain, v8Major: 11 })).toBe('v8-11');
  });

  it.each([['--max-semi-space-size=8'], ['--max_semi_space_size=4']])(
    'keeps a young-generation bound given on the command line (%s)',
    (flag) => {
      expect(v8Mode({ ...plain, execArgv: [flag] })).toBe('bounded');
    },
  );

  it('keeps a bound given in NODE_OPTIONS (execArgv does not show it)', () => {
    expect(v8Mode({ ...plain, nodeOptions: '--enable-source-maps  --max-semi-space-size=16' })).toBe(
      'bounded',
    );
  });

  it.each([
    [['--import', 'data:text/javascript,0'], ''],
    [['--import=./hook.mjs'], ''],
    [['-r', './hook.cjs'], ''],
    [['--require=./hook.cjs'], ''],
    [['--experimental-loader', './l.mjs'], ''],
    [['--inspect'], ''],
    [['--inspect-brk=0'], ''],
    [['--inspect-wait'], ''],
    [[], '-r dd-trace/ci/init'],
    [[], '--import ./otel.mjs'],
  ])('does not re-execute when a second start would show (%j, NODE_OPTIONS %j)', (execArgv, nodeOptions) => {
    expect(v8Mode({ ...plain, execArgv, nodeOptions })).toBe('unbounded');
  });

  it('does not call execve where it could fail: Node before 26 aborts, Windows warns', () => {
    let asked = 0;
    const mayExec = () => {
      asked++;
      return true;
    };
    for (const f of [
      { hasExecve: false },
      { platform: 'win32' },
      { platform: 'os400' },
      { absoluteExecPath: false },
    ])
      expect(v8Mode({ ...plain, ...f, mayExec })).toBe('unbounded');
    // Checked last, and only when everything else allows it (it touches the file system).
    expect(asked).toBe(0);
    expect(v8Mode({ ...plain, mayExec: () => false })).toBe('unbounded');
  });

  it('never re-executes a process it re-executed: whatever else it was started with, no loop', () => {
    const arg = fc.oneof(
      fc.constantFrom(
        '--import',
        '-r',
        '--inspect',
        '--max-semi-space-size=8',
        '--liftoff-only',
        'run',
        '-e',
        '',
      ),
      fc.string(),
    );
    fc.assert(
      fc.property(
        fc.array(arg, { maxLength: 6 }),
        fc.string(),
        fc.integer({ min: 12, max: 20 }),
        (execArgv, opts, v8) => {
          const mode = v8Mode({
            ...plain,
            v8Major: v8,
            execArgv: [...REEXEC_FLAGS_V8_12, ...execArgv],
            nodeOptions: opts,
          });
          expect(mode).not.toBe('exec');
        },
      ),
    );
  });
});
