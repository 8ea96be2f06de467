import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  OUTCOME_ORDER,
  VERDICT_TITLE,
  formatCounts,
  formatCriteria,
  formatDuration,
  formatTrials,
  promotionFailedNote,
  shownVerdict,
  wallTimeMs
} from "./chunk-WCICWPAT.js";
import {
  isInProgress
} from "./chunk-IJNY3YTN.js";
import {
  cleanLine,
  cleanText
} from "./chunk-LN4465GO.js";

// reporters/index.ts
import { join } from "node:path";

// src/files.ts
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

// src/json-chunks.ts
var omitted = (v) => v === void 0 || typeof v === "function" || typeof v === "symbol";
function* jsonChunks(value, space = 0, depth = 3, fieldDepths = {}) {
  yield leaf(value, space, depth, "") ?? "";
  if (expands(value, depth)) yield* chunks(value, space, depth, "", fieldDepths);
}
function expands(value, depth) {
  if (depth <= 0 || value === null || typeof value !== "object") return false;
  if (typeof value.toJSON === "function") return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
function leaf(value, space, depth, indent) {
  if (expands(value, depth)) return void 0;
  const text = JSON.stringify(value, null, space) ?? "null";
  return space > 0 && indent !== "" ? text.replaceAll("\n", `
${indent}`) : text;
}
function* chunks(value, space, depth, indent, fieldDepths = {}) {
  const inner = space > 0 ? `${indent}  ` : "";
  const open = space > 0 ? `
${inner}` : "";
  const close = space > 0 ? `
${indent}` : "";
  const sep = space > 0 ? `,
${inner}` : ",";
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield "[]";
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const raw = value[i];
      const item = omitted(raw) ? null : raw;
      const head = i === 0 ? `[${open}` : sep;
      const text = leaf(item, space, depth - 1, inner);
      if (text !== void 0) yield head + text;
      else {
        yield head;
        yield* chunks(item, space, depth - 1, inner);
      }
    }
    yield `${close}]`;
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (omitted(v)) continue;
    const head = `${first ? `{${open}` : sep}${JSON.stringify(k)}:${space > 0 ? " " : ""}`;
    first = false;
    const d = Object.hasOwn(fieldDepths, k) ? fieldDepths[k] : depth - 1;
    const text = leaf(v, space, d, inner);
    if (text !== void 0) yield head + text;
    else {
      yield head;
      yield* chunks(v, space, d, inner);
    }
  }
  yield first ? "{}" : `${close}}`;
}
function* batched(pieces, size = 1 << 15) {
  let parts = [];
  let length = 0;
  for (const p of pieces) {
    parts.push(p);
    length += p.length;
    if (length >= size) {
      yield parts.join("");
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join("");
}

// src/files.ts
function writeFileAtomic(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "w");
    try {
      for (const batch of typeof text === "string" ? [text] : batched(text)) writeAll(fd, batch);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
function writeAll(fd, text) {
  const bytes2 = Buffer.from(text, "utf8");
  for (let at = 0; at < bytes2.length; ) {
    const n = writeSync(fd, bytes2, at, bytes2.length - at);
    if (n <= 0) throw new Error(`could not write: ${n} bytes accepted`);
    at += n;
  }
}
var JSON_FILE_LIMIT = 128 * 1024 * 1024;
function readCapped(path, limit) {
  const fd = openSync(path, "r");
  try {
    const pieces = [];
    let total = 0;
    for (; ; ) {
      const piece = Buffer.allocUnsafe(Math.min(1024 * 1024, limit + 1 - total));
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n === 0) break;
      pieces.push(n === piece.length ? piece : piece.subarray(0, n));
      total += n;
      if (total > limit) return void 0;
    }
    return Buffer.concat(pieces, total).toString("utf8");
  } finally {
    closeSync(fd);
  }
}
var mib = (bytes2) => `${Math.round(bytes2 / 1024 / 1024)} MiB`;

// reporters/html.ts
import { createHash } from "node:crypto";

// src/sequential.ts
function decidedVerdict(minPasses, t) {
  const { passes: p, errors: e, open } = t;
  if (p >= minPasses) return "passed";
  if (p + e + open < minPasses) return "failed";
  if (p + open < minPasses && p + e >= minPasses) return "error";
  return void 0;
}
function resultsNeeded(minPasses, t) {
  if (decidedVerdict(minPasses, t) !== void 0) return 0;
  const { passes: p, errors: e, open } = t;
  const ways = [
    minPasses - p,
    // all pass
    p + e + open - minPasses + 1,
    // all fail: passes + errors + the rest drop below min_passes
    Math.max(minPasses - p - e, p + open - minPasses + 1)
    // all error
  ].filter((k) => k >= 1 && k <= open);
  return Math.min(open, ...ways);
}
function trialsToKeepOpen(minPasses, t) {
  const needed = resultsNeeded(minPasses, t);
  if (needed === 0) return 0;
  const started = t.passes + t.failures + t.errors > 0;
  return started ? needed : Math.max(needed, Math.min(minPasses, t.open));
}
var trialBounds = (trials, minPasses) => ({
  best: Math.min(minPasses, trials),
  worst: trials
});

// src/outcome.ts
function attemptDurationMs(a) {
  if (a.durationMs !== void 0) return a.durationMs;
  if (a.triggeredAt && a.completedAt) {
    const ms = Date.parse(a.completedAt) - Date.parse(a.triggeredAt);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  return 0;
}
function attemptVerdict(a, rubric) {
  if (a.undocumented !== void 0) return { status: "error", errorKind: "undocumented" };
  if (isInProgress(a.status)) return { status: "error", errorKind: "pending" };
  if (a.status === "timeout" || a.status === "not_started" || a.status === "error") {
    return { status: "error", errorKind: a.status };
  }
  if (a.criteria.length === 0) return { status: "error", errorKind: "no_criteria" };
  if (a.status === "failed") return { status: "failed" };
  const judged = new Set(
    a.criteria.filter((c) => c.status === "passed" || c.status === "failed").map((c) => c.name)
  );
  if (rubric.some((c) => !judged.has(c.name))) return { status: "error", errorKind: "no_criteria" };
  const failedRequired = (name) => rubric.some((c) => c.required && c.name === name);
  if (a.criteria.some((c) => c.status === "failed" && failedRequired(c.name))) return { status: "failed" };
  return { status: "passed" };
}
function trialOutcome(trial, attempts, rubric) {
  const mine = attempts.filter((a) => a.trial === trial).sort((a, b) => a.retry - b.retry);
  const last = mine.at(-1);
  if (!last) {
    return {
      trial,
      attempts: mine.length,
      pending: false,
      failedCriteria: [],
      status: "error",
      errorKind: "missing"
    };
  }
  const verdict = attemptVerdict(last, rubric);
  const required = rubric.filter((c) => c.required).map((c) => c.name);
  const judged = new Set(
    last.criteria.filter((c) => c.status === "passed" || c.status === "failed").map((c) => c.name)
  );
  const failedCriteria = [
    ...last.criteria.filter((c) => c.status === "failed").map((c) => c.name),
    ...verdict.status === "failed" ? required.filter((name) => !judged.has(name)) : []
  ];
  return {
    trial,
    attempts: mine.length,
    last,
    failedCriteria,
    status: verdict.status,
    pending: verdict.errorKind === "pending",
    ...verdict.errorKind === void 0 ? {} : { errorKind: verdict.errorKind }
  };
}
var ERROR_PRIORITY = [
  "pending",
  "timeout",
  "error",
  "no_criteria",
  "undocumented",
  "not_started",
  "missing"
];
function testOutcome(test) {
  const durationMs = test.attempts.reduce((sum, a) => sum + attemptDurationMs(a), 0);
  if (test.skipped) {
    return {
      trials: test.trials,
      minPasses: test.minPasses,
      durationMs,
      outcome: "skipped",
      pending: false,
      passes: 0,
      failures: 0,
      errors: 0,
      failedCriteria: [],
      trialOutcomes: []
    };
  }
  let trialOutcomes = Array.from(
    { length: test.trials },
    (_, i) => trialOutcome(i + 1, test.attempts, test.criteria)
  );
  let notNeeded = 0;
  if (test.sequential === true) {
    const ran = trialOutcomes.filter((t) => t.attempts > 0);
    const tally = {
      passes: ran.filter((t) => t.status === "passed").length,
      failures: ran.filter((t) => t.status === "failed").length,
      errors: ran.filter((t) => t.status === "error").length,
      open: trialOutcomes.length - ran.length
    };
    if (tally.open > 0 && decidedVerdict(test.minPasses, tally) !== void 0) {
      trialOutcomes = ran;
      notNeeded = tally.open;
    }
  }
  const passes = trialOutcomes.filter((t) => t.status === "passed").length;
  const failures = trialOutcomes.filter((t) => t.status === "failed").length;
  const errors = trialOutcomes.length - passes - failures;
  const pending = trialOutcomes.some((t) => t.pending);
  let outcome;
  if (passes >= test.minPasses) {
    const retried = trialOutcomes.some((t) => t.status === "passed" && t.attempts > 1);
    outcome = retried ? "flaky" : "passed";
  } else if (passes + errors + notNeeded < test.minPasses) {
    outcome = "failed";
  } else {
    outcome = "error";
  }
  const required = new Map(test.criteria.map((c) => [c.name, c.required]));
  const counts = /* @__PURE__ */ new Map();
  for (const t of trialOutcomes) {
    if (t.status !== "failed") continue;
    for (const name of t.failedCriteria) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const failedCriteria = [...counts].map(([name, failedTrials]) => ({
    name,
    required: required.get(name) ?? false,
    failedTrials,
    trials: trialOutcomes.length
  }));
  const kinds = new Set(trialOutcomes.flatMap((t) => t.errorKind ? [t.errorKind] : []));
  const errorKind = outcome === "error" ? ERROR_PRIORITY.find((k) => kinds.has(k)) : void 0;
  return {
    trials: test.trials,
    minPasses: test.minPasses,
    durationMs,
    outcome,
    pending,
    passes,
    failures,
    errors,
    failedCriteria,
    trialOutcomes,
    ...errorKind ? { errorKind } : {},
    ...notNeeded > 0 ? { decidedAfter: trialOutcomes.length } : {}
  };
}
function formatFailedCriterion(c) {
  return c.trials > 1 ? `${c.name} (${c.failedTrials}/${c.trials})` : c.name;
}
var isPass = (o) => o === "passed" || o === "flaky";

// src/gate.ts
function gateState(g) {
  if (!g.ok) return "failed";
  return g.unfinished > 0 || g.rules.some((r) => r.undecided) ? "undecided" : "passed";
}
var roundBelow = (x, digits, ceiling) => {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return x < ceiling && r >= ceiling ? (Math.round(ceiling * f) - 1) / f : r;
};
var formatPercent = (rate, digits = 1) => `${roundBelow(rate * 100, digits, 100).toFixed(digits)}%`;
var meetsRate = (n, of, rate) => of === 0 ? true : n / of >= rate;
var formatThreshold = (rate) => `${Number((rate * 100).toFixed(4))}%`;
function wilson(successes, n, z = 1.96) {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}
function tightenOverrides(...all) {
  const out = {};
  for (const o of all) {
    if (o?.minPassRate !== void 0) out.minPassRate = Math.max(out.minPassRate ?? 0, o.minPassRate);
    if (o?.maxErrors !== void 0)
      out.maxErrors = Math.min(out.maxErrors ?? Number.POSITIVE_INFINITY, o.maxErrors);
    if (o?.failOnRegression !== void 0)
      out.failOnRegression = Boolean(out.failOnRegression) || o.failOnRegression;
  }
  return Object.keys(out).length > 0 ? out : void 0;
}
function effectiveGate(suite, configured, overrides) {
  const effective = { ...configured };
  const warnings = [];
  const loosen = (flag, asked, kept) => warnings.push(
    `${suite}: ${flag} ${asked} would loosen the suite gate (${kept}); ignored. Loosen a gate by editing the suite file.`
  );
  if (overrides?.minPassRate !== void 0) {
    if (overrides.minPassRate >= configured.minPassRate) effective.minPassRate = overrides.minPassRate;
    else
      loosen(
        "--min-pass-rate",
        formatThreshold(overrides.minPassRate),
        `min_pass_rate ${formatThreshold(configured.minPassRate)}`
      );
  }
  if (overrides?.maxErrors !== void 0) {
    if (overrides.maxErrors <= configured.maxErrors) effective.maxErrors = overrides.maxErrors;
    else loosen("--max-errors", String(overrides.maxErrors), `max_errors ${configured.maxErrors}`);
  }
  if (overrides?.failOnRegression !== void 0) {
    if (overrides.failOnRegression) effective.failOnRegression = true;
    else if (configured.failOnRegression) loosen("--fail-on-regression", "false", "fail_on_regression true");
  }
  return { effective, warnings };
}
var NO_VERDICT = /* @__PURE__ */ new Set([
  "pending",
  "not_started",
  "missing",
  "no_criteria",
  "undocumented"
]);
var hasNoVerdict = (o) => o.outcome === "error" && o.trialOutcomes.some((t) => t.errorKind !== void 0 && NO_VERDICT.has(t.errorKind));
function evaluateSuiteGate(input, overrides) {
  const { name: suite } = input;
  const { effective, warnings } = effectiveGate(suite, input.gate, overrides);
  const ran = input.tests.filter((t) => t.outcome.outcome !== "skipped");
  const unfinished = ran.filter((t) => hasNoVerdict(t.outcome)).length;
  const passing = ran.filter((t) => isPass(t.outcome.outcome)).length;
  const errors = ran.filter((t) => t.outcome.outcome === "error" && !hasNoVerdict(t.outcome)).length;
  const rules = [];
  const considered = ran.length;
  const passRate = considered === 0 ? null : passing / considered;
  const required = formatThreshold(effective.minPassRate);
  const meets = (n) => meetsRate(n, considered, effective.minPassRate);
  if (considered === 0) {
    rules.push({
      rule: "min_pass_rate",
      ok: true,
      message: `${suite}: no test to gate (every test skipped or quarantined)`
    });
  } else if (unfinished === 0) {
    const ok = meets(passing);
    const rate = `pass rate ${passing}/${considered} = ${formatPercent(passing / considered)}`;
    rules.push({
      rule: "min_pass_rate",
      ok,
      message: `${suite}: ${rate} ${ok ? ">=" : "<"} ${required} required`
    });
  } else if (!meets(passing + unfinished)) {
    rules.push({
      rule: "min_pass_rate",
      ok: false,
      message: `${suite}: pass rate cannot reach ${required} even if the ${unfinished} test${unfinished === 1 ? "" : "s"} without a verdict pass: ${passing} of ${considered} passed`
    });
  } else {
    rules.push({
      rule: "min_pass_rate",
      ok: true,
      undecided: true,
      message: `${suite}: pass rate not decided: ${passing} of ${considered} passed, ${unfinished} without a verdict (${required} required)`
    });
  }
  const errorsOk = errors <= effective.maxErrors;
  rules.push({
    rule: "max_errors",
    ok: errorsOk,
    message: `${suite}: ${errors} error${errors === 1 ? "" : "s"} ${errorsOk ? "<=" : ">"} ${effective.maxErrors} allowed (max_errors)`
  });
  for (const t of ran) {
    if (t.outcome.outcome !== "failed") continue;
    for (const c of t.outcome.failedCriteria) {
      if (!c.required) continue;
      const counts = c.trials > 1 ? ` in ${c.failedTrials}/${c.trials} trials` : "";
      rules.push({
        rule: "required_criterion",
        ok: false,
        test: t.name,
        message: `${suite} \u203A ${t.name}: required criterion ${c.name} failed${counts}`
      });
    }
  }
  if (effective.failOnRegression) {
    if (input.regressions === void 0) {
      warnings.push(`${suite}: fail_on_regression is set but no baseline was given; regressions not checked`);
    } else if (input.regressions.length === 0) {
      const open = input.maybeRegressed?.length ?? 0;
      rules.push(
        open === 0 ? { rule: "no_regression", ok: true, message: `${suite}: no regression against the baseline` } : {
          rule: "no_regression",
          ok: true,
          undecided: true,
          message: `${suite}: regressions not decided: ${open} test${open === 1 ? "" : "s"} that do${open === 1 ? "es" : ""} not pass now ha${open === 1 ? "s" : "ve"} no baseline verdict`
        }
      );
    } else {
      for (const test of input.regressions) {
        rules.push({
          rule: "no_regression",
          ok: false,
          test,
          message: `${suite} \u203A ${test}: regression (passed in the baseline, fails now)`
        });
      }
    }
  }
  const gate = {
    suite,
    configured: { ...input.gate },
    effective,
    ok: rules.every((r) => r.ok),
    passRate,
    passing,
    considered,
    errors,
    unfinished,
    rules,
    reasons: rules.filter((r) => !r.ok).map((r) => r.message),
    warnings
  };
  const trialPassRate = trialRate(ran.map((t) => t.outcome));
  if (trialPassRate) gate.trialPassRate = trialPassRate;
  return gate;
}
function trialRate(outcomes) {
  if (!outcomes.some((o) => o.trials > 1)) return void 0;
  const passed = outcomes.reduce((n, o) => n + o.passes, 0);
  const total = outcomes.reduce((n, o) => n + o.passes + o.failures, 0);
  if (total === 0) return void 0;
  return { passed, total, rate: passed / total, interval: wilson(passed, total) };
}
function formatTrialRate(t) {
  return `trial pass rate ${t.passed}/${t.total} = ${formatPercent(t.rate)} (95% CI ${formatPercent(t.interval.low)}\u2013${formatPercent(t.interval.high)})`;
}

// src/keys.ts
var tupleKey = (...parts) => JSON.stringify(parts);
var pairKey = (suite, name) => tupleKey(suite, name);

// src/baseline.ts
function criterionStates(test, outcome) {
  const tally = /* @__PURE__ */ new Map();
  for (const t of outcome.trialOutcomes) {
    if (t.status === "error" || !t.last) continue;
    for (const c of t.last.criteria) {
      const n = tally.get(c.name) ?? { passed: 0, failed: 0 };
      if (c.status === "passed") n.passed++;
      else if (c.status === "failed") n.failed++;
      tally.set(c.name, n);
    }
  }
  const states = /* @__PURE__ */ new Map();
  for (const [name, n] of tally) {
    if (n.failed > test.trials - test.minPasses) states.set(name, "failed");
    else if (n.passed >= test.minPasses) states.set(name, "passed");
  }
  return states;
}
var changeOf = (before, after) => {
  if (before === void 0) return "new";
  if (before && !after) return "regression";
  if (!before && after) return "fixed";
  return "unchanged";
};
function baselineSnapshot(baseline, source) {
  const tests = [];
  for (const s of baseline.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const o = testOutcome(t);
      if (o.outcome === "skipped") continue;
      tests.push({
        suite: s.name,
        test: t.name,
        outcome: o.outcome,
        criteria: Object.fromEntries(criterionStates(t, o))
      });
    }
  }
  return { ...source === void 0 ? {} : { source }, tests };
}
var RANK = { passed: 0, flaky: 1, error: 2, failed: 3 };
function combineBaselines(...all) {
  const given = all.filter((b) => b !== void 0);
  if (given.length === 0) return void 0;
  if (given.length === 1) return given[0];
  const byKey = /* @__PURE__ */ new Map();
  for (const b of given) {
    for (const t of b.tests) {
      const k = pairKey(t.suite, t.test);
      const seen = byKey.get(k);
      if (!seen) {
        byKey.set(k, { ...t, criteria: { ...t.criteria } });
        continue;
      }
      if (RANK[t.outcome] < RANK[seen.outcome]) seen.outcome = t.outcome;
      for (const [name, state] of Object.entries(t.criteria)) {
        if (seen.criteria[name] !== "passed") seen.criteria[name] = state;
      }
    }
  }
  const sources = [...new Set(given.flatMap((b) => b.source === void 0 ? [] : [b.source]))];
  return { ...sources.length > 0 ? { source: sources.join(", ") } : {}, tests: [...byKey.values()] };
}
var asSnapshot = (b) => "schema" in b ? baselineSnapshot(b) : b;
function compareWithBaseline(current, baseline) {
  const before = new Map(asSnapshot(baseline).tests.map((t) => [pairKey(t.suite, t.test), t]));
  const tests = [];
  const criterionRegressions = [];
  for (const s of current.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const now = testOutcome(t);
      const then = before.get(pairKey(s.name, t.name)) ?? (t.renamedFrom ?? []).map((n) => before.get(pairKey(s.name, n))).find((x) => x !== void 0);
      tests.push({
        suite: s.name,
        test: t.name,
        change: testChange(then?.outcome, now.outcome),
        ...then ? { before: then.outcome } : {},
        after: now.outcome,
        criteria: criteriaChanges(then && new Map(Object.entries(then.criteria)), criterionStates(t, now))
      });
      for (const c of tests.at(-1)?.criteria ?? []) {
        if (c.change === "regression")
          criterionRegressions.push({ suite: s.name, test: t.name, criterion: c.name });
      }
    }
  }
  return {
    tests,
    regressions: tests.filter((t) => t.change === "regression"),
    fixed: tests.filter((t) => t.change === "fixed"),
    new: tests.filter((t) => t.change === "new"),
    criterionRegressions
  };
}
function testChange(before, after) {
  if (before === void 0) return "new";
  if (isPass(before) && after === "failed") return "regression";
  if (before === "failed" && isPass(after)) return "fixed";
  return "unchanged";
}
function criteriaChanges(before, after) {
  const out = [];
  for (const [name, state] of after) {
    const was = before?.get(name);
    const change = before === void 0 || was === void 0 ? "new" : changeOf(was === "passed", state === "passed");
    out.push({ name, change, ...was ? { before: was } : {}, after: state });
  }
  return out;
}

// src/compare.ts
var SIGNIFICANCE = 0.05;
var logFactorials = [0];
function logFactorial(n) {
  for (let i = logFactorials.length; i <= n; i++)
    logFactorials[i] = (logFactorials[i - 1] ?? 0) + Math.log(i);
  return logFactorials[n] ?? 0;
}
var logChoose = (n, k) => k < 0 || k > n ? Number.NEGATIVE_INFINITY : logFactorial(n) - logFactorial(k) - logFactorial(n - k);
function fisherOneSided(basePass, baseFail, candPass, candFail) {
  const n = basePass + baseFail;
  const passes = basePass + candPass;
  const total = n + candPass + candFail;
  if (n === 0 || n === total) return 1;
  const denom = logChoose(total, n);
  let p = 0;
  for (let x = basePass; x <= Math.min(n, passes); x++) {
    p += Math.exp(logChoose(passes, x) + logChoose(total - passes, n - x) - denom);
  }
  return Math.min(1, p);
}
var baselineSide = (t) => ({ ...t, attempts: t.againstAttempts ?? [] });
var summary = (o) => ({
  outcome: o.outcome,
  passes: o.passes,
  failures: o.failures,
  errors: o.errors,
  trialsRun: o.decidedAfter ?? o.trialOutcomes.length
});
function againstSnapshot(results) {
  const label = results.against?.label ?? "baseline";
  return baselineSnapshot(
    { ...results, suites: results.suites.map((s) => ({ ...s, tests: s.tests.map(baselineSide) })) },
    `--against ${label}`
  );
}
function compareInRun(results) {
  const against = results.against;
  if (!against) return void 0;
  const raw = compareWithBaseline(results, againstSnapshot(results));
  const byKey = new Map(raw.tests.map((c) => [pairKey(c.suite, c.test), c]));
  const rows = [];
  for (const s of results.suites) {
    for (const t of s.tests) {
      if (t.skipped) continue;
      const c = byKey.get(pairKey(s.name, t.name));
      if (!c) continue;
      const cand = testOutcome(t);
      const base = testOutcome(baselineSide(t));
      const row = {
        suite: s.name,
        test: t.name,
        file: t.file,
        line: t.line,
        trials: t.trials,
        baseline: summary(base),
        candidate: summary(cand),
        change: c.change,
        flipped: c.criteria.filter((x) => x.change === "regression" || x.change === "fixed")
      };
      const judged = base.passes + base.failures > 0 && cand.passes + cand.failures > 0;
      if (t.trials > 1 && judged) {
        row.pValue = fisherOneSided(base.passes, base.failures, cand.passes, cand.failures);
        if (row.change === "regression" && row.pValue > SIGNIFICANCE) {
          row.change = "unchanged";
          row.notSignificant = true;
        }
      }
      c.change = row.change;
      rows.push(row);
    }
  }
  const significant = new Set(
    rows.filter((r) => r.change === "regression").map((r) => pairKey(r.suite, r.test))
  );
  const comparison = {
    ...raw,
    regressions: raw.tests.filter((t) => significant.has(pairKey(t.suite, t.test)))
  };
  return { versionId: against.versionId, label: against.label, significance: SIGNIFICANCE, rows, comparison };
}
function formatSide(s, trials) {
  if (trials <= 1) return s.outcome;
  const of = s.trialsRun < trials ? ` of ${trials}` : "";
  return `${s.outcome} ${s.passes}/${s.passes + s.failures}${of}`;
}
var formatP = (p) => p < 1e-3 ? "p < 0.001" : `p = ${p.toFixed(3)}`;

// reporters/comparison.ts
var ORDER = {
  regression: 0,
  "not significant": 1,
  fixed: 2,
  new: 3,
  unchanged: 4
};
function comparisonCells(ev) {
  const rows = (ev.against?.rows ?? []).map((r) => ({
    suite: r.suite,
    test: r.test,
    outcomes: `${formatSide(r.baseline, r.trials)} \u2192 ${formatSide(r.candidate, r.trials)}`,
    change: r.notSignificant ? "not significant" : r.change,
    flipped: r.flipped.map((c) => `${c.name} ${c.before ?? "?"} \u2192 ${c.after ?? "?"}`).join(", "),
    p: r.pValue === void 0 ? "" : formatP(r.pValue),
    regression: r.change === "regression"
  }));
  return rows.sort((a, b) => (ORDER[a.change] ?? 9) - (ORDER[b.change] ?? 9));
}
function comparisonHeadline(ev) {
  const a = ev.against;
  if (!a) return void 0;
  const count = (c) => a.rows.filter((r) => r.change === c).length;
  const insignificant = a.rows.filter((r) => r.notSignificant).length;
  const who = a.label === a.versionId ? `version ${a.versionId}` : `${a.label} (version ${a.versionId})`;
  const parts = [
    `${count("regression")} regression${count("regression") === 1 ? "" : "s"}`,
    `${count("fixed")} fixed`,
    `${count("unchanged")} unchanged`,
    ...insignificant > 0 ? [`${insignificant} not significant`] : []
  ];
  const trials = a.rows.some((r) => r.trials > 1) ? `; with trials, a regression needs p <= ${a.significance} (one-sided Fisher exact test)` : "";
  return `Against ${who}, in the same run: ${parts.join(", ")}${trials}`;
}
function spentLine(ev) {
  const s = ev.spent;
  if (!s) return void 0;
  const saved = s.runsSaved > 0 ? `; sequential trials saved ${s.runsSaved} run${s.runsSaved === 1 ? "" : "s"}` : "";
  return `${s.runs} run${s.runs === 1 ? "" : "s"}, ${s.callMinutes} call minute${s.callMinutes === 1 ? "" : "s"} spent${saved}`;
}

// reporters/html-assets.ts
var HTML_STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;--card:#f6f8fa;
--pass:#1a7f37;--fail:#cf222e;--err:#9a6700;--flaky:#8250df;--skip:#59636e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9198a1;--line:#3d444d;
--card:#151b23;--pass:#3fb950;--fail:#f85149;--err:#d29922;--flaky:#ab7df8;--skip:#9198a1}}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0 auto;max-width:1200px;padding:16px 24px 48px;background:var(--bg);color:var(--fg);
font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
h1{font-size:24px;margin:8px 0}h2{font-size:18px;margin:24px 0 8px}
code,pre{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;background:var(--card);border:1px solid var(--line);
border-radius:6px;padding:8px;margin:4px 0;max-height:480px;overflow:auto}
.muted{color:var(--mute)}
.verdict{border-left:6px solid;padding:4px 16px;margin:8px 0 16px;background:var(--card);border-radius:6px}
.v-passed{border-color:var(--pass)}.v-failed{border-color:var(--fail)}.v-incomplete{border-color:var(--err)}
ul.gate{padding-left:20px;margin:4px 0}
.ok{color:var(--pass)}.bad{color:var(--fail)}.warn{color:var(--err)}
.slot:empty{display:none}
.controls{position:sticky;top:0;z-index:1;display:flex;gap:16px;align-items:center;flex-wrap:wrap;
padding:8px 0;background:var(--bg);border-bottom:1px solid var(--line)}
.controls input[type=search]{min-width:280px;padding:4px 8px;font:inherit;color:inherit;
background:var(--card);border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;margin:6px 0}
th,td{border:1px solid var(--line);padding:2px 8px;text-align:left;vertical-align:top}
th{background:var(--card);font-weight:600}
td.c{text-align:center}
.suite>h2 .meta{font-size:13px;font-weight:400}
details.t{border:1px solid var(--line);border-radius:6px;margin:4px 0;background:var(--bg)}
details.t>summary{cursor:pointer;padding:4px 8px;list-style-position:inside}
details.t[open]>summary{border-bottom:1px solid var(--line);background:var(--card)}
details.t>div{padding:6px 12px}
.o{display:inline-block;min-width:64px;font-weight:600}
.o-passed{color:var(--pass)}.o-failed{color:var(--fail)}.o-error{color:var(--err)}
.o-flaky{color:var(--flaky)}.o-skipped{color:var(--skip)}
.why{color:var(--mute)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 6px;font-size:12px}
.reg{color:var(--fail);border-color:var(--fail)}
`;
var HTML_SCRIPT = `
(function(){
var controls=document.getElementById('controls');
var failures=document.getElementById('only-failures');
var search=document.getElementById('search');
var shown=document.getElementById('shown');
var tests=[].slice.call(document.querySelectorAll('details.t'));
var suites=[].slice.call(document.querySelectorAll('section.suite'));
var keys=tests.map(function(t){return (t.closest('section.suite').dataset.name+' \\u203a '+t.querySelector('.n').textContent).toLowerCase();});
function apply(){
  var q=search.value.trim().toLowerCase(),only=failures.checked,n=0;
  tests.forEach(function(t,i){
    var show=(!only||t.classList.contains('f'))&&(!q||keys[i].indexOf(q)!==-1);
    t.hidden=!show;if(show)n++;
  });
  suites.forEach(function(s){s.hidden=!s.querySelector('details.t:not([hidden])');});
  shown.textContent=n+' of '+tests.length+' tests shown';
}
failures.addEventListener('change',apply);
search.addEventListener('input',apply);
controls.hidden=false;
apply();
})();
`;

// reporters/memory.ts
function stripEmoji(strip) {
  return [...strip].map((c) => c === "P" ? "\u2705" : c === "F" ? "\u274C" : "\u26A0\uFE0F").join("");
}
function historyNote(h) {
  return `${stripEmoji(h.strip)} (${h.flips} flip${h.flips === 1 ? "" : "s"})`;
}
function quarantineNote(q, releaseAfter) {
  const release = q.ready && releaseAfter !== void 0 ? ` \xB7 passed its last ${releaseAfter} runs: ready to release (remove quarantine)` : "";
  return `${q.reason}${release}`;
}
function suiteHistoryLine(s) {
  const rate = s.rate === null ? "-" : `${s.passing}/${s.total} = ${formatPercent(s.rate)}`;
  return `${s.suite} ${rate} over the last ${s.runs} run${s.runs === 1 ? "" : "s"}`;
}

// reporters/markdown.ts
var STEP_SUMMARY_LIMIT = 1024 * 1024;
var LOGGED_OUTCOMES = /* @__PURE__ */ new Set(["failed", "error", "flaky"]);
var HTML_ESCAPES = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;"
};
function escapeHtml(text) {
  return entities(cleanText(text));
}
var escapeHtmlLine = (text) => entities(cleanLine(text));
var HTML_SPECIAL = /[&<>"']/;
var entities = (clean2) => HTML_SPECIAL.test(clean2) ? clean2.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c) : clean2;
function escapeMarkdown(text) {
  return unlinkReferences(escapeHtml(cleanLine(text).replace(/[\\`*_{}[\]()#+\-.!|~:]/g, "\\$&")));
}
function unlinkReferences(escaped) {
  return escaped.replace(/@(?=[A-Za-z0-9])/g, "@&#8203;").replace(/(?<!&)#(?=\d)/g, "#&#8203;").replace(/(?<![A-Za-z0-9])(gh\\?-)(?=\d)/gi, "$1&#8203;");
}
var OUTCOME_ICON = {
  passed: "\u2705",
  failed: "\u274C",
  error: "\u26A0\uFE0F",
  flaky: "\u{1F501}",
  skipped: "\u23ED\uFE0F"
};
var VERDICT_ICON = { passed: "\u2705", failed: "\u274C", incomplete: "\u26A0\uFE0F" };
var GATE_ICON = { passed: "\u2705", failed: "\u274C", undecided: "\u23F3" };
var table = (header2, rows) => [
  `| ${header2.join(" | ")} |`,
  `|${header2.map(() => "---").join("|")}|`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
  ""
  // GFM continues a table into the next non-blank line
];
function capped(items, max) {
  const shown = items.slice(0, Math.max(0, max));
  return { shown, more: items.length - shown.length };
}
var more = (n, what) => n > 0 ? [`_\u2026 and ${n} more ${what} not listed._`] : [];
var ref = (suite, test) => `${escapeMarkdown(suite)} \u203A ${escapeMarkdown(test)}`;
function outcomeCell(t) {
  let text = `${OUTCOME_ICON[t.outcome]} ${t.outcome}`;
  if (t.outcome === "error" && t.errorKind && t.errorKind !== "error") {
    text += ` (${t.errorKind === "pending" ? "still running" : t.errorKind.replace("_", " ")})`;
  }
  if (t.change === "regression") text += " \xB7 **regression**";
  else if (t.change === "fixed") text += " \xB7 fixed";
  else if (t.change === "new") text += " \xB7 new";
  if (t.history?.flaky) text += ` \xB7 flaky by history ${historyNote(t.history)}`;
  if (t.quarantine !== void 0) text += " \xB7 quarantined";
  return text;
}
var truncate = (text, max) => text.length > max ? `${text.slice(0, max)}\u2026` : text;
function detailCell(t) {
  if (t.failedCriteria.length > 0) return escapeMarkdown(formatCriteria(t.failedCriteria));
  if (t.message) return escapeMarkdown(truncate(t.message, 300));
  return "";
}
function suiteSection(s, detail) {
  const g = s.gate;
  const rate = g.passRate === null ? "no test ran" : `pass rate ${g.passing}/${g.considered} = ${formatPercent(g.passRate)} (min ${formatThreshold(g.effective.minPassRate)})`;
  const trial = g.trialPassRate ? ` \xB7 ${formatTrialRate(g.trialPassRate)}` : "";
  const sorted = [...s.tests].sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]);
  const candidates = detail.passingRows ? sorted : sorted.filter((t) => t.outcome === "failed" || t.outcome === "error");
  const { shown, more: hidden } = capped(candidates, detail.maxRows);
  const omittedRows = s.tests.length - shown.length;
  if (shown.length === 0 && !detail.passingRows) return { text: "", omittedRows, skipped: true };
  const lines2 = [
    `### ${GATE_ICON[gateState(g)]} ${escapeMarkdown(s.name)}`,
    "",
    `${formatCounts(s.counts)} \xB7 ${rate}${trial} \xB7 ${formatDuration(s.durationMs)} \xB7 ${escapeMarkdown(s.file)}`,
    ""
  ];
  if (shown.length > 0) {
    lines2.push(
      ...table(
        ["Test", "Outcome", "Failed criteria / reason", "Duration", "Trials"],
        shown.map((t) => [
          escapeMarkdown(t.test),
          outcomeCell(t),
          detailCell(t),
          t.durationMs > 0 ? formatDuration(t.durationMs) : "-",
          formatTrials(t)
        ])
      )
    );
  }
  const notListed = candidates.length < sorted.length ? sorted.length - candidates.length : 0;
  lines2.push(...more(hidden, "tests"));
  if (notListed > 0) lines2.push(`_${notListed} passing, flaky or skipped tests not listed._`);
  lines2.push("");
  return { text: lines2.join("\n"), omittedRows, skipped: false };
}
function memorySections(ev, detail) {
  const out = [];
  const h = ev.history;
  if (h && h.flaky.length > 0) {
    const f = capped(h.flaky, detail.maxRows);
    out.push(
      "### Flaky by history",
      "",
      `The outcome flipped back and forth over the last runs of the same definition (oldest first). It does not change the gate; it says where to look:`,
      "",
      ...f.shown.map(
        (x) => `- ${ref(x.suite, x.test)}: ${stripEmoji(x.strip)} (${x.flips} flips) (${escapeMarkdown(x.file)}:${x.line})`
      ),
      ...more(f.more, "flaky tests"),
      ""
    );
  }
  const q = ev.quarantine;
  if (q) {
    const c = capped(q.tests, detail.maxRows);
    const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
    out.push(
      "### Quarantined",
      "",
      q.gating ? "These tests are quarantined, but --no-quarantine gates on them:" : "These tests ran and are reported, but do not affect any gate (--no-quarantine gates on them):",
      "",
      ...table(
        ["Suite", "Test", "Now", "Recent", "Reason"],
        c.shown.map((x) => {
          const t = byTest.get(pairKey(x.suite, x.test));
          return [
            escapeMarkdown(x.suite),
            escapeMarkdown(x.test),
            `${OUTCOME_ICON[x.outcome]} ${x.outcome}`,
            t?.history ? historyNote(t.history) : "-",
            escapeMarkdown(quarantineNote(x, h?.releaseAfter))
          ];
        })
      ),
      ...more(c.more, "quarantined tests")
    );
  }
  if (h && h.suites.length > 0) {
    out.push(
      "### History",
      "",
      `Pass rate across the recent runs (${h.runs} run${h.runs === 1 ? "" : "s"} in the history file):`,
      "",
      ...capped(h.suites, detail.maxRows).shown.map((s) => `- ${escapeMarkdown(suiteHistoryLine(s))}`),
      ""
    );
  }
  return out;
}
function logsSection(results, evaluation, maxLogChars, maxRows, allLogs) {
  const entries = [];
  results.suites.forEach((suite, i) => {
    suite.tests.forEach((t, j) => {
      const e = evaluation.suites[i]?.tests[j];
      if (!e) return;
      for (const a of [...t.attempts].sort((x, y) => x.trial - y.trial || x.retry - y.retry)) {
        if (!a.logs || !(allLogs || LOGGED_OUTCOMES.has(e.outcome))) continue;
        const title2 = `${suite.name} \u203A ${t.name} \xB7 trial ${a.trial}${a.retry > 0 ? ` attempt ${a.retry + 1}` : ""} \xB7 ${a.status}`;
        const cut = a.logs.length > maxLogChars;
        const body = cut ? `${a.logs.slice(0, maxLogChars)}
\u2026 (${a.logs.length - maxLogChars} more characters; see junit.xml)` : a.logs;
        entries.push({ title: title2, body, order: OUTCOME_ORDER[e.outcome] });
      }
    });
  });
  if (entries.length === 0) return [];
  entries.sort((a, b) => a.order - b.order);
  const { shown, more: hidden } = capped(entries, maxRows);
  const lines2 = ["### Logs", ""];
  for (const e of shown) {
    lines2.push(
      `<details><summary>${unlinkReferences(escapeHtml(e.title.replace(/\s*[\r\n\u2028\u2029]+\s*/g, " ")))}</summary>`,
      "",
      `<pre>${escapeHtml(e.body)}</pre>`,
      "",
      "</details>",
      ""
    );
  }
  lines2.push(...more(hidden, "logs"));
  return lines2;
}
function render(results, evaluation, detail, options, dropped) {
  const ev = evaluation;
  const out = [];
  let omittedRows = 0;
  const notPromoted = promotionFailedNote(results);
  const headline = ev.verdict === "passed" ? [VERDICT_TITLE.passed, notPromoted].filter(Boolean).join(", ") : `${VERDICT_TITLE[ev.verdict].split(" (")[0]}: ${ev.cause}`;
  out.push(`## ${VERDICT_ICON[shownVerdict(ev, results)]} rubric-gate: ${escapeMarkdown(headline)}`, "");
  const summary2 = [
    `**${ev.totals.total} test${ev.totals.total === 1 ? "" : "s"}**: ${formatCounts(ev.totals)}`
  ];
  if (ev.passRate !== null) {
    const passing = ev.totals.passed + ev.totals.flaky;
    summary2.push(
      `pass rate ${passing}/${ev.totals.total - ev.totals.skipped} = ${formatPercent(ev.passRate)}`
    );
  }
  if (ev.trialPassRate) summary2.push(formatTrialRate(ev.trialPassRate));
  const { versionId, versionName } = results;
  const version = versionId === void 0 ? "main" : versionName === void 0 ? escapeMarkdown(versionId) : `${escapeMarkdown(versionName)} (${escapeMarkdown(versionId)})`;
  summary2.push(`version ${version}`);
  summary2.push(`${formatDuration(wallTimeMs(results))} wall time`);
  const spent = spentLine(ev);
  if (spent) summary2.push(spent);
  out.push(summary2.join(" \xB7 "), "");
  if (results.promotion) {
    const p = results.promotion;
    out.push(`**Promotion** (${p.status}): ${escapeMarkdown(p.message)}`, "");
  }
  if (dropped.length > 0) {
    const where = options.fullReport ? `; the full report is in ${escapeMarkdown(options.fullReport)}` : "; results.json and junit.xml have everything";
    out.push(
      `> [!NOTE]`,
      `> To stay under ${formatBytes(options.maxBytes ?? STEP_SUMMARY_LIMIT)} this summary leaves out ${dropped.join(", ")}${where}.`,
      ""
    );
  }
  if (ev.missing.length > 0) {
    const m = capped(ev.missing, detail.maxRows);
    out.push("### Missing", "", "These selected tests have no verdict, so the gate cannot be decided:", "");
    out.push(...m.shown.map((x) => `- ${ref(x.suite, x.test)}: ${escapeMarkdown(x.why)}`));
    out.push(...more(m.more, "tests"), "");
  }
  out.push("### Gate", "");
  const failed = ev.reasons.filter((r) => !r.startsWith("incomplete: "));
  const lines2 = failed.length > 0 ? failed.map((r) => `- \u274C ${escapeMarkdown(r)}`) : ev.suites.flatMap(
    (s) => s.gate.rules.map((r) => `- ${r.undecided ? "\u23F3" : "\u2705"} ${escapeMarkdown(r.message)}`)
  );
  const gateList = capped(lines2, Math.max(detail.maxRows, 10));
  out.push(...gateList.shown, ...more(gateList.more, failed.length > 0 ? "failed rules" : "rules"));
  const warnings = capped(ev.warnings, Math.max(detail.maxRows, 10));
  out.push(...warnings.shown.map((w) => `- \u26A0\uFE0F ${escapeMarkdown(w)}`), ...more(warnings.more, "warnings"));
  out.push("");
  if (ev.pendingRuns.length > 0) {
    const p = capped(ev.pendingRuns, detail.maxRows);
    out.push(
      "### Still running remotely",
      "",
      `These runs had not finished when the report was written; \`--resume\` (the Action's \`resume: true\`) picks them up.`,
      ""
    );
    if (p.shown.length > 0) {
      out.push(
        ...table(
          ["Suite", "Test", "Trial", "Run id", "Status"],
          p.shown.map((r) => [
            escapeMarkdown(r.suite),
            escapeMarkdown(r.test),
            String(r.trial),
            escapeMarkdown(r.runId ?? "-"),
            escapeMarkdown(r.status)
          ])
        )
      );
    }
    out.push(...more(p.more, "runs"), "");
  }
  if (ev.baseline) {
    const b = ev.baseline;
    out.push("### Regressions", "");
    out.push(
      `${b.regressions.length} regression${b.regressions.length === 1 ? "" : "s"}, ${b.fixed.length} fixed, ${b.new.length} new against the baseline.`,
      ""
    );
    const byTest = new Map(
      ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t]))
    );
    const r = capped(b.regressions, detail.maxRows);
    if (r.shown.length > 0) {
      out.push(
        ...table(
          ["Suite", "Test", "Now", "Criteria that regressed"],
          r.shown.map((x) => {
            const t = byTest.get(pairKey(x.suite, x.test));
            const crit = (t?.criteriaChanges ?? []).filter((c) => c.change === "regression").map((c) => c.name);
            return [
              escapeMarkdown(x.suite),
              escapeMarkdown(x.test),
              t ? outcomeCell({ ...t, change: void 0 }) : "",
              escapeMarkdown(crit.join(", "))
            ];
          })
        )
      );
    }
    out.push(...more(r.more, "regressions"));
    for (const [label, list] of [
      ["Fixed", b.fixed],
      ["New", b.new]
    ]) {
      const c = capped(list, detail.maxRows);
      if (c.shown.length > 0) {
        const names = c.shown.map((x) => ref(x.suite, x.test)).join(", ");
        out.push("", `${label}: ${names}${c.more > 0 ? ` and ${c.more} more` : ""}.`);
      }
    }
    const regressedTests = new Set(b.regressions.map((x) => pairKey(x.suite, x.test)));
    const quiet = b.criterionRegressions.filter((c) => !regressedTests.has(pairKey(c.suite, c.test)));
    if (quiet.length > 0) {
      const q = capped(quiet, detail.maxRows);
      out.push(
        "",
        "Criteria that regressed in tests that still pass:",
        "",
        ...q.shown.map((c) => `- ${ref(c.suite, c.test)}: ${escapeMarkdown(c.criterion)}`),
        ...more(q.more, "criteria")
      );
    }
    out.push("");
  }
  const against = comparisonHeadline(ev);
  if (against !== void 0) {
    out.push("### Candidate against baseline", "", `${escapeMarkdown(against)}.`, "");
    const c = capped(comparisonCells(ev), detail.maxRows);
    if (c.shown.length > 0) {
      out.push(
        ...table(
          ["Suite", "Test", "Baseline \u2192 candidate", "Change", "Criteria that flipped", "p"],
          c.shown.map((r) => [
            escapeMarkdown(r.suite),
            escapeMarkdown(r.test),
            escapeMarkdown(r.outcomes),
            r.regression ? `**${r.change}**` : escapeMarkdown(r.change),
            escapeMarkdown(r.flipped),
            escapeMarkdown(r.p)
          ])
        )
      );
    }
    out.push(...more(c.more, "compared tests"), "");
  }
  if (ev.flaky.length > 0) {
    const f = capped(ev.flaky, detail.maxRows);
    out.push("### Flaky", "", "Passed only after a retry of a run that ended in error:", "");
    out.push(
      ...f.shown.map((x) => `- ${ref(x.suite, x.test)} (${escapeMarkdown(x.file)}:${x.line})`),
      ...more(f.more, "flaky tests"),
      ""
    );
  }
  out.push(...memorySections(ev, detail));
  if (ev.suites.length > 1) {
    const s = capped(ev.suites, detail.maxRows);
    out.push("### Suites", "");
    out.push(
      ...table(
        ["Suite", "Gate", "Passed", "Failed", "Errors", "Flaky", "Skipped", "Pass rate"],
        s.shown.map((x) => [
          escapeMarkdown(x.name),
          GATE_ICON[gateState(x.gate)],
          String(x.counts.passed),
          String(x.counts.failed),
          String(x.counts.error),
          String(x.counts.flaky),
          String(x.counts.skipped),
          x.gate.passRate === null ? "-" : formatPercent(x.gate.passRate)
        ])
      ),
      ...more(s.more, "suites"),
      ""
    );
  }
  const sections = capped(ev.suites, detail.maxRows);
  for (const s of sections.shown) {
    const section = suiteSection(s, detail);
    omittedRows += section.omittedRows;
    if (!section.skipped) out.push(section.text);
  }
  for (const s of ev.suites.slice(sections.shown.length)) omittedRows += s.tests.length;
  out.push(...more(sections.more, "suite tables"));
  const sectionsText = out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd();
  const logs2 = detail.logs ? logsSection(
    results,
    ev,
    options.maxLogChars ?? 16e3,
    Number.POSITIVE_INFINITY,
    options.allLogs ?? false
  ) : [];
  const text = logs2.length > 0 ? `${sectionsText}

${logs2.join("\n").trimEnd()}` : sectionsText;
  return { text: `${text}
`, omittedRows };
}
function formatBytes(n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KiB`;
  return `${n} bytes`;
}
var bytes = (s) => Buffer.byteLength(s, "utf8");
function renderMarkdown(results, evaluation, options = {}) {
  const max = options.maxBytes ?? STEP_SUMMARY_LIMIT;
  const all = Number.POSITIVE_INFINITY;
  const full = render(results, evaluation, { logs: true, passingRows: true, maxRows: all }, options, []);
  if (bytes(full.text) <= max) return full.text;
  const noLogs = render(results, evaluation, { logs: false, passingRows: true, maxRows: all }, options, [
    "the logs"
  ]);
  if (bytes(noLogs.text) <= max) return noLogs.text;
  const failingOnly = { logs: false, passingRows: false, maxRows: all };
  const dropRows = (omitted2) => ["the logs", `${omitted2} passing, flaky or skipped test rows`];
  const probe = render(results, evaluation, failingOnly, options, []);
  const attempt = render(results, evaluation, failingOnly, options, dropRows(probe.omittedRows));
  if (bytes(attempt.text) <= max) return attempt.text;
  const total = evaluation.suites.reduce((n, s) => n + s.tests.length, 0);
  const at = (maxRows) => {
    const d = { logs: false, passingRows: false, maxRows };
    const p = render(results, evaluation, d, options, []);
    return render(results, evaluation, d, options, [
      "the logs",
      `${p.omittedRows} of ${total} test rows (passing rows first)`
    ]).text;
  };
  let lo = 0;
  let hi = total;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (bytes(at(mid)) <= max) lo = mid;
    else hi = mid - 1;
  }
  const best = at(lo);
  if (bytes(best) <= max) return best;
  const lines2 = best.split("\n");
  let text = "";
  for (const line of lines2) {
    if (line.startsWith("|") || bytes(`${text}${line}
`) > max) break;
    text += `${line}
`;
  }
  return text;
}

// reporters/html-comparison.ts
var esc = escapeHtmlLine;
function comparisonSection(ev, anchors) {
  const headline = comparisonHeadline(ev);
  if (headline === void 0) return "";
  const rows = comparisonCells(ev).map((r) => {
    const id = anchors.get(pairKey(r.suite, r.test));
    const name = `${esc(r.suite)} \u203A ${esc(r.test)}`;
    const change = r.regression ? `<b>${esc(r.change)}</b>` : esc(r.change);
    return `<tr><td>${id ? `<a href="#${id}">${name}</a>` : name}</td><td>${esc(r.outcomes)}</td><td>${change}</td><td>${esc(r.flipped)}</td><td>${esc(r.p)}</td></tr>`;
  });
  return [
    "<h2>Candidate against baseline</h2>",
    `<p>${esc(headline)}</p>`,
    "<table><thead><tr><th>Test</th><th>Baseline \u2192 candidate</th><th>Change</th><th>Criteria that flipped</th><th>p</th></tr></thead>",
    `<tbody>${rows.join("")}</tbody></table>`
  ].join("\n");
}

// reporters/html-history.ts
var esc2 = escapeHtmlLine;
function historySection(ev, anchors) {
  const h = ev.history;
  const q = ev.quarantine;
  if (!h && !q) return "";
  const link = (x) => {
    const id = anchors.get(pairKey(x.suite, x.test));
    const text = `${esc2(x.suite)} \u203A ${esc2(x.test)}`;
    return id ? `<a href="#${id}">${text}</a>` : text;
  };
  const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
  const out = ["<h2>Across runs</h2>"];
  if (h) {
    out.push(
      `<p class="muted">${h.runs} run${h.runs === 1 ? "" : "s"} of history, this one included; strips show the last ${h.window} runs of each test's current definition, oldest first. None of this changes the gate.</p>`
    );
    if (h.suites.length > 0) {
      out.push(`<p>${h.suites.map((s) => esc2(suiteHistoryLine(s))).join("<br>")}</p>`);
    }
    if (h.flaky.length > 0) {
      out.push(
        "<p><b>Flaky by history</b> (the outcome flipped back and forth under the same definition):</p><ul>",
        ...h.flaky.map((f) => `<li>${link(f)}: ${stripEmoji(f.strip)} (${f.flips} flips)</li>`),
        "</ul>"
      );
    }
  }
  if (q) {
    out.push(
      `<p><b>Quarantined</b> (${q.gating ? "gating: --no-quarantine" : "reported, not gating"}):</p><ul>`,
      ...q.tests.map((t) => {
        const e = byTest.get(pairKey(t.suite, t.test));
        const recent = e?.history ? ` ${esc2(historyNote(e.history))}` : "";
        return `<li>${link(t)}: ${esc2(t.outcome)}${recent} \u2014 ${esc2(quarantineNote(t, h?.releaseAfter))}</li>`;
      }),
      "</ul>"
    );
  }
  return out.join("\n");
}

