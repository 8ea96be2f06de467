import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { promoteCommand } from '../../src/commands/promote.js';
import { runCommand } from '../../src/commands/run.js';
import { EXIT, UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';
import {
  assertSelection,
  compileGrep,
  effectiveTrials,
  parseShard,
  selectTests,
  shardKeys,
  versionTargetProblem,
} from '../../src/run/select.js';
import { bigSuite, makeSuite } from './run-fixtures.js';

const suites = [
  makeSuite('refunds', [
    { name: 'Damaged product refund', tags: ['smoke'] },
    { name: 'Late refund', tags: ['slow'] },
  ]),
  makeSuite('booking', [{ name: 'Book a slot', tags: ['smoke', 'voice'] }, 'Cancel a slot']),
];

describe('parseShard', () => {
  it('parses I/N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
  });
  it.each(['0/3', '4/3', '1/0', 'a/b', '2', '1/2/3', ''])('refuses %j', (s) => {
    expect(() => parseShard(s)).toThrow(UsageError);
  });
});

describe('compileGrep', () => {
  it('refuses an invalid regex with a usage error naming it', () => {
    expect(() => compileGrep('([')).toThrow(/--grep "\(\[" is not a valid regular expression/);
  });
});

describe('selectTests', () => {
  it('selects everything by default, in file order', () => {
    const sel = selectTests(suites);
    expect(sel.map((s) => [s.key, s.selected])).toEqual([
      ['refunds/Damaged product refund', true],
      ['refunds/Late refund', true],
      ['booking/Book a slot', true],
      ['booking/Cancel a slot', true],
    ]);
  });

  it('--grep matches "suite/test name" and skips the rest with a reason', () => {
    const sel = selectTests(suites, { grep: /^refunds\/.*refund$/i });
    expect(sel.filter((s) => s.selected).map((s) => s.key)).toEqual([
      'refunds/Damaged product refund',
      'refunds/Late refund',
    ]);
    expect(sel[2]?.skipReason).toMatch(/--grep/);
  });

  it('a /g regex does not skip every other match (lastIndex is reset)', () => {
    const sel = selectTests(suites, { grep: /refund/g });
    expect(sel.filter((s) => s.selected)).toHaveLength(2);
  });

  it('--tag selects tests with any of the tags', () => {
    const sel = selectTests(suites, { tags: ['voice', 'slow'] });
    expect(sel.filter((s) => s.selected).map((s) => s.test.name)).toEqual(['Late refund', 'Book a slot']);
    expect(sel[0]?.skipReason).toBe('has none of the tags "voice", "slow" (--tag)');
  });

  it('--trials overrides trials and scales min_passes up', () => {
    const s = makeSuite('x', [{ name: 'a', trials: 3, minPasses: 2 }, 'b']);
    const sel = selectTests([s], { trials: 6 });
    expect(sel.map((t) => [t.trials, t.minPasses])).toEqual([
      [6, 4],
      [6, 6],
    ]);
  });
});

describe('effectiveTrials', () => {
  it('keeps the definition without an override', () => {
    expect(effectiveTrials({ trials: 3, minPasses: 2 })).toEqual({ trials: 3, minPasses: 2 });
  });
  it('never needs more passes than trials, nor fewer than one', () => {
    expect(effectiveTrials({ trials: 3, minPasses: 1 }, 1)).toEqual({ trials: 1, minPasses: 1 });
    expect(effectiveTrials({ trials: 5, minPasses: 5 }, 2)).toEqual({ trials: 2, minPasses: 2 });
  });
});

describe('sharding', () => {
  const suite = bigSuite('big', 200);
  const all = [suite, makeSuite('small', ['only one'])];

  it('shards 1/3, 2/3, 3/3 cover every test exactly once, balanced within one', () => {
    const seen = new Map<string, number>();
    const sizes: number[] = [];
    for (let i = 1; i <= 3; i++) {
      const picked = selectTests(all, { shard: { index: i, total: 3 } }).filter((s) => s.selected);
      sizes.push(picked.length);
      for (const p of picked) seen.set(p.key, (seen.get(p.key) ?? 0) + 1);
    }
    expect(seen.size).toBe(201);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is stable: the same test lands in the same shard whatever the file order', () => {
    const keys = suite.tests.map((t) => `big/${t.name}`);
    const a = shardKeys(keys, { index: 2, total: 4 });
    const b = shardKeys([...keys].reverse(), { index: 2, total: 4 });
    expect([...a].sort()).toEqual([...b].sort());
  });

  it('deals the shard over what the filters kept', () => {
    const picked = [1, 2].map((i) =>
      selectTests(suites, { tags: ['smoke'], shard: { index: i, total: 2 } }).filter((s) => s.selected),
    );
    expect(picked.map((p) => p.length)).toEqual([1, 1]);
    const other = selectTests(suites, { tags: ['smoke'], shard: { index: 1, total: 2 } }).find(
      (s) => !s.selected && s.test.tags.includes('smoke'),
    );
    expect(other?.skipReason).toMatch(/another shard \(this is --shard 1\/2\)/);
  });
});

