// The API client against a server that misbehaves in ways the simulator does not: bodies that
// never end, and 2xx answers that echo the API key. Loopback only; every server is closed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TelnyxClient } from '../../src/api/client.js';
import { BODY_LIMIT, ERROR_BODY_LIMIT } from '../../src/api/http.js';
import { ApiError } from '../../src/errors.js';

const KEY = 'KEY_HOSTILE_SECRET_0123456789abcdef';

let server: Server | undefined;
let client: TelnyxClient | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** A server on loopback answering every request with `handle`; the client, pointed at it. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<TelnyxClient> {
  server = createServer(handle);
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = new TelnyxClient({
    apiKey: KEY,
    baseUrl: `http://127.0.0.1:${port}/v2`,
    userAgent: 'rubric-gate-test',
    maxRetries: 0,
    sleep: async () => {},
  });
  return client;
}

/** Writes 64 KiB pieces until the client goes away or `max` bytes are out; how many went out. */
function endless(
  status: number,
  max: number,
): { handle: Parameters<typeof createServer>[1]; sent: () => number } {
  let sent = 0;
  const piece = Buffer.alloc(64 * 1024, 'a');
  return {
    sent: () => sent,
    handle: (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      const more = () => {
        while (sent < max && !res.destroyed) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('close', () => {
        sent = Math.min(sent, max);
      });
      more();
    },
  };
}

describe('a body that never ends', () => {
  it('a 2xx is read to 16 MiB, then the call fails (the memory is not the limit)', async () => {
    const body = endless(200, 8 * BODY_LIMIT);
    const c = await serve(body.handle);
    const err = await c.listSuiteNames().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toMatch(/200 but the response body was cut off .*larger than 16 MiB/);
    // The socket's buffers let a few MiB more out before the server sees the close.
    expect(body.sent()).toBeLessThan(2 * BODY_LIMIT);
  });

  it('an error answer is read to its first 64 KiB and reported with its status', async () => {
    const body = endless(500, 8 * BODY_LIMIT);
    const c = await serve(body.handle);
    const err = (await c.listSuiteNames().catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.details.status).toBe(500);
    expect(body.sent()).toBeLessThan(BODY_LIMIT);
    expect(ERROR_BODY_LIMIT).toBeLessThan(BODY_LIMIT);
  });
});

describe('a 2xx answer that echoes the key', () => {
  it('is read without it: whole, or any run of 8 or more of its characters', async () => {
    const echo = [
      `Authorization: Bearer ${KEY}`,
      `key ${KEY.slice(0, 12)}…`,
      `…${KEY.slice(-10)}`,
      `auth ${KEY.slice(9, 21)}!`,
      'plain',
    ];
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: echo }));
    });
    const names = await c.listSuiteNames();
    expect(names).toEqual(['Authorization: Bearer ***', 'key ***…', '…***', 'auth ***!', 'plain']);
    expect(JSON.stringify(names)).not.toContain(KEY.slice(0, 8));
  });
});

describe('a 2xx answer that spells the key with JSON escapes', () => {
  // \u0041 for A: no run of the key shows in the text, but the parsed strings hold it whole.
  const spelled = (s: string) =>
    [...s].map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it('is scrubbed after parsing, in values and keys, however deep', async () => {
    const deep = `${'['.repeat(5000)}"${spelled(KEY)}"${']'.repeat(5000)}`;
    const body = `{"data":["Bearer ${spelled(KEY)}","part ${spelled(KEY.slice(3, 14))}","\\/plain"],"meta":{"${spelled(KEY)}":1,"__proto__":"${spelled(KEY)}","deep":${deep}}}`;
    expect(body).not.toContain(KEY.slice(0, 8));
    const c = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const names = await c.listSuiteNames();
    // meta's key, its "__proto__" and the 5,000-deep value are walked too (no crash, no overflow).
    expect(names).toEqual(['Bearer ***', 'part ***', '/plain']);
  });
});
