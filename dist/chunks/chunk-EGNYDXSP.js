import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  colorEnabled,
  painter
} from "./chunk-WMK44IXT.js";
import {
  DEFAULT_OUT_DIR,
  JSON_FILE_LIMIT,
  asSnapshot,
  baselineSide,
  baselineSnapshot,
  combineBaselines,
  compareInRun,
  compareWithBaseline,
  comparisonCells,
  comparisonHeadline,
  evaluateSuiteGate,
  formatPercent,
  formatTrialRate,
  hasNoVerdict,
  historyNote,
  isPass,
  mib,
  pairKey,
  quarantineNote,
  readCapped,
  spentLine,
  suiteHistoryLine,
  testOutcome,
  tightenOverrides,
  trialRate,
  writeReports
} from "./chunk-7B25DCRM.js";
import {
  LineCounter,
  YAML_QUIET,
  offsetOf,
  parseDocument,
  positionOf,
  showPath
} from "./chunk-7BFOF2IB.js";
import {
  EXIT,
  UsageError,
  exitCodeForVerdict,
  formatProblem
} from "./chunk-5CZ452EX.js";
import {
  OUTCOME_ORDER,
  formatCounts,
  formatCriteria,
  plainText,
  promotionFailedNote,
  shownVerdict
} from "./chunk-WCICWPAT.js";
import {
  TestStatus,
  external_exports,
  isInProgress
} from "./chunk-IJNY3YTN.js";

// src/commands/report.ts
import { isAbsolute, relative, resolve } from "node:path";

