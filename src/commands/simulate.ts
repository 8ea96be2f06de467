// `rubric-gate simulate [--port N] [--scenario FILE]`: the local Telnyx simulator, until interrupted.
import { once } from 'node:events';
import { resolve } from 'node:path';
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { loadScenario, startSimulator } from '../simulator/index.js';

export interface SimulateOptions {
  port?: number;
  scenario?: string;
  clockScale?: number;
  /** Stops the server (tests); default: the first SIGINT or SIGTERM. */
  signal?: AbortSignal;
}

export async function simulateCommand(opts: SimulateOptions, io: Io): Promise<ExitCode> {
  const scenario = opts.scenario ? await loadScenario(resolve(io.cwd, opts.scenario)) : undefined;
  const sim = await startSimulator({
    port: opts.port ?? 4010,
    ...(scenario ? { scenario } : {}),
    ...(opts.clockScale === undefined ? {} : { clockScale: opts.clockScale }),
  });
  io.stdout(
    [
      `Telnyx simulator listening on ${sim.url}${opts.scenario ? ` (scenario ${opts.scenario})` : ''}`,
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
