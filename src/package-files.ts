// Where rubric-gate's own shipped files are (example suites, schema), whether it runs as the
// bundle (dist/cli.js in a clone or in node_modules/rubric-gate) or from source (src/*.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'rubric-gate';

/** The folder holding rubric-gate's package.json, found by walking up from this module. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  // Bounded: the bundle is one level below the root, the sources at most two.
  for (let i = 0; i < 5; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isOurs(manifest)) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${from}; reinstall rubric-gate`);
}

function isOurs(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The example suites (and demo scenario) shipped in the package. */
export const exampleSuitesDir = (): string => join(packageRoot(), 'suites');
