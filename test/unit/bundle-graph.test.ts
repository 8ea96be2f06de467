// Start-up costs what a command loads: the CLI bundle is code-split (scripts/build.mjs) so that
// `--version`, `--help` and `validate` never load the run machinery. This reads the chunk graph
// of a fresh build (static imports are loaded before a chunk runs; dynamic ones only when the
// command calls them) and the module markers esbuild leaves in each chunk (`// src/run/run.ts`).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs build script without type declarations
import * as build from '../../scripts/build.mjs';

const { buildOutputs, REEXEC_FLAGS_V8_12, V8_FLAGS, V8_FLAGS_V8_12, V8_FLAGS_V8_12_BOUNDED } = build as {
  buildOutputs: () => Promise<Map<string, string>>;
  REEXEC_FLAGS_V8_12: string[];
  V8_FLAGS: string[];
  V8_FLAGS_V8_12: string[];
  V8_FLAGS_V8_12_BOUNDED: string[];
};

const files = (await buildOutputs()) as Map<string, string> & { modules: Map<string, string[]> };

const chunkPath = (from: string, spec: string): string =>
  `${from.slice(0, from.lastIndexOf('/'))}/${spec.replace(/^\.\//, '')}`;

/** The files loaded, with their static imports, when `entry` is loaded. */
function staticClosure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    const text = files.get(path);
    if (text === undefined) throw new Error(`${path} is not in the build`);
    seen.add(path);
    for (const m of text.matchAll(/^import (?:[^'"]*? from )?["'](\.\/[^"']+)["'];?$/gm))
      visit(chunkPath(path, m[1] ?? ''));
  };
  visit(entry);
  return [...seen];
}

/** The source modules (src/..., node_modules/<pkg>/...) inside the given files (esbuild's metafile). */
const modulesIn = (paths: string[]): string[] =>
  paths.flatMap((p) => (files.modules.get(p) ?? []).filter((m) => /^(src|reporters|node_modules)\//.test(m)));

/** The chunk a dynamic import in `from` names for a source file's command, e.g. validate. */
function commandChunk(from: string, command: string): string {
  const m = (files.get(from) ?? '').match(new RegExp(`import\\("\\./(${command}(?:-[\\w]+)?\\.c?js)"\\)`));
  if (!m?.[1]) throw new Error(`no dynamic import of the ${command} chunk in ${from}`);
  return chunkPath(from, m[1]);
}

describe('the CLI bundle loads only what a command needs', () => {
  it.each([
    ['dist/cli.js', './chunks/cli.js', '["run","promote","demo","sync"].includes(process.argv[2])'],
    ['dist/action.js', './action-main.mjs', 'true'],
  ])('%s enables the compile cache and sets V8 up before it imports %s', (path, program, long) => {
    const stub = files.get(path) ?? '';
    const lines = stub.split('\n');
    const importAt = lines.findIndex((l) => l.includes(`import('${program}')`));
    const cacheAt = lines.findIndex((l) => l.includes('enableCompileCache'));
    expect(importAt).toBeGreaterThan(0);
    expect(cacheAt).toBeGreaterThan(0);
    expect(cacheAt).toBeLessThan(importAt);
    // Only where suites run (the CLI's long commands; the Action always).
    expect(lines.map((l) => l.trim())).toContain(`if (${long}) {`);
    // Each runtime's flags (V8 12+ has its own, and re-executes with REEXEC_FLAGS_V8_12), chosen
    // and set before the program is imported.
    const execAt = lines.findIndex((l) => l.includes('process.execve('));
    expect(execAt).toBeGreaterThan(0);
    expect(execAt).toBeLessThan(importAt);
    for (const flag of [
      ...V8_FLAGS,
      ...V8_FLAGS_V8_12,
      ...V8_FLAGS_V8_12_BOUNDED,
      ...REEXEC_FLAGS_V8_12,
    ] as string[]) {
      const at = lines.findIndex((l) => l.includes(JSON.stringify(flag)));
      expect(at, flag).toBeGreaterThan(0);
      expect(at, flag).toBeLessThan(importAt);
    }
    // CommonJS (dist/package.json), so Node 20 skips its ES-module loader for the stub; nothing
    // else is loaded statically: the program is a dynamic import, after the prologue.
    expect(files.get('dist/package.json')).toMatch(/"type": "commonjs"/);
    expect(stub).not.toMatch(/^\s*import /m);
    expect(stub).not.toMatch(/require\(["']\.\//);
    // The program itself never re-executes or sets flags: its stub did.
    const body = files.get(`dist/${program.slice(2)}`) ?? '';
    expect(body.length).toBeGreaterThan(0);
    expect(body).not.toContain('process.execve(');
  });

  it('--version and --help load commander and the CLI shell only (no zod, no YAML parser)', () => {
    const mods = modulesIn(staticClosure('dist/chunks/cli.js'));
    expect(mods).toContain('src/cli.ts');
    expect(mods.some((m) => m.startsWith('node_modules/commander/'))).toBe(true);
    for (const m of mods)
      expect(m).toMatch(
        /^(node_modules\/commander\/|src\/(cli|io|errors|version|sanitize)\.ts$|reporters\/style\.ts$)/,
      );
  });

  it('validate loads the suite parser, not the run machinery, the API client or the reporters', () => {
    const validate = commandChunk('dist/chunks/cli.js', 'validate');
    const mods = modulesIn(staticClosure(validate));
    expect(mods).toContain('src/suite/load.ts');
    const forbidden = mods.filter((m) =>
      /^(src\/(run|api\/(client|http|pacer|backoff|paginate)|simulator|action)\/|src\/api\/(client|http)\.ts|reporters\/(?!style\.ts$)|node_modules\/undici\/)/.test(
        m,
      ),
    );
    expect(forbidden).toEqual([]);
  });

  it('validate checks suite files with zod/mini: classic zod (several times slower to load) is not loaded', () => {
    const validate = commandChunk('dist/chunks/cli.js', 'validate');
    const mods = modulesIn(staticClosure(validate));
    expect(mods).toContain('src/suite/schema.ts');
    expect(mods).toContain('node_modules/zod/v4/mini/schemas.js');
    expect(mods.filter((m) => m.startsWith('node_modules/zod/v4/classic/'))).toEqual([]);
    // The API schemas are classic zod: only their zod-free constants may reach validate.
    expect(mods).not.toContain('src/api/schemas.ts');
  });

  it('validate is bundled alone: it parses only what it runs, not chunks shared with the API commands', () => {
    const validate = commandChunk('dist/chunks/cli.js', 'validate');
    const loaded = staticClosure(validate);
    // Code-split, validate shared file-sized chunks with plan/sync/run: ~985 KB, of which zod's
    // locales and the parts of zod's core only classic zod uses were most. Alone it is ~360 KB.
    const bytes = loaded.reduce((n, p) => n + Buffer.byteLength(files.get(p) ?? ''), 0);
    expect(bytes).toBeLessThan(450_000);
    expect(loaded).toEqual([validate]);
  });

  it('no bundle carries a zod locale but English (nothing sets one; the ~60 others were ~370 KB)', () => {
    expect(files.modules.size).toBeGreaterThan(3);
    for (const [path, mods] of files.modules) {
      const locales = mods.flatMap((m) => m.match(/^node_modules\/zod\/v4\/locales\/(\S+)$/)?.[1] ?? []);
      expect(
        locales.filter((l) => l !== 'en.js'),
        path,
      ).toEqual([]);
    }
  });
});