// reporters/console-summary.ts
var VERDICT_STYLE = { passed: "green", failed: "red", incomplete: "yellow" };
function failingLine(t) {
  const why = t.failedCriteria.length > 0 ? formatCriteria(t.failedCriteria) : `${t.outcome}${t.message ? `: ${t.message}` : ""}`;
  return plainText(`${t.suite} \u203A ${t.test} (${t.file}:${t.line}): ${why}`);
}
function memoryLines(ev, max) {
  const lines = [];
  const h = ev.history;
  if (h && h.flaky.length > 0) {
    lines.push(`  flaky by history: ${h.flaky.length} (flipped over recent runs of the same definition)`);
    const byTest = new Map(ev.suites.flatMap((s) => s.tests.map((t) => [pairKey(t.suite, t.test), t])));
    for (const f of h.flaky.slice(0, max)) {
      const t = byTest.get(pairKey(f.suite, f.test));
      lines.push(
        `    ~ ${plainText(`${f.suite} \u203A ${f.test}`)}: ${t?.history ? historyNote(t.history) : f.strip}`
      );
    }
    if (h.flaky.length > max) lines.push(`    ... and ${h.flaky.length - max} more (see the reports)`);
  }
  const q = ev.quarantine;
  if (q) {
    lines.push(
      `  quarantined: ${q.tests.length} (${q.gating ? "gating: --no-quarantine" : "reported, not gating"})`
    );
    for (const t of q.tests.slice(0, max))
      lines.push(
        `    - ${plainText(`${t.suite} \u203A ${t.test}: ${t.outcome}: ${quarantineNote(t, h?.releaseAfter)}`)}`
      );
    if (q.tests.length > max) lines.push(`    ... and ${q.tests.length - max} more (see the reports)`);
  }
  if (h && h.suites.length > 0) {
    lines.push(`  history: ${plainText(h.suites.slice(0, max).map(suiteHistoryLine).join("; "))}`);
  }
  return lines;
}
function renderConsoleSummary(evaluation, options = {}) {
  const ev = evaluation;
  const max = options.maxReasons ?? 10;
  const paint = painter(options.color ?? false);
  const promotion = { promotion: options.promotion };
  const notPromoted = promotionFailedNote(promotion);
  const verdict = shownVerdict(ev, promotion);
  const lines = [
    `rubric-gate: ${paint([VERDICT_STYLE[verdict], "bold"], verdict.toUpperCase())}: ${plainText(ev.cause)}${notPromoted ? `, ${notPromoted}` : ""}`
  ];
  let counts = `  ${ev.totals.total} test${ev.totals.total === 1 ? "" : "s"}: ${formatCounts(ev.totals)}`;
  if (ev.passRate !== null) {
    const ran = ev.totals.total - ev.totals.skipped;
    counts += ` (pass rate ${ev.totals.passed + ev.totals.flaky}/${ran} = ${formatPercent(ev.passRate)})`;
  }
  lines.push(counts);
  if (ev.trialPassRate) lines.push(`  ${formatTrialRate(ev.trialPassRate)}`);
  const spent = spentLine(ev);
  if (spent) lines.push(`  ${spent}`);
  const against = comparisonHeadline(ev);
  if (against !== void 0) {
    lines.push(`  ${plainText(against)}`);
    const changed = comparisonCells(ev).filter((r) => r.change !== "unchanged");
    for (const r of changed.slice(0, max)) {
      const extra = [r.flipped, r.p].filter(Boolean).join("; ");
      lines.push(
        `    ${plainText(`${r.suite} \u203A ${r.test}: ${r.outcomes} (${r.change}${extra ? `; ${extra}` : ""})`)}`
      );
    }
    if (changed.length > max) lines.push(`    ... and ${changed.length - max} more (see the reports)`);
  }
  if (ev.missing.length > 0) {
    lines.push(`  missing: ${ev.missing.length} test${ev.missing.length === 1 ? "" : "s"} without a verdict`);
    for (const m of ev.missing.slice(0, max))
      lines.push(`    - ${plainText(`${m.suite} \u203A ${m.test}: ${m.why}`)}`);
    if (ev.missing.length > max) lines.push(`    ... and ${ev.missing.length - max} more (see the reports)`);
  }
  const failures = ev.reasons.filter((r) => !r.startsWith("incomplete: "));
  if (!ev.complete && failures.length > 0) lines.push("  already failing, whatever the missing results say:");
  for (const r of failures.slice(0, max)) lines.push(`  ${paint("red", "x")} ${plainText(r)}`);
  if (failures.length > max) lines.push(`  ... and ${failures.length - max} more (see the reports)`);
  const missing = new Set(ev.missing.map((m) => pairKey(m.suite, m.test)));
  const failing = ev.suites.flatMap((s) => s.tests).filter(
    (t) => (t.outcome === "failed" || t.outcome === "error") && !missing.has(pairKey(t.suite, t.test))
  ).sort((a, b) => OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome]);
  const maxTests = options.maxTests ?? 10;
  if (failing.length > 0) lines.push(`  failing tests:`);
  for (const t of failing.slice(0, maxTests)) {
    lines.push(`    ${t.outcome === "failed" ? paint("red", "x") : paint("yellow", "!")} ${failingLine(t)}`);
  }
  if (failing.length > maxTests) {
    lines.push(`    ... and ${failing.length - maxTests} more failing tests (see the reports)`);
  }
  for (const w of ev.warnings.slice(0, max)) lines.push(`  ${paint("yellow", "!")} ${plainText(w)}`);
  if (ev.warnings.length > max) lines.push(`  ... and ${ev.warnings.length - max} more warnings`);
  if (ev.baseline) {
    const b = ev.baseline;
    lines.push(`  baseline: ${b.regressions.length} regressed, ${b.fixed.length} fixed, ${b.new.length} new`);
  }
  if (ev.flaky.length > 0) lines.push(`  flaky: ${ev.flaky.length} (passed only after a retry)`);
  lines.push(...memoryLines(ev, max));
  if (ev.pendingRuns.length > 0) {
    lines.push(
      `  still running remotely: ${ev.pendingRuns.length} run${ev.pendingRuns.length === 1 ? "" : "s"} (--resume, the Action's resume: true, picks them up)`
    );
  }
  if (options.promotion) {
    lines.push(`  promotion: ${options.promotion.status}: ${plainText(options.promotion.message)}`);
  }
  const p = options.paths;
  if (p?.junitPath) lines.push(`  junit:    ${p.junitPath}`);
  if (p?.markdownPath) lines.push(`  summary:  ${p.markdownPath}`);
  if (p?.resultsPath) lines.push(`  results:  ${p.resultsPath}`);
  if (p?.htmlPath) lines.push(`  report:   ${p.htmlPath}`);
  return `${lines.join("\n")}
`;
}