describe('an empty selection: the way out fits the command', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const HINT =
    'Pass --pass-with-no-tests (in the Action: pass-with-no-tests: true) to allow an empty selection.';
  // Refused before any request: the key is never used, and no signal handler is installed.
  const call = async (cmd: typeof runCommand | typeof promoteCommand, flags: Record<string, unknown>) => {
    const io = memoryIo({ cwd: ROOT, env: { TELNYX_API_KEY: 'KEY_UNUSED' } });
    const code = await cmd(['suites'], flags, io, { signal: new AbortController().signal });
    return { code, err: io.err.join('') };
  };

  it('run suggests --pass-with-no-tests', async () => {
    const r = await call(runCommand, { tag: ['nosuch'] });
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('--tag nosuch selects none of the 9 tests. Nothing was sent.');
    expect(r.err).toContain(HINT);
  });

  it('promote, which refuses --pass-with-no-tests, does not suggest it', async () => {
    const r = await call(promoteCommand, { assistant: 'assistant-1', version: 'v-2', tag: ['nosuch'] });
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain('--tag nosuch selects none of the 9 tests. Nothing was sent.');
    expect(r.err).not.toContain('--pass-with-no-tests');
    expect(r.err).toContain('A promotion needs a test that runs: change the filters.');
  });

  it('assertSelection: the hint follows the promotion option promote passes', () => {
    const none = selectTests(suites, { tags: ['nope'] });
    expect(() => assertSelection(suites, none, { tags: ['nope'] })).toThrow(HINT);
    expect(() => assertSelection(suites, none, { tags: ['nope'], promotion: true })).toThrow(
      /A promotion needs a test that runs/,
    );
  });
});

describe('versionTargetProblem: a version is tested on its own assistant only', () => {
  const A = 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34';
  const B = 'assistant-00000000-1111-2222-3333-444444444444';
  const at = (dest: string) => (s: ReturnType<typeof makeSuite>) => ({
    ...s,
    tests: s.tests.map((t) => ({ ...t, destination: dest })),
  });
  const mixed = [
    at(A)(makeSuite('a', ['one', 'two'])),
    at(B)(makeSuite('b', ['three'])),
    at('+15550100001')(makeSuite('phone', ['four'])),
  ];

  it('refuses tests that talk to another assistant than the one the version belongs to', () => {
    const problem = versionTargetProblem(selectTests(mixed), 'v-2', A);
    expect(problem).toMatch(
      /^version v-2 is a version of assistant assistant-7f3c.*another assistant: assistant-0000.* \(b\/three\)/,
    );
    // Narrowed to A's tests (and a phone number, which cannot be told apart), it holds.
    expect(versionTargetProblem(selectTests(mixed, { grep: /^(a|phone)\// }), 'v-2', A)).toBeUndefined();
  });

  it('without the assistant, refuses a selection that talks to two assistants, sharded or not', () => {
    expect(versionTargetProblem(selectTests(mixed), 'v-2', undefined)).toMatch(/talk to 2/);
    for (const index of [1, 2]) {
      expect(
        versionTargetProblem(selectTests(mixed, { shard: { index, total: 2 } }), 'v-2', undefined),
      ).toMatch(/talk to 2/);
    }
    // An assistant id in another case is the same assistant.
    expect(
      versionTargetProblem(selectTests([at(A.toUpperCase())(makeSuite('a', ['one']))]), 'v-2', A),
    ).toBeUndefined();
    expect(versionTargetProblem(selectTests(mixed, { grep: /^a\// }), 'v-2', undefined)).toBeUndefined();
  });

  it('promote refuses before anything is sent (exit 2)', async () => {
    const dir = fileURLToPath(new URL('../../suites', import.meta.url));
    const io = memoryIo({ cwd: dir, env: {} });
    const code = await promoteCommand(
      ['.'],
      { assistant: B, version: 'v-2', apiKey: 'KEY_X', baseUrl: 'http://127.0.0.1:9/v2' },
      io,
    );
    expect(code).toBe(EXIT.usage);
    expect(io.err.join('')).toMatch(/selected tests talk to another assistant: assistant-7f3c/);
  });
});
