// Bundles the CLI and the GitHub Action into dist/ (committed: the Action runs it as is,
// and `node dist/cli.js` works on a fresh clone with no install). Also lists the licences
// of every third-party package inside the bundles in dist/licenses.txt.
// `buildOutputs()` returns the files without writing them, for the dist freshness test.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const entries = { cli: 'src/cli.ts', action: 'src/action.ts' };
/** The CLI program's chunk; dist/cli.js is the stub that imports it. */
const CLI_PROGRAM = 'chunks/cli';
/**
 * The Action's program; dist/action.js is its stub, as dist/cli.js is the CLI's: a process about
 * to re-execute itself should not parse a 3 MB bundle first (~200 ms). Outside dist/chunks/, so
 * it is not in the npm package (package.json `files`).
 */
const ACTION_PROGRAM = 'action-main';

/**
 * V8 flags the bundles set at start-up, before any bundled code runs (see buildOutputs). A fixed
 * old-generation growth factor of 1.2 instead of V8's up-to-4x: a full collection comes after
 * 20% growth over what survived the last one, not 300%. 10,000-test run on Node 20: ~182 MiB
 * peak at ~1.0x the flagless CPU (flagless ~250 MiB); `--optimize-for-size` held ~175 MiB but
 * cost 1.6-1.9x the CPU (slower code and a young generation shrunk after every full GC).
 */
export const V8_FLAGS = ['--heap-growing-percent=20'];

/**
 * Where V8 12+ (Node 22+) runs, its young generation grows to two 64 MB semi-spaces (no pointer
 * compression in Node), and that limit is fixed when the heap is set up: no flag set at run time
 * bounds it, so the growth factor alone leaves a 10,000-test run at ~300 MiB on Node 24 (the
 * Action's runtime). So the commands that run suites re-execute themselves in place with
 * REEXEC_FLAGS_V8_12 (process.execve, Node 22.15+/23.11+, not Windows): same pid, stdio and
 * signals, nothing to forward. `--liftoff-only` spares the ~30 MB optimising compile of undici's
 * WASM HTTP parser. All three are given on the new command line: set at run time instead, the
 * growth factor and Liftoff left the run ~20 MiB higher. V8_FLAGS_V8_12_BOUNDED is what a
 * process whose young generation is bounded already sets at run time (a no-op after our own
 * re-execution; the growth factor and Liftoff when the user gave the bound).
 * 10,000-test run on Node 24.21: ~180-190 MiB at ~1.1x the flagless CPU (flagless ~350 MiB).
 * A worker thread with resourceLimits bounds the young generation too, but its second isolate
 * costs ~30 MiB; a child process would cost a second Node and need signals forwarded.
 */
export const REEXEC_FLAGS_V8_12 = ['--max-semi-space-size=8', '--heap-growing-percent=20', '--liftoff-only'];
export const V8_FLAGS_V8_12_BOUNDED = ['--heap-growing-percent=20', '--liftoff-only'];
/**
 * V8 12+ when the re-execution is skipped (see v8Mode): trade CPU for memory, ~190 MiB at
 * ~2x the CPU.
 */
export const V8_FLAGS_V8_12 = ['--optimize-for-size', '--liftoff-only'];

/**
 * CLI commands that get the V8 set-up (and re-execute on V8 12+): the long ones, that run or sync
 * suites. The others finish in a fraction of a second with little heap; flags set at run time
 * only cost them start-up (~10 ms of `validate`'s on Node 20).
 */
const LONG_COMMANDS = ['run', 'promote', 'demo', 'sync'];

