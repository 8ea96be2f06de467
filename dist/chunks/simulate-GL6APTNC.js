import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  RateLimitDef,
  loadScenario,
  rateLimitOf,
  startSimulator
} from "./chunk-7EY5FFWV.js";
import "./chunk-7BFOF2IB.js";
import {
  EXIT,
  UsageError
} from "./chunk-5CZ452EX.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/simulate.ts
import { once } from "node:events";
import { resolve } from "node:path";
function parseRateLimit(text) {
  const m = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:\/\s*([0-9]+)\s*)?$/.exec(text);
  const parsed = m ? RateLimitDef.safeParse({ per_second: Number(m[1]), ...m[2] ? { burst: Number(m[2]) } : {} }) : void 0;
  if (!parsed?.success) {
    const why = parsed?.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new UsageError(
      `--rate-limit expects <requests per second>[/<burst>], e.g. 50 or 50/10, got "${text}"${why ? ` (${why})` : ""}`
    );
  }
  return rateLimitOf(parsed.data);
}
async function simulateCommand(opts, io) {
  const rateLimit = opts.rateLimit === void 0 ? void 0 : parseRateLimit(opts.rateLimit);
  const scenario = opts.scenario ? await loadScenario(resolve(io.cwd, opts.scenario)) : void 0;
  const sim = await startSimulator({
    port: opts.port ?? 4010,
    ...scenario ? { scenario } : {},
    ...opts.clockScale === void 0 ? {} : { clockScale: opts.clockScale },
    ...rateLimit ? { rateLimit } : {}
  });
  const limit = rateLimit ?? (scenario?.rate_limit ? rateLimitOf(scenario.rate_limit) : void 0);
  io.stdout(
    [
      `Telnyx simulator listening on ${sim.url}${opts.scenario ? ` (scenario ${opts.scenario})` : ""}`,
      ...limit ? [`Rate limit: ${limit.perSecond} requests/s, burst ${limit.burst ?? Math.max(1, limit.perSecond)}`] : [],
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
  parseRateLimit,
  simulateCommand
};
