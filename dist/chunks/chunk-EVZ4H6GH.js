import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  TelnyxClient,
  reportError,
  resolveApiConfig
} from "./chunk-TIPRGJ5U.js";
import {
  EXIT,
  UsageError,
  isNotFound
} from "./chunk-5CZ452EX.js";
import {
  plainText
} from "./chunk-WCICWPAT.js";

// src/promote.ts
function parseCanaryWeight(value) {
  if (value === void 0) return void 0;
  const n = typeof value === "number" ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n >= 100) {
    throw new UsageError(
      `--canary must be a percentage above 0 and below 100, e.g. --canary 10 (got ${JSON.stringify(value)})`
    );
  }
  return n;
}
var round = (n) => Math.round(n * 1e6) / 1e6;
var pct = (n) => n > 0 && round(n) === 0 ? "<0.000001" : n < 100 && round(n) === 100 ? ">99.999999" : String(round(n));
var isCatchAll = (rule) => rule.match === void 0 || rule.match.length === 0;
function planCanary(existing, versionId, weight) {
  const slot = { version_id: versionId, weight };
  const rules = existing?.rules ?? [];
  const index = rules.findIndex(isCatchAll);
  if (index === -1) {
    return {
      mode: existing ? "update" : "create",
      rules: [...rules, { serve: { rollout: [slot] } }],
      index: rules.length
    };
  }
  const before = rules[index];
  const { rollout, version_id: pinned } = before.serve;
  if (rollout === void 0 || pinned !== void 0) {
    throw new UsageError(
      `the canary config's rule ${index + 1} sends every call no earlier rule matches to version ${pinned ?? "(none)"}, not a percentage split; rubric-gate will not change that. Edit or delete the canary config first.`
    );
  }
  const others = rollout.filter((s) => s.version_id !== versionId);
  const previous = rollout.find((s) => s.version_id === versionId);
  const othersSum = others.reduce((sum, s) => sum + s.weight, 0);
  if (othersSum + weight >= 100 - 1e-9) {
    const list = others.map((s) => `${s.version_id} ${s.weight}%`).join(", ");
    const room = Math.floor((100 - othersSum) * 1e6) / 1e6;
    throw new UsageError(
      `--canary ${weight}: rule ${index + 1} of the canary config already routes ${pct(othersSum)}% to other versions (${list}); with ${weight}% more the rollout would total ${pct(othersSum + weight)}%, and rollout weights must sum to less than 100 (the rest goes to main). ${room > 0 ? `Use --canary below ${room}, or edit the canary config` : "There is no room for another share: edit the canary config"}.`
    );
  }
  const duplicates = rollout.filter((s) => s.version_id === versionId).length;
  if (previous !== void 0 && previous.weight === weight && duplicates === 1) {
    return { mode: "unchanged", rules: [...rules], index, before, previousWeight: weight };
  }
  const updated = previous ? rollout.flatMap((s) => s === previous ? [{ ...s, weight }] : s.version_id === versionId ? [] : [s]) : [...rollout, slot];
  const rule = { ...before, serve: { ...before.serve, rollout: updated } };
  return {
    mode: "update",
    rules: rules.map((r, i) => i === index ? rule : r),
    index,
    before,
    ...previous ? { previousWeight: previous.weight } : {}
  };
}
function describeMatch(rule) {
  if (isCatchAll(rule)) return "every other call";
  return (rule.match ?? []).map((c) => `${c.attribute} ${c.operator.replace("_", " ")} [${c.values.join(", ")}]`).join(" and ");
}
function describeServe(rule) {
  const { rollout, version_id: pinned } = rule.serve;
  if (rollout !== void 0) {
    const rest = 100 - rollout.reduce((sum, s) => sum + s.weight, 0);
    return [...rollout.map((s) => `${s.version_id} ${s.weight}%`), `main ${pct(rest)}%`].join(", ");
  }
  return pinned ?? "(nothing)";
}
var describeRule = (rule, index) => `${index + 1}. ${describeMatch(rule)} \u2192 ${describeServe(rule)}`;
function decideAction(input) {
  const { versionId, canary } = input;
  const weight = parseCanaryWeight(input.canaryWeight);
  if (weight === void 0) return { kind: "promote", versionId, ...canary ? { canary } : {} };
  return { kind: "canary", versionId, weight, change: planCanary(canary, versionId, weight) };
}
function describeAction(action) {
  if (action.kind === "promote") {
    const lines = [`promote ${action.versionId} to main`];
    const rules = action.canary?.rules ?? [];
    if (action.canary) {
      lines.push(
        `this deletes the current canary config (${rules.length} rule${rules.length === 1 ? "" : "s"}):`,
        ...rules.map((r, i) => `  ${describeRule(r, i)}`)
      );
    } else lines.push("(there is no canary config to delete)");
    return lines;
  }
  const { change, weight, versionId } = action;
  const head = `route ${weight}% to ${versionId}`;
  const after = change.rules[change.index];
  const kept = change.rules.length - 1;
  if (change.mode === "unchanged") {
    return [`${head}: the canary config already does (rule ${change.index + 1}); nothing to change`];
  }
  if (change.mode === "create") {
    return [`${head}: create a canary config:`, `  ${describeRule(after, change.index)}`];
  }
  return [
    `${head}: update the canary config${kept > 0 ? ` (${kept} other rule${kept === 1 ? "" : "s"} kept)` : ""}:`,
    change.before ? `  now:   ${describeRule(change.before, change.index)}` : `  add:   rule ${change.index + 1}`,
    `  after: ${describeRule(after, change.index)}`
  ];
}
function actionSentence(action) {
  if (action.kind === "promote") {
    return `promote ${action.versionId} to main${action.canary ? " and delete the canary config" : ""}`;
  }
  const verb = { create: "create", update: "update", unchanged: "keep" }[action.change.mode];
  return `route ${action.weight}% to ${action.versionId} (${verb} the canary config)`;
}
function gateBlocks(versionId, gate) {
  if (gate.testedVersionId !== versionId) {
    return `not promoted: the tests ran against ${gate.testedVersionId ?? "the main version"}, not ${versionId}`;
  }
  if (!gate.complete) return "not promoted: the run did not finish, so the gate is unknown";
  if (!gate.passed) return "not promoted: a gate failed";
  if (gate.gating === 0) return "not promoted: no test that gates ran";
  return void 0;
}
function canaryRoles(versionId, canary) {
  return (canary?.rules ?? []).flatMap((rule, i) => {
    const slot = rule.serve.rollout?.find((s) => s.version_id === versionId);
    const pinned = rule.serve.version_id === versionId;
    if (!slot && !pinned) return [];
    if (isCatchAll(rule)) return [slot ? `canary ${slot.weight}%` : "canary (every other call)"];
    return [slot ? `canary ${slot.weight}% of rule ${i + 1}` : `canary rule ${i + 1}`];
  });
}
function versionRows(versions, mainVersionId, canary) {
  const created = (v) => v.version_created_at ?? v.created_at;
  return [...versions].sort((a, b) => Date.parse(created(b)) - Date.parse(created(a))).map((v) => {
    const id = v.version_id ?? v.id;
    const roles = [...id === mainVersionId ? ["main"] : [], ...canaryRoles(id, canary)];
    return { id, name: v.version_name ?? v.name, created: created(v), status: roles.join(", ") };
  });
}
function renderTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells) => cells.map((c, i) => i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return `${[line(header), ...rows.map(line)].join("\n")}
`;
}