/**
 * How a process that runs suites sets V8 up, from the facts of its start. Self-contained: its
 * source is copied into the prologue (Function.prototype.toString), and tests call it as is.
 * - 'v8-11': V8_FLAGS (Node 20).
 * - 'exec': re-execute in place with REEXEC_FLAGS_V8_12.
 * - 'bounded': a --max-semi-space-size is given already (by us before the re-exec, or by the
 *   user, on the command line or in NODE_OPTIONS, which execArgv does not show): V8_FLAGS_V8_12_BOUNDED.
 * - 'unbounded': V8_FLAGS_V8_12. When a second start would show: a preload (--require, --import,
 *   a loader) would run twice, a debugger would lose its session. And when execve could fail:
 *   Node before 26 aborts the process then (nodejs/node#62878) and on Windows it warns before it
 *   throws, so everything it needs is checked first (an absolute, executable binary, and the
 *   permission model's child-process right).
 */
export function v8Mode(f) {
  if (f.v8Major < 12) return 'v8-11';
  const given = [...f.execArgv, ...f.nodeOptions.split(/\s+/)];
  if (given.some((a) => /^--max[-_]semi[-_]space[-_]size=/.test(a))) return 'bounded';
  if (
    given.some((a) =>
      /^(-r|--require|--import|--loader|--experimental-loader|--inspect(-brk|-wait)?)(=|$)/.test(a),
    )
  )
    return 'unbounded';
  if (!f.hasExecve || f.platform === 'win32' || f.platform === 'os400' || !f.absoluteExecPath)
    return 'unbounded';
  return f.mayExec() ? 'exec' : 'unbounded';
}

/**
 * The prologue's V8 set-up, run before any bundled code is compiled. `long` is a JS expression:
 * whether this process runs suites (the Action always does).
 */
function v8Setup(long) {
  const flags = { 'v8-11': V8_FLAGS, bounded: V8_FLAGS_V8_12_BOUNDED, unbounded: V8_FLAGS_V8_12 };
  return [
    `if (${long}) {`,
    // Required here, not at the top: node:v8 pulls in node:stream and more (~6 ms of every
    // `--version`, `--help` and `validate` start on Node 20), and only these commands use it.
    "  const { setFlagsFromString: __rgSetV8Flags } = require('node:v8');",
    "  const { accessSync: __rgAccess, constants: __rgFs } = require('node:fs');",
    `  const mode = (${v8Mode.toString()})({`,
    '    v8Major: Number.parseInt(process.versions.v8, 10),',
    '    execArgv: process.execArgv,',
    "    nodeOptions: process.env.NODE_OPTIONS ?? '',",
    "    hasExecve: typeof process.execve === 'function',",
    '    platform: process.platform,',
    "    absoluteExecPath: require('node:path').isAbsolute(process.execPath),",
    "    mayExec: () => { try { __rgAccess(process.execPath, __rgFs.X_OK); return process.permission?.has('child') ?? true; } catch { return false; } },",
    '  });',
    // Node 26+ throws if execve fails anyway: then this process goes on unbounded.
    `  if (mode === 'exec') try { process.execve(process.execPath, [process.execPath, ...${JSON.stringify(REEXEC_FLAGS_V8_12)}, ...process.execArgv, ...process.argv.slice(1)]); } catch {}`,
    `  for (const f of ${JSON.stringify(flags)}[mode === 'exec' ? 'unbounded' : mode]) __rgSetV8Flags(f);`,
    '}',
  ];
}

/**
 * `v8Flags` replaces the V8 set-up above on every runtime, with no re-execution (the benchmark
 * builds a flagless copy to show what the flags cost).
 * `outdir` only changes where esbuild resolves output paths: the returned map is keyed by
 * paths relative to the repository root.
 */
