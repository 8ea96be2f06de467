import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  conflictHint,
  hasWrites,
  preparePlan,
  renderPlan,
  renderSyncReport,
  reportError,
  syncPlan,
  throwIfFailed
} from "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7BFOF2IB.js";
import {
  EXIT
} from "./chunk-5CZ452EX.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/sync.ts
var VERB = { create: "created", update: "updated", delete: "deleted" };
var progressLine = (r) => {
  if (r.status !== "done") return void 0;
  const c = r.change;
  const what = c.kind === "update" && c.renamedFrom !== void 0 ? `renamed from ${JSON.stringify(c.renamedFrom)}` : VERB[c.kind];
  return `  ${what}: ${c.suite} / ${JSON.stringify(c.name)} (${r.testId ?? ""})
`;
};
async function syncCommand(paths, opts, io) {
  let prepared;
  try {
    prepared = await preparePlan(paths, opts, io);
    const { plan, client } = prepared;
    io.stdout(renderPlan(plan, { prune: opts.prune, color: io.isTTY }));
    if (plan.conflicts.length > 0) {
      io.stderr(conflictHint(plan));
      return EXIT.usage;
    }
    if (opts.dryRun) {
      io.stdout("Dry run: nothing was written.\n");
      return EXIT.ok;
    }
    if (!hasWrites(plan, opts.prune)) return EXIT.ok;
    io.stdout("\nApplying...\n");
    const report = await syncPlan(client, plan, {
      prune: opts.prune,
      ...opts.concurrency === void 0 ? {} : { concurrency: opts.concurrency },
      ...opts.signal ? { signal: opts.signal } : {},
      onResult: (r) => {
        const line = progressLine(r);
        if (line) io.stdout(line);
      }
    });
    io.stdout(renderSyncReport(report, { color: io.isTTY }));
    throwIfFailed(report);
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io, prepared?.apiKey ?? opts.apiKey);
  } finally {
    await prepared?.client.close();
  }
}
export {
  syncCommand
};
