// Installing rubric-gate as a new user would: the package is built from the sources into a
// staging folder, packed, and published to a private npm registry (verdaccio) this test starts
// on 127.0.0.1 with no uplink, so nothing can come from anywhere else. It is installed into an
// empty folder from there, then `npx rubric-gate demo`, `init` and `validate` run in that folder.
// The installed tree must hold exactly one package: rubric-gate itself.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ran, runProcess } from './process.js';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
};
const work = mkdtempSync(join(tmpdir(), 'rg-install-'));
const npmrc = join(work, 'npmrc');
let registry: ChildProcess | undefined;
let registryUrl = '';
let project = '';

/** npm and npx against the private registry only, with their own cache and config. */
const env = (): Record<string, string> => ({
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
  HOME: work,
  npm_config_userconfig: npmrc,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_registry: registryUrl,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  CI: '1',
});
const npm = (args: string[], cwd: string, timeoutMs = 30_000): Promise<Ran> =>
  runProcess('npm', args, { cwd, env: env(), timeoutMs });
const npx = (args: string[], timeoutMs = 30_000): Promise<Ran> =>
  runProcess('npx', ['--no', '--', ...args], { cwd: project, env: env(), timeoutMs });
/** The installed bin without npx's start-up, for the checks beyond the first three commands. */
const bin = (args: string[]): Promise<Ran> =>
  runProcess(join(project, 'node_modules/.bin/rubric-gate'), args, { cwd: project, env: env() });

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}

/**
 * The package as `npm pack` would make it from a checkout, with dist/ built from src/ (whatever
 * files the build makes: the CLI, its chunks, the licences). The Action bundle is built too but
 * left out, as package.json's `files` leaves it out; the allowlist test checks that list.
 */
async function stage(): Promise<string> {
  const dir = join(work, 'stage');
  mkdirSync(dir);
  for (const entry of ['package.json', 'README.md', 'LICENSE', ...pkg.files]) {
    if (entry.startsWith('dist/')) continue;
    cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  const { buildOutputs } = (await import(resolve(root, 'scripts/build.mjs'))) as {
    buildOutputs: () => Promise<Map<string, string>>;
  };
  const built = await buildOutputs();
  if (!built.has('dist/cli.js')) throw new Error('the build made no dist/cli.js');
  for (const [file, text] of built) {
    if (file === 'dist/action.js' || file === 'dist/action-main.mjs') continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text, { mode: file.endsWith('.js') ? 0o755 : 0o644 });
  }
  return dir;
}

beforeAll(async () => {
  const port = await freePort();
  registryUrl = `http://127.0.0.1:${port}/`;
  const storage = join(work, 'registry');
  mkdirSync(storage);
  // No uplinks: the registry serves only what this test publishes.
  writeFileSync(
    join(storage, 'config.yaml'),
    [
      `storage: ${join(storage, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${join(storage, 'htpasswd')}, max_users: 1 }`,
      'uplinks: {}',
      'packages:',
      "  '**': { access: $all, publish: $authenticated }",
      'log: { type: stdout, format: pretty, level: error }',
      '',
    ].join('\n'),
  );
  registry = spawn(
    process.execPath,
    [
      join(root, 'node_modules/verdaccio/bin/verdaccio'),
      '--config',
      join(storage, 'config.yaml'),
      '--listen',
      `127.0.0.1:${port}`,
    ],
    { cwd: storage, stdio: 'ignore' },
  );
  // Ready when it answers its ping (bounded: 20 s).
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${registryUrl}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('verdaccio did not start within 20 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  // A publisher account; its token goes into the private npmrc.
  const user = await fetch(`${registryUrl}-/user/org.couchdb.user:rg-test`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'rg-test', password: 'rg-test-password' }),
  });
  const { token } = (await user.json()) as { token?: string };
  if (!token) throw new Error(`verdaccio made no user (${user.status})`);
  writeFileSync(npmrc, `registry=${registryUrl}\n//127.0.0.1:${port}/:_authToken=${token}\n`);

  const staged = await stage();
  const packed = await npm(['pack', '--json', '--pack-destination', work], staged);
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]?.filename ?? '');
  const published = await npm(['publish', tarball], work);
  expect(published.code, published.stderr).toBe(0);

  project = join(work, 'project');
  mkdirSync(project);
  const installed = await npm(['install', 'rubric-gate'], project);
  expect(installed.code, installed.stderr).toBe(0);
}, 90_000);

afterAll(() => {
  registry?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('npm install rubric-gate from a registry, in an empty project', () => {
  it('installs exactly one package', () => {
    const lock = JSON.parse(readFileSync(join(project, 'node_modules/.package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string }>;
    };
    expect(Object.keys(lock.packages)).toEqual(['node_modules/rubric-gate']);
    expect(lock.packages['node_modules/rubric-gate']?.version).toBe(pkg.version);
    expect(readdirSync(join(project, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([
      'rubric-gate',
    ]);
    // The Action bundle is not part of the package.
    expect(existsSync(join(project, 'node_modules/rubric-gate/dist/action.js'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/rubric-gate/dist/action-main.js'))).toBe(false);
  });

  it('npx rubric-gate demo runs the shipped examples when the folder has no suites/', async () => {
    const r = await npx(['rubric-gate', 'demo'], 45_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'demo: no suites/ in this folder, so running the example suites shipped with rubric-gate (node_modules/rubric-gate/suites)',
    );
    expect(r.stdout).toContain('with node_modules/rubric-gate/suites/demo.scenario.yaml');
    expect(existsSync(join(project, 'rubric-gate-report/junit.xml'))).toBe(true);
  }, 60_000);

  it('npx rubric-gate init scaffolds files that validate, with a schema modeline that resolves', async () => {
    const r = await npx(['rubric-gate', 'init']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const suite = readFileSync(join(project, 'suites/example.yaml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(suite)?.[1] ?? '';
    expect(schema).toBe('../node_modules/rubric-gate/schema/suite.schema.json');
    expect(existsSync(resolve(project, 'suites', schema))).toBe(true);
    expect(readFileSync(join(project, '.gitignore'), 'utf8')).toContain('rubric-gate-report/');
    expect(existsSync(join(project, '.github/workflows/rubric-gate.yml'))).toBe(true);

    const v = await npx(['rubric-gate', 'validate']);
    expect(v.stderr).toBe('');
    expect(v.stdout).toBe('1 suite, 1 test OK\n');
    expect(v.code).toBe(0);

    // A second init overwrites nothing and says so.
    const again = await bin(['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('these files exist already, so nothing was written');
  }, 60_000);

  it('rubric-gate --version and --help', async () => {
    const v = await bin(['--version']);
    expect(v.stdout.trim()).toBe(pkg.version);
    const h = await bin(['simulate', '--help']);
    expect(h.stdout).toContain('docs/simulator.md');
    expect(existsSync(join(project, 'node_modules/rubric-gate/docs/simulator.md'))).toBe(true);
  });
});
