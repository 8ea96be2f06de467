// The few GitHub REST calls the sticky PR comment needs, on fetch (undici), with the workflow
// token. Answers are checked with zod; a failed call throws GitHubError carrying the status, so
// the caller can tell "no permission" (403/404) from an outage.
import { z } from 'zod';

export class GitHubError extends Error {
  constructor(
    message: string,
    /** HTTP status; undefined when no answer came (network error, timeout). */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

export const IssueComment = z.object({
  id: z.number().int(),
  body: z.string().nullish(),
  /** The author; null for a deleted account. The sticky comment is only ever the token's own. */
  user: z.object({ login: z.string(), type: z.string().optional() }).nullish(),
});
export type IssueComment = z.infer<typeof IssueComment>;

export interface GitHubOptions {
  /** GITHUB_API_URL, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  token: string;
  /** "owner/name". */
  repository: string;
  timeoutMs?: number;
  /** A bound on pages read while listing (100 comments each). */
  maxPages?: number;
}

export interface GitHubClient {
  /** Comments on an issue or pull request, oldest first, page by page. */
  listComments(issue: number): AsyncGenerator<IssueComment>;
  createComment(issue: number, body: string): Promise<IssueComment>;
  updateComment(id: number, body: string): Promise<IssueComment>;
  /**
   * The login the token acts as (GET /user): a personal access token's user. Undefined where
   * GitHub refuses (403/404), as for the workflow's GITHUB_TOKEN and other GitHub App tokens.
   */
  viewerLogin(): Promise<string | undefined>;
}

/** The next page from a Link header: `<url>; rel="next"`. */
export function nextLink(link: string | null): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const m = part.match(/<([^>]+)>\s*;\s*rel="?next"?/);
    if (m) return m[1];
  }
  return undefined;
}

export function gitHubClient(options: GitHubOptions): GitHubClient {
  const base = options.apiUrl.replace(/\/+$/, '');
  const repo = options.repository.split('/').map(encodeURIComponent).join('/');
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function call(method: string, url: string, body?: unknown): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${options.token}`,
          'user-agent': 'rubric-gate',
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new GitHubError(
        `${method} ${new URL(url).pathname}: no answer (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    if (!res.ok) {
      const detail = await res.text().then(
        (t) => z.object({ message: z.string() }).safeParse(safeJson(t)).data?.message ?? '',
        () => '',
      );
      throw new GitHubError(
        `${method} ${new URL(url).pathname}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`,
        res.status,
      );
    }
    return res;
  }

  async function parsed<T>(res: Response, schema: z.ZodType<T>, what: string): Promise<T> {
    const result = schema.safeParse(safeJson(await res.text()));
    if (!result.success) throw new GitHubError(`unexpected answer to ${what}: ${result.error.message}`);
    return result.data;
  }

  return {
    async *listComments(issue) {
      let url: string | undefined = `${base}/repos/${repo}/issues/${issue}/comments?per_page=100`;
      for (let page = 0; url && page < (options.maxPages ?? 50); page++) {
        const res = await call('GET', url);
        yield* await parsed(res, z.array(IssueComment), 'the comment list');
        url = nextLink(res.headers.get('link'));
        // The token goes only to the API it was given for.
        if (url && new URL(url).origin !== new URL(base).origin) {
          throw new GitHubError(`the comment list's next page points off ${new URL(base).origin}: ${url}`);
        }
      }
    },
    async createComment(issue, body) {
      const res = await call('POST', `${base}/repos/${repo}/issues/${issue}/comments`, { body });
      return parsed(res, IssueComment, 'creating a comment');
    },
    async updateComment(id, body) {
      const res = await call('PATCH', `${base}/repos/${repo}/issues/comments/${id}`, { body });
      return parsed(res, IssueComment, 'updating a comment');
    },
    async viewerLogin() {
      try {
        const res = await call('GET', `${base}/user`);
        return (await parsed(res, z.object({ login: z.string() }), 'the authenticated user')).login;
      } catch (err) {
        if (err instanceof GitHubError && (err.status === 403 || err.status === 404)) return undefined;
        throw err;
      }
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
