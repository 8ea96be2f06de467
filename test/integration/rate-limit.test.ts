// Rate limits end to end over loopback: the simulator takes its limit from a scenario's
// `rate_limit` or `simulate --rate-limit`, and answers 429 with x-ratelimit-* headers over it;
// the client retries a spent quota after its reset (ms), not a whole-second Retry-After; and a
// sync paced to a 1-request quota loses no write. Counted on the simulator, never timed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TelnyxClient } from '../../src/api/client.js';
import type { ClientEvent } from '../../src/api/http.js';
import { preparePlan } from '../../src/commands/plan.js';
import { simulateCommand } from '../../src/commands/simulate.js';
import { memoryIo } from '../../src/io.js';
import { parseScenarioText, type Simulator, withSimulator } from '../../src/simulator/index.js';
import { syncPlan } from '../../src/sync.js';
import { writeSuite } from '../bench/harness.js';

const LIST = '/ai/assistants/tests';

async function get(url: string, key: string) {
  const res = await fetch(`${url}${LIST}`, { headers: { authorization: `Bearer ${key}` } });
  await res.arrayBuffer();
  return { status: res.status, headers: res.headers };
}

/** Two requests at once against a 1-request bucket: the second is refused, with the headers. */
async function expectLimited(url: string, key: string, limit: string) {
  const [a, b] = await Promise.all([get(url, key), get(url, key)]);
  const refused = [a, b].find((r) => r.status === 429);
  expect([a.status, b.status].sort()).toEqual([200, 429]);
  expect(refused?.headers.get('x-ratelimit-limit')).toBe(limit);
  expect(refused?.headers.get('x-ratelimit-remaining')).toBe('0');
  expect(Number(refused?.headers.get('x-ratelimit-reset'))).toBeGreaterThan(0);
  expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
}

describe('the simulator rate limit from its inputs', () => {
  it("a scenario's rate_limit answers 429 with x-ratelimit-* over it", async () => {
    const scenario = parseScenarioText('rate_limit: { per_second: 0.5, burst: 1 }\n', 'limits.yaml');
    await withSimulator({ scenario }, async (sim) => {
      await expectLimited(sim.url, sim.apiKey, '1');
      expect(sim.counts().total).toBe(2);
    });
  });

  it('simulate --rate-limit 0.5/1 does the same, and overrides the scenario', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-rate-'));
    await writeFile(join(dir, 'generous.yaml'), 'rate_limit: { per_second: 1000, burst: 1000 }\n');
    const stop = new AbortController();
    const io = memoryIo({ cwd: dir });
    const serving = simulateCommand(
      { port: 0, scenario: 'generous.yaml', rateLimit: '0.5/1', signal: stop.signal },
      io,
    );
    let url: string | undefined;
    for (let i = 0; i < 200 && !url; i++) {
      url = /listening on (\S+)/.exec(io.out.join(''))?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 10));
    }
    try {
      expect(io.out.join('')).toContain('Rate limit: 0.5 requests/s, burst 1');
      await expectLimited(url ?? '', 'KEY_SIMULATOR', '1');
    } finally {
      stop.abort();
      await serving;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the client under a rate limit', () => {
  it('retries a spent quota after its x-ratelimit-reset (ms), not the whole-second Retry-After', async () => {
    await withSimulator({ rateLimit: { perSecond: 50, burst: 1 } }, async (sim) => {
      const events: ClientEvent[] = [];
      const client = new TelnyxClient({
        apiKey: sim.apiKey,
        baseUrl: sim.url,
        maxRetries: 0, // refusals of a spent quota have their own budget
        onEvent: (e) => events.push(e),
      });
      try {
        // Four at once, before any answer has told the client the quota.
        await Promise.all(Array.from({ length: 4 }, () => client.listSuiteNames()));
      } finally {
        await client.close();
      }
      const retries = events.filter((e) => e.type === 'retry');
      expect(retries.length).toBeGreaterThan(0);
      for (const r of retries) {
        expect(r).toMatchObject({ status: 429, delaySource: 'rate-limit' });
        expect(r.delayMs).toBeLessThanOrEqual(20);
      }
      const refused = events.filter((e) => e.type === 'response' && e.status === 429).length;
      expect(sim.counts().total).toBe(4 + refused);
    });
  });

  it.each([
    ['0', 5],
    ['0.001', 21],
    ['86400', 5],
  ])(
    'a server that answers every request 429 with x-ratelimit-reset %s is not hammered',
    async (reset, tries) => {
      // A server that rounds "seconds until reset" down sends 0 for the last second of a window.
      let requests = 0;
      const server = createServer((_req, res) => {
        requests++;
        res.writeHead(429, {
          'content-type': 'application/json',
          'x-ratelimit-limit': '1',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': reset,
        });
        res.end('{"errors":[{"code":"10011","title":"Too many requests"}]}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const waits: number[] = [];
      const client = new TelnyxClient({
        apiKey: 'KEY_RATE_LIMIT_TEST',
        baseUrl: `http://127.0.0.1:${port}/v2`,
        maxRetries: 4,
        random: () => 0.5,
        sleep: async (ms) => {
          waits.push(ms);
        },
      });
      try {
        await expect(client.listSuiteNames()).rejects.toThrow(/429/);
      } finally {
        await client.close();
        await new Promise((r) => server.close(r));
      }
      // Reset 0 explains nothing: the ordinary retries, backed off. A tiny reset is obeyed twice,
      // then each wait doubles from 25 ms: the 20 rate-limit retries take a minute, not 100 ms.
      // A day's reset is no refill: the ordinary 4 retries, each wait capped at a minute (the sum
      // here also counts the pacer's holds, which overlap the retry waits in real time).
      expect(requests).toBe(tries);
      const waited = waits.reduce((a, b) => a + b, 0);
      if (reset === '0') expect(waited).toBeGreaterThan(0);
      else if (reset === '86400') expect(waited).toBeLessThan(20 * 60_000);
      else expect(waited).toBeGreaterThan(30_000);
    },
  );

  it('syncs 100 tests under a 1-request quota at 200/s with no failed write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rg-rate-'));
    try {
      writeSuite(dir, 100);
      await withSimulator({ rateLimit: { perSecond: 200, burst: 1 } }, async (sim: Simulator) => {
        const client = new TelnyxClient({ apiKey: sim.apiKey, baseUrl: sim.url });
        try {
          const io = memoryIo({ cwd: dir, env: { TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } });
          const { plan } = await preparePlan(['.'], { client }, io);
          expect(plan.changes).toHaveLength(100);
          const report = await syncPlan(client, plan, { prune: false, concurrency: 4 });
          expect(report.counts.failed + report.counts.notStarted).toBe(0);
        } finally {
          await client.close();
        }
        expect(sim.state.tests.size).toBe(100);
        // Every create that was not refused made exactly one test.
        const creates = sim.counts().byEndpoint['POST /ai/assistants/tests'] ?? 0;
        expect(creates).toBeGreaterThanOrEqual(100);
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
