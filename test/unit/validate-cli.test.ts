// `validate` started directly (src/validate-cli.ts) must answer exactly as the CLI program does:
// for any arguments it takes, the same output and exit code as commander's reading of them, and
// every other form left to the program. And its descriptor writes (io.ts fdSink) keep the
// process streams' rules: all of the text, a reader gone away ends it quietly.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fdSink, memoryIo } from '../../src/io.js';
import { plainValidateArgs, runValidate } from '../../src/validate-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rg-validate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'suites'));
writeFileSync(
  join(dir, 'suites', 'ok.yaml'),
  'suite: ok\ntests:\n  - name: greets\n    instructions: Say hello.\n    destination: "+15550001111"\n    rubric:\n      - name: polite\n        criteria: Is polite.\n',
);
writeFileSync(join(dir, 'bad.yaml'), 'suite: bad\ntests:\n  - name: x\n    instrutions: typo\n');
writeFileSync(join(dir, 'env.yaml'), 'suite: env\ntests:\n  - name: x\n    instructions: ${UNSET_VAR}\n');

const PATHS = ['suites', 'suites/ok.yaml', 'bad.yaml', 'env.yaml', 'missing', '', 'dir with space', 'help'];
const OPTIONS = ['--', '-', '--help', '-h', '--jsonx', '--json=true', '--no-json', '-x'];
const argument = fc.oneof(
  { arbitrary: fc.constant('--json'), weight: 3 },
  { arbitrary: fc.constantFrom(...PATHS), weight: 4 },
  { arbitrary: fc.constantFrom(...OPTIONS), weight: 1 },
);

const ran = async (f: (io: ReturnType<typeof memoryIo>) => Promise<number> | undefined) => {
  const io = memoryIo({ cwd: dir, env: {} });
  const code = await f(io);
  return { code, out: io.out.join(''), err: io.err.join('') };
};

describe('validate started directly', () => {
  it('for any arguments it takes, answers exactly as the CLI program; it leaves every other form to the program', async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { maxLength: 5 }), async (argv) => {
        const direct = await ran((io) => runValidate(argv, () => io));
        const program = await ran((io) => main(['validate', ...argv], io));
        if (direct.code === undefined) {
          // Left to the program: some argument is an option other than --json.
          expect(argv.some((a) => a.startsWith('-') && a !== '--json')).toBe(true);
          return;
        }
        taken++;
        expect(direct).toEqual(program);
      }),
      { numRuns: 150 },
    );
    expect(taken).toBeGreaterThan(50);
  });

  it('reads no argument commander would read as an option', () => {
    expect(plainValidateArgs([])).toEqual({ paths: ['suites'], json: false });
    expect(plainValidateArgs(['a', '--json', 'b'])).toEqual({ paths: ['a', 'b'], json: true });
    for (const form of [['--'], ['-'], ['--help'], ['a', '-h'], ['--json=1'], ['--verbose']])
      expect(plainValidateArgs(form), form.join(' ')).toBeUndefined();
  });
});

describe('fdSink', () => {
  /** A write(2) stand-in: takes at most `chunk` bytes a call; `fail` answers a call with an error. */
  const device = (chunk: number, fail: (call: number) => string | undefined = () => undefined) => {
    const got: number[] = [];
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, at: number, length: number) => {
      const code = fail(calls++);
      if (code !== undefined) throw Object.assign(new Error(code), { code });
      const n = Math.min(chunk, length);
      got.push(...bytes.subarray(at, at + n));
      return n;
    };
    return { write, text: () => Buffer.from(got).toString('utf8'), calls: () => calls };
  };

  it('writes all of the text, however little each write takes and however often it answers EAGAIN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.boolean(), { maxLength: 30 }),
        (texts, chunk, again) => {
          const d = device(chunk, (call) => (again[call] ? 'EAGAIN' : undefined));
          const write = fdSink(1, 'stdout', d.write);
          for (const t of texts) write(t);
          expect(d.text()).toBe(texts.join(''));
        },
      ),
    );
  });

  it('a reader gone away (EPIPE) ends the output quietly; another failure is said once on stderr', () => {
    const gone = device(100, (call) => (call >= 1 ? 'EPIPE' : undefined));
    const out = fdSink(1, 'stdout', gone.write);
    out('first\n');
    out('second\n');
    out('third\n');
    expect(gone.text()).toBe('first\n');
    expect(gone.calls()).toBe(2);

    const said: string[] = [];
    const full = (fd: number, bytes: Uint8Array, at: number, length: number) => {
      if (fd === 1) throw Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' });
      said.push(Buffer.from(bytes.subarray(at, at + length)).toString());
      return length;
    };
    const out2 = fdSink(1, 'stdout', full);
    out2('a\n');
    out2('b\n');
    expect(said).toEqual([
      'rubric-gate: writing to stdout failed (ENOSPC); the rest of its output is dropped\n',
    ]);
  });
});
