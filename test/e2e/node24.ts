// Node 24, the runtime action.yml declares, for the end-to-end tests and the benchmark. It comes
// from the registry's per-platform binary package (no install script), installed once into
// node_modules/.cache; no devDependency, because a `node` package would also put Node 24 on the
// test runner's PATH.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const NODE24_VERSION = '24.21.0';
const root = join(import.meta.dirname, '..', '..');

/** The Node 24 binary's path, installing it on first use. */
export function node24(): string {
  const pkg = `node-${process.platform}-${process.arch}`;
  const dir = join(root, 'node_modules', '.cache', 'rubric-gate-node24');
  const bin = join(dir, 'node_modules', pkg, 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--prefix', dir, `${pkg}@${NODE24_VERSION}`], {
      stdio: 'ignore',
      timeout: 180_000,
    });
  }
  return bin;
}
