// `rubric-gate simulate [--port N] [--scenario FILE] [--rate-limit RATE[/BURST]]`: the local
// Telnyx simulator, until interrupted.
import { once } from 'node:events';
import { resolve } from 'node:path';
import { EXIT, type ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { loadScenario, type RateLimit, startSimulator } from '../simulator/index.js';
import { RateLimitDef, rateLimitOf } from '../simulator/scenario.js';

export interface SimulateOptions {
  port?: number;
  scenario?: string;
  clockScale?: number;
  /** `50` or `50/10`: requests per second, then the burst; overrides the scenario's rate_limit. */
  rateLimit?: string;
  /** Stops the server (tests); default: the first SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

/** `--rate-limit 50/10` → 50 requests per second, bucket of 10 (the same rules as a scenario's rate_limit). */
export function parseRateLimit(text: string): RateLimit {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:\/\s*([0-9]+)\s*)?$/.exec(text);
  const parsed = m
    ? RateLimitDef.safeParse({ per_second: Number(m[1]), ...(m[2] ? { burst: Number(m[2]) } : {}) })
    : undefined;
  if (!parsed?.success) {
    const why = parsed?.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new UsageError(
      `--rate-limit expects <requests per second>[/<burst>], e.g. 50 or 50/10, got "${text}"${why ? ` (${why})` : ''}`,
    );
  }
  return rateLimitOf(parsed.data);
}

export async function simulateCommand(opts: SimulateOptions, io: Io): Promise<ExitCode> {
  const rateLimit = opts.rateLimit === undefined ? undefined : parseRateLimit(opts.rateLimit);
  const scenario = opts.scenario ? await loadScenario(resolve(io.cwd, opts.scenario)) : undefined;
  const sim = await startSimulator({
    port: opts.port ?? 4010,
    ...(scenario ? { scenario } : {}),
    ...(opts.clockScale === undefined ? {} : { clockScale: opts.clockScale }),
    ...(rateLimit ? { rateLimit } : {}),
  });
  const limit = rateLimit ?? (scenario?.rate_limit ? rateLimitOf(scenario.rate_limit) : undefined);
  io.stdout(
    [
      `Telnyx simulator listening on ${sim.url}${opts.scenario ? ` (scenario ${opts.scenario})` : ''}`,
      ...(limit
        ? [`Rate limit: ${limit.perSecond} requests/s, burst ${limit.burst ?? Math.max(1, limit.perSecond)}`]
        : []),
      'Point rubric-gate (or the telnyx SDK) at it:',
      `  export TELNYX_BASE_URL=${sim.url} TELNYX_API_KEY=${sim.apiKey}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = opts.signal ?? (await processStopSignal());
  if (!stop.aborted) await once(stop, 'abort');
  await sim.close();
  const counts = sim.counts();
  io.stdout(`simulator stopped after ${counts.total} request${counts.total === 1 ? '' : 's'}\n`);
  return EXIT.ok;
}

async function processStopSignal(): Promise<AbortSignal> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}
