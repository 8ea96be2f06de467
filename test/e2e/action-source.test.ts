// The Action from source (through tsx), as the runner runs it: what reaches the log as
// annotations, and inputs refused before anything runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runActionEntry, SOURCE_ENTRY, scratch } from './action-harness.js';

const KEY = 'KEY_SOURCE_CANARY_SECRET_31ee';
const { simulator, dir: scratchDir } = scratch(KEY);

function workspace(files: Record<string, string>): string {
  const dir = scratchDir('rg-action-source-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The annotation commands the runner would read: `::warning ...::`, `::error ...::`, `::notice ...::`. */
const annotations = (stdout: string, level: string) =>
  stdout.split('\n').filter((l) => l.startsWith(`::${level} `) || l.startsWith(`::${level}::`));

const manyTests = (n: number) =>
  `suite: many\ndefaults:\n  channel: web_chat\n  destination: assistant-1\n  max_duration_seconds: 60\ntests:\n${Array.from(
    { length: n },
    (_, i) =>
      `  - name: T${i}\n    instructions: Say hi.\n    rubric:\n      - name: Greets\n        criteria: Greets the caller.\n`,
  ).join('')}`;

describe.concurrent('the Action from source', () => {
  it("keeps warnings within GitHub's 10 per step, its own included, and counts the rest", async () => {
    // Every test errors once, then passes on retry: 12 flaky warnings, after the input warning.
    const sim = await simulator({ tests: { '*': { sequence: ['error', 'pass'], duration_seconds: 10 } } });
    const dir = workspace({ 'suites/many.yaml': manyTests(12) });
    const r = await runActionEntry(process.execPath, SOURCE_ENTRY, dir, {
      'api-key': KEY,
      'base-url': sim.url,
      suites: 'suites',
      retries: '1',
      'fail-on-regression': 'true',
    });
    expect(r.code, r.stderr).toBe(0);
    const warnings = annotations(r.stdout, 'warning');
    expect(warnings).toHaveLength(10);
    expect(warnings[0]).toMatch(/^::warning::fail-on-regression has no effect/);
    expect(warnings.filter((w) => w.includes('(flaky)'))).toHaveLength(9);
    expect(annotations(r.stdout, 'notice')).toEqual([
      expect.stringMatching(/::3 more warnings \(GitHub shows 10 annotations of a kind per step\)/),
    ]);
  }, 60_000);

  it.each([
    [{ quarantine: 'false' }, 'quarantine'],
    [{ 'promote-assistant-id': 'assistant-1', 'version-id': 'v-2' }, 'promote-assistant-id'],
  ])(
    'merge-results with %o fails before anything, naming the input',
    async (inputs, input) => {
      const dir = workspace({ 'shards/1/results.json': '{}' });
      const r = await runActionEntry(process.execPath, SOURCE_ENTRY, dir, {
        'merge-results': 'shards/*/results.json',
        ...inputs,
      });
      expect(r.code).toBe(1);
      expect(r.outputs.result).toBe('incomplete');
      expect(annotations(r.stdout, 'warning')).toEqual([]);
      expect(annotations(r.stdout, 'error')).toEqual([
        expect.stringMatching(
          new RegExp(`^::error::rubric-gate: merge-results is set, so nothing runs: .*input "${input}": `),
        ),
      ]);
      expect(r.stdout).not.toContain('merging');
      expect(r.summary).toBe('');
    },
    30_000,
  );
});
