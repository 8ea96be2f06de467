// The sticky pull-request comment: one comment per workflow job, found again by a hidden marker
// and edited in place on every run, whose body is the top of summary.md (rendered by the same
// Markdown reporter to fit GitHub's comment limit) with a link to the run's job summary.
// Pure parts (where, body, marker) first; then the one I/O step against a GitHubClient.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { renderMarkdown } from '../../reporters/markdown.js';
import type { Results } from '../results.js';
import type { Evaluation } from '../verdict.js';
import { type GitHubClient, GitHubError, type IssueComment } from './github.js';

/** GitHub rejects a comment body over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

/** Where the comment goes and what it links to, from the runner's environment. */
export interface CommentTarget {
  apiUrl: string;
  repository: string;
  issue: number;
  /** The job's run page, whose summary holds the full report. */
  runUrl: string;
  /** The commit the pull request's head is at, when the event says. */
  headSha?: string;
  /** Tells this job's comment from another job's (or matrix leg's) on the same pull request. */
  key: string;
}

/** The inputs that tell legs of one matrix job apart (they share GITHUB_WORKFLOW and GITHUB_JOB). */
export interface CommentScope {
  shard?: string;
  versionId?: string;
  /** The suites input, when not the default. */
  suites?: string;
  /** The selection inputs: a matrix over tags (smoke, regression) is one job too. */
  tags?: string;
  grep?: string;
}

/**
 * The comment's key: "workflow / job" as before when no scope input is set (so comments of
 * earlier versions are still found), else every part, unambiguously (JSON).
 */
export function commentKey(workflow: string, job: string, scope: CommentScope = {}): string {
  const { shard, versionId, suites, tags, grep } = scope;
  if (!shard && !versionId && !suites && !tags && !grep) return [workflow, job].filter(Boolean).join(' / ');
  // Unset parts are left out, so a key of the version before tags and grep counted is unchanged.
  return JSON.stringify({ workflow, job, shard, versionId, suites, tags, grep });
}

const Env = z.object({
  GITHUB_EVENT_NAME: z.string().default(''),
  GITHUB_EVENT_PATH: z.string().default(''),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  GITHUB_SERVER_URL: z.url().default('https://github.com'),
  GITHUB_REPOSITORY: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'),
  GITHUB_RUN_ID: z.string().regex(/^\d+$/, 'a number'),
  GITHUB_WORKFLOW: z.string().default(''),
  GITHUB_JOB: z.string().default(''),
});

const PullRequestEvent = z.object({
  pull_request: z.object({
    number: z.number().int().min(1),
    head: z.object({ sha: z.string() }).partial().optional(),
  }),
});

/** The events whose payload carries the pull request the run is for. */
const PR_EVENTS = new Set(['pull_request', 'pull_request_target']);

export type TargetResult = { ok: true; target: CommentTarget } | { ok: false; why: string };

