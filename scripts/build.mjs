// Bundles the CLI and the GitHub Action into dist/ (committed: the Action runs it as is,
// and `node dist/cli.js` works on a fresh clone with no install). Also lists the licences
// of every third-party package inside the bundles in dist/licenses.txt.
// `buildOutputs()` returns the files without writing them, for the dist freshness test.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const entries = { cli: 'src/cli.ts', action: 'src/action.ts' };

export async function buildOutputs() {
  const common = {
    absWorkingDir: root,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20.18',
    format: 'esm',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { __RUBRIC_GATE_VERSION__: JSON.stringify(pkg.version) },
    // CommonJS dependencies call require(); give the ESM bundle one. And tune V8 for a process
    // that mostly waits on the network, before any bundled code runs: no optimising compile of
    // undici's WASM HTTP parser (a ~30 MB spike at the first request) and a smaller heap. The
    // benchmark measured 154 → 109 MiB peak RSS for a 1,000-test run (test/bench/results.json).
    banner: {
      js: [
        '#!/usr/bin/env node',
        "import * as __rgModule from 'node:module';",
        // The runtime's compile cache where it has one (Node 22.1+, so the Action's Node 24).
        '__rgModule.enableCompileCache?.();',
        "import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';",
        "__rgSetV8Flags('--optimize-for-size');",
        "__rgSetV8Flags('--liftoff-only');",
        'const require = __rgModule.createRequire(import.meta.url);',
      ].join('\n'),
    },
  };
  const present = (name) => existsSync(join(root, entries[name]));
  // The CLI is split: each command is a dynamic import (src/cli.ts), so `--version`, `--help`
  // and `validate` load only what they run instead of parsing the whole bundle at every start.
  // The Action stays one file (it always runs the whole pipeline), so its code never enters the
  // npm package through a shared chunk.
  const builds = await Promise.all([
    present('cli')
      ? esbuild.build({
          ...common,
          entryPoints: { cli: entries.cli },
          splitting: true,
          chunkNames: 'chunks/[name]-[hash]',
        })
      : undefined,
    present('action') ? esbuild.build({ ...common, entryPoints: { action: entries.action } }) : undefined,
  ]);
  const files = new Map();
  const inputs = {};
  for (const result of builds) {
    if (!result) continue;
    for (const f of result.outputFiles) files.set(relative(root, f.path), f.text);
    Object.assign(inputs, result.metafile.inputs);
  }
  files.set('dist/licenses.txt', licences({ inputs }));
  return files;
}

function licences(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m) dirs.add(m[1]);
  }
  const out = [];
  for (const dir of [...dirs].sort()) {
    const p = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file ? readFileSync(join(root, dir, file), 'utf8').trim() : '(no licence file shipped)';
    out.push(`${p.name}@${p.version}\n${p.license ?? 'UNKNOWN'}\n${text}\n`);
  }
  return `Third-party packages bundled in dist/\n\n${out.join('\n-----\n\n')}`;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = await buildOutputs();
  // Chunk names carry a content hash: drop the old ones so dist/ holds exactly one build.
  rmSync(join(root, 'dist', 'chunks'), { recursive: true, force: true });
  mkdirSync(join(root, 'dist', 'chunks'), { recursive: true });
  for (const [path, text] of files)
    writeFileSync(join(root, path), text, { mode: path.endsWith('.js') ? 0o755 : 0o644 });
  console.log(`built ${[...files.keys()].join(', ')}`);
}
