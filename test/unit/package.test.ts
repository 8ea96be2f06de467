// The npm package holds what an npm user runs and nothing else: the CLI bundle (not the Action
// bundle, which runs from the git repository), the licences of the code bundled in it, the
// schema, the example suites, and the documents the README links to. It declares no runtime
// dependency: `npm i rubric-gate` installs one package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const ALLOWED = [
  'LICENSE',
  'README.md',
  'dist/cli.js',
  'dist/licenses.txt',
  'dist/package.json',
  'docs/reliability.md',
  'docs/simulator.md',
  'package.json',
  'schema/suite.schema.json',
  'suites/after-hours.yaml',
  'suites/appointments.yaml',
  'suites/demo.scenario.yaml',
  'suites/refunds.yaml',
];

const packed: string[] = (
  JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' }),
  ) as Array<{ files: Array<{ path: string }> }>
)[0]?.files
  .map((f) => f.path)
  .sort() as string[];

describe('the npm package', () => {
  it('holds exactly the allowed files', () => {
    // The CLI's code-split chunks (scripts/build.mjs), whatever their hashed names.
    const chunks = packed.filter((p) => p.startsWith('dist/chunks/'));
    expect(chunks.length).toBeGreaterThan(0);
    // ES modules but the standalone commands (CommonJS, .cjs), which dist/chunks/package.json says.
    for (const c of chunks) expect(c).toMatch(/^dist\/chunks\/([\w-]+\.c?js|package\.json)$/);
    expect(chunks).toContain('dist/chunks/package.json');
    expect(packed.filter((p) => !chunks.includes(p))).toEqual(ALLOWED);
    expect(packed).not.toContain('dist/action.js');
  });

  it('declares no runtime dependency (the CLI is a self-contained bundle)', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
    expect(pkg.bin).toEqual({ 'rubric-gate': 'dist/cli.js' });
  });

  it('says where it comes from and under which licence', () => {
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\//);
    expect(pkg.bugs.url).toMatch(/^https:\/\/github\.com\/.*\/issues$/);
    expect(pkg.keywords).toEqual(expect.arrayContaining(['telnyx', 'github-action', 'cli']));
  });

  // Images are exempt: npmjs.com shows a README's relative images from the repository.
  it.each(packed.filter((f) => f.endsWith('.md')))(
    'every relative link in %s resolves inside the package',
    (doc) => {
      const text = readFileSync(join(root, doc), 'utf8');
      const links = [...text.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)]
        .filter(([, image, href]) => image === '' && !/^[a-z]+:|^#/i.test(href ?? ''))
        .map(([, , href]) => normalize(join(dirname(doc), (href ?? '').split('#')[0] ?? '')));
      for (const target of links) expect(packed, `${doc} links to ${target}`).toContain(target);
      // And no document cites a path on a development machine.
      expect(text).not.toMatch(/(^|[\s(`])\/(work|home|Users|tmp)\//m);
    },
  );
});
