// What `rubric-gate init` writes, as pure data: a commented example suite, a PR-check workflow
// using the Action, and the report folder in .gitignore. The shell (commands/init.ts) decides
// nothing but reads and writes files.
import path from 'node:path';
import { DEFAULT_OUT_DIR } from '../reporters/index.js';

/** Where users pin the Action. Matches package.json `repository` (a unit test checks it). */
export const ACTION_REPO = 'rubric-gate/rubric-gate';
export const ACTION_REF = `${ACTION_REPO}@v1`;

export const EXAMPLE_SUITE_PATH = 'suites/example.yaml';
export const WORKFLOW_PATH = '.github/workflows/rubric-gate.yml';
export const GITIGNORE_PATH = '.gitignore';

/** The JSON Schema inside a project that installed rubric-gate, relative to the project. */
export const INSTALLED_SCHEMA = 'node_modules/rubric-gate/schema/suite.schema.json';

/**
 * The schema modeline target of a suite file in `fromDir` (relative to the project, / separated):
 * the installed package's copy, else the published file of this version.
 */
export function schemaRef(installed: boolean, version: string, fromDir = 'suites'): string {
  return installed
    ? path.posix.relative(fromDir, INSTALLED_SCHEMA)
    : `https://unpkg.com/rubric-gate@${version}/schema/suite.schema.json`;
}

export function exampleSuite(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# One suite per file. \`rubric-gate validate\` checks it offline; \`rubric-gate plan\` shows what
# sync would change in your Telnyx account; \`rubric-gate run\` syncs, runs and gates.
suite: example                          # the API's test_suite (1-100 characters)
defaults:                               # used by every test that does not set its own
  channel: web_chat                     # phone_call | web_call | sms_chat | web_chat
  # The assistant under test. Use an environment variable to keep ids out of git, e.g.
  # destination: \${SUPPORT_ASSISTANT}  (validate names it when it is unset).
  destination: assistant-00000000-0000-0000-0000-000000000000
  max_duration_seconds: 300             # 1-3600
gate:                                   # local only: when this suite counts as passing
  min_pass_rate: 1.0                    # fraction of the tests that must pass (default 1.0)
  max_errors: 0                         # tests allowed to end in error after retries; a run
                                        # that times out also leaves the run incomplete (exit 3)
tests:
  - name: Opening hours                 # unique in the suite: the sync identity
    description: A customer asks when the shop is open.
    instructions: >-
      Ask when the shop opens on Saturday, then ask whether it is open on public holidays.
    rubric:
      - name: Accuracy
        criteria: Gives the Saturday opening hours and says how public holidays are handled.
        required: true                  # local only: failing this fails the gate
      - name: Tone
        criteria: Answers politely and briefly.
    tags: [smoke]                       # local only: rubric-gate run --tag smoke
    # trials: 3                         # local only: run 3 times ...
    # min_passes: 2                     # ... and pass when 2 pass
`;
}

export function workflow(actionRef: string = ACTION_REF): string {
  return `# Runs the assistant tests in suites/ on every pull request that changes them, and blocks the
# merge when a rubric gate fails. Add the TELNYX_API_KEY secret (Settings > Secrets and variables
# > Actions) before the first run. The job summary and annotations need no extra permission.
name: assistant tests
on:
  pull_request:
    paths: ['suites/**']
permissions:
  contents: read
jobs:
  rubric-gate:
    runs-on: ubuntu-latest
    timeout-minutes: 45
    steps:
      - uses: actions/checkout@v5
      - uses: ${actionRef}
        with:
          api-key: \${{ secrets.TELNYX_API_KEY }}
          suites: suites
          retries: 1
          timeout: 30m
      - if: always()
        uses: actions/upload-artifact@v4
        with:
          name: rubric-gate-report
          path: ${DEFAULT_OUT_DIR}/
`;
}

export const GITIGNORE_ENTRY = `${DEFAULT_OUT_DIR}/`;

/** Whether .gitignore already ignores the report folder (any of the usual spellings). */
export function ignoresReports(gitignore: string): boolean {
  const names = new Set([
    DEFAULT_OUT_DIR,
    `${DEFAULT_OUT_DIR}/`,
    `/${DEFAULT_OUT_DIR}`,
    `/${DEFAULT_OUT_DIR}/`,
  ]);
  return gitignore.split(/\r?\n/).some((line) => names.has(line.trim()));
}

/** .gitignore with the report folder appended, keeping every existing line. */
export function appendGitignore(existing: string | undefined): string {
  if (existing === undefined || existing === '') return `# rubric-gate reports\n${GITIGNORE_ENTRY}\n`;
  const sep = existing.endsWith('\n') ? '' : '\n';
  return `${existing}${sep}\n# rubric-gate reports\n${GITIGNORE_ENTRY}\n`;
}

export interface InitFile {
  path: string;
  text: string;
}

export interface InitPlan {
  /** Files to write (create or, with force, overwrite). */
  write: InitFile[];
  /** Files that exist and would be overwritten: init stops unless forced. */
  existing: string[];
  /** .gitignore's new text, or undefined when it already ignores the reports. */
  gitignore?: string;
}

/**
 * Decide what init does from what exists. Without force, any existing file stops it (the caller
 * writes nothing); .gitignore is only ever appended to, so it never blocks.
 */
export function planInit(opts: {
  exists: (path: string) => boolean;
  gitignore: string | undefined;
  schema: string;
  actionRef?: string;
}): InitPlan {
  const files: InitFile[] = [
    { path: EXAMPLE_SUITE_PATH, text: exampleSuite(opts.schema) },
    { path: WORKFLOW_PATH, text: workflow(opts.actionRef) },
  ];
  const existing = files.filter((f) => opts.exists(f.path)).map((f) => f.path);
  const ignored = opts.gitignore !== undefined && ignoresReports(opts.gitignore);
  return { write: files, existing, ...(ignored ? {} : { gitignore: appendGitignore(opts.gitignore) }) };
}
