// A stand-in for the GitHub REST API's issue-comment endpoints on 127.0.0.1, recording every
// request: list (paginated with Link headers, like GitHub), create, update. `refuse` makes every
// call answer with that status, as GitHub does for a fork's read-only token.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body?: unknown;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  /** Every issue's comments, oldest first. */
  comments: Map<number, { id: number; body: string; user?: { login: string; type: string } }[]>;
  refuse?: number;
  /** Answer list calls with a next link to this URL (another origin). */
  foreignNext?: string;
  close(): Promise<void>;
}

const read = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    let text = '';
    req.on('data', (d) => {
      text += d;
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });

export async function startFakeGitHub(token: string, repository = 'acme/widgets'): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close'> = { requests: [], comments: new Map() };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const text = await read(req);
    const body = text ? JSON.parse(text) : undefined;
    state.requests.push({
      method: req.method ?? '',
      path: url.pathname + url.search,
      authorization: req.headers.authorization,
      ...(body === undefined ? {} : { body }),
    });
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { message: 'Bad credentials' });
    if (state.refuse) return send(state.refuse, { message: 'Resource not accessible by integration' });
    const list = url.pathname.match(new RegExp(`^/repos/${repository}/issues/(\\d+)/comments$`));
    const one = url.pathname.match(new RegExp(`^/repos/${repository}/issues/comments/(\\d+)$`));
    if (list && req.method === 'GET') {
      const all = state.comments.get(Number(list[1])) ?? [];
      const per = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = all.slice((page - 1) * per, page * per);
      const headers: Record<string, string> = {};
      if (state.foreignNext) headers.link = `<${state.foreignNext}>; rel="next"`;
      else if (page * per < all.length) {
        const next = new URL(url.pathname, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
        next.searchParams.set('per_page', String(per));
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.href}>; rel="next"`;
      }
      return send(200, slice, headers);
    }
    if (list && req.method === 'POST') {
      // GitHub records the token's account as the author: the workflow's GITHUB_TOKEN posts as this bot.
      const comment = {
        id: nextId++,
        body: String(body?.body),
        user: { login: 'github-actions[bot]', type: 'Bot' },
      };
      const issue = Number(list[1]);
      state.comments.set(issue, [...(state.comments.get(issue) ?? []), comment]);
      return send(201, comment);
    }
    if (one && req.method === 'PATCH') {
      for (const comments of state.comments.values()) {
        const c = comments.find((x) => x.id === Number(one[1]));
        if (c) {
          c.body = String(body?.body);
          return send(200, c);
        }
      }
      return send(404, { message: 'Not Found' });
    }
    return send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const fake = state as FakeGitHub;
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}
