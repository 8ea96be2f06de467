// rubric-gate init: what it writes validates, it never overwrites (exit 2, nothing written),
// --force overwrites, and .gitignore is appended to, never clobbered or duplicated.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initCommand } from '../../src/commands/init.js';
import { validateCommand } from '../../src/commands/validate.js';
import { EXIT } from '../../src/errors.js';
import {
  appendGitignore,
  EXAMPLE_SUITE_PATH,
  exampleSuite,
  ignoresReports,
  planInit,
  schemaRef,
  WORKFLOW_PATH,
} from '../../src/init.js';
import { memoryIo } from '../../src/io.js';
import { parseSuiteText } from '../../src/suite/parse.js';
import { VERSION } from '../../src/version.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'rg-init-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const init = async (force = false) => {
  const io = memoryIo({ cwd: dir });
  const code = await initCommand({ force }, io);
  return { code, out: io.out.join(''), err: io.err.join('') };
};
const read = (p: string) => readFile(path.join(dir, p), 'utf8');

describe('the files init writes', () => {
  it('the example suite is valid, with no environment, and uses every documented local key', () => {
    const r = parseSuiteText(exampleSuite(schemaRef(true, VERSION)), { file: EXAMPLE_SUITE_PATH, env: {} });
    expect(r.problems).toEqual([]);
    expect(r.suite?.tests[0]?.rubric.some((c) => c.required)).toBe(true);
  });

  it('says what max_errors counts: tests in error after retries, a timeout still incomplete', () => {
    const text = exampleSuite('s');
    expect(text).toContain(
      'max_errors: 0                         # tests allowed to end in error after retries',
    );
    expect(text).toContain('times out also leaves the run incomplete (exit 3)');
    expect(text).not.toMatch(/runs allowed/);
  });

  it('points the schema modeline at the installed package, else at the published file of this version', () => {
    expect(schemaRef(true, '1.2.3')).toBe('../node_modules/rubric-gate/schema/suite.schema.json');
    expect(schemaRef(false, '1.2.3')).toBe('https://unpkg.com/rubric-gate@1.2.3/schema/suite.schema.json');
    expect(schemaRef(true, '1.2.3', 'tests/suites')).toBe(
      '../../node_modules/rubric-gate/schema/suite.schema.json',
    );
    expect(exampleSuite('X').split('\n')[0]).toBe('# yaml-language-server: $schema=X');
  });

  it('the workflow runs the Action on pull requests that touch suites/', () => {
    const plan = planInit({ exists: () => false, gitignore: undefined, schema: 's' });
    const wf = parse(plan.write.find((f) => f.path === WORKFLOW_PATH)?.text ?? '');
    expect(wf.on.pull_request.paths).toEqual(['suites/**']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    const step = wf.jobs['rubric-gate'].steps[1];
    expect(step.uses).toMatch(/@v1$/);
    // The workflow expression reaches the file verbatim.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
    expect(step.with['api-key']).toBe('${{ secrets.TELNYX_API_KEY }}');
  });
});

describe('.gitignore', () => {
  it('recognises the report folder however it is spelled', () => {
    for (const line of [
      'rubric-gate-report',
      'rubric-gate-report/',
      '/rubric-gate-report/',
      '  rubric-gate-report  ',
    ])
      expect(ignoresReports(`node_modules/\n${line}\n`)).toBe(true);
    expect(ignoresReports('rubric-gate-report-old/\n# rubric-gate-report\n')).toBe(false);
  });

  it('appends, keeping every existing line (and a missing final newline)', () => {
    expect(appendGitignore('node_modules')).toBe(
      'node_modules\n\n# rubric-gate reports\nrubric-gate-report/\n',
    );
    expect(appendGitignore(undefined)).toBe('# rubric-gate reports\nrubric-gate-report/\n');
  });
});

describe('rubric-gate init', () => {
  it('writes the suite, the workflow and .gitignore; validate passes on the result', async () => {
    const r = await init();
    expect(r.err).toBe('');
    expect(r.code).toBe(EXIT.ok);
    for (const p of [EXAMPLE_SUITE_PATH, WORKFLOW_PATH, '.gitignore'])
      expect(existsSync(path.join(dir, p))).toBe(true);
    const v = memoryIo({ cwd: dir });
    expect(await validateCommand(['suites'], v)).toBe(EXIT.ok);
    expect(v.out.join('')).toBe('1 suite, 1 test OK\n');
    // No local install here: the modeline points at the published schema.
    expect((await read(EXAMPLE_SUITE_PATH)).split('\n')[0]).toContain('https://unpkg.com/rubric-gate@');
  });

  it('never overwrites: lists what exists, writes nothing, exits 2', async () => {
    await mkdir(path.join(dir, 'suites'));
    await writeFile(path.join(dir, EXAMPLE_SUITE_PATH), 'mine\n');
    await writeFile(path.join(dir, '.gitignore'), 'dist/\n');
    const r = await init();
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`  ${EXAMPLE_SUITE_PATH}\n`);
    expect(r.err).toContain('--force');
    expect(await read(EXAMPLE_SUITE_PATH)).toBe('mine\n');
    expect(existsSync(path.join(dir, WORKFLOW_PATH))).toBe(false);
    expect(await read('.gitignore')).toBe('dist/\n');
  });

  it('--force overwrites the files and still appends to .gitignore only once', async () => {
    await writeFile(path.join(dir, '.gitignore'), 'dist/\n');
    expect((await init()).code).toBe(EXIT.ok);
    await writeFile(path.join(dir, EXAMPLE_SUITE_PATH), 'mine\n');
    const r = await init(true);
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain(`overwrote ${EXAMPLE_SUITE_PATH}`);
    expect(await read(EXAMPLE_SUITE_PATH)).not.toBe('mine\n');
    expect(await read('.gitignore')).toBe('dist/\n\n# rubric-gate reports\nrubric-gate-report/\n');
  });
});