// src/results.ts
var RESULTS_SCHEMA = "rubric-gate/results@1";
var GateSettingsSchema = external_exports.object({
  minPassRate: external_exports.number().min(0).max(1),
  maxErrors: external_exports.number().int().min(0),
  failOnRegression: external_exports.boolean()
});
var CriterionResult = external_exports.object({ name: external_exports.string(), status: TestStatus });
var AttemptStatus = external_exports.union([TestStatus, external_exports.enum(["timeout", "not_started"])]);
var Attempt = external_exports.object({
  trial: external_exports.number().int().min(1),
  // 1..trials
  retry: external_exports.number().int().min(0),
  // 0 = first attempt of this trial
  runId: external_exports.string().optional(),
  testSuiteRunId: external_exports.string().optional(),
  status: AttemptStatus,
  criteria: external_exports.array(CriterionResult),
  triggeredAt: external_exports.string().optional(),
  // ISO UTC
  completedAt: external_exports.string().optional(),
  // ISO UTC
  durationMs: external_exports.number().min(0).optional(),
  conversationId: external_exports.string().optional(),
  logs: external_exports.string().optional(),
  /** Why an attempt ended in error/timeout/not_started, for humans. */
  message: external_exports.string().optional(),
  /**
   * How the API's answer about this run fell outside its documented shapes (an unknown status,
   * say). Such an answer is never evidence: the trial has no verdict and the run is incomplete.
   */
  undocumented: external_exports.string().optional()
});
var TestResult = external_exports.object({
  name: external_exports.string(),
  testId: external_exports.string().optional(),
  /** Suite file and line of the test, for annotations and JUnit `file`. */
  file: external_exports.string(),
  line: external_exports.number().int().min(1),
  tags: external_exports.array(external_exports.string()),
  criteria: external_exports.array(external_exports.object({ name: external_exports.string(), required: external_exports.boolean() })),
  trials: external_exports.number().int().min(1),
  minPasses: external_exports.number().int().min(1),
  maxDurationSeconds: external_exports.number().int().optional(),
  /**
   * Trials were triggered sequentially (sequential.ts): a trial without attempts was not needed
   * when the others decide the verdict. Absent: every trial was meant to run (--all-trials).
   */
  sequential: external_exports.boolean().optional(),
  /** Filtered out by --grep/--tag/--shard: no attempts, outcome `skipped`. */
  skipped: external_exports.boolean(),
  skipReason: external_exports.string().optional(),
  /** The suite file's `quarantine` reason: the test runs and is reported but gates nothing. */
  quarantine: external_exports.string().optional(),
  /** The suite file's `renamed_from`: a --baseline comparison finds the test under a former name. */
  renamedFrom: external_exports.array(external_exports.string()).optional(),
  attempts: external_exports.array(Attempt),
  /** `run --against`: the same test's attempts on the baseline version, in the same run. */
  againstAttempts: external_exports.array(Attempt).optional()
});
var SuiteResult = external_exports.object({
  name: external_exports.string(),
  file: external_exports.string(),
  gate: GateSettingsSchema,
  tests: external_exports.array(TestResult)
});
var Promotion = external_exports.object({
  assistantId: external_exports.string(),
  versionId: external_exports.string(),
  action: external_exports.enum(["promote", "canary"]),
  canaryWeight: external_exports.number().optional(),
  /** done: written to the API; skipped: gate failed / incomplete; dry-run: --dry-run. */
  status: external_exports.enum(["done", "skipped", "dry-run", "failed"]),
  message: external_exports.string()
});
var BaselineTest = external_exports.object({
  suite: external_exports.string(),
  test: external_exports.string(),
  outcome: external_exports.enum(["passed", "failed", "error", "flaky"]),
  criteria: external_exports.record(external_exports.string(), external_exports.enum(["passed", "failed"]))
});
var BaselineSnapshot = external_exports.object({
  /** Where it came from (a path as given), for humans. */
  source: external_exports.string().optional(),
  tests: external_exports.array(BaselineTest)
});
var ShardInfo = external_exports.object({
  index: external_exports.number().int().min(1),
  total: external_exports.number().int().min(1),
  /** definitionsFingerprint (run/select.ts): every shard of one checkout computes the same. */
  fingerprint: external_exports.string().optional(),
  /** The filters the slices were dealt from, e.g. `--tag smoke --trials 3` ('' for none). */
  filters: external_exports.string().optional(),
  /** Tests the filters selected before the shard was dealt, over all N shards. */
  candidates: external_exports.number().int().min(0).optional()
});
var HistoryTestSnapshot = external_exports.object({
  suite: external_exports.string(),
  test: external_exports.string(),
  strip: external_exports.string().regex(/^[PFE]*$/),
  /** Changes between passed and failed along the strip (errors are not behaviour). */
  flips: external_exports.number().int().min(0),
  /** Flipped at least twice: it went one way and came back under the same definition. */
  flaky: external_exports.boolean(),
  /** Passes in a row, ending with this run. */
  passStreak: external_exports.number().int().min(0)
});
var HistorySnapshot = external_exports.object({
  source: external_exports.string().optional(),
  /** Runs the history held, this one included (read before the file is bounded). */
  runs: external_exports.number().int().min(0),
  /** How many recent runs the strips and pass rates look at. */
  window: external_exports.number().int().min(1),
  /** Passing runs in a row after which a quarantined test is pointed out as ready to release. */
  releaseAfter: external_exports.number().int().min(1),
  tests: external_exports.array(HistoryTestSnapshot),
  suites: external_exports.array(
    external_exports.object({
      suite: external_exports.string(),
      runs: external_exports.number().int().min(0),
      passing: external_exports.number().int().min(0),
      total: external_exports.number().int().min(0)
    })
  )
});
var AgainstInfo = external_exports.object({
  versionId: external_exports.string(),
  /** As asked: `main` (resolved to versionId when the run started) or the version id. */
  label: external_exports.string()
});
var Spent = external_exports.object({
  runs: external_exports.number().int().min(0),
  /** Sum of the runs' durations, minutes. */
  callMinutes: external_exports.number().min(0),
  /** Trials sequential trials did not trigger because the verdict was already decided. */
  runsSaved: external_exports.number().int().min(0)
});
var Results = external_exports.object({
  schema: external_exports.literal(RESULTS_SCHEMA),
  tool: external_exports.object({ name: external_exports.literal("rubric-gate"), version: external_exports.string() }),
  startedAt: external_exports.string(),
  finishedAt: external_exports.string(),
  /** destination_version_id the runs targeted; absent = main. */
  versionId: external_exports.string().optional(),
  /** The version's name, when the run could read it (--assistant with --version). */
  versionName: external_exports.string().optional(),
  shard: ShardInfo.optional(),
  /** definitionsFingerprint (run/select.ts) of the suite files the run loaded. */
  fingerprint: external_exports.string().optional(),
  /** `--pass-with-no-tests`: an empty selection was asked for, so it may pass. */
  passWithNoTests: external_exports.boolean().optional(),
  /** `--no-quarantine`: quarantined tests gate like the others. */
  noQuarantine: external_exports.boolean().optional(),
  /** false when the run could not finish (timeout, cancel, API error). */
  complete: external_exports.boolean(),
  incompleteReason: external_exports.string().optional(),
  /** Gate tightening from flags (--min-pass-rate etc.), applied on top of each suite's gate. */
  gateOverrides: GateSettingsSchema.partial().optional(),
  suites: external_exports.array(SuiteResult),
  /** The --baseline this run was compared with; `report` and `merge` compare with it again. */
  baseline: BaselineSnapshot.optional(),
  promotion: Promotion.optional(),
  /** `run --against`: the in-run baseline version (each test's againstAttempts ran on it). */
  against: AgainstInfo.optional(),
  spent: Spent.optional(),
  /** Recent history from --history (written by `run`; `report` renders it again). */
  history: HistorySnapshot.optional(),
  /** Derived (verdict.ts). Written for other consumers; recomputed when read back. */
  evaluation: external_exports.unknown().optional()
});

