// Every GitHub workflow we ship or show is checked by a workflow linter from the registry
// (@action-validator/core: GitHub's workflow schema as SchemaStore publishes it, in WASM): the
// repository's own workflows, the one `rubric-gate init` writes, and the README's examples.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTION_REF, ACTION_REPO, workflow } from '../../src/init.js';

const root = join(import.meta.dirname, '..', '..');
const { validateWorkflow } = createRequire(import.meta.url)(
  '@action-validator/core',
) as typeof import('@action-validator/core');

/** The linter's errors for one workflow text, as JSON (an empty list when it passes). */
const lint = (text: string): string => JSON.stringify(validateWorkflow(text).errors, null, 1);

const ownWorkflows = readdirSync(join(root, '.github/workflows')).filter((f) => /\.ya?ml$/.test(f));
const readmeWorkflows = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => m[1] ?? '')
  .filter((text) => /^jobs:/m.test(text));

describe('workflow files pass the linter', () => {
  it('finds the workflows to check', () => {
    expect(ownWorkflows.sort()).toEqual(['ci.yml', 'release.yml']);
    expect(readmeWorkflows.length).toBeGreaterThanOrEqual(4);
  });

  it.each(ownWorkflows)('.github/workflows/%s', (f) => {
    expect(lint(readFileSync(join(root, '.github/workflows', f), 'utf8'))).toBe('[]');
  });

  it('the workflow rubric-gate init writes', () => {
    expect(lint(workflow())).toBe('[]');
  });

  it.each(readmeWorkflows.map((text, i) => [i + 1, text] as const))('README workflow %i', (_i, text) => {
    expect(lint(text)).toBe('[]');
  });

  it('catches a broken workflow (the check can fail)', () => {
    const broken = workflow().replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    step: []');
    expect(lint(broken)).toContain("Additional property 'step' is not allowed");
    expect(lint(workflow().replace('jobs:', 'job:'))).not.toBe('[]');
  });
});

describe('the repository automation', () => {
  const ci = parse(readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8'));
  const release = parse(readFileSync(join(root, '.github/workflows/release.yml'), 'utf8'));

  it('ci runs npm cit on Node 20 and 24', () => {
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 24]);
    expect(ci.jobs.test.steps.map((s: { run?: string }) => s.run).filter(Boolean)).toEqual(['npm cit']);
  });

  it('release publishes with provenance on a version tag and moves the major tag', () => {
    expect(release.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+*']);
    expect(release.jobs.publish.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    const runs = release.jobs.publish.steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(runs).toContain('npm publish --provenance');
    expect(runs).toMatch(/git tag --force "\$major"/);
  });

  it('dependabot updates npm and the actions', () => {
    const d = parse(readFileSync(join(root, '.github/dependabot.yml'), 'utf8'));
    expect(d.version).toBe(2);
    expect(d.updates.map((u: { 'package-ecosystem': string }) => u['package-ecosystem']).sort()).toEqual([
      'github-actions',
      'npm',
    ]);
  });

  it('init pins the Action where package.json says the repository is', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.repository.url).toBe(`git+https://github.com/${ACTION_REPO}.git`);
    expect(workflow()).toContain(`uses: ${ACTION_REF}\n`);
  });
});
