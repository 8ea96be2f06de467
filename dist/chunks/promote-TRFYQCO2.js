import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  readState,
  resolveAgainst,
  withStopSignals
} from "./chunk-TQ7KX33E.js";
import {
  canonical
} from "./chunk-5KHM2P4Y.js";
import "./chunk-EGNYDXSP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-7B25DCRM.js";
import {
  actionSentence,
  decideAction,
  describeAction,
  gateBlocks,
  parseCanaryWeight,
  readAssistant,
  versionIdOf
} from "./chunk-EVZ4H6GH.js";
import {
  isRetryableStatus,
  reportError
} from "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7BFOF2IB.js";
import {
  ApiError,
  UsageError
} from "./chunk-5CZ452EX.js";
import {
  plainText
} from "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/promote.ts
function parsePromoteFlags(paths, flags, io) {
  if (flags.assistant === void 0 || flags.assistant.trim() === "") {
    throw new UsageError("promote needs --assistant <id> (the assistant whose version is promoted)");
  }
  if (flags.version === void 0 || flags.version.trim() === "") {
    throw new UsageError("promote needs --version <id> (the version to test and promote)");
  }
  if (flags.shard !== void 0) {
    throw new UsageError(
      "--shard: promote gates on every selected test; run the shards with `run`, merge them, then promote"
    );
  }
  if (flags.changedSince !== void 0) {
    throw new UsageError("--changed-since: promote gates on every selected test, not only the changed ones");
  }
  if (flags.passWithNoTests === true) {
    throw new UsageError("--pass-with-no-tests: a promotion needs a test that ran");
  }
  const opts = parseRunFlags(paths, flags, io);
  if (opts.against !== void 0) {
    opts.gateFlags = { ...opts.gateFlags, failOnRegression: true };
    opts.judging = { ...opts.judging, failOnRegression: true };
    if (opts.resumeFlags) opts.resumeFlags.judging = opts.judging;
  }
  const canaryWeight = parseCanaryWeight(flags.canary);
  return {
    ...opts,
    assistantId: flags.assistant,
    versionId: flags.version,
    ...canaryWeight === void 0 ? {} : { canaryWeight },
    dryRun: flags.dryRun === true
  };
}
async function promoteCommand(paths, flags, io, deps = {}) {
  let opts;
  try {
    opts = parsePromoteFlags(paths, flags, io);
  } catch (err) {
    return reportError(err, io, flags.apiKey);
  }
  return withStopSignals(
    io,
    "nothing will be promoted; writing partial results",
    deps,
    (d) => executePromote(opts, io, d)
  );
}
function checkCandidate(snap, versionId) {
  const found = snap.versions.some((v) => versionIdOf(v) === versionId);
  if (!found) {
    const known = snap.versions.slice(0, 10).map((v) => `${versionIdOf(v)} ${JSON.stringify(plainText(v.version_name ?? v.name))}`);
    const more = snap.versions.length > 10 ? [`... and ${snap.versions.length - 10} more`] : [];
    throw new UsageError(
      `--version ${versionId}: assistant ${snap.assistantId} has no such version${known.length > 0 ? ` (it has: ${[...known, ...more].join(", ")})` : " (it lists none)"}. Nothing was triggered; see \`rubric-gate versions --assistant ${snap.assistantId}\`.`
    );
  }
  if (snap.mainVersionId === versionId) {
    throw new UsageError(
      `--version ${versionId} is already the main version of assistant ${snap.assistantId}: nothing to promote. Nothing was triggered.`
    );
  }
}
function renderPromotePlan(snap, action, dryRun) {
  const nameOf = (id) => {
    const v = snap.versions.find((x) => versionIdOf(x) === id);
    return v ? ` (${JSON.stringify(plainText(v.version_name ?? v.name))})` : "";
  };
  const lines = [
    `Promote: assistant ${plainText(snap.assistantId)}, version ${plainText(action.versionId)}${nameOf(action.versionId)}`,
    snap.mainVersionId === void 0 ? "  main now: unknown (the versions list does not say which version is main)" : `  main now: ${plainText(snap.mainVersionId)}${nameOf(snap.mainVersionId)}`,
    "  if every gate holds:",
    ...describeAction(action).map((l) => `    ${plainText(l)}`),
    dryRun ? "  --dry-run: the tests run; nothing is promoted and the canary config is not written" : "  on a failed gate or an unfinished run nothing is changed"
  ];
  return `${lines.join("\n")}
`;
}
async function executePromote(opts, io, deps = {}) {
  const call = deps.signal ? { signal: deps.signal } : {};
  const runOpts = {
    ...opts,
    assistantId: void 0,
    promotion: true,
    versionOf: opts.assistantId
  };
  let tested;
  let againstMain;
  const hooks = {
    beforeRun: async (client) => {
      let savedCandidate;
      if (opts.resume) {
        const state = readState(opts.outDir);
        const saved = state.settings;
        savedCandidate = state.candidate;
        if (saved.against?.label === "main") againstMain = saved.against.versionId;
        if (saved.versionId !== opts.versionId) {
          throw new UsageError(
            `--resume: the runs in ${opts.outDir} were against ${saved.versionId ?? "the main version"}, not --version ${opts.versionId}`
          );
        }
        const narrower = resumedSelectionProblem(saved, opts);
        if (narrower) throw new UsageError(`--resume: ${narrower}; promote gates on what it is asked to`);
        if (savedCandidate === void 0)
          throw new UsageError(
            `--resume: the runs in ${opts.outDir} did not record version ${opts.versionId} as it was when they started (\`run\` started them, or an older rubric-gate), so an edit since cannot be ruled out; run promote without --resume`
          );
      }
      const snap = await readAssistant(client, opts.assistantId, call);
      const now = versionPrint(snap.versions.find((v) => versionIdOf(v) === opts.versionId));
      const landedBefore = savedCandidate !== void 0 && savedCandidate === now && snap.mainVersionId === opts.versionId;
      if (!landedBefore) checkCandidate(snap, opts.versionId);
      if (savedCandidate !== void 0 && savedCandidate !== now)
        throw new UsageError(
          `--resume: version ${opts.versionId} changed since the runs in ${opts.outDir} started, so they tested what it was then; run promote without --resume. Nothing was triggered`
        );
      tested = savedCandidate ?? now;
      runOpts.candidate = tested;
      const action = decideAction({
        versionId: opts.versionId,
        canaryWeight: opts.canaryWeight,
        canary: snap.canary
      });
      io.stdout(renderPromotePlan(snap, action, opts.dryRun));
      if (opts.against !== void 0 && !opts.resume) {
        const base = await resolveAgainst(client, opts, call);
        runOpts.againstVersionId = base.versionId;
        if (base.label === "main") againstMain = base.versionId;
        io.stdout(
          `Against ${base.label === "main" ? `main (version ${base.versionId})` : `version ${base.versionId}`}: promoted only if no test regresses against it in this run
`
        );
      }
    },
    afterGate: async (client, results, evaluation) => {
      const promotion = await promoteAfterGate(
        {
          client,
          assistantId: opts.assistantId,
          versionId: opts.versionId,
          canaryWeight: opts.canaryWeight,
          dryRun: opts.dryRun,
          tested,
          againstMain,
          ...call
        },
        { results, evaluation }
      );
      return { ...results, promotion };
    }
  };
  return executeRun(runOpts, io, deps, hooks);
}
var versionPrint = (v) => v === void 0 ? void 0 : canonical(v);
async function promoteAfterGate(req, gate) {
  const { client, assistantId, versionId, canaryWeight } = req;
  const base = {
    assistantId,
    versionId,
    action: canaryWeight === void 0 ? "promote" : "canary",
    ...canaryWeight === void 0 ? {} : { canaryWeight }
  };
  const blocked = gateBlocks(versionId, { ...gate.evaluation, testedVersionId: gate.results.versionId });
  if (blocked)
    return { ...base, status: "skipped", message: req.dryRun ? `${blocked} (--dry-run)` : blocked };
  const call = req.signal ? { signal: req.signal } : {};
  let writing;
  try {
    if (req.tested !== void 0) {
      const now = (await client.listVersions(assistantId, call)).find((v) => versionIdOf(v) === versionId);
      if (versionPrint(now) !== req.tested) {
        return {
          ...base,
          status: "failed",
          message: `not promoted: version ${versionId} changed while its tests ran (it no longer reads as it did when they started); run promote again to test what it is now`
        };
      }
    }
    if (req.againstMain !== void 0) {
      const main = client.getAssistant ? (await client.getAssistant(assistantId, call)).version_id : void 0;
      if (main !== req.againstMain) {
        return {
          ...base,
          status: "failed",
          message: `not promoted: main changed while the tests ran (they were compared with ${req.againstMain}, main is now ${main ?? "not said by the API"}), so "no regression against main" no longer holds; run promote again`
        };
      }
    }
    const canary = await client.getCanary(assistantId, call);
    const action = decideAction({ versionId, canaryWeight, canary });
    if (req.dryRun) {
      return {
        ...base,
        status: "dry-run",
        message: `every gate held; --dry-run: would ${actionSentence(action)}`
      };
    }
    writing = action;
    return { ...base, status: "done", message: await apply(client, assistantId, action, call) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (writing === void 0) return { ...base, status: "failed", message: `not promoted: ${why}` };
    const landed = await writeLanded(client, assistantId, writing, call).catch(() => void 0);
    if (landed === true) {
      return {
        ...base,
        status: "done",
        message: `${actionSentence(writing)}: its answer failed (${why}), but the assistant now reads as written`
      };
    }
    const refused = err instanceof ApiError && isRefusal(err.details.status);
    const message = landed === false && refused ? `not promoted: ${why}` : `the write failed (${why}); ${landed === false ? "the assistant does not read as written now, but a write may show late" : "reading the assistant back failed too"}, so it may or may not have been applied; check with \`rubric-gate versions --assistant ${assistantId}\``;
    return { ...base, status: "failed", message };
  }
}
var isRefusal = (status) => status !== void 0 && status >= 400 && status < 500 && !isRetryableStatus(status);
async function writeLanded(client, assistantId, action, call) {
  if (action.kind === "promote") {
    if (!client.getAssistant) return void 0;
    if ((await client.getAssistant(assistantId, call)).version_id !== action.versionId) return false;
    return action.canary === void 0 || await client.getCanary(assistantId, call) === void 0;
  }
  const canary = await client.getCanary(assistantId, call);
  return canonical(canary?.rules ?? []) === canonical(action.change.rules);
}
async function apply(client, assistantId, action, call) {
  if (action.kind === "promote") {
    await client.promoteVersion(assistantId, action.versionId, call);
    const n = action.canary?.rules.length ?? 0;
    return `promoted ${action.versionId} to main${action.canary ? `; the canary config (${n} rule${n === 1 ? "" : "s"}) was deleted with it` : ""}`;
  }
  const { change, weight, versionId } = action;
  const where = `rule ${change.index + 1}`;
  if (change.mode === "unchanged") {
    return `the canary config already routes ${weight}% to ${versionId} (${where}); nothing was written`;
  }
  if (change.mode === "create") {
    await client.createCanary(assistantId, { rules: change.rules }, call);
    return `routed ${weight}% to ${versionId}: created the canary config (${where})`;
  }
  await client.updateCanary(assistantId, { rules: change.rules }, call);
  const was = change.previousWeight === void 0 ? "" : `, was ${change.previousWeight}%`;
  const kept = change.rules.length - 1;
  return `routed ${weight}% to ${versionId}: updated the canary config (${where}${was}; ${kept} other rule${kept === 1 ? "" : "s"} kept)`;
}
function resumedSelectionProblem(saved, asked) {
  if (saved.shard)
    return `the saved run is shard ${saved.shard.index}/${saved.shard.total}, not every selected test`;
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(saved.grep, asked.grep))
    return `the saved run selected --grep ${saved.grep ?? "(none)"}, not ${asked.grep ?? "(none)"}`;
  if (!same([...saved.tags].sort(), [...asked.tags].sort()))
    return `the saved run selected --tag ${saved.tags.join(",") || "(none)"}, not ${asked.tags.join(",") || "(none)"}`;
  if (!same(saved.trials, asked.trials))
    return `the saved run used --trials ${saved.trials ?? "(from the files)"}, not ${asked.trials ?? "(from the files)"}`;
  if (asked.against !== void 0) {
    if (saved.against === void 0)
      return `the saved run has no --against side, so no regression was checked`;
    const match = asked.against === "main" ? saved.against.label === "main" : asked.against === saved.against.versionId;
    if (!match) return `the saved run compared against ${saved.against.label}, not ${asked.against}`;
  }
  return void 0;
}
export {
  checkCandidate,
  executePromote,
  parsePromoteFlags,
  promoteAfterGate,
  promoteCommand,
  renderPromotePlan,
  resumedSelectionProblem,
  versionPrint
};
