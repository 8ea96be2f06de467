// pull against the simulator over loopback: the example suites are synced to it, then pulled
// back into files, and plan must show no change. Also: in-place updates keep comments and
// local-only keys, conflicts are reported and not written, --dry-run writes nothing.
import fs from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TelnyxClient } from '../../src/api/client.js';
import { main } from '../../src/cli.js';
import { planCommand } from '../../src/commands/plan.js';
import { pullCommand } from '../../src/commands/pull.js';
import { syncCommand } from '../../src/commands/sync.js';
import { EXIT } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { VERSION } from '../../src/version.js';

const REPO_SUITES = path.resolve(import.meta.dirname, '../../suites');
const SUITE_FILES = ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml'];
const NO_CHANGES = 'No changes. Remote tests match the suite files.';

let sim: Simulator;
let dir: string;

const io = (cwd = dir) => memoryIo({ cwd, env: { TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } });
const pull = async (opts: { suite?: string[]; dryRun?: boolean; cwd?: string } = {}) => {
  const out = io(opts.cwd);
  const code = await pullCommand({ suite: opts.suite, dryRun: opts.dryRun ?? false }, out);
  return { code, out: out.out.join(''), err: out.err.join('') };
};
const plan = async (cwd = dir) => {
  const out = io(cwd);
  const code = await planCommand(['suites'], {}, out);
  return { code, out: out.out.join(''), err: out.err.join('') };
};
const client = () => new TelnyxClient({ apiKey: sim.apiKey, baseUrl: sim.url, maxRetries: 0 });
const remoteTest = (suite: string, name: string) => {
  const found = [...sim.state.tests.values()].filter((t) => t.test_suite === suite && t.name === name);
  expect(found).toHaveLength(1);
  return found[0] as NonNullable<(typeof found)[0]>;
};
/** Every file under a folder with its text, to prove nothing changed. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const p = path.join(entry.parentPath, entry.name);
      out[path.relative(root, p)] = await readFile(p, 'utf8');
    }
  }
  return out;
}

beforeEach(async () => {
  sim = await startSimulator();
  dir = await mkdtemp(path.join(tmpdir(), 'rg-pull-'));
  for (const f of SUITE_FILES) await cp(path.join(REPO_SUITES, f), path.join(dir, 'suites', f));
  const out = io();
  expect(await syncCommand(['suites'], { prune: false, dryRun: false }, out)).toBe(EXIT.ok);
});

afterEach(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('pull against the simulator', () => {
  it('into an empty folder: one file per suite, shared values in defaults, and plan shows no change', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'rg-pull-empty-'));
    try {
      const r = await pull({ cwd: empty });
      expect(r.err).toBe('');
      expect(r.code).toBe(EXIT.ok);
      expect((await readdir(path.join(empty, 'suites'))).sort()).toEqual(
        ['after-hours.yaml', 'appointments.yaml', 'refunds.yaml'].sort(),
      );
      const refundsText = await readFile(path.join(empty, 'suites/refunds.yaml'), 'utf8');
      // Not installed here: the modeline names the published schema of this version.
      expect(refundsText.split('\n')[0]).toBe(
        `# yaml-language-server: $schema=https://unpkg.com/rubric-gate@${VERSION}/schema/suite.schema.json`,
      );
      const refunds = parse(refundsText);
      expect(refunds.suite).toBe('refunds');
      expect(refunds.defaults).toEqual({
        channel: 'web_chat',
        destination: 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34',
        max_duration_seconds: 300,
      });
      for (const t of refunds.tests) expect(t.channel ?? t.destination).toBeUndefined();
      // after-hours: one test sets its own max duration, so it is not lifted.
      const afterHours = parse(await readFile(path.join(empty, 'suites/after-hours.yaml'), 'utf8'));
      expect(afterHours.defaults.max_duration_seconds).toBeUndefined();
      expect(afterHours.defaults.channel).toBe('sms_chat');

      const p = await plan(empty);
      expect(p.err).toBe('');
      expect(p.code).toBe(EXIT.ok);
      expect(p.out).toContain(NO_CHANGES);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('into files that already match: nothing is rewritten', async () => {
    const before = await snapshot(dir);
    const r = await pull();
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('suites/refunds.yaml is up to date');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('updates a file in place: comments, key order and local-only keys survive; then plan shows no change', async () => {
    const c = client();
    const damaged = remoteTest('refunds', 'Damaged product refund');
    await c.updateTest(damaged.test_id, {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal ${ the account holds
      instructions: 'Say the blender arrived broken and ask for ${REFUND_CODE} handling.',
      rubric: [
        { name: 'Policy accuracy', criteria: 'States the 30-day refund policy.' },
        { name: 'Apology', criteria: 'Apologises once.' },
      ],
    });
    await c.createTest({
      name: 'Partial refund',
      test_suite: 'refunds',
      destination: 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34',
      telnyx_conversation_channel: 'web_chat',
      max_duration_seconds: 300,
      instructions: 'Ask for a partial refund for a missing accessory.',
      rubric: [{ name: 'Offers partial refund', criteria: 'Offers a partial refund.' }],
    });
    await c.close();

    const file = path.join(dir, 'suites/refunds.yaml');
    const original = await readFile(file, 'utf8');
    const r = await pull({ suite: ['refunds'] });
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('~ "Damaged product refund": instructions, rubric');
    expect(r.out).toContain('+ "Partial refund"');

    const text = await readFile(file, 'utf8');
    // Only the changed entry is rewritten: the header and every other test stay byte for byte.
    const secondTest = original.indexOf('  - name: Refund outside the return window');
    expect(secondTest).toBeGreaterThan(0);
    expect(text.startsWith(original.slice(0, original.indexOf('  - name: Damaged product refund')))).toBe(
      true,
    );
    expect(text).toContain(original.slice(secondTest));
    expect(text.indexOf('- name: Partial refund')).toBeGreaterThan(text.indexOf(original.slice(secondTest)));
    expect(text).toContain('# Refund and return conversations with the web-chat support assistant.');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/suite.schema.json');
    const data = parse(text);
    expect(Object.keys(data)).toEqual(['suite', 'defaults', 'gate', 'tests']);
    expect(data.gate).toEqual({ min_pass_rate: 0.9, max_errors: 0, fail_on_regression: true });
    const t = data.tests.find((x: { name: string }) => x.name === 'Damaged product refund');
    // A literal ${ from the account is escaped, so it is not read as a variable.
    expect(t.instructions).toBe('Say the blender arrived broken and ask for $${REFUND_CODE} handling.');
    expect(t.tags).toEqual(['smoke', 'refunds']);
    expect(t.rubric).toEqual([
      { name: 'Policy accuracy', criteria: 'States the 30-day refund policy.', required: true },
      { name: 'Apology', criteria: 'Apologises once.' },
    ]);
    const added = data.tests.at(-1);
    // Appended without the values the file's defaults already give.
    expect(added).toEqual({
      name: 'Partial refund',
      instructions: 'Ask for a partial refund for a missing accessory.',
      rubric: [{ name: 'Offers partial refund', criteria: 'Offers a partial refund.' }],
    });

    const p = await plan();
    expect(p.code).toBe(EXIT.ok);
    expect(p.out).toContain(NO_CHANGES);
  });

  it('keeps a local-only test and a trials setting it cannot know about', async () => {
    const file = path.join(dir, 'suites/appointments.yaml');
    const before = await readFile(file, 'utf8');
    expect(before).toContain('trials: 3');
    await writeFile(
      file,
      `${before.trimEnd()}\n\n  - name: Local draft # not synced yet\n    instructions: Ask for a slot.\n    rubric:\n      - name: Offers a slot\n        criteria: Offers one.\n`,
    );
    const c = client();
    await c.updateTest(remoteTest('appointments', 'Book a new patient appointment').test_id, {
      max_duration_seconds: 120,
    });
    await c.close();
    const r = await pull({ suite: ['appointments'] });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('1 local test not in the account, kept (sync would create them): "Local draft"');
    const text = await readFile(file, 'utf8');
    expect(text).toContain('- name: Local draft # not synced yet');
    expect(text).toContain('# Voice is noisier than chat: three calls, two must pass.');
    const data = parse(text);
    const booked = data.tests[0];
    expect(booked).toMatchObject({ trials: 3, min_passes: 2, max_duration_seconds: 120 });
    const p = await plan();
    expect(p.out).toContain('Plan: 1 to create, 0 to update, 0 to delete');
  });

  it('reports remote name conflicts with both ids and writes nothing for that suite (exit 2)', async () => {
    const c = client();
    const dup = remoteTest('after-hours', 'Opt-out keyword');
    const second = await c.createTest(
      {
        name: dup.name,
        test_suite: 'after-hours',
        destination: '+15550100002',
        telnyx_conversation_channel: 'sms_chat',
        instructions: 'A second test with the same name.',
        rubric: [{ name: 'Any', criteria: 'Anything.' }],
      },
      { idempotencyKey: 'pull-test-duplicate' },
    );
    await c.close();
    const before = await snapshot(dir);
    const empty = await mkdtemp(path.join(tmpdir(), 'rg-pull-conflict-'));
    try {
      for (const cwd of [dir, empty]) {
        const r = await pull({ cwd });
        expect(r.code).toBe(EXIT.usage);
        expect(r.err).toContain('suite "after-hours" not written');
        expect(r.err).toContain(`"Opt-out keyword": ${dup.test_id}, ${second.test_id}`);
      }
      expect(await snapshot(dir)).toEqual(before);
      // The other suites were still pulled into the empty folder; the conflicted one was not.
      expect((await readdir(path.join(empty, 'suites'))).sort()).toEqual([
        'appointments.yaml',
        'refunds.yaml',
      ]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a suite whose file has problems is reported and not written, not pulled into a second file (exit 2)', async () => {
    // A duplicate key: the file still declares suite refunds.
    const file = path.join(dir, 'suites', 'refunds.yaml');
    const broken = (await readFile(file, 'utf8')).replace(
      /^(\s+)instructions:/m,
      '$1instructions: twice\n$1instructions:',
    );
    await writeFile(file, broken);
    const before = await snapshot(dir);
    const r = await pull({ suite: ['refunds'] });
    expect(r.code).toBe(EXIT.usage);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('writes a file whole or not at all: a write that fails leaves the old file as it was', async () => {
    const c = client();
    await c.updateTest(remoteTest('refunds', 'Damaged product refund').test_id, {
      instructions: 'Changed remotely.',
    });
    await c.close();
    const before = await snapshot(dir);
    const realWrite = fs.writeSync;
    // The disk fills up after the first bytes of any write.
    fs.writeSync = ((fd: number, data: string) => {
      realWrite(fd, data.slice(0, 100));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync;
    syncBuiltinESMExports();
    try {
      const r = await pull({ suite: ['refunds'] });
      expect(r.code).toBe(3);
      expect(r.err).toMatch(/ENOSPC/);
    } finally {
      fs.writeSync = realWrite;
      syncBuiltinESMExports();
    }
    expect(await snapshot(dir)).toEqual(before);
  });

  it('--dry-run says what it would write and writes nothing', async () => {
    const c = client();
    await c.updateTest(remoteTest('refunds', 'Damaged product refund').test_id, {
      description: 'Changed remotely.',
    });
    await c.createTest({
      name: 'Brand new',
      test_suite: 'billing',
      destination: '+15550100009',
      telnyx_conversation_channel: 'phone_call',
      instructions: 'Ask about an invoice.',
      rubric: [{ name: 'Explains', criteria: 'Explains the invoice.' }],
    });
    await c.close();
    const before = await snapshot(dir);
    const r = await pull({ dryRun: true });
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('would update suites/refunds.yaml (1 test)');
    expect(r.out).toContain('~ "Damaged product refund": description');
    expect(r.out).toContain('would create suites/billing.yaml (1 test)');
    expect(r.out).toContain('nothing was written');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('through the CLI: --suite is repeatable and --dry-run writes nothing', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'rg-pull-cli-'));
    try {
      const out = io(empty);
      const code = await main(['pull', '--suite', 'refunds', '--suite', 'appointments', '--dry-run'], out);
      expect(out.err.join('')).toBe('');
      expect(code).toBe(EXIT.ok);
      const text = out.out.join('');
      expect(text).toContain('pull: suite "refunds": would create suites/refunds.yaml (3 tests)');
      expect(text).toContain('pull: suite "appointments": would create suites/appointments.yaml (3 tests)');
      expect(text).not.toContain('after-hours');
      expect(await readdir(empty)).toEqual([]);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('a suite the account does not have is an error naming it', async () => {
    await mkdir(path.join(dir, 'other'), { recursive: true });
    const r = await pull({ suite: ['no-such-suite'] });
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('suite "no-such-suite" has no tests in the account');
  });
});
