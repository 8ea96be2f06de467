// The HTTP shell: one request goes count -> pre-faults -> rate limit -> auth -> route ->
// idempotency -> latency -> handler -> post-faults. Handlers are synchronous and pure over the
// state, so concurrency only interleaves at the awaits here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Ctx } from './context.js';
import { FaultEngine, type FaultRule, type RateLimit, RateLimiter, statusFaultReply } from './faults.js';
import { IdempotencyStore } from './idempotency.js';
import { HttpError, type Reply, telnyxError } from './replies.js';
import { matchRoute, type Route } from './routes.js';
import { inProgress } from './runs-api.js';
import type { Scenario } from './scenario.js';
import { createState, type RunRecord, type SimState } from './state.js';

const PREFIX = '/v2';
const MAX_BODY_BYTES = 1 << 20;

export interface ServerConfig {
  apiKey: string;
  scenario: Scenario;
  clockScale: number;
  faults: readonly FaultRule[];
  rateLimit?: RateLimit;
  now: () => number;
}

export interface RequestCounts {
  total: number;
  byEndpoint: Record<string, number>;
  /** Injected faults, by kind. */
  faults: Record<string, number>;
}

export class SimServer {
  readonly state: SimState;
  readonly faults: FaultEngine;
  private readonly http: Server;
  private readonly idempotency = new IdempotencyStore();
  private rateLimiter: RateLimiter | undefined;
  private counts: RequestCounts = { total: 0, byEndpoint: {}, faults: {} };
  /** Runs that were in progress when last looked at. */
  private readonly active = new Map<string, RunRecord>();
  private highWater = 0;