export async function buildOutputs({ v8Flags, outdir = 'dist' } = {}) {
  // The runtime's compile cache where it has one (Node 22.1+, so the Action's Node 24), and the
  // V8 flags: set before any bundled code is compiled, so every module is cached and runs under
  // them. A CLI that mostly waits on the network gains nothing from V8's optimising compile of
  // undici's WASM HTTP parser (a ~30 MB spike at the first request), and a smaller heap suits it.
  const prologue = (long) => [
    ...(v8Flags === undefined
      ? v8Setup(long)
      : v8Flags.length > 0
        ? [
            "const { setFlagsFromString: __rgSetV8Flags } = require('node:v8');",
            ...v8Flags.map((f) => `__rgSetV8Flags(${JSON.stringify(f)});`),
          ]
        : []),
    "require('node:module').enableCompileCache?.();",
  ];
  // CommonJS dependencies call require(); give each ESM output one.
  const requireShim = 'const require = __rgModule.createRequire(import.meta.url);';
  const common = {
    absWorkingDir: root,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20.18',
    format: 'esm',
    write: false,
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
    define: { __RUBRIC_GATE_VERSION__: JSON.stringify(pkg.version) },
  };
  const present = (name) => existsSync(join(root, entries[name]));
  // The CLI is split: each command is a dynamic import (src/cli.ts), so `--version`, `--help`
  // and `validate` load only what they run instead of parsing the whole bundle at every start.
  // dist/cli.js (and dist/action.js) is a stub that enables the compile cache and sets V8 up, then
  // imports the program: ESM imports are compiled before the importing module runs, so a
  // prologue inside the program's own file would come too late for its static imports.
  // The Action's program is one file (it always runs the whole pipeline), so its code never
  // enters the npm package through a shared chunk.
  const cliBanner = { js: ["import * as __rgModule from 'node:module';", requireShim].join('\n') };
  const builds = await Promise.all([
    present('cli')
      ? esbuild.build({
          ...common,
          banner: cliBanner,
          entryPoints: { [CLI_PROGRAM]: entries.cli },
          splitting: true,
          chunkNames: 'chunks/[name]-[hash]',
          plugins: [standaloneCommands, englishOnlyZod, yamlEsm, lazyChildProcess],
        })
      : undefined,
    // Each standalone command is one CommonJS file of its own, tree-shaken alone (see STANDALONE).
    ...Object.entries(STANDALONE).map(([name, { source }]) =>
      present('cli')
        ? esbuild.build({
            ...common,
            format: 'cjs',
            outExtension: { '.js': '.cjs' },
            // Minified, names included: ~165 KB to read and cache instead of ~220 (~2 ms of
            // validate's start). Nothing it throws reaches the user with a stack.
            minify: true,
            entryPoints: { [`chunks/${name}`]: source },
            plugins: [englishOnlyZod, yamlEsm],
          })
        : undefined,
    ),
    present('action')
      ? esbuild.build({
          ...common,
          banner: cliBanner,
          outExtension: { '.js': '.mjs' },
          entryPoints: { [ACTION_PROGRAM]: entries.action },
          plugins: [englishOnlyZod, yamlEsm, lazyChildProcess],
        })
      : undefined,
  ]);
  const files = new Map();
  const inputs = {};
  // Which source modules each output holds (tests read the chunk graph from it): a minified
  // output keeps no `// src/...` markers.
  const modules = new Map();
  for (const result of builds) {
    if (!result) continue;
    for (const f of result.outputFiles) files.set(relative(root, f.path), f.text);
    for (const [path, output] of Object.entries(result.metafile.outputs))
      modules.set(relative(root, resolve(root, path)), Object.keys(output.inputs));
    Object.assign(inputs, result.metafile.inputs);
  }
  const out = (path) => relative(root, resolve(root, outdir, path));
  // The stubs are CommonJS (dist/package.json): an ES-module entry costs Node 20 its ES-module
  // loader before the first line runs (~10 ms of validate's start); the program stays ESM
  // (dist/chunks/package.json; the Action's, .mjs).
  files.set(out('package.json'), '{\n  "type": "commonjs"\n}\n');
  files.set(out('chunks/package.json'), '{\n  "type": "module"\n}\n');
  /** The stub's lines for `program`: the prologue, then `start` (JS lines), or an import of it. */
  const stub = (long, program, { answers = [], direct = [] } = {}) => {
    const body = [...prologue(long), ...direct, `import('./${program}');`];
    return [
      '#!/usr/bin/env node',
      "'use strict';",
      ...(answers.length === 0
        ? body
        : [
            `const __rgAnswer = ${quickAnswers(answers)};`,
            'if (__rgAnswer !== undefined) {',
            // As the program's own output does (src/io.ts sink): a reader gone away is no crash.
            '  process.stdout.on("error", () => {});',
            '  process.stdout.write(__rgAnswer);',
            '} else {',
            ...body.flatMap((l) => l.split('\n')).map((l) => `  ${l}`),
            '}',
          ]),
      '',
    ].join('\n');
  };
  if (present('cli')) {
    const cliFiles = [...files].filter(([path]) => path.startsWith(relative(root, resolve(root, outdir))));
    files.set(
      out('cli.js'),
      stub(`${JSON.stringify(LONG_COMMANDS)}.includes(process.argv[2])`, `${CLI_PROGRAM}.js`, {
        answers: programAnswers(cliFiles, outdir),
        direct: Object.entries(STANDALONE).map(([name, { command, run }]) => {
          const file = `chunks/${name}.cjs`;
          const key = createHash('sha256')
            .update(files.get(out(file)))
            .digest('hex')
            .slice(0, 16);
          // A command the standalone file runs by itself (undefined: the program reads these arguments).
          return [
            `if (process.argv[2] === ${JSON.stringify(command)}) {`,
            `  const run = (${REQUIRE_COMPILED})(require('node:path').join(__dirname, ${JSON.stringify(file)}), ${JSON.stringify(key)}, require).${run}(process.argv.slice(3));`,
            '  if (run !== undefined) return void run.then((code) => { process.exitCode = code; });',
            '}',
          ].join('\n');
        }),
      }),
    );
  }
  if (present('action')) files.set(out('action.js'), stub('true', `${ACTION_PROGRAM}.mjs`));
  files.set(relative(root, resolve(root, outdir, 'licenses.txt')), licences({ inputs }));
  return Object.assign(files, { modules });
}

