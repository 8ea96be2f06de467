// The flags and Action inputs of issue 16 map onto the same options, with clear refusals.
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.js';
import { parsePromoteFlags } from '../../src/commands/promote.js';
import { parseRunFlags } from '../../src/commands/run.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';

const io = memoryIo({ cwd: '/work/repo' });

describe('run flags', () => {
  it('--history, --history-limit, --no-quarantine and --changed-since parse into the options', () => {
    const o = parseRunFlags(
      [],
      { history: 'h.jsonl', historyLimit: '7', quarantine: false, changedSince: 'origin/main' },
      io,
    );
    expect(o).toMatchObject({
      history: 'h.jsonl',
      historyLimit: 7,
      noQuarantine: true,
      changedSince: 'origin/main',
    });
    expect(parseRunFlags([], {}, io)).toMatchObject({ noQuarantine: false });
  });

  it('refuses a bound without a file and a bad bound', () => {
    expect(() => parseRunFlags([], { historyLimit: '5' }, io)).toThrow(
      /--history-limit bounds the --history file/,
    );
    expect(() => parseRunFlags([], { history: 'h', historyLimit: '0' }, io)).toThrow(UsageError);
  });

  it('promote refuses --changed-since: a promotion gates on every test', () => {
    expect(() => parsePromoteFlags([], { assistant: 'a', version: 'v', changedSince: 'HEAD' }, io)).toThrow(
      /--changed-since: promote gates on every selected test/,
    );
  });
});

describe('Action inputs', () => {
  const read = (inputs: Record<string, string>) => {
    const all: Record<string, string> = { 'api-key': 'KEY_TEST_1234', ...inputs };
    return readInputs(
      (name) => all[name] ?? '',
      io,
      () => {},
    );
  };

  it('history and changed-since become the CLI options', () => {
    const plan = read({ history: '.rubric-gate/history.jsonl', 'changed-since': 'origin/main' });
    expect(plan.mode).toBe('run');
    if (plan.mode === 'run') {
      expect(plan.options).toMatchObject({
        history: '.rubric-gate/history.jsonl',
        changedSince: 'origin/main',
      });
    }
  });

  it('promote with changed-since is refused, naming both inputs', () => {
    expect(() => read({ 'changed-since': 'HEAD', 'promote-assistant-id': 'a', 'version-id': 'v' })).toThrow(
      /inputs "promote-assistant-id" and "changed-since" cannot be combined/,
    );
  });
});

describe('empty ids', () => {
  it('an empty or blank --version or --assistant is refused, not taken for the main version', () => {
    for (const version of ['', '  ']) {
      expect(() => parseRunFlags([], { version }, io)).toThrow(/--version is empty/);
    }
    expect(() => parseRunFlags([], { version: 'v-1', assistant: ' ' }, io)).toThrow(/--assistant is empty/);
    expect(parseRunFlags([], { version: 'v-1' }, io).versionId).toBe('v-1');
  });
});
