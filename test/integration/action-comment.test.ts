// The sticky PR comment over real loopback HTTP against a fake GitHub API: where it goes, its
// body, create then update in place (across pages of other comments), and refusals.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  COMMENT_LIMIT,
  commentBody,
  commentMarker,
  commentTarget,
  upsertComment,
} from '../../src/action/comment.js';
import { gitHubClient, nextLink } from '../../src/action/github.js';
import { type InputName, readCommentInputs } from '../../src/action/inputs.js';
import { evaluate } from '../../src/verdict.js';
import { bigResults, loadFixture } from '../unit/helpers/results.js';
import { type FakeGitHub, startFakeGitHub } from './fake-github.js';

const TOKEN = 'ghs_fake_token_for_tests';
const dir = mkdtempSync(join(tmpdir(), 'rg-comment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function prEnv(extra: Record<string, string> = {}, event: unknown = { pull_request: { number: 7 } }) {
  const path = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify(event));
  return {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_API_URL: 'http://127.0.0.1:1',
    GITHUB_WORKFLOW: 'assistant tests',
    GITHUB_JOB: 'rubric-gate',
    ...extra,
  };
}

describe('readCommentInputs', () => {
  const get = (v: Partial<Record<InputName, string>>) => (n: InputName) => v[n] ?? '';
  it('is off by default, on with comment: true, and rejects anything else naming the input', () => {
    expect(readCommentInputs(get({ 'github-token': 't' }))).toEqual({ enabled: false, token: 't' });
    expect(readCommentInputs(get({ comment: 'True', 'github-token': 't' }))).toEqual({
      enabled: true,
      token: 't',
    });
    expect(() => readCommentInputs(get({ comment: 'yes' }))).toThrow('input "comment" must be true or false');
  });
  it('treats an unexpanded github.token expression as no token', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal the runner would expand
    expect(readCommentInputs(get({ comment: 'true', 'github-token': '${{ github.token }}' })).token).toBe('');
  });
});

describe('commentTarget', () => {
  it('reads the pull request, the run link and the head commit from the runner', async () => {
    const t = await commentTarget(
      prEnv({}, { pull_request: { number: 7, head: { sha: 'abcdef1234567890abcdef1234567890abcdef12' } } }),
    );
    expect(t).toEqual({
      ok: true,
      target: {
        apiUrl: 'http://127.0.0.1:1',
        repository: 'acme/widgets',
        issue: 7,
        runUrl: 'https://github.example/acme/widgets/actions/runs/4242',
        headSha: 'abcdef1234567890abcdef1234567890abcdef12',
        key: 'assistant tests / rubric-gate',
      },
    });
  });

  it('says why not on a push, or without a pull request in the payload', async () => {
    expect(await commentTarget(prEnv({ GITHUB_EVENT_NAME: 'push' }))).toEqual({
      ok: false,
      why: 'this is a push run, not a pull request',
    });
    expect(await commentTarget(prEnv({}, { issue: {} }))).toMatchObject({
      ok: false,
      why: 'the event payload names no pull request number',
    });
    expect(await commentTarget(prEnv({ GITHUB_REPOSITORY: 'no slash' }))).toMatchObject({
      ok: false,
      why: expect.stringContaining('GITHUB_REPOSITORY'),
    });
  });
});

describe('commentBody', () => {
  const target = { runUrl: 'https://github.example/acme/widgets/actions/runs/4242', key: 'wf / job' };

  it('starts with the marker, then the top of summary.md, and links the job summary', () => {
    const r = loadFixture('all-outcomes.json');
    const body = commentBody({ results: r, evaluation: evaluate(r) }, { ...target, headSha: 'abcdef1234' });
    expect(body.startsWith(`${commentMarker('wf / job')}\n## ⚠️ rubric-gate: incomplete`)).toBe(true);
    expect(body).toContain('### Gate');
    expect(body).toContain(`[Full report in the job summary](${target.runUrl}) · commit abcdef1`);
  });

  it('stays under GitHub 65,536-character limit for 2,000 tests, still a whole summary', () => {
    const big = bigResults();
    const body = commentBody({ results: big, evaluation: evaluate(big) }, target);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.split('\n').filter((l) => l.includes('❌ failed')).length).toBeGreaterThan(10);
    expect(body).toContain('this summary leaves out the logs');
    expect(body.trimEnd().endsWith('this comment is updated on every run')).toBe(true);
    expect(commentBody({ results: big, evaluation: evaluate(big) }, target, 4000).length).toBeLessThanOrEqual(
      4000,
    );
  });

  it('a run without reports says why, never green, and fits too', () => {
    const why = 'x'.repeat(70_000);
    const body = commentBody(
      { heading: '❌ rubric-gate: invalid input or suite files, nothing was run', why },
      target,
    );
    expect(body.startsWith(`${commentMarker('wf / job')}\n## ❌ rubric-gate: invalid input`)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body.trimEnd().endsWith('this comment is updated on every run')).toBe(true);
  });

  it('makes an inert marker from any job name', () => {
    const m = commentMarker('evil --> <script> --!>\nnext');
    expect(m.startsWith('<!-- rubric-gate:sticky-comment ')).toBe(true);
    expect(m.endsWith(' -->')).toBe(true);
    expect(m.slice(4, -3)).not.toMatch(/[<>!\n]/);
  });
});

