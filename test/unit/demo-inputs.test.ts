// demo anywhere: with no suites/ in the folder it runs the examples shipped in the package.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoInputs } from '../../src/commands/demo.js';
import { memoryIo } from '../../src/io.js';
import { exampleSuitesDir, packageRoot } from '../../src/package-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rg-demo-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('demoInputs', () => {
  it("uses the package's example suites and scenario when the folder has no suites/", () => {
    const input = demoInputs([], {}, memoryIo({ cwd: dir }));
    expect(input.shipped).toBe(true);
    expect(path.resolve(dir, input.paths[0] ?? '')).toBe(exampleSuitesDir());
    expect(path.resolve(dir, input.scenario ?? '')).toBe(path.join(exampleSuitesDir(), 'demo.scenario.yaml'));
  });

  it('uses ./suites (and its scenario only if present) when there is one', async () => {
    await mkdir(path.join(dir, 'suites'));
    expect(demoInputs([], {}, memoryIo({ cwd: dir }))).toEqual({ paths: ['suites'], shipped: false });
    await writeFile(path.join(dir, 'suites/demo.scenario.yaml'), 'seed: 1\n');
    expect(demoInputs([], {}, memoryIo({ cwd: dir })).scenario).toBe('suites/demo.scenario.yaml');
  });

  it('uses the paths given, whatever exists', () => {
    expect(demoInputs(['mine'], { scenario: 's.yaml' }, memoryIo({ cwd: dir }))).toEqual({
      paths: ['mine'],
      scenario: 's.yaml',
      shipped: false,
    });
  });

  it("finds the package folder from the sources (the bundle's case is covered by the install e2e)", () => {
    expect(packageRoot()).toBe(path.resolve(import.meta.dirname, '../..'));
  });
});
