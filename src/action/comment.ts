// The sticky pull-request comment: one comment per workflow job, found again by a hidden marker
// and edited in place on every run, whose body is the top of summary.md (rendered by the same
// Markdown reporter to fit GitHub's comment limit) with a link to the run's job summary.
// Pure parts (where, body, marker) first; then the one I/O step against a GitHubClient.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { renderMarkdown } from '../../reporters/markdown.js';
import type { Results } from '../results.js';
import type { Evaluation } from '../verdict.js';
import { type GitHubClient, GitHubError } from './github.js';

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
  /** Tells this job's comment from another job's on the same pull request. */
  key: string;
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
export async function commentTarget(env: NodeJS.ProcessEnv): Promise<TargetResult> {
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
      key: [e.data.GITHUB_WORKFLOW, e.data.GITHUB_JOB].filter(Boolean).join(' / '),
    },
  };
}

/**
 * The hidden marker the comment starts with. The key is reduced to characters that cannot end
 * an HTML comment or break the line, so any workflow or job name yields a stable, inert marker.
 */
export function commentMarker(key: string): string {
  const safe = key.replace(/[^\w ./:@()[\]-]+/g, '_').slice(0, 200);
  return `<!-- rubric-gate:sticky-comment ${safe} -->`;
}

/** The comment: marker, the top of summary.md, and a footer linking the full job summary. */
export function commentBody(
  results: Results,
  evaluation: Evaluation,
  target: Pick<CommentTarget, 'runUrl' | 'headSha' | 'key'>,
  limit = COMMENT_LIMIT,
): string {
  const marker = commentMarker(target.key);
  const commit = target.headSha ? ` · commit ${target.headSha.slice(0, 7)}` : '';
  const footer = `\n---\n[Full report in the job summary](${target.runUrl})${commit} · this comment is updated on every run\n`;
  // Characters never outnumber UTF-8 bytes, so a byte budget keeps the character count under.
  const room = limit - Buffer.byteLength(`${marker}\n${footer}`, 'utf8');
  const summary = renderMarkdown(results, evaluation, { maxBytes: Math.max(0, room) });
  return `${marker}\n${summary}${footer}`;
}

export type CommentOutcome =
  | { action: 'created' | 'updated'; id: number }
  | { action: 'skipped'; why: string; status?: number };

/**
 * Create the comment, or edit the one a previous run left (the first comment that starts with
 * this job's marker; a quote of it starts with "> " and is left alone). A refusal (403/404: a
 * fork's read-only token, or no `pull-requests: write`) comes back as `skipped`; other failures throw.
 */
export async function upsertComment(
  client: GitHubClient,
  issue: number,
  body: string,
  marker: string,
): Promise<CommentOutcome> {
  try {
    let existing: number | undefined;
    for await (const c of client.listComments(issue)) {
      if (c.body?.startsWith(marker)) {
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