// src/results-file.ts
function parseResults(text, file) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const pos = at ? lineCol(text, Number(at[1])) : { line: 1, col: 1 };
    throw new UsageError(
      `${formatProblem({ file, ...pos, message: `not valid JSON: ${message}` })}
Is this a results.json written by rubric-gate?`
    );
  }
  const schema = data?.schema;
  if (schema !== RESULTS_SCHEMA) {
    const found = typeof schema === "string" ? `schema "${schema}"` : 'no "schema" field';
    const hint = typeof schema === "string" && schema.startsWith("rubric-gate/results@") ? "; was it written by another rubric-gate version?" : "";
    throw new UsageError(
      `${file}: not a rubric-gate results file: expected schema "${RESULTS_SCHEMA}", found ${found}${hint}`
    );
  }
  const parsed = Results.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = locateIssues(text, file, parsed.error.issues);
  const shown2 = problems.slice(0, 10).map(formatProblem);
  if (problems.length > shown2.length) shown2.push(`... and ${problems.length - shown2.length} more`);
  throw new UsageError(`${file} is not a valid rubric-gate results file:
${shown2.join("\n")}`);
}
async function readResultsFile(path, shownAs = path) {
  let text;
  try {
    text = readCapped(path, JSON_FILE_LIMIT);
  } catch (err) {
    const code = err.code;
    throw new UsageError(
      code === "ENOENT" ? `${shownAs}: no such file` : `${shownAs}: cannot read (${code ?? String(err)})`
    );
  }
  if (text === void 0) {
    throw new UsageError(
      `${shownAs}: larger than ${mib(JSON_FILE_LIMIT)}; is this a results.json written by rubric-gate?`
    );
  }
  return parseResults(text, shownAs);
}
function locateIssues(text, file, issues) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_QUIET, lineCounter });
  return issues.map((issue) => ({
    file,
    ...positionOf(lineCounter, offsetOf(doc, issue.path)),
    message: `${showPath(issue.path)}: ${issue.message}`
  }));
}
function lineCol(text, pos) {
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, col: pos - before.lastIndexOf("\n") };
}

