// Pure construction of ApiError messages a user can act on. Every message and detail passes
// through redact(): the API key must never reach a log, report or stack trace, even if a server
// echoes it back.
import { STATUS_CODES } from 'node:http';
import type { z } from 'zod';
import { ApiError, redact } from '../errors.js';
import { describeParams, type Route } from './route.js';
import { FastApiErrors, TelnyxErrors } from './schemas.js';

export interface CallContext {
  route: Route;
  /** host[:port] of the base URL, for connection messages. */
  host: string;
  attempts: number;
  /** The API key, to redact. */
  secret: string;
}

interface ParsedBody {
  code?: string;
  title?: string;
  detail?: string;
}

const MAX_DETAIL = 500;
const clip = (s: string): string => (s.length > MAX_DETAIL ? `${s.slice(0, MAX_DETAIL)}…` : s);
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Read either error envelope ({errors:[...]} Telnyx, {detail:[...]} FastAPI); else the raw text. */
export function parseErrorBody(body: string): ParsedBody {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const raw = body.trim();
    // An HTML error page from a proxy says nothing useful beyond the status line.
    return raw && !raw.startsWith('<') ? { detail: clip(raw) } : {};
  }
  const telnyx = TelnyxErrors.safeParse(json);
  if (telnyx.success && telnyx.data.errors.length > 0) {
    const [first] = telnyx.data.errors;
    const details = telnyx.data.errors.map((e) => {
      const where = e.source?.pointer ?? e.source?.parameter;
      const what = e.detail === undefined ? (e.title ?? '') : text(e.detail);
      return where ? `${where}: ${what}` : what;
    });
    const out: ParsedBody = { code: first?.code };
    if (first?.title) out.title = first.title;
    const detail = details.filter((d) => d && d !== first?.title).join('; ');
    if (detail) out.detail = clip(detail);
    return out;
  }
  const fastapi = FastApiErrors.safeParse(json);
  if (fastapi.success) {
    return { detail: clip(fastapi.data.detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join('; ')) };
  }
  // FastAPI's HTTPException shape: {"detail": "Not Found"}.
  if (json && typeof json === 'object' && 'detail' in json && typeof json.detail === 'string') {
    return { detail: clip(json.detail) };
  }
  return { detail: clip(JSON.stringify(json)) };
}

const callName = (c: CallContext): string => `${c.route.method} ${c.route.path}`;
const afterAttempts = (n: number): string => (n > 1 ? ` after ${n} attempts` : '');

function build(
  c: CallContext,
  message: string,
  extra: Partial<ParsedBody> & { status?: number },
  cause?: unknown,
): ApiError {
  const r = (s: string | undefined): string | undefined =>
    s === undefined ? undefined : redact(s, c.secret);
  const details: ApiError['details'] = { method: c.route.method, path: c.route.path, attempts: c.attempts };
  if (extra.status !== undefined) details.status = extra.status;
  if (extra.code !== undefined) details.code = r(extra.code);
  if (extra.title !== undefined) details.title = r(extra.title);
  if (extra.detail !== undefined) details.detail = r(extra.detail);
  return new ApiError(redact(message, c.secret), details, cause === undefined ? undefined : { cause });
}

/** What the user should do about this status. */
function hint(c: CallContext, status: number, parsed: ParsedBody, hadKey: boolean): string | undefined {
  const n = afterAttempts(c.attempts);
  if (status === 401) return 'check TELNYX_API_KEY (or --api-key)';
  if (status === 403) return 'the API key is not allowed to do this; check its permissions';
  if (status === 404) {
    // Say which id, unless the server's detail already names every one.
    const values = Object.values(c.route.params);
    if (values.length === 0 || values.every((v) => parsed.detail?.includes(v))) return undefined;
    if (c.route.template.endsWith('/canary-deploys')) {
      return `${describeParams(c.route)} has no canary deploy (or does not exist)`;
    }
    return `${describeParams(c.route)} does not exist (or is not visible to this API key)`;
  }
  if (status === 409 && hadKey) return `a request with the same Idempotency-Key is still in progress${n}`;
  if (status === 429) return `rate limited${n}; wait a minute and re-run, or lower --max-in-flight`;
  if (status >= 500) {
    // A POST without a key is not retried: the server may have acted before failing.
    const unsure = c.route.method === 'POST' && !hadKey ? '; it may or may not have taken effect' : '';
    return `Telnyx server error${n}${unsure}`;
  }
  return n ? n.trim() : undefined;
}

/** The API answered with a non-2xx status (after any retries). */
export function statusError(
  c: CallContext,
  status: number,
  body: string,
  opts: { hadIdempotencyKey: boolean },
): ApiError {
  // Redacted before it is parsed and clipped: a key cut at the clip would no longer match.
  const parsed = parseErrorBody(redact(body, c.secret));
  const title = parsed.title ?? STATUS_CODES[status] ?? 'HTTP error';
  const head = `${callName(c)} → ${status} ${title}${parsed.code ? ` (${parsed.code})` : ''}`;
  const detail = parsed.detail?.replace(/\.+$/, '');
  const tail = [detail, hint(c, status, parsed, opts.hadIdempotencyKey)].filter(Boolean).join('; ');
  return build(c, tail ? `${head}: ${tail}` : head, { ...parsed, title, status });
}

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found; check TELNYX_BASE_URL',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed before a response',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
};

/**
 * No complete HTTP response: refused, reset, closed before answering, or (with `status`) the
 * headers arrived but the body was cut off.
 */
export function networkError(c: CallContext, err: unknown, status?: number): ApiError {
  const code = (err as { code?: unknown } | null)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  const n = afterAttempts(c.attempts);
  if (status !== undefined) {
    const why = typeof code === 'string' ? `${code}: ${msg}` : msg;
    return build(
      c,
      `${callName(c)} → ${status} but the response body was cut off (${why})${n}`,
      { status },
      err,
    );
  }
  const reason = typeof code === 'string' ? `${REASONS[code] ?? code} (${msg})` : msg;
  return build(c, `${callName(c)} → could not reach ${c.host}: ${reason}${n}`, {}, err);
}

export function timeoutError(c: CallContext, timeoutMs: number): ApiError {
  return build(
    c,
    `${callName(c)} → no response from ${c.host} within ${timeoutMs} ms (per-attempt timeout)${afterAttempts(c.attempts)}`,
    {},
  );
}

/** The caller aborted: stop now, nothing more to try. The CLI maps this to exit 3. */
export function cancelledError(c: CallContext, reason: unknown): ApiError {
  return build(c, `${callName(c)} → cancelled`, {}, reason);
}

export function invalidJsonError(c: CallContext, status: number, body: string, err: unknown): ApiError {
  // JSON.parse's message quotes a few characters of the body (already scrubbed of the key by
  // the client): redacted again, as short text (redacting the whole body cost seconds at 16 MiB).
  const why = redact(err instanceof Error ? err.message : String(err), c.secret);
  return build(
    c,
    `${callName(c)} → ${status} but the body is not valid JSON (${Buffer.byteLength(body)} bytes; ${why})`,
    { status },
  );
}

/** '"data.3.status: Invalid option: expected one of ..."' for the first few zod issues. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], max = 3): string {
  const shown = issues
    .slice(0, max)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`);
  const more = issues.length > max ? `; and ${issues.length - max} more` : '';
  return shown.join('; ') + more;
}

export function schemaError(c: CallContext, status: number, issues: readonly z.core.$ZodIssue[]): ApiError {
  const what = formatIssues(issues);
  return build(c, `${callName(c)} → ${status} response does not match the API schema: ${what}`, {
    status,
    detail: what,
  });
}
