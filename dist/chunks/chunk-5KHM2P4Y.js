import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  toApiBody
} from "./chunk-WAXOGSXT.js";
import {
  UsageError
} from "./chunk-5CZ452EX.js";

// src/run/select.ts
import { createHash } from "node:crypto";
var OTHER_SHARD = "runs in another shard";
var testKey = (suite, name) => `${suite}/${name}`;
function parseShard(text) {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || total < 1 || index < 1 || index > total) {
    throw new UsageError(`--shard "${text}" must be I/N with 1 <= I <= N, e.g. --shard 2/3`);
  }
  return { index, total };
}
function compileGrep(source) {
  try {
    return new RegExp(source);
  } catch (err) {
    const why = (err instanceof Error ? err.message : String(err)).replace(
      /^Invalid regular expression: \/[\s\S]*\/[a-z]*: /,
      ""
    );
    throw new UsageError(`--grep "${source}" is not a valid regular expression: ${why}`);
  }
}
function effectiveTrials(test, override) {
  if (override === void 0 || override === test.trials)
    return { trials: test.trials, minPasses: test.minPasses };
  const minPasses = Math.min(override, Math.max(1, Math.ceil(test.minPasses * override / test.trials)));
  return { trials: override, minPasses };
}
var hashOf = (key) => createHash("sha256").update(key).digest("hex");
function shardKeys(keys, shard) {
  const sorted = [...new Set(keys)].map((k) => ({ k, h: hashOf(k) })).sort((a, b) => a.h < b.h ? -1 : a.h > b.h ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
  return new Set(sorted.filter((_, i) => i % shard.total === shard.index - 1).map((x) => x.k));
}
function selectTests(suites, opts = {}) {
  const tags = opts.tags ?? [];
  const out = [];
  for (const suite of suites) {
    for (const test of suite.tests) {
      const key = testKey(suite.name, test.name);
      const { trials, minPasses } = effectiveTrials(test, opts.trials);
      const item = { suite, test, key, selected: true, trials, minPasses };
      if (opts.grep && !matches(opts.grep, key)) {
        item.selected = false;
        item.skipReason = `does not match --grep ${opts.grep}`;
      } else if (tags.length > 0 && !tags.some((t) => test.tags.includes(t))) {
        item.selected = false;
        item.skipReason = `has none of the tags ${tags.map((t) => `"${t}"`).join(", ")} (--tag)`;
      }
      out.push(item);
    }
  }
  const { shard } = opts;
  if (shard && shard.total > 1) {
    const candidates = out.filter((s) => s.selected);
    const mine = shardKeys(
      candidates.map((s) => s.key),
      shard
    );
    for (const s of candidates) {
      if (!mine.has(s.key)) {
        s.selected = false;
        s.inOtherShard = true;
        s.skipReason = `${OTHER_SHARD} (this is --shard ${shard.index}/${shard.total})`;
      }
    }
  }
  return out;
}
function matches(re, key) {
  re.lastIndex = 0;
  return re.test(key);
}
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
function remoteFingerprint(suites) {
  const defs = [...suites].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0).map((s) => ({
    suite: s.name,
    tests: s.tests.map(toApiBody).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  }));
  return `sha256:${createHash("sha256").update(canonical(defs)).digest("hex")}`;
}
function definitionsFingerprint(suites) {
  const known = suitesPrints.get(suites);
  if (known !== void 0) return known;
  const byName = (xs) => [...xs].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const defs = byName(suites).map((s) => ({
    name: s.name,
    gate: s.gate,
    tests: byName(s.tests).map(({ loc: _loc, ...t }) => t)
  }));
  const print = `sha256:${createHash("sha256").update(canonical(defs)).digest("hex")}`;
  suitesPrints.set(suites, print);
  return print;
}
var suitesPrints = /* @__PURE__ */ new WeakMap();
var testPrints = /* @__PURE__ */ new WeakMap();
function fingerprintsBefore(suites, perTest) {
  definitionsFingerprint(suites);
  if (perTest) for (const s of suites) for (const t of s.tests) testFingerprint(t);
}
function testFingerprint(test) {
  const known = testPrints.get(test);
  if (known !== void 0) return known;
  const { name: _name, test_suite: _suite, ...body } = toApiBody(test);
  const def = { ...body, trials: test.trials, minPasses: test.minPasses };
  const print = `sha256:${createHash("sha256").update(canonical(def)).digest("hex")}`;
  testPrints.set(test, print);
  return print;
}
function describeFilters(f) {
  return [
    f.grep === void 0 ? "" : `--grep ${f.grep}`,
    ...(f.tags ?? []).map((t) => `--tag ${t}`),
    f.trials === void 0 ? "" : `--trials ${f.trials}`
  ].filter(Boolean).join(" ");
}
function shardInfo(suites, selection, f) {
  if (!f.shard || f.shard.total <= 1) return void 0;
  return {
    index: f.shard.index,
    total: f.shard.total,
    fingerprint: definitionsFingerprint(suites),
    filters: describeFilters(f),
    candidates: selection.filter((s) => s.selected || s.inOtherShard).length
  };
}
var ALLOW_EMPTY = "Pass --pass-with-no-tests (in the Action: pass-with-no-tests: true) to allow an empty selection.";
function assertSelection(suites, selection, f) {
  if (f.passWithNoTests) return;
  if (selection.some((s) => s.selected || s.inOtherShard)) return;
  const filters = describeFilters(f);
  const tags = [...new Set(suites.flatMap((s) => s.tests.flatMap((t) => t.tags)))].sort();
  const total = suites.reduce((n, s) => n + s.tests.length, 0);
  const list = (xs, max = 20) => xs.length <= max ? xs.join(", ") : `${xs.slice(0, max).join(", ")} ... and ${xs.length - max} more`;
  const lines = [
    total === 0 ? "no test to run: the suite files declare no tests." : `${filters || "the selection"} selects none of the ${total} test${total === 1 ? "" : "s"}. Nothing was sent.`,
    `  suites: ${list(suites.map((s) => `${s.name} (${s.tests.length} test${s.tests.length === 1 ? "" : "s"})`)) || "(none)"}`,
    `  tags: ${tags.length > 0 ? list(tags) : "(no test has a tag)"}`
  ];
  if (f.grep !== void 0) {
    const example = suites.flatMap((s) => s.tests.map((t) => testKey(s.name, t.name)))[0];
    if (example) lines.push(`  --grep matches "suite/test name", e.g. "${example}"`);
  }
  lines.push(f.promotion !== true ? ALLOW_EMPTY : "A promotion needs a test that runs: change the filters.");
  throw new UsageError(lines.join("\n"));
}
var ASSISTANT_ID = /^assistant-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function versionTargetProblem(selection, versionId, assistantId) {
  const named = /* @__PURE__ */ new Map();
  for (const s of selection) {
    if (!(s.selected || s.inOtherShard) || !ASSISTANT_ID.test(s.test.destination)) continue;
    const dest = s.test.destination.toLowerCase();
    const tests = named.get(dest) ?? [];
    tests.push(s.key);
    named.set(dest, tests);
  }
  const own = assistantId?.toLowerCase();
  const others = [...named].filter(([dest]) => own !== void 0 && dest !== own);
  const list = (xs) => xs.slice(0, 3).map(
    ([dest, tests]) => `${dest} (${tests.slice(0, 3).join(", ")}${tests.length > 3 ? `, +${tests.length - 3}` : ""})`
  ).join("; ");
  if (others.length > 0) {
    return `version ${versionId} is a version of assistant ${assistantId}, but selected tests talk to another assistant: ${list(others)}. Select only this assistant's tests (--grep, --tag) or fix their destination`;
  }
  if (assistantId === void 0 && named.size > 1) {
    return `version ${versionId} belongs to one assistant, but the selected tests talk to ${named.size}: ${list([...named])}. Select one assistant's tests (--grep, --tag)`;
  }
  return void 0;
}

export {
  OTHER_SHARD,
  parseShard,
  compileGrep,
  selectTests,
  canonical,
  remoteFingerprint,
  definitionsFingerprint,
  fingerprintsBefore,
  testFingerprint,
  describeFilters,
  shardInfo,
  ALLOW_EMPTY,
  assertSelection,
  versionTargetProblem
};
