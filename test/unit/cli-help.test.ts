// Help that answers questions: every command's --help names --api-key, the environment
// variables and the exit codes; an unknown command gets one "did you mean" line; validate,
// plan and versions speak JSON for scripts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../src/cli.js';
import { versionsCommand } from '../../src/commands/versions.js';
import { memoryIo } from '../../src/io.js';
import { startSimulator } from '../../src/simulator/index.js';

const root = path.resolve(import.meta.dirname, '../..');
const commands = buildProgram(memoryIo(), () => {}).commands.map((c) => c.name());

async function run(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const io = memoryIo({ cwd: opts.cwd ?? root, env: opts.env ?? {} });
  const code = await main(args, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('--help', () => {
  it('lists the commands a new user needs', () => {
    expect(commands).toEqual(expect.arrayContaining(['init', 'pull', 'demo', 'validate', 'plan', 'run']));
  });

  it.each([[[] as string[]], ...commands.map((c) => [[c]])])(
    '%s --help: --api-key, environment, exit codes',
    async (cmd) => {
      const r = await run([...cmd, '--help']);
      expect(r.code).toBe(0);
      for (const text of ['--api-key', 'TELNYX_API_KEY', 'TELNYX_BASE_URL', 'Exit codes:'])
        expect(r.out).toContain(text);
      for (const code of [0, 1, 2, 3]) expect(r.out).toMatch(new RegExp(`^  ${code}  \\S`, 'm'));
      // Once, not a copy per nesting level.
      expect(r.out.match(/Exit codes:/g)).toHaveLength(1);
    },
  );

  it('exit 3 says when partial reports are written and when none is', async () => {
    const r = await run(['run', '--help']);
    expect(r.out).toContain(
      '  3  could not finish: API/network error, timeout, cancelled. Partial reports are written, except\n' +
        '     when the API refuses the key (401/403) or reading the assistant or a version fails: none\n',
    );
  });

  it('simulate --help states its default port once', async () => {
    const r = await run(['simulate', '--help']);
    expect(r.out.match(/4010/g)).toHaveLength(1);
  });
});

describe('an unknown command', () => {
  it('gets one line with "did you mean", not the whole help (exit 2)', async () => {
    const r = await run(['vaidate']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("error: unknown command 'vaidate' (did you mean validate?)\n");
  });

  it('without a close match: one line still', async () => {
    const r = await run(['xyzzy']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('--json', () => {
  it('validate --json: the suites when valid', async () => {
    const r = await run(['validate', '--json', 'suites']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(true);
    expect(j.problems).toEqual([]);
    expect(j.suites.map((s: { suite: string }) => s.suite).sort()).toEqual([
      'after-hours',
      'appointments',
      'refunds',
    ]);
  });

  it('validate --json: every problem located, exit 2, nothing on stderr', async () => {
    const r = await run(['validate', '--json', 'test/fixtures/suites-broken/channel.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j.ok).toBe(false);
    expect(j.problems[0]).toMatchObject({
      file: 'test/fixtures/suites-broken/channel.yaml',
      line: 4,
      col: 12,
    });
  });

  it('plan --json: the changes against the simulator', async () => {
    const sim = await startSimulator();
    try {
      const r = await run(['plan', '--json', 'suites'], {
        env: { TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url },
      });
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.counts.create).toBe(j.changes.length);
      expect(j.changes[0]).toMatchObject({
        kind: 'create',
        suite: expect.any(String),
        body: expect.any(Object),
      });
      expect(j.unowned).toEqual([]);
    } finally {
      await sim.close();
    }
  });

  it('versions --json: the snapshot', async () => {
    const io = memoryIo();
    const code = await versionsCommand({ assistant: 'a1', json: true }, io, {
      client: {
        listVersions: async () => [{ id: 'a1', version_id: 'v2', name: 'two' } as never],
        getCanary: async () => undefined,
        getAssistant: async () => ({ id: 'a1', version_id: 'v2' }) as never,
      },
    });
    expect(code).toBe(0);
    expect(JSON.parse(io.out.join(''))).toEqual({
      assistantId: 'a1',
      versions: [{ id: 'a1', version_id: 'v2', name: 'two' }],
      mainVersionId: 'v2',
    });
  });
});