// src/commands/versions.ts
var versionIdOf = (v) => v.version_id ?? v.id;
async function readAssistant(api, assistantId, call = {}) {
  if (!assistantId.trim()) throw new UsageError("--assistant needs an assistant id");
  let versions;
  try {
    versions = await api.listVersions(assistantId, call);
  } catch (err) {
    if (isNotFound(err)) {
      throw new UsageError(`--assistant ${assistantId}: no such assistant (404)`);
    }
    throw err;
  }
  const main = api.getAssistant ? (await api.getAssistant(assistantId, call)).version_id : void 0;
  const canary = await api.getCanary(assistantId, call);
  return {
    assistantId,
    versions,
    ...main !== void 0 && versions.some((v) => versionIdOf(v) === main) ? { mainVersionId: main } : {},
    ...canary ? { canary } : {}
  };
}
function renderVersions(snap) {
  const rows = versionRows(snap.versions, snap.mainVersionId, snap.canary).map(
    (r) => [r.id, r.name, r.created, r.status].map(plainText)
  );
  const n = snap.versions.length;
  const lines = [
    `Assistant ${plainText(snap.assistantId)}: ${n} version${n === 1 ? "" : "s"}, newest first`,
    "",
    renderTable(["VERSION ID", "NAME", "CREATED", "STATUS"], rows).trimEnd()
  ];
  if (snap.mainVersionId === void 0 && n > 0) {
    lines.push("", "main: unknown (the versions list does not say which version is main)");
  }
  if (snap.canary) {
    const k = snap.canary.rules.length;
    lines.push(
      "",
      `canary config: ${k} rule${k === 1 ? "" : "s"}, updated ${plainText(snap.canary.updated_at)}; the rest of the traffic goes to main`
    );
  }
  return `${lines.join("\n")}
`;
}
async function versionsCommand(opts, io, deps = {}) {
  let apiKey = opts.apiKey;
  let owned;
  try {
    if (opts.assistant === void 0) throw new UsageError("versions needs --assistant <id>");
    let api = deps.client;
    if (!api) {
      const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
      apiKey = config.apiKey;
      owned = new TelnyxClient({ ...config, ...deps.signal ? { signal: deps.signal } : {} });
      api = owned;
    }
    const snap = await readAssistant(api, opts.assistant, deps.signal ? { signal: deps.signal } : {});
    io.stdout(opts.json === true ? `${JSON.stringify(snap, null, 2)}
` : renderVersions(snap));
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    await owned?.close();
  }
}

export {
  parseCanaryWeight,
  decideAction,
  describeAction,
  actionSentence,
  gateBlocks,
  versionIdOf,
  readAssistant,
  renderVersions,
  versionsCommand
};