// reporters/html.ts
var esc3 = escapeHtmlLine;
var OUTCOME_LABEL = {
  passed: "\u2713 passed",
  failed: "\u2717 failed",
  error: "\u26A0 error",
  flaky: "\u21BB flaky",
  skipped: "\u2013 skipped"
};
var VERDICT_MARK = { passed: "\u2713", failed: "\u2717", incomplete: "\u26A0" };
var GATE_MARK = { passed: 'ok">\u2713', failed: 'bad">\u2717', undecided: 'warn">\u26A0' };
var NEEDS_LOGS = /* @__PURE__ */ new Set(["failed", "error", "flaky"]);
var needsAttention = (e) => !isPass(e.outcome) && e.outcome !== "skipped";
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
var slot = (name, html) => `<!-- slot:${name} --><section class="slot" id="${name}">${html ?? ""}</section>`;
function header(results, ev) {
  const facts = [`<b>${plural(ev.totals.total, "test")}</b>: ${esc3(formatCounts(ev.totals))}`];
  if (ev.passRate !== null) {
    const ran = ev.totals.total - ev.totals.skipped;
    facts.push(`pass rate ${ev.totals.passed + ev.totals.flaky}/${ran} = ${formatPercent(ev.passRate)}`);
  }
  if (ev.trialPassRate) facts.push(esc3(formatTrialRate(ev.trialPassRate)));
  facts.push(
    `version ${results.versionName ? `${esc3(results.versionName)} ` : ""}<code>${esc3(results.versionId ?? "main")}</code>`
  );
  facts.push(`${formatDuration(wallTimeMs(results))} wall time`);
  const spent = spentLine(ev);
  if (spent) facts.push(esc3(spent));
  if (results.shard) facts.push(`shard ${results.shard.index}/${results.shard.total}`);
  const shown = shownVerdict(ev, results);
  return [
    `<header class="verdict v-${shown}">`,
    `<h1>${VERDICT_MARK[shown]} rubric-gate: ${esc3(title(results, ev))}</h1>`,
    `<p>${facts.join(" \xB7 ")}</p>`,
    `<p class="muted">${esc3(results.startedAt)} \u2192 ${esc3(results.finishedAt)} \xB7 ${esc3(results.tool.name)} ${esc3(results.tool.version)}</p>`,
    "</header>"
  ].join("\n");
}
var title = (results, ev) => [VERDICT_TITLE[ev.verdict], promotionFailedNote(results)].filter(Boolean).join(", ");
function gateSection(results, ev) {
  const out = ['<section id="gate"><h2>Gate</h2><ul class="gate">'];
  if (ev.reasons.length > 0) for (const r of ev.reasons) out.push(`<li class="bad">\u2717 ${esc3(r)}</li>`);
  else
    for (const s of ev.suites)
      for (const r of s.gate.rules) out.push(`<li class="ok">\u2713 ${esc3(r.message)}</li>`);
  for (const w of ev.warnings) out.push(`<li class="warn">\u26A0 ${esc3(w)}</li>`);
  out.push("</ul>");
  if (results.promotion) {
    const p = results.promotion;
    out.push(`<p><b>Promotion</b> (${esc3(p.status)}): ${esc3(p.message)}</p>`);
  }
  out.push("</section>");
  if (ev.pendingRuns.length > 0) {
    out.push(
      '<section id="pending"><h2>Still running remotely</h2>',
      "<p>These runs had not finished when the report was written; <code>--resume</code> (the Action&#39;s <code>resume: true</code>) picks them up.</p>",
      "<table><tr><th>Suite</th><th>Test</th><th>Trial</th><th>Run id</th><th>Status</th></tr>",
      ...ev.pendingRuns.map(
        (r) => `<tr><td>${esc3(r.suite)}</td><td>${esc3(r.test)}</td><td>${r.trial}</td><td><code>${esc3(r.runId ?? "-")}</code></td><td>${esc3(r.status)}</td></tr>`
      ),
      "</table></section>"
    );
  }
  return out.join("\n");
}
function baselineSection(ev, anchors) {
  const b = ev.baseline;
  if (!b) return "";
  const link = (x) => {
    const id = anchors.get(pairKey(x.suite, x.test));
    const text = `${esc3(x.suite)} \u203A ${esc3(x.test)}`;
    return id ? `<a href="#${id}">${text}</a>` : text;
  };
  const out = [
    '<section id="baseline"><h2>Against the baseline</h2>',
    `<p>${plural(b.regressions.length, "regression")}, ${b.fixed.length} fixed, ${b.new.length} new.</p>`
  ];
  for (const [label, list] of [
    ["Regressed", b.regressions],
    ["Fixed", b.fixed],
    ["New", b.new]
  ]) {
    if (list.length > 0) out.push(`<p><b>${label}</b>: ${list.map(link).join(", ")}</p>`);
  }
  if (b.criterionRegressions.length > 0) {
    out.push(
      "<p><b>Criteria that regressed</b>: ",
      b.criterionRegressions.map((c) => `${link(c)}: ${esc3(c.criterion)}`).join("; "),
      "</p>"
    );
  }
  out.push("</section>");
  return out.join("\n");
}
function suitesTable(ev) {
  if (ev.suites.length < 2) return "";
  const rows = ev.suites.map(
    (s, i) => `<tr><td><a href="#s-${i}">${esc3(s.name)}</a></td><td class="c ${GATE_MARK[gateState(s.gate)]}</td><td>${s.counts.passed}</td><td>${s.counts.failed}</td><td>${s.counts.error}</td><td>${s.counts.flaky}</td><td>${s.counts.skipped}</td><td>${s.gate.passRate === null ? "-" : formatPercent(s.gate.passRate)}</td></tr>`
  );
  return [
    '<section id="suites"><h2>Suites</h2>',
    "<table><tr><th>Suite</th><th>Gate</th><th>Passed</th><th>Failed</th><th>Errors</th><th>Flaky</th><th>Skipped</th><th>Pass rate</th></tr>",
    ...rows,
    "</table></section>"
  ].join("\n");
}
var sortedAttempts = (t) => [...t.attempts].sort((a, b) => a.trial - b.trial || a.retry - b.retry);
function grid(t, attempts) {
  if (attempts.length === 0) return "";
  const names = [...t.criteria.map((c) => c.name)];
  for (const a of attempts) for (const c of a.criteria) if (!names.includes(c.name)) names.push(c.name);
  const required = new Set(t.criteria.filter((c) => c.required).map((c) => c.name));
  const head = attempts.map((a) => `<th>trial ${a.trial}${a.retry > 0 ? ` retry ${a.retry}` : ""}</th>`);
  const rows = names.map((name) => {
    const cells = attempts.map((a) => {
      const s = a.criteria.find((c) => c.name === name)?.status;
      if (s === "passed") return '<td class="c ok">\u2713</td>';
      if (s === "failed") return '<td class="c bad">\u2717</td>';
      return `<td class="c muted">${s ? esc3(s) : "\u2013"}</td>`;
    });
    return `<tr><th>${esc3(name)}${required.has(name) ? ' <span class="muted">required</span>' : ""}</th>${cells.join("")}</tr>`;
  });
  const fact = (label, f) => `<tr><th class="muted">${label}</th>${attempts.map((a) => `<td>${f(a)}</td>`).join("")}</tr>`;
  const code = (v) => v ? `<code>${esc3(v)}</code>` : "\u2013";
  return [
    `<table class="grid"><tr><th>Criterion</th>${head.join("")}</tr>`,
    ...rows,
    fact("status", (a) => esc3(a.status)),
    fact("run", (a) => code(a.runId)),
    fact("conversation", (a) => code(a.conversationId)),
    // One run's duration is already in the test's facts line.
    attempts.length > 1 ? fact("duration", (a) => a.durationMs === void 0 ? "\u2013" : formatDuration(a.durationMs)) : "",
    "</table>"
  ].join("");
}
function changeNote(e) {
  if (!e.change || e.change === "unchanged") {
    const moved = (e.criteriaChanges ?? []).filter((c) => c.change === "regression" || c.change === "fixed");
    if (moved.length === 0) return "";
  }
  const crit = (e.criteriaChanges ?? []).filter((c) => c.change !== "unchanged").map((c) => `${esc3(c.name)} ${c.before ?? "none"} \u2192 ${c.after ?? "none"}`);
  return `<p>Against the baseline: <b>${esc3(e.change ?? "unchanged")}</b>${crit.length > 0 ? ` \xB7 ${crit.join(", ")}` : ""}</p>`;
}
var logBody = (logs2, maxChars) => logs2.length > maxChars ? `${logs2.slice(0, maxChars)}
\u2026 (${logs2.length - maxChars} more characters; see junit.xml)` : logs2;
function keepLog(body, e, budget) {
  if (NEEDS_LOGS.has(e.outcome)) return true;
  if (body.length > budget.left) {
    budget.dropped++;
    return false;
  }
  budget.left -= body.length;
  return true;
}
function logs(attempts, e, maxChars, budget) {
  const out = [];
  for (const a of attempts) {
    if (!a.logs) continue;
    const body = logBody(a.logs, maxChars);
    if (!keepLog(body, e, budget)) continue;
    out.push(
      `<details><summary>Log \xB7 trial ${a.trial}${a.retry > 0 ? ` retry ${a.retry}` : ""} \xB7 ${esc3(a.status)}</summary><pre>${escapeHtml(body)}</pre></details>`
    );
  }
  return out.join("");
}
function testBlock(t, e, id, options, budget) {
  const why = e.failedCriteria.length > 0 ? formatCriteria(e.failedCriteria) : e.outcome !== "passed" ? e.message : "";
  const badges = [];
  if (e.change === "regression") badges.push('<span class="tag reg">regression</span>');
  else if (e.change === "fixed" || e.change === "new") badges.push(`<span class="tag">${e.change}</span>`);
  if (e.history?.flaky) badges.push('<span class="tag">flaky by history</span>');
  if (e.quarantine !== void 0) badges.push('<span class="tag">quarantined</span>');
  const attempts = sortedAttempts(t);
  const facts = [`${esc3(e.file)}:${e.line}`];
  if (e.outcome !== "skipped") facts.push(`trials ${esc3(formatTrials(e))}`);
  if (e.durationMs > 0) facts.push(formatDuration(e.durationMs));
  if (t.tags.length > 0) facts.push(`tags ${t.tags.map(esc3).join(", ")}`);
  if (e.history) facts.push(`recent ${esc3(historyNote(e.history))}`);
  if (e.quarantine !== void 0) facts.push(`quarantined: ${esc3(e.quarantine)}`);
  return [
    `<details class="t${needsAttention(e) ? " f" : ""}" id="${id}" data-outcome="${e.outcome}">`,
    `<summary><span class="o o-${e.outcome}">${OUTCOME_LABEL[e.outcome]}</span> <span class="n">${esc3(e.test)}</span>`,
    why ? ` <span class="why">\u2014 ${esc3(why)}</span>` : "",
    badges.length > 0 ? ` ${badges.join(" ")}` : "",
    "</summary><div>",
    e.message ? `<p>${esc3(e.message)}</p>` : "",
    `<p class="muted">${facts.join(" \xB7 ")}</p>`,
    changeNote(e),
    grid(t, attempts),
    logs(attempts, e, options.maxLogChars, budget),
    "</div></details>"
  ].join("");
}
var suiteOrder = (s) => s.tests.map((e, j) => ({ e, j })).sort((a, b) => OUTCOME_ORDER[a.e.outcome] - OUTCOME_ORDER[b.e.outcome] || a.j - b.j).map((x) => x.j);
function* suiteSection2(s, tests, index, options, budget) {
  const g = s.gate;
  const rate = g.passRate === null ? "no test ran" : `pass rate ${g.passing}/${g.considered} = ${formatPercent(g.passRate)} (min ${formatThreshold(g.effective.minPassRate)})`;
  yield `<section class="suite" id="s-${index}" data-name="${esc3(s.name)}">`;
  yield `<h2><span class="${GATE_MARK[gateState(g)]}</span> ${esc3(s.name)} <span class="meta muted">${esc3(formatCounts(s.counts))} \xB7 ${rate} \xB7 ${esc3(s.file)}</span></h2>`;
  for (const j of suiteOrder(s)) {
    const t = tests[j];
    const e = s.tests[j];
    if (t && e) yield testBlock(t, e, `t-${index}-${j}`, options, budget);
  }
  yield "</section>";
}
function droppedLogs(results, ev, maxChars, total) {
  const budget = { left: total, dropped: 0 };
  ev.suites.forEach((s, i) => {
    const tests = results.suites[i]?.tests ?? [];
    for (const j of suiteOrder(s)) {
      const t = tests[j];
      const e = s.tests[j];
      if (!t || !e) continue;
      for (const a of sortedAttempts(t)) if (a.logs) keepLog(logBody(a.logs, maxChars), e, budget);
    }
  });
  return budget.dropped;
}
var sha256 = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
function* htmlChunks(results, evaluation, options = {}) {
  let first = true;
  for (const part of htmlParts(results, evaluation, options)) {
    yield first ? part : `
${part}`;
    first = false;
  }
}
function* htmlParts(results, evaluation, options) {
  const ev = evaluation;
  const opts = { maxLogChars: options.maxLogChars ?? 16e3 };
  const logBudget = options.passingLogBudget ?? 3e5;
  const budget = { left: logBudget, dropped: 0 };
  const anchors = /* @__PURE__ */ new Map();
  ev.suites.forEach((s, i) => {
    s.tests.forEach((t, j) => {
      anchors.set(pairKey(t.suite, t.test), `t-${i}-${j}`);
    });
  });
  const droppedCount = droppedLogs(results, ev, opts.maxLogChars, logBudget);
  const dropped = droppedCount > 0 ? `<p class="muted">${plural(droppedCount, "log")} of passing or skipped tests left out to keep this file small; junit.xml and results.json have them.</p>` : "";
  const csp = `default-src 'none'; style-src ${sha256(HTML_STYLE)}; script-src ${sha256(HTML_SCRIPT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  yield* [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>rubric-gate: ${esc3(title(results, ev))}</title>`,
    `<style>${HTML_STYLE}</style>`,
    "</head><body>",
    header(results, ev),
    gateSection(results, ev),
    baselineSection(ev, anchors),
    slot("comparison", options.sections?.comparison ?? comparisonSection(ev, anchors)),
    slot("history", options.sections?.history ?? historySection(ev, anchors)),
    suitesTable(ev),
    '<div class="controls" id="controls" hidden>',
    '<label><input type="checkbox" id="only-failures"> only failures and errors</label>',
    '<input type="search" id="search" placeholder="Search tests by name" aria-label="Search tests by name">',
    '<span id="shown" class="muted"></span></div>',
    dropped,
    '<main id="tests">'
  ];
  for (let i = 0; i < ev.suites.length; i++) {
    const s = ev.suites[i];
    if (s) yield* suiteSection2(s, results.suites[i]?.tests ?? [], i, opts, budget);
  }
  yield* ["</main>", `<script>${HTML_SCRIPT}</script>`, "</body></html>", ""];
}

