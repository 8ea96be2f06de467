// The committed bundle is what the Action and `node dist/cli.js` run: it must be exactly what
// src/ builds today. Fix a failure with `npm run build` and commit dist/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import { buildOutputs } from '../../scripts/build.mjs';

const root = join(import.meta.dirname, '..', '..');

describe('dist/ freshness', () => {
  it('matches what src/ builds', async () => {
    const files = (await buildOutputs()) as Map<string, string>;
    const stale = [...files].filter(([path, text]) => {
      try {
        return readFileSync(join(root, path), 'utf8') !== text;
      } catch {
        return true;
      }
    });
    expect(
      stale.map(([p]) => p),
      'dist/ is stale: run `npm run build` and commit dist/',
    ).toEqual([]);
  }, 60_000);
});
