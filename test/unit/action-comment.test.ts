// The sticky comment's key, marker and ownership, with an in-memory GitHub client: which comment
// a run may edit, and which legs of a matrix share one.
import { describe, expect, it } from 'vitest';
import { ACTIONS_BOT, commentKey, commentMarker, upsertComment } from '../../src/action/comment.js';
import type { GitHubClient, IssueComment } from '../../src/action/github.js';
import { type InputName, readCommentScope } from '../../src/action/inputs.js';

const BOT = { login: ACTIONS_BOT, type: 'Bot' };

/** A GitHub whose comments are authored by `as` (null: GET /user refused, as for GITHUB_TOKEN). */
function memoryGitHub(comments: IssueComment[], as: { login: string; type: string }, viewer: string | null) {
  const calls: string[] = [];
  let next = 1000;
  const client: GitHubClient = {
    async *listComments() {
      calls.push('list');
      yield* comments;
    },
    async createComment(_issue, body) {
      calls.push('create');
      const c = { id: next++, body, user: as };
      comments.push(c);
      return c;
    },
    async updateComment(id, body) {
      calls.push(`update ${id}`);
      const c = comments.find((x) => x.id === id);
      if (!c) throw new Error('no such comment');
      c.body = body;
      return c;
    },
    async viewerLogin() {
      calls.push('viewer');
      return viewer ?? undefined;
    },
  };
  return { client, calls, comments };
}

describe('upsertComment edits only a marked comment this token wrote', () => {
  const marker = commentMarker('assistant tests / gate');
  const fake = {
    id: 1,
    body: `${marker}\n## ✅ rubric-gate: all gates held`,
    user: { login: 'mallory', type: 'User' },
  };

  it('leaves an outsider’s marked comment alone and posts its own (the default token)', async () => {
    const gh = memoryGitHub([{ ...fake }], BOT, null);
    expect(await upsertComment(gh.client, 12, `${marker}\n## ❌ failed`, marker)).toEqual({
      action: 'created',
      id: 1000,
    });
    expect(gh.comments[0]!.body).toBe(fake.body);
    // The next run finds its own comment, past the outsider's, without asking who it is.
    gh.calls.length = 0;
    expect(await upsertComment(gh.client, 12, `${marker}\n## ✅ passed`, marker)).toEqual({
      action: 'updated',
      id: 1000,
    });
    expect(gh.calls).toEqual(['list', 'viewer', 'update 1000']);
    expect(gh.comments[0]!.body).toBe(fake.body);
  });

  it('adopts github-actions[bot] only as a Bot, and never a comment without an author', async () => {
    const impostor = { id: 2, body: `${marker}\nx`, user: { login: ACTIONS_BOT, type: 'User' } };
    const ghost = { id: 3, body: `${marker}\nx`, user: null };
    const gh = memoryGitHub([impostor, ghost], BOT, null);
    expect(await upsertComment(gh.client, 12, `${marker}\ny`, marker)).toMatchObject({ action: 'created' });
  });

  it('with a personal access token, adopts the comment of the token’s user (GET /user), asked once', async () => {
    const pat = { login: 'release-bot-user', type: 'User' };
    const mine = { id: 5, body: `${marker}\nold`, user: pat };
    const gh = memoryGitHub([{ ...fake }, { ...fake, id: 4 }, mine], pat, pat.login);
    expect(await upsertComment(gh.client, 12, `${marker}\nnew`, marker)).toEqual({
      action: 'updated',
      id: 5,
    });
    expect(gh.calls).toEqual(['list', 'viewer', 'update 5']);
    expect(gh.comments.map((c) => c.body?.split('\n')[1])).toEqual([
      '## ✅ rubric-gate: all gates held',
      '## ✅ rubric-gate: all gates held',
      'new',
    ]);
  });

  it('asks nobody who it is when the first marked comment is github-actions[bot]’s', async () => {
    const gh = memoryGitHub([{ id: 9, body: `${marker}\nold`, user: BOT }], BOT, null);
    expect(await upsertComment(gh.client, 12, `${marker}\nnew`, marker)).toEqual({
      action: 'updated',
      id: 9,
    });
    expect(gh.calls).toEqual(['list', 'update 9']);
  });
});

describe('comment keys and markers', () => {
  it('keeps the marker of a plain workflow and job as earlier versions wrote it', () => {
    expect(commentKey('assistant tests', 'gate')).toBe('assistant tests / gate');
    expect(commentMarker('assistant tests / gate')).toBe(
      '<!-- rubric-gate:sticky-comment assistant tests / gate -->',
    );
  });

  it('gives every non-Latin workflow name its own marker, inert and stable', () => {
    const names = ['Тесты ассистента', 'Проверка', 'アシスタント', 'テスト', 'Prüfung', 'Prufung_'];
    const markers = names.map((n) => commentMarker(commentKey(n, 'gate')));
    expect(new Set(markers).size).toBe(names.length);
    expect(commentMarker(commentKey('Проверка', 'gate'))).toBe(markers[1]);
    for (const m of markers) expect(m).toMatch(/^<!-- rubric-gate:sticky-comment [^<>!\n]+ -->$/);
  });

  it('tells matrix legs apart by shard, version-id, suites, tags and grep', () => {
    const keys = [
      commentKey('wf', 'gate'),
      commentKey('wf', 'gate', { shard: '1/2' }),
      commentKey('wf', 'gate', { shard: '2/2' }),
      commentKey('wf', 'gate', { versionId: 'v-a' }),
      commentKey('wf', 'gate', { versionId: 'v-b' }),
      commentKey('wf', 'gate', { suites: 'suites/refunds.yaml' }),
      commentKey('wf', 'gate', { shard: '1/2', versionId: 'v-a' }),
      commentKey('wf', 'gate', { tags: 'smoke' }),
      commentKey('wf', 'gate', { tags: 'regression' }),
      commentKey('wf', 'gate', { grep: 'refund' }),
      commentKey('wf', 'gate', { tags: 'smoke', grep: 'refund' }),
    ];
    expect(new Set(keys.map(commentMarker)).size).toBe(keys.length);
    // A workflow cannot spell its way into another leg's key.
    expect(commentKey('wf', 'gate', { shard: '1/2' })).not.toBe(commentKey('wf", "shard": "1/2', 'gate'));
  });

  it('reads the scope from the inputs; the default suites is no scope', () => {
    const get = (v: Partial<Record<InputName, string>>) => (n: InputName) => v[n] ?? '';
    expect(readCommentScope(get({ suites: 'suites' }))).toEqual({});
    expect(readCommentScope(get({}))).toEqual({});
    expect(readCommentScope(get({ shard: '2/4', 'version-id': 'v-1', suites: 'a.yaml, b.yaml' }))).toEqual({
      shard: '2/4',
      versionId: 'v-1',
      suites: 'a.yaml\nb.yaml',
    });
    expect(readCommentScope(get({ tags: 'smoke, fast', grep: 'refund' }))).toEqual({
      tags: 'smoke\nfast',
      grep: 'refund',
    });
  });
});