  constructor(private readonly config: ServerConfig) {
    this.state = createState(config.scenario, config.now());
    this.faults = new FaultEngine(config.scenario.seed, config.faults);
    this.setRateLimit(config.rateLimit);
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        // Only a write to a destroyed socket gets here; nothing left to answer.
        if (!res.headersSent && !res.destroyed) send(res, telnyxError(500, '10007', String(err)));
      });
    });
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, '127.0.0.1', () => {
        this.http.off('error', reject);
        resolve((this.http.address() as AddressInfo).port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  getCounts(): RequestCounts {
    return {
      total: this.counts.total,
      byEndpoint: { ...this.counts.byEndpoint },
      faults: { ...this.counts.faults },
    };
  }

  resetCounts(): void {
    this.counts = { total: 0, byEndpoint: {}, faults: {} };
  }

  setRateLimit(limit: RateLimit | undefined): void {
    this.rateLimiter = limit ? new RateLimiter(limit, this.config.now()) : undefined;
  }

  maxRunsInProgress(): number {
    return this.highWater;
  }

  private track = (run: RunRecord): void => {
    this.active.set(run.run_id, run);
  };

  /** Drop runs that have finished (or were deleted) and update the high-water mark. */
  private sweep(nowMs: number): void {
    for (const [id, run] of this.active) {
      if (!this.state.runs.has(id) || !inProgress(run, nowMs)) this.active.delete(id);
    }
    this.highWater = Math.max(this.highWater, this.active.size);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : undefined;
    const match = path === undefined ? { params: {} } : matchRoute(method, path);
    const endpoint = `${method} ${match.template ?? '(unmatched)'}`;
    this.counts.total += 1;
    this.counts.byEndpoint[endpoint] = (this.counts.byEndpoint[endpoint] ?? 0) + 1;

    const fault = this.faults.pick(method, match.template, Number(url.searchParams.get('page[number]') ?? 1));
    if (fault) this.counts.faults[fault.kind] = (this.counts.faults[fault.kind] ?? 0) + 1;
    if (fault?.kind === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') return send(res, statusFaultReply(fault));
    const limited = this.rateLimiter?.take(this.config.now());
    if (limited) return send(res, limited);
    const extraHeaders = this.rateLimiter?.headers() ?? {};

    if (req.headers.authorization !== `Bearer ${this.config.apiKey}`) {
      return send(res, telnyxError(401, '10009', 'The API key is missing or invalid.'), extraHeaders);
    }
    if (!match.route) {
      const reply = match.template
        ? telnyxError(405, '405', `Method ${method} is not allowed on ${match.template}`)
        : telnyxError(404, '10005', `No route for ${method} ${url.pathname}`);
      return send(res, reply, extraHeaders);
    }

    const raw = await readBody(req);
    if (raw === undefined) return send(res, telnyxError(413, '413', 'Request body too large'), extraHeaders);

    const route = match.route;
    const keyHeader = route.idempotent ? req.headersDistinct['idempotency-key'] : undefined;
    let reply: Reply;
    if (keyHeader) {
      const begin = this.idempotency.begin(keyHeader, method, req.url ?? '', raw, this.config.now());
      if (begin.kind === 'answer') {
        reply = begin.reply;
      } else {
        reply = await this.run(route, match.params, url.searchParams, raw, fault);
        this.idempotency.finish(keyHeader[0] ?? '', reply);
      }
    } else {
      reply = await this.run(route, match.params, url.searchParams, raw, fault);
    }
    this.sweep(this.config.now());

    if (fault?.kind === 'drop-after') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') return sendMalformed(res, reply);
    if (fault?.kind === 'truncated') return sendTruncated(res, reply);
    // A proxy that replaced the API's answer after the API acted (the run exists).
    if (fault?.kind === 'status-after') return send(res, statusFaultReply(fault));
    if (fault?.kind === 'html') return sendHtml(res, reply);
    if (fault?.kind === 'wrong-shape')
      return send(res, { ...reply, body: { data: 'unexpected', meta: null } });
    if (fault?.kind === 'rewrite-status') return send(res, rewriteStatus(reply, fault.value ?? 'completed'));
    send(res, reply, extraHeaders);
  }

  private async run(
    route: Route,
    params: Record<string, string>,
    query: URLSearchParams,
    raw: string,
    fault: FaultRule | undefined,
  ): Promise<Reply> {
    if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 1000);
    const ctx: Ctx = {
      state: this.state,
      scenario: this.config.scenario,
      clockScale: this.config.clockScale,
      now: this.config.now(),
      params,
      query,
      body: undefined,
      track: this.track,
    };
    if (fault?.kind === 'page-shift') ctx.pageShift = fault.shift ?? 1;
    if (fault?.kind === 'status-filter') {
      const v = fault.value;
      ctx.statusFilter = v === 'nothing' || v === 'inverted' ? v : 'ignore';
    }
    try {
      ctx.body = parseBody(route, raw);
      return route.handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return err.reply;
      return telnyxError(500, '10007', err instanceof Error ? err.message : String(err));
    }
  }
}

/** FastAPI's body handling: a required body must be present and JSON; an optional one may be empty. */
function parseBody(route: Route, raw: string): unknown {
  if (route.body === 'none') return undefined;
  if (raw.trim() === '') {
    if (route.body === 'optional') return {};
    throw new HttpError({
      status: 422,
      body: { detail: [{ loc: ['body'], msg: 'Field required', type: 'missing' }] },
    });
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    const msg = `JSON decode error: ${err instanceof Error ? err.message : String(err)}`;
    throw new HttpError({ status: 422, body: { detail: [{ loc: ['body', 0], msg, type: 'json_invalid' }] } });
  }
}

/** The body as text, or undefined when it is over the size limit. */
async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...headers, 'content-length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** A success status with a body that is not JSON (a proxy's error page, a broken serializer). */
function sendMalformed(res: ServerResponse, reply: Reply): void {
  const status = reply.status >= 200 && reply.status < 300 && reply.status !== 204 ? reply.status : 200;
  const text = '{"data": [ <html>502 Bad Gateway</html>';
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** A proxy's HTML page with the API's 2xx status (200 otherwise). */
function sendHtml(res: ServerResponse, reply: Reply): void {
  const status = reply.status >= 200 && reply.status < 300 && reply.status !== 204 ? reply.status : 200;
  const text = '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>';
  res.writeHead(status, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** Every final run object in the answer reports `value` as its status (an undocumented one). */
function rewriteStatus(reply: Reply, value: string): Reply {
  const final = new Set(['passed', 'failed', 'error']);
  const fix = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(fix);
    if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.run_id === 'string' && typeof o.status === 'string' && final.has(o.status)) {
        return { ...o, status: value };
      }
      if ('data' in o) return { ...o, data: fix(o.data) };
    }
    return x;
  };
  return { ...reply, body: fix(reply.body) };
}

/** Announce the whole body, send half of it, then cut the connection. */
function sendTruncated(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body ?? { data: [] });
  const cut = Buffer.from(text).subarray(0, Math.max(1, Math.floor(Buffer.byteLength(text) / 2)));
  res.writeHead(reply.status === 204 ? 200 : reply.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.write(cut, () => res.destroy());
}