// reporters/json.ts
function* resultsJsonChunks(results, evaluation) {
  yield* jsonChunks({ ...results, evaluation }, 0, 4, { suites: 3, evaluation: 4, history: 2 });
  yield "\n";
}

// reporters/xml.ts
var el = (name, attrs = {}, content = []) => ({
  name,
  attrs,
  content
});
var NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;
var MAYBE_NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
var xmlChars = (s) => MAYBE_NOT_XML.test(s) ? s.replace(NOT_XML, "") : s;
var ENTITY = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "\r": "&#13;",
  '"': "&quot;",
  "	": "&#9;",
  "\n": "&#10;"
};
var entity = (c) => ENTITY[c] ?? c;
var TEXT_SPECIAL = /[&<>\r]/;
var TEXT_SPECIALS = /[&<>\r]/g;
var ATTR_SPECIAL = /[&<>\r"\t\n]/;
var ATTR_SPECIALS = /[&<>\r"\t\n]/g;
var escapeText = (s) => {
  const x = xmlChars(s);
  return TEXT_SPECIAL.test(x) ? x.replace(TEXT_SPECIALS, entity) : x;
};
var escapeAttr = (s) => {
  const x = xmlChars(s);
  return ATTR_SPECIAL.test(x) ? x.replace(ATTR_SPECIALS, entity) : x;
};
var openTag = (e) => {
  let attrs = "";
  for (const k in e.attrs) {
    const v = e.attrs[k];
    if (v !== void 0) attrs += ` ${k}="${escapeAttr(String(v))}"`;
  }
  return `<${e.name}${attrs}`;
};
function block(e, indent, out) {
  const open = openTag(e);
  if (typeof e.content === "string") {
    out.push(
      e.content === "" ? `${indent}${open}/>` : `${indent}${open}>${escapeText(e.content)}</${e.name}>`
    );
    return;
  }
  const children = [...e.content];
  if (children.length === 0) {
    out.push(`${indent}${open}/>`);
    return;
  }
  out.push(`${indent}${open}>`);
  for (const c of children) block(c, `${indent}  `, out);
  out.push(`${indent}</${e.name}>`);
}
function* lines(e, indent) {
  const content = e.content;
  if (held(content)) {
    yield whole(e, indent);
    return;
  }
  const children = content[Symbol.iterator]();
  let child = children.next();
  const open = openTag(e);
  if (child.done) {
    yield `${indent}${open}/>`;
    return;
  }
  yield `${indent}${open}>`;
  const inner = `${indent}  `;
  let run = [];
  let size = 0;
  for (; !child.done; child = children.next()) {
    if (!held(child.value.content)) {
      if (run.length > 0) yield run.join("\n");
      run = [];
      size = 0;
      yield* lines(child.value, inner);
      continue;
    }
    const text = whole(child.value, inner);
    run.push(text);
    size += text.length;
    if (size >= PIECE) {
      yield run.join("\n");
      run = [];
      size = 0;
    }
  }
  if (run.length > 0) yield run.join("\n");
  yield `${indent}</${e.name}>`;
}
var PIECE = 8192;
var held = (c) => typeof c === "string" || Array.isArray(c);
function whole(e, indent) {
  const out = [];
  block(e, indent, out);
  return out.join("\n");
}
function* xmlChunks(root) {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  for (const line of lines(root, "")) yield `${line}
`;
}

// reporters/junit.ts
var seconds = (ms) => Math.round(Math.max(0, ms)) / 1e3;
function utcTimestamp(iso) {
  if (!iso) return void 0;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : void 0;
}
var clean = (text, fallback) => cleanLine(text).trim() || fallback;
var SKIPPED_REASON = "not selected in this run (--grep, --tag or --shard)";
var FLAKY = " (flaky)";
var QUARANTINED = " (quarantined)";
function attemptLine(a) {
  const run = a.runId ? ` run ${a.runId}` : "";
  const conv = a.conversationId ? ` conversation ${a.conversationId}` : "";
  const criteria = a.criteria.map((c) => `${c.name}=${c.status}`).join(" ");
  const message = a.message ? ` (${a.message})` : "";
  return `trial ${a.trial} attempt ${a.retry + 1}${run}${conv}: ${a.status}${message}${criteria ? ` \xB7 ${criteria}` : ""}`;
}
var sortedAttempts2 = (t) => [...t.attempts].sort((a, b) => a.trial - b.trial || a.retry - b.retry);
function detailText(t, e) {
  const lines2 = [
    `${e.passes}/${e.trials} trial${e.trials === 1 ? "" : "s"} passed, ${e.minPasses} needed (min_passes); ${e.failures} failed, ${e.errors} errored`
  ];
  if (e.failedCriteria.length > 0) lines2.push(`failed criteria: ${formatCriteria(e.failedCriteria)}`);
  if (e.message) lines2.push(e.message);
  lines2.push(...sortedAttempts2(t).map(attemptLine));
  return lines2.join("\n");
}
function systemOut(suite, t, e, versionId) {
  const lines2 = [
    `suite: ${suite.name} (${t.file}:${t.line})`,
    `outcome: ${e.outcome}${e.pending ? " (still running remotely)" : ""}`
  ];
  if (e.message) lines2.push(`note: ${e.message}`);
  if (e.quarantine !== void 0) lines2.push(`quarantined (does not gate): ${e.quarantine}`);
  if (e.history) {
    lines2.push(`recent runs: ${historyNote(e.history)}${e.history.flaky ? ", flaky by history" : ""}`);
  }
  if (!t.skipped) lines2.push(`trials: ${e.passes}/${e.trials} passed, min_passes ${e.minPasses}`);
  lines2.push(`version: ${versionId ?? "main"}`);
  if (e.runIds.length > 0) lines2.push(`run ids: ${e.runIds.join(", ")}`);
  if (e.conversationIds.length > 0) lines2.push(`conversation ids: ${e.conversationIds.join(", ")}`);
  for (const a of sortedAttempts2(t)) {
    lines2.push("", `--- ${attemptLine(a)}`);
    if (a.logs) lines2.push(a.logs);
  }
  return lines2.join("\n");
}
function criteriaProperty(t, e) {
  const byName = new Map(t.criteria.map((c) => [c.name, []]));
  const deciding = /* @__PURE__ */ new Map();
  for (const a of sortedAttempts2(t)) deciding.set(a.trial, a);
  for (const a of deciding.values()) {
    for (const c of a.criteria) byName.set(c.name, [...byName.get(c.name) ?? [], c.status]);
  }
  const required = new Set(t.criteria.filter((c) => c.required).map((c) => c.name));
  return [...byName].map(
    ([name, statuses]) => `${name}${required.has(name) ? " (required)" : ""}: ${statuses.join(", ") || (e.outcome === "skipped" ? "skipped" : "no result")}`
  ).join("; ");
}
function errorMessage(type, message) {
  const text = cleanLine(message ?? "").trim();
  const prefix = `${type.toLowerCase()}:`;
  const rest = text.toLowerCase().startsWith(prefix) ? text.slice(prefix.length).trim() : text;
  return rest || "the run ended in error";
}
function testCase(suite, t, e, name, versionId) {
  const result = [];
  switch (e.outcome) {
    case "failed": {
      const names = e.failedCriteria.map(formatFailedCriterion).join(", ");
      const message = names ? `failed: ${names}` : `failed: ${e.passes}/${e.trials} trials passed, ${e.minPasses} needed`;
      result.push(
        el("failure", { message: cleanLine(message), type: "rubric" }, cleanText(detailText(t, e)))
      );
      break;
    }
    case "error": {
      const type = e.errorKind ?? "error";
      result.push(el("error", { message: errorMessage(type, e.message), type }, cleanText(detailText(t, e))));
      break;
    }
    case "skipped":
      result.push(el("skipped", {}, clean(e.message ?? "", SKIPPED_REASON)));
      break;
    default:
      break;
  }
  return el(
    "testcase",
    {
      classname: clean(suite.name, "(unnamed suite)"),
      name,
      time: seconds(e.durationMs),
      file: cleanLine(t.file),
      line: t.line,
      status: e.outcome === "flaky" ? "flaky" : void 0
    },
    [...result, el("system-out", {}, cleanText(systemOut(suite, t, e, versionId)))]
  );
}
function* suiteProperties(results, suite, ev, caseNames) {
  const g = ev.gate.effective;
  const suiteRunIds = [
    ...new Set(suite.tests.flatMap((t) => t.attempts.map((a) => a.testSuiteRunId)))
  ].filter((x) => Boolean(x));
  const props = [
    ["rubric_gate.version", results.tool.version],
    ["assistant.version_id", results.versionId ?? "main"],
    ["suite.file", suite.file],
    ["gate.min_pass_rate", String(g.minPassRate)],
    ["gate.max_errors", String(g.maxErrors)],
    ["gate.fail_on_regression", String(g.failOnRegression)],
    ["gate.result", gateState(ev.gate)]
  ];
  if (ev.gate.reasons.length > 0) props.push(["gate.reasons", ev.gate.reasons.join("; ")]);
  if (results.promotion) {
    props.push(["rubric_gate.promotion", `${results.promotion.status}: ${results.promotion.message}`]);
  }
  if (suiteRunIds.length > 0) props.push(["test_suite_run_ids", suiteRunIds.join(", ")]);
  yield* props;
  for (let i = 0; i < suite.tests.length; i++) {
    const t = suite.tests[i];
    const e = ev.tests[i];
    const name = caseNames[i];
    yield [`${name} \u203A outcome`, e.outcome];
    if (e.quarantine !== void 0) yield [`${name} \u203A quarantine`, e.quarantine];
    if (e.history) {
      yield [`${name} \u203A history`, `${historyNote(e.history)}${e.history.flaky ? ", flaky by history" : ""}`];
    }
    if (t.skipped) continue;
    yield [`${name} \u203A trials`, `${e.passes}/${e.trials} passed, min_passes ${e.minPasses}`];
    if (e.runIds.length > 0) yield [`${name} \u203A run_ids`, e.runIds.join(", ")];
    if (e.conversationIds.length > 0) yield [`${name} \u203A conversation_ids`, e.conversationIds.join(", ")];
    yield [`${name} \u203A criteria`, criteriaProperty(t, e)];
  }
}
function uniqueName(seen, classname, name) {
  let candidate = name;
  for (let n = 2; seen.has(pairKey(classname, candidate)); n++) candidate = `${name} [${n}]`;
  seen.add(pairKey(classname, candidate));
  return candidate;
}
var countAttrs = (tests) => ({
  tests: tests.length,
  failures: tests.filter((t) => t.outcome === "failed").length,
  errors: tests.filter((t) => t.outcome === "error").length,
  skipped: tests.filter((t) => t.outcome === "skipped").length
});
function testSuite(results, suite, ev, seen) {
  const classname = clean(suite.name, "(unnamed suite)");
  const caseNames = suite.tests.map(
    (t, j) => uniqueName(
      seen,
      classname,
      `${clean(t.name, "(unnamed test)")}${ev.tests[j]?.outcome === "flaky" ? FLAKY : ""}${ev.tests[j]?.quarantine === void 0 ? "" : QUARANTINED}`
    )
  );
  const started = suite.tests.flatMap((t) => t.attempts.map((a) => utcTimestamp(a.triggeredAt))).filter((x) => x !== void 0).sort()[0];
  const properties = function* () {
    for (const [name, value] of suiteProperties(results, suite, ev, caseNames))
      yield el("property", { name: cleanLine(name), value: cleanLine(value) });
  };
  const cases = function* () {
    yield el("properties", {}, properties());
    for (let j = 0; j < suite.tests.length; j++)
      yield testCase(suite, suite.tests[j], ev.tests[j], caseNames[j], results.versionId);
  };
  return el(
    "testsuite",
    {
      name: classname,
      ...countAttrs(ev.tests),
      time: seconds(ev.durationMs),
      timestamp: started ?? utcTimestamp(results.startedAt)
    },
    cases()
  );
}
function junitChunks(results, evaluation, options = {}) {
  const seen = /* @__PURE__ */ new Set();
  results.suites.forEach((suite, i) => {
    const ev = evaluation.suites[i];
    if (!ev || ev.name !== suite.name)
      throw new Error(`evaluation does not match results at suite ${suite.name}`);
  });
  const suites = function* () {
    for (const [i, suite] of results.suites.entries()) {
      if (suite.tests.length > 0) yield testSuite(results, suite, evaluation.suites[i], seen);
    }
  };
  return xmlChunks(
    el(
      "testsuites",
      {
        name: clean(options.name ?? "rubric-gate", "rubric-gate"),
        ...countAttrs(evaluation.suites.flatMap((e) => e.tests))
      },
      suites()
    )
  );
}

// reporters/index.ts
var DEFAULT_OUT_DIR = "rubric-gate-report";
var REPORTERS = ["junit", "markdown", "json", "html"];
var REPORT_FILES = {
  junit: "junit.xml",
  markdown: "summary.md",
  json: "results.json",
  html: "report.html"
};
async function writeReports(results, evaluation, options) {
  const reporters = new Set(options.reporters ?? REPORTERS);
  const paths = {};
  let failure;
  const write = (name, key, text) => {
    if (!reporters.has(name)) return;
    const path = join(options.outDir, REPORT_FILES[name]);
    paths[key] = path;
    try {
      writeFileAtomic(path, text());
    } catch (error) {
      failure ??= { error };
    }
  };
  write("junit", "junitPath", () => junitChunks(results, evaluation));
  write("markdown", "markdownPath", () => renderMarkdown(results, evaluation, options.markdown));
  write("json", "resultsPath", () => resultsJsonChunks(results, evaluation));
  write("html", "htmlPath", () => htmlChunks(results, evaluation, options.html));
  if (failure) throw failure.error;
  return paths;
}
function parseReporters(value) {
  const names = (typeof value === "string" ? [value] : value).flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const known = new Set(REPORTERS);
  return {
    reporters: [...new Set(names.filter((n) => known.has(n)))],
    unknown: names.filter((n) => !known.has(n))
  };
}

export {
  jsonChunks,
  writeFileAtomic,
  JSON_FILE_LIMIT,
  readCapped,
  mib,
  decidedVerdict,
  trialsToKeepOpen,
  trialBounds,
  attemptVerdict,
  testOutcome,
  isPass,
  formatPercent,
  tightenOverrides,
  hasNoVerdict,
  evaluateSuiteGate,
  trialRate,
  formatTrialRate,
  tupleKey,
  pairKey,
  baselineSnapshot,
  combineBaselines,
  asSnapshot,
  compareWithBaseline,
  baselineSide,
  compareInRun,
  comparisonCells,
  comparisonHeadline,
  spentLine,
  historyNote,
  quarantineNote,
  suiteHistoryLine,
  DEFAULT_OUT_DIR,
  REPORTERS,
  REPORT_FILES,
  writeReports,
  parseReporters
};