describe('upsertComment against a fake GitHub API', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub(TOKEN);
  });
  afterEach(async () => {
    await gh.close();
  });
  const client = () => gitHubClient({ apiUrl: gh.url, token: TOKEN, repository: 'acme/widgets' });
  const marker = commentMarker('wf / job');

  it('creates the comment once, then updates that same comment, found past a page of others', async () => {
    gh.comments.set(
      7,
      Array.from({ length: 150 }, (_, i) => ({
        id: i + 1,
        body: i === 3 ? `> ${marker}\nquoted` : `chat ${i}`,
      })),
    );
    const first = await upsertComment(client(), 7, `${marker}\nfirst`, marker);
    expect(first).toEqual({ action: 'created', id: 1000 });
    const second = await upsertComment(client(), 7, `${marker}\nsecond`, marker);
    expect(second).toEqual({ action: 'updated', id: 1000 });

    const mine = gh.comments.get(7)!.filter((c) => c.body.startsWith(marker));
    expect(mine).toEqual([
      { id: 1000, body: `${marker}\nsecond`, user: { login: 'github-actions[bot]', type: 'Bot' } },
    ]);
    expect(gh.comments.get(7)![3]!.body).toBe(`> ${marker}\nquoted`); // a quote is never edited
    const calls = gh.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET /repos/acme/widgets/issues/7/comments?per_page=100',
      'GET /repos/acme/widgets/issues/7/comments?per_page=100&page=2',
      'POST /repos/acme/widgets/issues/7/comments',
      'GET /repos/acme/widgets/issues/7/comments?per_page=100',
      'GET /repos/acme/widgets/issues/7/comments?per_page=100&page=2',
      'PATCH /repos/acme/widgets/issues/comments/1000',
    ]);
    expect(new Set(gh.requests.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('keeps one comment per job: another job marker makes its own', async () => {
    await upsertComment(client(), 7, `${marker}\na`, marker);
    const other = commentMarker('wf / other job');
    expect(await upsertComment(client(), 7, `${other}\nb`, other)).toEqual({ action: 'created', id: 1001 });
    expect(gh.comments.get(7)).toHaveLength(2);
  });

  it('reports 403 and 404 as skipped (a fork read-only token), and throws on other failures', async () => {
    gh.refuse = 403;
    expect(await upsertComment(client(), 7, `${marker}\nx`, marker)).toMatchObject({
      action: 'skipped',
      status: 403,
      why: expect.stringContaining('HTTP 403 (Resource not accessible by integration)'),
    });
    gh.refuse = 404;
    expect(await upsertComment(client(), 7, `${marker}\nx`, marker)).toMatchObject({ status: 404 });
    gh.refuse = 502;
    await expect(upsertComment(client(), 7, `${marker}\nx`, marker)).rejects.toThrow(/HTTP 502/);
    const bad = gitHubClient({ apiUrl: gh.url, token: 'wrong', repository: 'acme/widgets' });
    gh.refuse = undefined;
    await expect(upsertComment(bad, 7, `${marker}\nx`, marker)).rejects.toThrow(/HTTP 401/);
  });

  it('never follows a next page to another origin with the token', async () => {
    gh.comments.set(7, [{ id: 1, body: 'chat' }]);
    gh.foreignNext = 'http://127.0.0.2:9/steal';
    await expect(upsertComment(client(), 7, `${marker}\nx`, marker)).rejects.toThrow(/points off/);
    expect(gh.requests).toHaveLength(1);
    expect(nextLink('<https://api.github.com/x?page=2>; rel="next", <https://a/b>; rel="last"')).toBe(
      'https://api.github.com/x?page=2',
    );
    expect(nextLink(null)).toBeUndefined();
  });
});
