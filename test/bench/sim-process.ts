// The sync bench's simulator in a process of its own, as the real API is: its clock then reads
// when a request arrived, not when the benchmarked client's own work on the shared event loop
// let it look. Started by sync-bench.ts with fork(); answers its messages until 'close'.
import type { RateLimit } from '../../src/simulator/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { KEY, latencyOnEverything } from './harness.js';

export type SimMessage =
  | { type: 'counts' }
  | { type: 'reset' }
  | { type: 'rate-limit'; limit: RateLimit }
  | { type: 'close' };

const opts = JSON.parse(process.argv[2] ?? '{}') as { latencyMs: number; rateLimit: RateLimit };
const sim = await startSimulator({
  apiKey: KEY,
  clockScale: 1,
  faults: latencyOnEverything(opts.latencyMs),
  rateLimit: opts.rateLimit,
});
const reply = (m: unknown) => process.send?.(m);
process.on('message', (m: SimMessage) => {
  if (m.type === 'counts') reply(sim.counts());
  else if (m.type === 'close') void sim.close().then(() => process.exit(0));
  else {
    if (m.type === 'reset') sim.resetCounts();
    else sim.setRateLimit(m.limit);
    reply({ done: true });
  }
});
reply({ url: sim.url });