/** Where to comment, or why not (not a pull request event, a runner environment that lacks a piece). */
export async function commentTarget(env: NodeJS.ProcessEnv, scope: CommentScope = {}): Promise<TargetResult> {
  if (!PR_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')) {
    return { ok: false, why: `this is a ${env.GITHUB_EVENT_NAME || 'non-GitHub'} run, not a pull request` };
  }
  const e = Env.safeParse(env);
  if (!e.success) {
    return {
      ok: false,
      why: `the runner environment is incomplete: ${e.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    };
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(e.data.GITHUB_EVENT_PATH, 'utf8'));
  } catch (err) {
    return {
      ok: false,
      why: `cannot read the event payload (GITHUB_EVENT_PATH): ${err instanceof Error ? err.message : String(err)}`,
    };
  }
  const event = PullRequestEvent.safeParse(payload);
  if (!event.success) return { ok: false, why: 'the event payload names no pull request number' };
  const server = e.data.GITHUB_SERVER_URL.replace(/\/+$/, '');
  const sha = event.data.pull_request.head?.sha;
  return {
    ok: true,
    target: {
      apiUrl: e.data.GITHUB_API_URL,
      repository: e.data.GITHUB_REPOSITORY,
      issue: event.data.pull_request.number,
      runUrl: `${server}/${e.data.GITHUB_REPOSITORY}/actions/runs/${e.data.GITHUB_RUN_ID}`,
      ...(sha && /^[0-9a-f]{7,64}$/i.test(sha) ? { headSha: sha } : {}),
      key: commentKey(e.data.GITHUB_WORKFLOW, e.data.GITHUB_JOB, scope),
    },
  };
}

// Keys the first version wrote as they are: plain ASCII that cannot end the HTML comment.
const PLAIN_KEY = /^[A-Za-z0-9_ ./:@()[\]-]{0,200}$/;

/**
 * The hidden marker the comment starts with. A plain key (an ASCII workflow and job, no scope)
 * is written as is, so existing comments are still found; any other key as "#" and a SHA-256
 * prefix of its UTF-8 (no plain key has "#"), so distinct keys never share a marker and none
 * can end the HTML comment or break the line.
 */
export function commentMarker(key: string): string {
  const id = PLAIN_KEY.test(key)
    ? key
    : `#${createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32)}`;
  return `<!-- rubric-gate:sticky-comment ${id} -->`;
}

/**
 * What a run without reports says instead: a heading that cannot be read as green, and why
 * (Markdown text: the caller escapes what it took from untrusted sources).
 */
export interface NoReport {
  heading: string;
  why: string;
}

/**
 * The comment: marker, the top of summary.md (or, for a run that wrote no report, why not), and
 * a footer linking the full job summary. A run without reports still replaces the comment: the
 * one a previous run left would otherwise go on saying what that commit's run found.
 */
export function commentBody(
  report: { results: Results; evaluation: Evaluation } | NoReport,
  target: Pick<CommentTarget, 'runUrl' | 'headSha' | 'key'>,
  limit = COMMENT_LIMIT,
): string {
  const marker = commentMarker(target.key);
  const commit = target.headSha ? ` · commit ${target.headSha.slice(0, 7)}` : '';
  const footer = `\n---\n[Full report in the job summary](${target.runUrl})${commit} · this comment is updated on every run\n`;
  // Characters never outnumber UTF-8 bytes, so a byte budget keeps the character count under.
  const room = Math.max(0, limit - Buffer.byteLength(`${marker}\n${footer}`, 'utf8'));
  const summary =
    'results' in report
      ? renderMarkdown(report.results, report.evaluation, { maxBytes: room })
      : clipBytes(`## ${report.heading}\n\n${report.why}\n`, room);
  return `${marker}\n${summary}${footer}`;
}

/** At most `bytes` of UTF-8, cut at a character (the reason may quote a long error). */
function clipBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= bytes) return text;
  let out = text.slice(0, bytes);
  while (Buffer.byteLength(`${out}…\n`, 'utf8') > bytes && out.length > 0) out = out.slice(0, -1);
  return `${out}…\n`;
}

export type CommentOutcome =
  | { action: 'created' | 'updated'; id: number }
  | { action: 'skipped'; why: string; status?: number };

/** Who the workflow's GITHUB_TOKEN comments as; only this repository's workflows can. */
export const ACTIONS_BOT = 'github-actions[bot]';

/**
 * Whether a marked comment is one this token wrote: the marker is public, so anyone can start a
 * comment with it. Ours is by github-actions[bot] (the default token) or by the token's own user
 * (a personal access token, read from GET /user only when needed).
 */
function authoredByToken(client: GitHubClient): (c: IssueComment) => Promise<boolean> {
  let viewer: Promise<string | undefined> | undefined;
  return async (c) => {
    if (!c.user) return false;
    if (c.user.login === ACTIONS_BOT && c.user.type === 'Bot') return true;
    viewer ??= client.viewerLogin();
    return c.user.login === (await viewer);
  };
}

/**
 * Create the comment, or edit the one a previous run left (the first comment that starts with
 * this job's marker and was written by this token's account; a quote starts with "> ", and an
 * outsider's copy of the marker is left alone). A refusal (403/404: a fork's read-only token, or
 * no `pull-requests: write`) comes back as `skipped`; other failures throw.
 */
export async function upsertComment(
  client: GitHubClient,
  issue: number,
  body: string,
  marker: string,
): Promise<CommentOutcome> {
  try {
    const ours = authoredByToken(client);
    let existing: number | undefined;
    for await (const c of client.listComments(issue)) {
      if (c.body?.startsWith(marker) && (await ours(c))) {
        existing = c.id;
        break;
      }
    }
    if (existing !== undefined) {
      await client.updateComment(existing, body);
      return { action: 'updated', id: existing };
    }
    const created = await client.createComment(issue, body);
    return { action: 'created', id: created.id };
  } catch (err) {
    if (err instanceof GitHubError && (err.status === 403 || err.status === 404)) {
      return { action: 'skipped', why: err.message, status: err.status };
    }
    throw err;
  }
}
