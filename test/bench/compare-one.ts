// One run comparison on its own, for tuning: npx tsx test/bench/compare-one.ts 1000 suite [--sdk]
import { COMPARE_SCALE } from './bench.js';
import { compareRun, type Mode } from './run-compare.js';

const n = Number(process.argv[2] ?? 1000);
const mode = (process.argv[3] ?? 'suite') as Mode;
const c = await compareRun({
  tests: n,
  scale: COMPARE_SCALE,
  latencyMs: 20,
  durations: { minSeconds: 20, maxSeconds: 80 },
  sdkIntervalMs: 2000,
  mode,
  sdk: process.argv.includes('--sdk'),
});
for (const t of [c.rubricGate, c.rubricGateHistory, c.sdk, c.listPoller]) {
  if (!t) continue;
  process.stdout.write(
    `${t.tool.padEnd(22)} req ${String(t.requests).padStart(6)}  lag mean ${t.meanLagS} p95 ${t.p95LagS} max ${t.maxLagS}  last lag ${t.detectionLagS} last→verdict ${t.verdictLagS} last→report ${t.reportLagS}  total ${t.totalS}  ok ${t.correct}  ${JSON.stringify(t.byEndpoint)}\n`,
  );
}
