// `rubric-gate init [--force]`: scaffold suites/example.yaml, a PR-check workflow and the report
// folder in .gitignore. It never overwrites: when a file it would write exists, it lists them,
// writes nothing and exits 2 (a usage error: re-run with --force to overwrite).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { EXIT, type ExitCode } from '../errors.js';
import { GITIGNORE_PATH, INSTALLED_SCHEMA, planInit, schemaRef } from '../init.js';
import type { Io } from '../io.js';
import { VERSION } from '../version.js';

export interface InitOptions {
  force?: boolean;
}

export async function initCommand(opts: InitOptions, io: Io): Promise<ExitCode> {
  const at = (p: string) => resolve(io.cwd, p);
  const installed = existsSync(at(INSTALLED_SCHEMA));
  const gitignore = existsSync(at(GITIGNORE_PATH)) ? await readFile(at(GITIGNORE_PATH), 'utf8') : undefined;
  const plan = planInit({
    exists: (p) => existsSync(at(p)),
    gitignore,
    schema: schemaRef(installed, VERSION),
  });

  if (plan.existing.length > 0 && opts.force !== true) {
    io.stderr(
      [
        'init: these files exist already, so nothing was written:',
        ...plan.existing.map((p) => `  ${p}`),
        'Move them away, or re-run with --force to overwrite them.',
        '',
      ].join('\n'),
    );
    return EXIT.usage;
  }
  const lines: string[] = [];
  for (const f of plan.write) {
    await mkdir(dirname(at(f.path)), { recursive: true });
    await writeFile(at(f.path), f.text);
    lines.push(`  ${plan.existing.includes(f.path) ? 'overwrote' : 'created  '} ${f.path}`);
  }
  if (plan.gitignore !== undefined) {
    await writeFile(at(GITIGNORE_PATH), plan.gitignore);
    lines.push(`  ${gitignore === undefined ? 'created  ' : 'appended '} ${GITIGNORE_PATH} (report folder)`);
  }
  io.stdout(
    [
      'rubric-gate init:',
      ...lines,
      '',
      'Next:',
      '  rubric-gate validate          # check suites/ offline',
      '  rubric-gate demo              # try it against the local simulator, no account needed',
      '  export TELNYX_API_KEY=KEY_...',
      '  rubric-gate plan              # what sync would change in your account',
      'Add the TELNYX_API_KEY secret to the repository for the workflow.',
      '',
    ].join('\n'),
  );
  return EXIT.ok;
}