// src/verdict.ts
var EVALUATION_SCHEMA = "rubric-gate/evaluation@1";
var uniq = (xs) => {
  const seen = /* @__PURE__ */ new Set();
  for (const x of xs) if (x) seen.add(x);
  return [...seen];
};
function emptyCounts() {
  return { total: 0, passed: 0, failed: 0, error: 0, flaky: 0, skipped: 0, unfinished: 0, pending: 0 };
}
function addCounts(a, b) {
  return {
    total: a.total + b.total,
    passed: a.passed + b.passed,
    failed: a.failed + b.failed,
    error: a.error + b.error,
    flaky: a.flaky + b.flaky,
    skipped: a.skipped + b.skipped,
    unfinished: a.unfinished + b.unfinished,
    pending: a.pending + b.pending
  };
}
function countOutcomes(tests, outcomes) {
  const c = emptyCounts();
  tests.forEach((t, i) => {
    c.total++;
    c[t.outcome]++;
    if (hasNoVerdict(outcomes[i])) {
      c.unfinished++;
      if (t.pending) c.pending++;
    }
  });
  return c;
}
function testMessage(t, o) {
  if (t.skipped) return t.skipReason;
  if (o.outcome === "flaky") {
    const retried = o.trialOutcomes.find((x) => x.status === "passed" && x.attempts > 1);
    const first2 = t.attempts.find((a) => a.trial === retried?.trial && a.retry === 0);
    const why = first2 ? `; first attempt: ${first2.status}${first2.message ? ` (${first2.message})` : ""}` : "";
    return `passed after ${(retried?.attempts ?? 2) - 1} retr${retried?.attempts === 2 ? "y" : "ies"}${why}`;
  }
  if (o.outcome !== "error") return void 0;
  const errored = o.trialOutcomes.filter((x) => x.status === "error");
  const first = errored.find((x) => x.errorKind === o.errorKind) ?? errored[0];
  const detail = first?.last?.message;
  switch (first?.errorKind) {
    case "pending":
      return `still ${first.last?.status ?? "running"} remotely${detail ? `: ${detail}` : ""}`;
    case "timeout":
      return detail ?? "timed out waiting for the run to finish";
    case "not_started":
      return detail ?? "the run was never started";
    case "no_criteria":
      return `the run ended with status ${first.last?.status ?? "unknown"} but without a result for every rubric criterion`;
    case "undocumented":
      return first.last?.undocumented ?? "the API answered outside its documented shapes";
    case "missing":
      return "no attempt was recorded";
    default:
      return detail ?? causeFromLogs(first?.last?.logs) ?? "the run ended in error";
  }
}
function causeFromLogs(logs) {
  const last = logs?.split(/\r\n|[\n\r]/).map((l) => l.trim()).filter(Boolean).at(-1);
  if (!last) return void 0;
  return `the run ended in error: ${last.length > 200 ? `${last.slice(0, 199)}\u2026` : last}`;
}
var testGates = (t, noQuarantine) => t.quarantine === void 0 || noQuarantine;
function evaluate(results, options = {}) {
  const snapshot = combineBaselines(results.baseline, options.baseline && asSnapshot(options.baseline));
  const inRun = compareInRun(results);
  const comparison = snapshot ? compareWithBaseline(results, snapshot) : inRun?.comparison;
  const changes = new Map(comparison?.tests.map((c) => [pairKey(c.suite, c.test), c]));
  if (snapshot && inRun) {
    for (const c of inRun.comparison.tests)
      if (c.change === "regression") changes.set(pairKey(c.suite, c.test), c);
  }
  const pendingRuns = [];
  const missing = [];
  const allOutcomes = [];
  const gates = (t) => testGates(t, results.noQuarantine === true);
  const historyOf = new Map(results.history?.tests.map((h) => [pairKey(h.suite, h.test), h]));
  let gatingRan = 0;
  const baselineUnknown = results.against ? baselineMissing(results, gates) : [];
  const unknownBySuite = /* @__PURE__ */ new Map();
  for (const m of baselineUnknown)
    unknownBySuite.set(m.suite, (unknownBySuite.get(m.suite) ?? /* @__PURE__ */ new Set()).add(m.test));
  const suites = results.suites.map((s) => {
    const outcomes = s.tests.map(testOutcome);
    for (const o of outcomes) allOutcomes.push(o);
    const tests = s.tests.map((t, i) => {
      const o = outcomes[i];
      const ref = { suite: s.name, test: t.name, file: t.file, line: t.line };
      for (const a of t.attempts) {
        if (!isInProgress(a.status)) continue;
        const latest = o.trialOutcomes.find((x) => x.trial === a.trial)?.last;
        if (latest !== a) continue;
        pendingRuns.push({
          ...ref,
          trial: a.trial,
          status: a.status,
          ...a.runId ? { runId: a.runId } : {},
          ...a.testSuiteRunId ? { testSuiteRunId: a.testSuiteRunId } : {}
        });
      }
      const key = changes.size + historyOf.size > 0 ? pairKey(s.name, t.name) : "";
      const change = changes.size > 0 ? changes.get(key) : void 0;
      const message = testMessage(t, o);
      if (hasNoVerdict(o) && gates(t)) missing.push({ ...ref, why: message ?? "no verdict" });
      const h = historyOf.size > 0 ? historyOf.get(key) : void 0;
      return {
        suite: ref.suite,
        test: ref.test,
        file: ref.file,
        line: ref.line,
        outcome: o.outcome,
        pending: o.pending,
        ...o.errorKind ? { errorKind: o.errorKind } : {},
        trials: o.trials,
        minPasses: o.minPasses,
        passes: o.passes,
        failures: o.failures,
        errors: o.errors,
        failedCriteria: o.failedCriteria,
        durationMs: o.durationMs,
        runIds: uniq(t.attempts.map((a) => a.runId)),
        conversationIds: uniq(t.attempts.map((a) => a.conversationId)),
        ...message ? { message } : {},
        ...change ? { change: change.change, criteriaChanges: change.criteria } : {},
        ...o.decidedAfter === void 0 ? {} : { decidedAfter: o.decidedAfter },
        ...t.quarantine === void 0 ? {} : { quarantine: t.quarantine },
        ...h ? { history: { strip: h.strip, flips: h.flips, flaky: h.flaky, passStreak: h.passStreak } } : {}
      };
    });
    const gating = new Set(s.tests.filter(gates).map((t) => t.name));
    gatingRan += s.tests.filter((t, i) => gates(t) && outcomes[i]?.outcome !== "skipped").length;
    const regressions = comparison ? tests.filter((t) => t.change === "regression" && gating.has(t.test)).map((t) => t.test) : void 0;
    const unknown = unknownBySuite.get(s.name);
    const maybeRegressed = unknown ? tests.filter((t) => unknown.has(t.test) && !isPass(t.outcome)).map((t) => t.test) : [];
    const gate = evaluateSuiteGate(
      {
        name: s.name,
        gate: s.gate,
        tests: s.tests.flatMap(
          (t, i) => gating.has(t.name) ? [{ name: t.name, outcome: outcomes[i] }] : []
        ),
        ...regressions ? { regressions } : {},
        ...maybeRegressed.length > 0 ? { maybeRegressed } : {}
      },
      results.gateOverrides
    );
    return {
      name: s.name,
      file: s.file,
      counts: countOutcomes(tests, outcomes),
      durationMs: tests.reduce((n, t) => n + t.durationMs, 0),
      gate,
      tests
    };
  });
  const totals = suites.reduce((acc, s) => addCounts(acc, s.counts), emptyCounts());
  const ran = totals.total - totals.skipped;
  const reasons = suites.flatMap((s) => s.gate.reasons);
  for (const m of baselineUnknown) missing.push(m);
  const complete = results.complete && missing.length === 0;
  const incompleteCause = complete ? void 0 : describeMissing(results, missing, pendingRuns.length);
  if (incompleteCause !== void 0) reasons.unshift(`incomplete: ${incompleteCause}`);
  if (gatingRan === 0 && !results.passWithNoTests && !((results.shard?.candidates ?? 0) > 0)) {
    reasons.push(
      ran === 0 ? "no test was selected: every test was filtered out or skipped (pass --pass-with-no-tests to allow an empty selection)" : `no test gates: every selected test is quarantined (${ran} ran and gate nothing; pass --no-quarantine to gate on them, or --pass-with-no-tests to allow it)`
    );
  }
  const gateReasons = reasons.filter((r) => !r.startsWith("incomplete: "));
  const passed = complete && gateReasons.length === 0 && suites.every((s) => s.gate.ok);
  const verdict = !complete ? "incomplete" : passed ? "passed" : "failed";
  const allTests = suites.flatMap((s) => s.tests);
  const toRef = (t) => ({
    suite: t.suite,
    test: t.test,
    file: t.file,
    line: t.line
  });
  const evaluation = {
    schema: EVALUATION_SCHEMA,
    passed,
    complete,
    verdict,
    cause: verdict === "passed" ? "all gates held" : verdict === "incomplete" ? incompleteCause ?? "the run did not finish" : `${gateReasons[0] ?? "a gate failed"}${gateReasons.length > 1 ? ` (and ${gateReasons.length - 1} more)` : ""}`,
    reasons,
    gating: gatingRan,
    missing,
    warnings: uniq(suites.flatMap((s) => s.gate.warnings)),
    totals,
    passRate: ran === 0 ? null : (totals.passed + totals.flaky) / ran,
    durationMs: suites.reduce((n, s) => n + s.durationMs, 0),
    suites,
    flaky: allTests.filter((t) => t.outcome === "flaky").map(toRef),
    pendingRuns
  };
  const quarantined = allTests.filter((t) => t.quarantine !== void 0);
  if (quarantined.length > 0) {
    const releaseAfter = results.history?.releaseAfter;
    evaluation.quarantine = {
      gating: results.noQuarantine === true,
      tests: quarantined.map((t) => ({
        ...toRef(t),
        reason: t.quarantine ?? "",
        outcome: t.outcome,
        ready: releaseAfter !== void 0 && (t.history?.passStreak ?? 0) >= releaseAfter,
        ...t.history ? { passStreak: t.history.passStreak } : {}
      }))
    };
  }
  if (results.history) {
    const h = results.history;
    evaluation.history = {
      runs: h.runs,
      window: h.window,
      releaseAfter: h.releaseAfter,
      flaky: allTests.flatMap(
        (t) => t.history?.flaky ? [{ ...toRef(t), strip: t.history.strip, flips: t.history.flips }] : []
      ),
      suites: h.suites.map((x) => ({ ...x, rate: x.total === 0 ? null : x.passing / x.total }))
    };
  }
  const tr = trialRate(allOutcomes.filter((o) => o.outcome !== "skipped"));
  if (tr) evaluation.trialPassRate = tr;
  if (inRun) {
    const { versionId, label, significance, rows } = inRun;
    evaluation.against = { versionId, label, significance, rows };
  }
  if (results.spent) evaluation.spent = results.spent;
  if (comparison) {
    const pick = (c) => allTests.filter((t) => t.change === c).map(toRef);
    evaluation.baseline = {
      regressions: pick("regression"),
      fixed: pick("fixed"),
      new: pick("new"),
      criterionRegressions: snapshot && inRun ? [...comparison.criterionRegressions, ...inRun.comparison.criterionRegressions] : comparison.criterionRegressions
    };
  }
  return evaluation;
}
function baselineMissing(results, gates) {
  const label = results.against?.label ?? "baseline";
  return results.suites.flatMap(
    (s) => s.tests.flatMap((t) => {
      if (t.skipped || !gates(t)) return [];
      const side = baselineSide(t);
      const o = testOutcome(side);
      if (!hasNoVerdict(o)) return [];
      const why = `on the baseline (${label}): ${testMessage(side, o) ?? "no verdict"}`;
      return [{ suite: s.name, test: t.name, file: t.file, line: t.line, why }];
    })
  );
}
function describeMissing(results, missing, stillRunning) {
  const parts = [];
  if (!results.complete) parts.push(results.incompleteReason ?? "the run did not finish");
  const n = missing.length;
  const total = results.suites.reduce((k, s) => k + s.tests.filter((t) => !t.skipped).length, 0);
  if (n > 0) {
    const running = stillRunning > 0 && !parts.some((p) => p.includes("in progress remotely")) ? ` (${stillRunning} run${stillRunning === 1 ? "" : "s"} still in progress remotely)` : "";
    parts.push(
      `${n} of ${total} selected test${total === 1 ? "" : "s"} ${n === 1 ? "has" : "have"} no verdict${running}`
    );
  }
  return parts.join("; ");
}

