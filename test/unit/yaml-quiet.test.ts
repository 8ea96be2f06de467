// yaml logs some findings itself (a collection used as a mapping key) through
// process.emitWarning, as raw text on stderr outside every sanitised channel. Every reader of a
// YAML file keeps it quiet (YAML_QUIET) and reports the finding as a located problem instead.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioText } from '../../src/simulator/scenario-file.js';
import { parseSuiteText } from '../../src/suite/parse.js';

const COLLECTION_KEYS = ['? [x, "\\e[31mred"]\n: v\n', '? {a: 1}\n: v\n', '[a, b]: v\n'];

afterEach(() => vi.restoreAllMocks());

function watchLogs() {
  const warned = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  const consoled = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const logged = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return () => [...warned.mock.calls, ...consoled.mock.calls, ...logged.mock.calls];
}

describe('YAML readers never log on their own', () => {
  it('names a list or mapping used as a key, at the key', () => {
    const text =
      'suite: s\ndefaults: {destination: a}\ntests:\n  - name: t\n    instructions: hi\n    rubric: [{name: P, criteria: c}]\n    ? [x, y]\n    : v\n    ? {a: 1}\n    : w\n';
    expect(parseSuiteText(text, { file: 's.yaml', env: {} }).problems).toEqual([
      {
        file: 's.yaml',
        line: 7,
        col: 7,
        message: 'YAML: this key is a list; a key is a name: write it as text',
      },
      {
        file: 's.yaml',
        line: 9,
        col: 7,
        message: 'YAML: this key is a mapping; a key is a name: write it as text',
      },
    ]);
  });

  it.each(COLLECTION_KEYS)(
    'a suite file with a collection key %j: a problem at its line, no warning',
    (key) => {
      const calls = watchLogs();
      const text = `suite: s\ndefaults: {destination: a}\ntests:\n  - name: t\n    instructions: hi\n    rubric: [{name: P, criteria: c}]\n${key
        .split('\n')
        .map((l) => (l ? `    ${l}` : l))
        .join('\n')}`;
      const r = parseSuiteText(text, { file: 's.yaml', env: {} });
      expect(r.suite).toBeUndefined();
      expect(r.problems.length).toBeGreaterThan(0);
      for (const p of r.problems) expect(p).toMatchObject({ file: 's.yaml', line: 7 });
      expect(calls()).toEqual([]);
    },
  );

  it.each(COLLECTION_KEYS)('a scenario file with a collection key %j: an error, no warning', (key) => {
    const calls = watchLogs();
    expect(() => parseScenarioText(`tests:\n  ${key.replace(/\n(?=.)/g, '\n  ')}`, 'sc.yaml')).toThrow();
    expect(calls()).toEqual([]);
  });
});
