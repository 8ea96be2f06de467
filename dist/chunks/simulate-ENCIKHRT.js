#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags('--optimize-for-size');
__rgSetV8Flags('--liftoff-only');
const require = __rgModule.createRequire(import.meta.url);
import {
  loadScenario,
  startSimulator
} from "./chunk-K24X3MBD.js";
import "./chunk-4OWM6JMB.js";
import {
  EXIT
} from "./chunk-OBXLLXW3.js";
import "./chunk-BHAKOKDA.js";

// src/commands/simulate.ts
import { once } from "node:events";
import { resolve } from "node:path";
async function simulateCommand(opts, io) {
  const scenario = opts.scenario ? await loadScenario(resolve(io.cwd, opts.scenario)) : void 0;
  const sim = await startSimulator({
    port: opts.port ?? 4010,
    ...scenario ? { scenario } : {},
    ...opts.clockScale === void 0 ? {} : { clockScale: opts.clockScale }
  });
  io.stdout(
    [
      `Telnyx simulator listening on ${sim.url}${opts.scenario ? ` (scenario ${opts.scenario})` : ""}`,
      "Point rubric-gate (or the telnyx SDK) at it:",
      `  export TELNYX_BASE_URL=${sim.url} TELNYX_API_KEY=${sim.apiKey}`,
      "Press Ctrl-C to stop.",
      ""
    ].join("\n")
  );
  const stop = opts.signal ?? await processStopSignal();
  if (!stop.aborted) await once(stop, "abort");
  await sim.close();
  const counts = sim.counts();
  io.stdout(`simulator stopped after ${counts.total} request${counts.total === 1 ? "" : "s"}
`);
  return EXIT.ok;
}
async function processStopSignal() {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return controller.signal;
}
export {
  simulateCommand
};
