// The Action's sticky PR comment end to end: the Action (from source, through tsx) runs the
// suites against the simulator on a pull_request event, and comments through a fake GitHub API
// on loopback that records every request.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT, type CommentScope, commentKey, commentMarker } from '../../src/action/comment.js';
import type { Simulator } from '../../src/simulator/index.js';
import { type FakeGitHub, startFakeGitHub } from '../integration/fake-github.js';
import { runActionEntry, SOURCE_ENTRY, scratch } from './action-harness.js';

const root = join(import.meta.dirname, '..', '..');
const KEY = 'KEY_COMMENT_CANARY_SECRET_77aa';
const TOKEN = 'ghs_comment_token_e2e';
const SUITES = ['refunds.yaml', 'appointments.yaml', 'after-hours.yaml'];
const { simulator, closeAfter, dir: scratchDir } = scratch(KEY);

async function github(): Promise<FakeGitHub> {
  const gh = await startFakeGitHub(TOKEN);
  closeAfter(() => gh.close());
  return gh;
}

function workspace(): { dir: string; event: string } {
  const dir = scratchDir('rg-comment-e2e-');
  for (const f of SUITES) cpSync(join(root, 'suites', f), join(dir, 'suites', f));
  const event = join(dir, '.event.json');
  mkdirSync(dir, { recursive: true });
  writeFileSync(event, JSON.stringify({ pull_request: { number: 12, head: { sha: 'c0ffee1234567890' } } }));
  return { dir, event };
}

function run(
  sim: Simulator,
  gh: FakeGitHub,
  ws: { dir: string; event: string },
  inputs: Record<string, string> = {},
) {
  return runActionEntry(
    process.execPath,
    SOURCE_ENTRY,
    ws.dir,
    {
      'api-key': KEY,
      'base-url': sim.url,
      suites: 'suites',
      comment: 'true',
      'github-token': TOKEN,
      ...inputs,
    },
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: ws.event,
      GITHUB_API_URL: gh.url,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'acme/widgets',
      GITHUB_RUN_ID: '777',
      GITHUB_WORKFLOW: 'assistant tests',
      GITHUB_JOB: 'gate',
    },
  );
}

type Author = { login: string; type: string };
type Authored = { id: number; body: string; user?: Author };
const BOT: Author = { login: ACTIONS_BOT, type: 'Bot' };

/** The fake records no author; GitHub records the token's: github-actions[bot] for GITHUB_TOKEN. */
function stampAuthors(gh: FakeGitHub, user: Author = BOT): void {
  for (const list of gh.comments.values()) for (const c of list as Authored[]) c.user ??= user;
}

const heads = (gh: FakeGitHub) =>
  (gh.comments.get(12) ?? []).map((c) => c.body.split('\n').slice(0, 2).join('\n'));

const warnings = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('::warning'))
    .map((l) => l.slice(l.indexOf('::', 2) + 2));

const PASS = { tests: { '*': { outcome: 'pass', duration_seconds: 30 } } };
const REQUIRED_FAILS = {
  tests: {
    '*': { outcome: 'pass', duration_seconds: 30 },
    'refunds/Damaged product refund': { criteria: { 'Policy accuracy': 'fail' } },
  },
};