/**
 * The program's answers that depend on nothing but the build: `--version` (and `-V`), and
 * `--help` (and `-h`) written to a pipe or a file, where commander wraps at 80 columns (at a
 * terminal it wraps at the terminal's width, so the program renders it). The stub prints them
 * without loading the program: ~35 ms of Node 20's start-up for a 5-byte answer. Each text is
 * what the built program itself prints for exactly these arguments (run once here, stdout a
 * pipe); test/e2e/startup-modules.test.ts compares the two.
 */
function programAnswers(cliFiles, outdir) {
  const dir = mkdtempSync(join(tmpdir(), 'rg-build-answers-'));
  try {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const base = resolve(root, outdir);
    for (const [path, text] of cliFiles) {
      const to = join(dir, relative(base, resolve(root, path)));
      mkdirSync(dirname(to), { recursive: true });
      writeFileSync(to, text);
    }
    const answer = (args) => {
      const r = spawnSync(process.execPath, [join(dir, `${CLI_PROGRAM}.js`), ...args], {
        env: {},
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      if (r.status !== 0 || r.stderr !== '')
        throw new Error(`the built program's ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
      return r.stdout;
    };
    const version = answer(['--version']);
    const help = answer(['--help']);
    return [
      { args: ['--version', '-V'], text: version },
      { args: ['--help', '-h'], text: help, pipeOnly: true },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A JS expression: the answer for this process's arguments, or undefined. */
function quickAnswers(answers) {
  const cases = answers.map(
    ({ args, text, pipeOnly }) =>
      `${JSON.stringify(args)}.includes(process.argv[2])${pipeOnly ? ' && !process.stdout.isTTY' : ''} ? ${JSON.stringify(text)}`,
  );
  return `process.argv.length !== 3 ? undefined : ${cases.join(' : ')} : undefined`;
}

/**
 * Commands bundled apart from the code-split graph, as dist/chunks/<name>.cjs. esbuild splits by
 * whole files: a chunk that validate shares with plan, sync and run carries every part of zod's
 * core (and all of zod's locales) that classic zod needs, so validate parsed ~985 KB to use
 * ~300 KB. Alone, it is tree-shaken to what it runs. The copy of the suite code it holds is
 * loaded only by this command, never beside the shared one, and it throws none of the error
 * classes the CLI shell tells apart (validate reports problems as data; see validateCommand).
 * The stub runs `command` with the file's `run` export (src/validate-cli.ts) without loading the
 * program, through requireCompiled; the program imports the same file for the forms `run` leaves
 * to it.
 */
/** scripts/require-compiled.cjs's function, as the stub's text. */
const REQUIRE_COMPILED = readFileSync(join(root, 'scripts', 'require-compiled.cjs'), 'utf8')
  .split('\nmodule.exports')[0]
  .replace(/^'use strict';\n/, '')
  .replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
  .trim();

const STANDALONE = { validate: { source: 'src/validate-cli.ts', command: 'validate', run: 'runValidate' } };

/** In the CLI program, `import('./<source>.js')` of a standalone command loads its own file. */
const standaloneCommands = {
  name: 'standalone-commands',
  setup(build) {
    build.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = relative(root, join(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      const name = Object.keys(STANDALONE).find((n) => STANDALONE[n].source === source);
      return name === undefined ? undefined : { path: `./${name}.cjs`, external: true };
    });
  },
};

/**
 * zod's locales index holds ~60 languages (~370 KB); classic zod exposes it as `z.locales` and so
 * bundles all of it into every command that loads zod, though nothing here sets a locale (the
 * suite schemas install English as classic zod does). Only English is bundled.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? // Relative to the repository: the path shows in the bundle, which must not depend on the checkout.
          { path: relative(root, join(args.resolveDir, args.path)), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: join(root, dirname(args.path)),
    }));
  },
};

/**
 * yaml's ES-module build (its `default` export condition; `node` selects the CommonJS one): the
 * same code, but esbuild can hoist and tree-shake it instead of wrapping each file in a
 * require() closure (validate's chunk: 361 -> 301 KB). The two differ only in where yaml logs,
 * and every reader here keeps it quiet (YAML_QUIET in src/suite/locate.ts).
 */
const yamlEsm = {
  name: 'yaml-esm',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, () => ({
      path: join(root, 'node_modules/yaml/browser/dist/index.js'),
    }));
  },
};

/**
 * commander requires node:child_process at load, for executable subcommands, which this CLI has
 * none of; loading it pulls in node:net and node:stream (~5 ms of every start on Node 20). Its
 * copy gets the module on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer)
        ? { path: 'child_process', namespace: 'lazy-child-process' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };",
      loader: 'js',
    }));
  },
};

function licences(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // A plugin's virtual module (`namespace:path`): its package is listed from its real files.
    if (/^[\w-]+:/.test(input)) continue;
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

// `node scripts/build.mjs [--out-dir <dir>] [--v8-flags <a,b|none>]`: the defaults build dist/;
// the options build an experiment elsewhere (the benchmark's flagless copy).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { 'out-dir': { type: 'string', default: 'dist' }, 'v8-flags': { type: 'string' } },
  });
  const flags = values['v8-flags'];
  const outdir = resolve(root, values['out-dir']);
  const files = await buildOutputs({
    outdir,
    ...(flags === undefined ? {} : { v8Flags: flags === 'none' ? [] : flags.split(',') }),
  });
  // Chunk names carry a content hash: drop the old ones so the folder holds exactly one build.
  rmSync(join(outdir, 'chunks'), { recursive: true, force: true });
  mkdirSync(join(outdir, 'chunks'), { recursive: true });
  for (const [path, text] of files)
    writeFileSync(join(root, path), text, { mode: path.endsWith('.js') ? 0o755 : 0o644 });
  console.log(`built ${[...files.keys()].join(', ')}`);
}
