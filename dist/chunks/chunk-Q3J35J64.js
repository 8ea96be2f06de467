import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  DEFAULT_OUT_DIR
} from "./chunk-7B25DCRM.js";

// src/init.ts
import path from "node:path";
var ACTION_REPO = "rubric-gate/rubric-gate";
var ACTION_REF = `${ACTION_REPO}@v1`;
var EXAMPLE_SUITE_PATH = "suites/example.yaml";
var WORKFLOW_PATH = ".github/workflows/rubric-gate.yml";
var GITIGNORE_PATH = ".gitignore";
var INSTALLED_SCHEMA = "node_modules/rubric-gate/schema/suite.schema.json";
function schemaRef(installed, version, fromDir = "suites") {
  return installed ? path.posix.relative(fromDir, INSTALLED_SCHEMA) : `https://unpkg.com/rubric-gate@${version}/schema/suite.schema.json`;
}
function exampleSuite(schema) {
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
function workflow(actionRef = ACTION_REF) {
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
var GITIGNORE_ENTRY = `${DEFAULT_OUT_DIR}/`;
function ignoresReports(gitignore) {
  const names = /* @__PURE__ */ new Set([
    DEFAULT_OUT_DIR,
    `${DEFAULT_OUT_DIR}/`,
    `/${DEFAULT_OUT_DIR}`,
    `/${DEFAULT_OUT_DIR}/`
  ]);
  return gitignore.split(/\r?\n/).some((line) => names.has(line.trim()));
}
function appendGitignore(existing) {
  if (existing === void 0 || existing === "") return `# rubric-gate reports
${GITIGNORE_ENTRY}
`;
  const sep = existing.endsWith("\n") ? "" : "\n";
  return `${existing}${sep}
# rubric-gate reports
${GITIGNORE_ENTRY}
`;
}
function planInit(opts) {
  const files = [
    { path: EXAMPLE_SUITE_PATH, text: exampleSuite(opts.schema) },
    { path: WORKFLOW_PATH, text: workflow(opts.actionRef) }
  ];
  const existing = files.filter((f) => opts.exists(f.path)).map((f) => f.path);
  const ignored = opts.gitignore !== void 0 && ignoresReports(opts.gitignore);
  return { write: files, existing, ...ignored ? {} : { gitignore: appendGitignore(opts.gitignore) } };
}

export {
  GITIGNORE_PATH,
  INSTALLED_SCHEMA,
  schemaRef,
  planInit
};