describe.concurrent('the Action with comment: true', () => {
  it('a run that writes no report (invalid suite files) replaces the green comment, never leaves it', async () => {
    const gh = await github();
    const ws = workspace();
    const marker = commentMarker('assistant tests / gate');
    const first = await run(await simulator(PASS), gh, ws);
    expect(first.code, first.stderr).toBe(0);
    stampAuthors(gh);
    writeFileSync(join(ws.dir, 'suites', 'refunds.yaml'), 'suite: refunds\ntests: [oops\n');
    const second = await run(await simulator(PASS), gh, ws);
    expect(second.outputs.result).toBe('incomplete');
    const after = gh.comments.get(12) ?? [];
    expect(after).toHaveLength(1);
    const body = after[0]!.body;
    expect(
      body.startsWith(`${marker}\n## ❌ rubric-gate: invalid input or suite files, nothing was run`),
    ).toBe(true);
    expect(body).toContain('1 problem in suite files');
    expect(body).not.toContain('all gates held');
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    // A bad input too (refused before anything runs): the comment says so.
    writeFileSync(join(ws.dir, 'suites', 'refunds.yaml'), readFileSync(join(root, 'suites', 'refunds.yaml')));
    const third = await run(await simulator(PASS), gh, ws, { trials: '0' });
    expect(third.outputs.result).toBe('incomplete');
    const last = (gh.comments.get(12) ?? [])[0]!.body;
    expect(last).toMatch(
      /^<!-- [^\n]+-->\n## ❌ rubric-gate: invalid input or suite files, nothing was run\n\ninput &quot;trials&quot;/,
    );
  }, 120_000);

  it('creates one comment on the first run and updates that same comment on the next', async () => {
    const gh = await github();
    const ws = workspace();
    const marker = commentMarker('assistant tests / gate');

    const first = await run(await simulator(REQUIRED_FAILS), gh, ws);
    expect(first.code, first.stderr).toBe(1);
    expect(first.outputs.result).toBe('failed');
    const created = gh.comments.get(12) ?? [];
    expect(created).toHaveLength(1);
    const body = created[0]!.body;
    expect(body.startsWith(`${marker}\n## ❌ rubric-gate:`)).toBe(true);
    expect(body).toContain('Damaged product refund');
    expect(body).toContain(
      '[Full report in the job summary](https://github.example/acme/widgets/actions/runs/777)',
    );
    expect(body).toContain('commit c0ffee1');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(first.stdout).toContain('comment: created the comment on pull request #12');
    stampAuthors(gh);

    const second = await run(await simulator(PASS), gh, ws);
    expect(second.code, second.stderr).toBe(0);
    const after = gh.comments.get(12) ?? [];
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(created[0]!.id);
    expect(after[0]!.body.startsWith(`${marker}\n## ✅ rubric-gate: all gates held`)).toBe(true);
    expect(gh.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    expect(new Set(gh.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    // The token is masked like the API key, and neither leaks into the log.
    expect(first.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(first.stdout.split(`::add-mask::${TOKEN}`)[1]).not.toContain(TOKEN);
  }, 120_000);

  it("never edits an outsider's comment that starts with the marker: it posts its own, then keeps that", async () => {
    const gh = await github();
    const ws = workspace();
    const marker = commentMarker('assistant tests / gate');
    const forged = `${marker}\n## ✅ rubric-gate: all gates held\n(posted by mallory)`;
    const outsider: Authored = { id: 1, body: forged, user: { login: 'mallory', type: 'User' } };
    gh.comments.set(12, [outsider]);

    const first = await run(await simulator(REQUIRED_FAILS), gh, ws);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain('comment: created the comment on pull request #12 (id 1000)');
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /repos/acme/widgets/issues/12/comments?per_page=100',
      'GET /user', // the fake, like GitHub for GITHUB_TOKEN, names no user
      'POST /repos/acme/widgets/issues/12/comments',
    ]);
    stampAuthors(gh);

    const second = await run(await simulator(PASS), gh, ws);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('comment: updated the comment on pull request #12 (id 1000)');
    expect(gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      '/repos/acme/widgets/issues/comments/1000',
    ]);
    expect(gh.comments.get(12)!.map((c) => c.id)).toEqual([1, 1000]);
    expect(gh.comments.get(12)![0]!.body).toBe(forged);
    expect(heads(gh)[1]).toBe(`${marker}\n## ✅ rubric-gate: all gates held`);
  }, 120_000);

  it('keeps one comment per matrix leg: legs that differ in version-id or shard never overwrite each other', async () => {
    const gh = await github();
    // Versions the simulator knows, so version-id is accepted.
    const assistants = [
      { id: 'assistant-1', versions: [{ id: 'v-main', main: true }, { id: 'v-a' }, { id: 'v-b' }] },
    ];
    const legs: { scope: CommentScope; inputs: Record<string, string>; scenario: object }[] = [
      {
        scope: { versionId: 'v-a' },
        inputs: { 'version-id': 'v-a' },
        scenario: { ...REQUIRED_FAILS, assistants },
      },
      { scope: { versionId: 'v-b' }, inputs: { 'version-id': 'v-b' }, scenario: { ...PASS, assistants } },
      { scope: { shard: '1/2' }, inputs: { shard: '1/2' }, scenario: PASS },
    ];
    for (const leg of legs) {
      const r = await run(await simulator(leg.scenario), gh, workspace(), leg.inputs);
      expect(r.stdout, r.stderr).toMatch(/comment: created the comment on pull request #12/);
      stampAuthors(gh);
    }
    const markers = legs.map((l) => commentMarker(commentKey('assistant tests', 'gate', l.scope)));
    expect(heads(gh)).toEqual([
      `${markers[0]}\n## ❌ rubric-gate: gate failed\\: refunds\\: pass rate 2/3 = 66\\.7% &lt; 90% required \\(and 1 more\\)`,
      `${markers[1]}\n## ✅ rubric-gate: all gates held`,
      `${markers[2]}\n## ✅ rubric-gate: all gates held`,
    ]);
    expect(gh.requests.some((r) => r.method === 'PATCH')).toBe(false);
  }, 180_000);

  it("warns on a fork's read-only token (403) and leaves the step's verdict as the gate decided", async () => {
    const gh = await github();
    gh.refuse = 403;
    const passing = await run(await simulator(PASS), gh, workspace());
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.outputs.result).toBe('passed');
    expect(warnings(passing.stdout)).toContainEqual(
      expect.stringMatching(/^could not comment on pull request #12: .*HTTP 403.*pull-requests: write/),
    );
    expect(passing.stdout).not.toMatch(/^::error::/m);

    const failing = await run(await simulator(REQUIRED_FAILS), gh, workspace());
    expect(failing.code).toBe(1);
    expect(failing.outputs.result).toBe('failed');
    expect(failing.stdout).toMatch(/^::error::rubric gate failed: /m);
    expect(gh.comments.size).toBe(0);
  }, 120_000);
});