// src/commands/report.ts
function gateOverridesFromFlags(flags) {
  const o = {};
  if (flags.minPassRate !== void 0) {
    if (!Number.isFinite(flags.minPassRate) || flags.minPassRate < 0 || flags.minPassRate > 1) {
      throw new UsageError(
        `--min-pass-rate must be a number from 0 to 1 (e.g. 0.9), got ${flags.minPassRate}`
      );
    }
    o.minPassRate = flags.minPassRate;
  }
  if (flags.maxErrors !== void 0) {
    if (!Number.isInteger(flags.maxErrors) || flags.maxErrors < 0) {
      throw new UsageError(`--max-errors must be a whole number >= 0, got ${flags.maxErrors}`);
    }
    o.maxErrors = flags.maxErrors;
  }
  if (flags.failOnRegression !== void 0) o.failOnRegression = flags.failOnRegression;
  return Object.keys(o).length > 0 ? o : void 0;
}
var shown = (io, path) => {
  const rel = relative(io.cwd, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
};
function decide(results, flags = {}, baseline) {
  const gateOverrides = tightenOverrides(results.gateOverrides, gateOverridesFromFlags(flags));
  const snapshot = combineBaselines(
    results.baseline,
    baseline && baselineSnapshot(baseline.results, baseline.source)
  );
  const gated = {
    ...results,
    ...gateOverrides ? { gateOverrides } : {},
    ...snapshot ? { baseline: snapshot } : {}
  };
  return { gated, evaluation: evaluate(gated) };
}
function exitCodeOf(results, evaluation) {
  const code = exitCodeForVerdict(evaluation);
  return code === EXIT.ok && shownVerdict(evaluation, results) === "incomplete" ? EXIT.incomplete : code;
}
async function gateAndReport(results, opts, io) {
  const baseline = typeof opts.baseline === "string" ? {
    results: await readResultsFile(resolve(io.cwd, opts.baseline), opts.baseline),
    source: opts.baseline
  } : opts.baseline && { results: opts.baseline };
  const { gated, evaluation } = decide(results, opts, baseline);
  const final = opts.afterGate ? await opts.afterGate(gated, evaluation) : gated;
  const outDir = resolve(io.cwd, opts.outDir ?? DEFAULT_OUT_DIR);
  let written = {};
  let unwritten;
  try {
    written = await writeReports(final, evaluation, {
      outDir,
      ...opts.reporters ? { reporters: opts.reporters } : {}
    });
  } catch (err) {
    unwritten = { err };
  }
  const paths = {
    ...written.junitPath ? { junitPath: shown(io, written.junitPath) } : {},
    ...written.markdownPath ? { markdownPath: shown(io, written.markdownPath) } : {},
    ...written.resultsPath ? { resultsPath: shown(io, written.resultsPath) } : {},
    ...written.htmlPath ? { htmlPath: shown(io, written.htmlPath) } : {}
  };
  if (!unwritten) opts.onReported?.({ results: final, evaluation, paths: written });
  io.stdout(
    renderConsoleSummary(evaluation, {
      paths,
      promotion: final.promotion,
      color: colorEnabled(io.env, io.isTTY)
    })
  );
  if (unwritten) throw unwritten.err;
  return exitCodeOf(final, evaluation);
}
async function reportCommand(opts, io) {
  if (!opts.from) throw new UsageError("report needs --from <results.json>");
  const results = await readResultsFile(resolve(io.cwd, opts.from), opts.from);
  return gateAndReport(results, opts, io);
}

export {
  RESULTS_SCHEMA,
  CriterionResult,
  AttemptStatus,
  readResultsFile,
  gateOverridesFromFlags,
  decide,
  exitCodeOf,
  gateAndReport,
  reportCommand
};
