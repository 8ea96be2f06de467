import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  ALLOW_EMPTY,
  assertSelection,
  canonical,
  compileGrep,
  definitionsFingerprint,
  describeFilters,
  fingerprintsBefore,
  parseShard,
  remoteFingerprint,
  selectTests,
  shardInfo,
  testFingerprint,
  versionTargetProblem
} from "./chunk-5KHM2P4Y.js";
import {
  AttemptStatus,
  CriterionResult,
  RESULTS_SCHEMA,
  gateAndReport,
  gateOverridesFromFlags,
  readResultsFile
} from "./chunk-EGNYDXSP.js";
import {
  colorEnabled,
  painter
} from "./chunk-WMK44IXT.js";
import {
  DEFAULT_OUT_DIR,
  JSON_FILE_LIMIT,
  REPORTERS,
  attemptVerdict,
  decidedVerdict,
  hasNoVerdict,
  jsonChunks,
  mib,
  pairKey,
  parseReporters,
  readCapped,
  testOutcome,
  trialBounds,
  trialsToKeepOpen,
  tupleKey,
  writeFileAtomic
} from "./chunk-7B25DCRM.js";
import {
  DEFAULT_SUITE_PATHS,
  PAGE_SIZE,
  TRIALS_MAX,
  TelnyxClient,
  assertNoConflicts,
  fetchRemote,
  hasWrites,
  isNotSentCode,
  loadSuites,
  pLimit,
  planSummary,
  readAndPlan,
  renderSyncReport,
  reportError,
  resolveApiConfig,
  syncPlan,
  throwIfFailed
} from "./chunk-TIPRGJ5U.js";
import {
  VERSION
} from "./chunk-WRUJUDGY.js";
import {
  ApiError,
  SuiteFileError,
  UsageError,
  isNotFound,
  redact
} from "./chunk-5CZ452EX.js";
import {
  TEST_STATUSES,
  TestStatus,
  external_exports,
  isFinal,
  isInProgress,
  isTestStatus
} from "./chunk-IJNY3YTN.js";
import {
  cleanLine
} from "./chunk-LN4465GO.js";

// src/commands/run.ts
import { resolve as resolve2 } from "node:path";

// src/duration.ts
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text2, flag = "--timeout") {
  const s = text2.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1e3);
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== s) {
    throw new UsageError(
      `${flag} "${text2}" is not a duration: use e.g. 90s, 15m, 1h30m (bare numbers are seconds)`
    );
  }
  return Math.round(parts.reduce((ms, p) => ms + Number(p[1]) * UNIT_MS[p[2]], 0));
}

// src/history.ts
var HISTORY_SCHEMA = "rubric-gate/history@1";
var DEFAULT_HISTORY_LIMIT = 50;
var HISTORY_LIMIT_MAX = 1e4;
var HISTORY_WINDOW = 10;
var RELEASE_AFTER = 5;
var HistoryTest = external_exports.object({
  suite: external_exports.string(),
  test: external_exports.string(),
  /** testFingerprint (run/select.ts) of the definition that ran. */
  def: external_exports.string(),
  outcome: external_exports.enum(["passed", "failed", "error", "flaky"]),
  /** Criteria that failed, when the outcome is failed. */
  failed: external_exports.array(external_exports.string()).optional(),
  /** Runs spent on the test (triggered attempts: trials and retries). */
  runs: external_exports.number().int().min(0),
  quarantined: external_exports.boolean().optional(),
  /** The shortest of its runs that the API finished, ms (when one did): when to look for results. */
  ms: external_exports.number().min(0).optional()
});
var HistoryRecord = external_exports.object({
  schema: external_exports.literal(HISTORY_SCHEMA),
  /** When the run finished, ISO UTC. */
  at: external_exports.string(),
  /** When its runs were first triggered: a --resume of the same run replaces its record. */
  started: external_exports.string().optional(),
  commit: external_exports.string().optional(),
  /** rubric-gate's version. */
  tool: external_exports.string(),
  /** destination_version_id the run targeted; absent = main. */
  versionId: external_exports.string().optional(),
  /** definitionsFingerprint (run/select.ts) of every loaded suite. */
  fingerprint: external_exports.string().optional(),
  complete: external_exports.boolean(),
  /** Tests with a verdict in this run (skipped and unfinished ones say nothing). */
  tests: external_exports.array(HistoryTest)
});
function parseHistory(text2, file) {
  const out = [];
  const lines = text2.split("\n");
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const fail = (why) => new UsageError(
      `${file}:${i + 1}:1: ${why}. Is this a rubric-gate --history file? Delete the line (or the file, to start the history over).`
    );
    let data;
    try {
      data = JSON.parse(line);
    } catch (err) {
      throw fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
    const parsed = HistoryRecord.safeParse(data);
    if (!parsed.success) {
      const schema = data?.schema;
      const issue = parsed.error.issues[0];
      throw fail(
        schema !== HISTORY_SCHEMA ? `expected a record with schema "${HISTORY_SCHEMA}", found ${typeof schema === "string" ? `"${schema}"` : "none"}` : `${issue?.path.join(".") || "record"}: ${issue?.message ?? "invalid"}`
      );
    }
    out.push(parsed.data);
  });
  return out;
}
function renderHistory(records) {
  return records.map((r) => `${JSON.stringify(r)}
`).join("");
}
function appendBounded(records, record, limit = DEFAULT_HISTORY_LIMIT) {
  const last = records.at(-1);
  const kept = last && record.started !== void 0 && last.started === record.started ? records.slice(0, -1) : records;
  return [...kept, record].slice(-Math.max(1, limit));
}
function historyRecord(results, suites, meta) {
  const defs = new Map(suites.flatMap((s) => s.tests.map((t) => [pairKey(s.name, t.name), t])));
  const tests = [];
  for (const s of results.suites) {
    for (const t of s.tests) {
      const def = defs.get(pairKey(s.name, t.name));
      const o = testOutcome(t);
      if (!def || o.outcome === "skipped" || hasNoVerdict(o)) continue;
      const entry = {
        suite: s.name,
        test: t.name,
        def: testFingerprint(def),
        outcome: o.outcome,
        runs: t.attempts.filter((a) => a.runId !== void 0).length
      };
      if (o.outcome === "failed") entry.failed = o.failedCriteria.map((c) => c.name);
      const ms = shortestRun(t.attempts);
      if (ms !== void 0) entry.ms = ms;
      if (t.quarantine !== void 0) entry.quarantined = true;
      tests.push(entry);
    }
  }
  const record = {
    schema: HISTORY_SCHEMA,
    at: results.finishedAt,
    started: results.startedAt,
    tool: meta.tool,
    complete: results.complete,
    tests
  };
  if (meta.commit) record.commit = meta.commit;
  if (results.versionId !== void 0) record.versionId = results.versionId;
  if (meta.fingerprint) record.fingerprint = meta.fingerprint;
  return record;
}
function shortestRun(attempts) {
  let min;
  for (const a of attempts) {
    if (a.runId === void 0 || a.durationMs === void 0 || a.undocumented !== void 0) continue;
    if (a.status !== "passed" && a.status !== "failed" && a.status !== "error") continue;
    min = min === void 0 ? a.durationMs : Math.min(min, a.durationMs);
  }
  return min === void 0 ? void 0 : Math.round(min);
}
function expectedDurations(records) {
  const out = /* @__PURE__ */ new Map();
  for (const r of records.slice(-HISTORY_WINDOW)) {
    for (const t of r.tests) {
      if (t.ms === void 0) continue;
      const k = pairKey(t.suite, t.test);
      out.set(k, Math.min(out.get(k) ?? Number.POSITIVE_INFINITY, t.ms));
    }
  }
  return out;
}
var LETTER = {
  passed: "P",
  flaky: "P",
  // passed after a retry of an infrastructure error: a pass for behaviour
  failed: "F",
  error: "E"
};
function countFlips(strip) {
  let flips = 0;
  let prev;
  for (const c of strip) {
    if (c === "E") continue;
    if (prev !== void 0 && c !== prev) flips++;
    prev = c;
  }
  return flips;
}
var isFlakyStrip = (strip) => countFlips(strip) >= 2;
function passStreak(strip) {
  let n = 0;
  for (let i = strip.length - 1; i >= 0 && strip[i] === "P"; i--) n++;
  return n;
}
var recordIndex = /* @__PURE__ */ new WeakMap();
function testsOf(record) {
  let index = recordIndex.get(record);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    record.tests.forEach((t, at) => {
      const k = pairKey(t.suite, t.test);
      if (!index?.has(k)) index?.set(k, { test: t, at });
    });
    recordIndex.set(record, index);
  }
  return index;
}
function testStrip(records, suite, test, def, window = HISTORY_WINDOW) {
  const names = /* @__PURE__ */ new Set([test.name, ...test.renamedFrom]);
  const letters = [];
  for (let i = records.length - 1; i >= 0 && letters.length < window; i--) {
    const byName = testsOf(records[i]);
    let entry;
    for (const n of names) {
      const hit = byName.get(pairKey(suite, n));
      if (hit && (!entry || hit.at < entry.at)) entry = hit;
    }
    if (!entry) continue;
    if (entry.test.def !== def) break;
    letters.push(LETTER[entry.test.outcome]);
  }
  return letters.reverse().join("");
}
function summarizeHistory(records, suites, options = {}) {
  const window = options.window ?? HISTORY_WINDOW;
  const current = records.at(-1);
  const defs = new Map(suites.flatMap((s) => s.tests.map((t) => [pairKey(s.name, t.name), t])));
  const tests = [];
  for (const e of current?.tests ?? []) {
    const def = defs.get(pairKey(e.suite, e.test));
    if (!def) continue;
    const strip = testStrip(records, e.suite, def, e.def, window);
    const flips = countFlips(strip);
    tests.push({
      suite: e.suite,
      test: e.test,
      strip,
      flips,
      flaky: isFlakyStrip(strip),
      passStreak: passStreak(strip)
    });
  }
  const recent = records.slice(-window);
  const suiteRows = suites.flatMap((s) => {
    let runs = 0;
    let passing = 0;
    let total = 0;
    for (const r of recent) {
      const mine = r.tests.filter((t) => t.suite === s.name);
      if (mine.length === 0) continue;
      runs++;
      total += mine.length;
      passing += mine.filter((t) => LETTER[t.outcome] === "P").length;
    }
    return runs === 0 ? [] : [{ suite: s.name, runs, passing, total }];
  });
  return {
    ...options.source === void 0 ? {} : { source: options.source },
    runs: records.length,
    window,
    releaseAfter: options.releaseAfter ?? RELEASE_AFTER,
    tests,
    suites: suiteRows
  };
}
async function readHistoryFile(path2, shownAs = path2) {
  let text2;
  try {
    text2 = readCapped(path2, JSON_FILE_LIMIT);
  } catch (err) {
    const code = err.code;
    if (code === "ENOENT") return [];
    throw new UsageError(`--history ${shownAs}: cannot read (${code ?? String(err)})`);
  }
  if (text2 === void 0) {
    throw new UsageError(
      `--history ${shownAs}: larger than ${mib(JSON_FILE_LIMIT)}; is this a history file written by rubric-gate?`
    );
  }
  return parseHistory(text2, shownAs);
}
function writeHistoryFile(path2, records) {
  writeFileAtomic(path2, renderHistory(records));
}

// src/run/against.ts
function checkAgainstFlags(r) {
  if (r.against.trim() === "") throw new UsageError("--against needs a version id or `main`");
  if (r.versionId === void 0) {
    throw new UsageError(
      "--against compares the candidate --version with a baseline version: pass --version <id> too"
    );
  }
  if (r.against === r.versionId) {
    throw new UsageError(`--against ${r.against} is the --version itself: nothing to compare`);
  }
  if (r.against === "main" && r.assistantId === void 0) {
    throw new UsageError(
      "--against main needs --assistant <id>: the main version is read from the assistant (GET /ai/assistants/{id})"
    );
  }
}
async function resolveAgainst(api, r, call = {}) {
  checkAgainstFlags(r);
  const assistantId = r.assistantId;
  if (r.against !== "main") {
    if (assistantId !== void 0) {
      try {
        await api.getVersion(assistantId, r.against, call);
      } catch (err) {
        if (isNotFound(err)) {
          throw new UsageError(
            `--against ${r.against}: assistant ${assistantId} has no such version. Nothing was triggered.`
          );
        }
        throw err;
      }
    }
    return { versionId: r.against, label: r.against };
  }
  let main;
  try {
    main = (await api.getAssistant(assistantId ?? "", call)).version_id;
  } catch (err) {
    if (isNotFound(err)) {
      throw new UsageError(`--assistant ${assistantId}: no such assistant (404). Nothing was triggered.`);
    }
    throw err;
  }
  if (main === void 0) {
    throw new UsageError(
      `--against main: the API did not say which version of assistant ${assistantId} is main; pass the version id instead. Nothing was triggered.`
    );
  }
  if (main === r.versionId) {
    throw new UsageError(
      `--version ${r.versionId} is already the main version of assistant ${assistantId}: nothing to compare. Nothing was triggered.`
    );
  }
  return { versionId: main, label: "main" };
}

// src/run/schedule.ts
import { createHash } from "node:crypto";
var ASSUMED_MAX_DURATION_SECONDS = 3600;
function scheduleSuites(selection, ctx) {
  const bySuite = /* @__PURE__ */ new Map();
  for (const s of selection) {
    const list2 = bySuite.get(s.suite.name) ?? [];
    list2.push(s);
    bySuite.set(s.suite.name, list2);
  }
  const out = [];
  for (const [suite, all] of bySuite) {
    const tests = all.filter((s) => s.selected);
    if (tests.length === 0) continue;
    const reason = perTestReason(suite, all, tests, ctx);
    const batches = tests[0]?.trials ?? 1;
    out.push(
      reason === void 0 ? { suite, mode: "suite", tests, batches } : { suite, mode: "per-test", reason, tests, batches: 0 }
    );
  }
  return out;
}
function perTestReason(suite, all, tests, ctx) {
  if (ctx.maxInFlight !== void 0) return "--max-in-flight starts runs one at a time";
  if (tests.length < all.length) return "only part of the suite is selected";
  if (new Set(tests.map((t) => t.trials)).size > 1) return "tests have different trial counts";
  const local = tests.map((t) => ctx.testIds.get(pairKey(t.suite.name, t.test.name)));
  if (local.some((id) => id === void 0)) return "some tests do not exist remotely";
  const remote = new Set(ctx.remoteSuiteTests.get(suite) ?? []);
  if (remote.size !== local.length || !local.every((id) => id !== void 0 && remote.has(id))) {
    return "the remote suite holds tests that are not in the suite file (sync --prune removes them)";
  }
  return void 0;
}
var maxDurationOf = (s) => s.test.maxDurationSeconds ?? ASSUMED_MAX_DURATION_SECONDS;
function estimate(selection, retries, schedules = [], opts = {}) {
  const sides = opts.sides ?? 1;
  const selected = selection.filter((s) => s.selected);
  let runs = 0;
  let bestRuns = 0;
  let seconds = 0;
  let bestSeconds = 0;
  let assumed = 0;
  for (const s of selected) {
    const best = opts.sequential ? trialBounds(s.trials, s.minPasses).best : s.trials;
    runs += sides * s.trials;
    bestRuns += sides * best;
    seconds += sides * s.trials * maxDurationOf(s);
    bestSeconds += sides * best * maxDurationOf(s);
    if (s.test.maxDurationSeconds === void 0) assumed++;
  }
  let suiteTriggers = 0;
  let testTriggers = 0;
  for (const sc of schedules) {
    if (sc.mode === "suite") suiteTriggers += sides * sc.batches;
    else testTriggers += sides * sc.tests.reduce((n, t) => n + t.trials, 0);
  }
  return {
    runs,
    bestRuns,
    bestCaseMinutes: Math.ceil(bestSeconds / 60),
    sides,
    retryRuns: runs * retries,
    worstCaseMinutes: Math.ceil(seconds / 60),
    assumedDurations: assumed,
    suiteTriggers,
    testTriggers
  };
}
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function formatEstimate(e, retries) {
  const triggers = e.suiteTriggers + e.testTriggers > 0 ? ` (${[
    e.suiteTriggers ? plural(e.suiteTriggers, "suite trigger") : "",
    e.testTriggers ? plural(e.testTriggers, "test trigger") : ""
  ].filter(Boolean).join(", ")})` : "";
  const retry = retries > 0 && e.retryRuns > 0 ? `; --retries ${retries} may add up to ${e.retryRuns} more` : "";
  const assumed = e.assumedDurations > 0 ? ` (${plural(e.assumedDurations, "test")} without max_duration_seconds counted at ${ASSUMED_MAX_DURATION_SECONDS / 60} min, the API maximum)` : "";
  const upTo = e.bestRuns < e.runs ? "up to " : "";
  const sides = e.sides > 1 ? " on the candidate and the baseline version" : "";
  const best = e.bestRuns < e.runs ? `; best case ${plural(e.bestRuns, "run")}, ${plural(e.bestCaseMinutes, "call minute")} (sequential trials stop once a test is decided; --all-trials runs them all)` : "";
  return `Starting ${upTo}${plural(e.runs, "run")}${sides}${triggers}, worst case ${plural(e.worstCaseMinutes, "call minute")}${assumed}${best}${retry}`;
}
function checkMaxCallMinutes(e, max) {
  if (max === void 0 || e.worstCaseMinutes <= max) return;
  throw new UsageError(
    `this run could take ${e.worstCaseMinutes} call minutes at worst (every trial to its max_duration_seconds), more than --max-call-minutes ${max}: set max_duration_seconds, narrow it with --grep, --tag or --shard, or raise --max-call-minutes`
  );
}
function checkMaxRuns(e, maxRuns) {
  if (maxRuns === void 0 || e.runs <= maxRuns) return;
  throw new UsageError(
    `this run would start ${e.runs} runs, more than --max-runs ${maxRuns}: narrow it with --grep, --tag or --shard, or raise --max-runs`
  );
}
function idempotencyKey(nonce, parts) {
  const h = createHash("sha256").update(keyText(parts)).digest("hex").slice(0, 32);
  return `rg-${nonce}-${h}`;
}
function keyText(parts) {
  const text2 = parts.map(String);
  return text2.some((p) => p.includes("\0")) ? JSON.stringify(text2) : text2.join("\0");
}

// src/run/state.ts
import { join } from "node:path";
var STATE_FILE = ".rubric-gate-state.json";
var STATE_SCHEMA = "rubric-gate/run-state@1";
var WorkStatus = external_exports.union([AttemptStatus, external_exports.literal("queued")]);
var Batch = external_exports.object({
  suite: external_exports.string(),
  trial: external_exports.number().int().min(1),
  key: external_exports.string(),
  status: external_exports.enum(["queued", "triggered", "failed"]),
  testSuiteRunId: external_exports.string().optional(),
  triggeredAt: external_exports.string().optional(),
  /** Failed trigger rounds so far (the same key each time). */
  failures: external_exports.number().int().min(0).default(0),
  message: external_exports.string().optional(),
  /** When the trigger was first sent (wall clock): past the key's replay window, runs since then are looked for. */
  sentAt: external_exports.string().optional(),
  /** `--against`: this trigger runs on the baseline version (absent: the candidate). */
  side: external_exports.literal("baseline").optional(),
  /** Sequential trials: not triggered until a test of the batch needs this trial (run/sequential.ts). */
  held: external_exports.boolean().optional(),
  /**
   * Some of its tests were given their own triggers: a suite trigger would run those again, so
   * the rest never go as one either (run/sequential.ts).
   */
  split: external_exports.boolean().optional()
});
var Work = external_exports.object({
  suite: external_exports.string(),
  test: external_exports.string(),
  testId: external_exports.string().optional(),
  trial: external_exports.number().int().min(1),
  retry: external_exports.number().int().min(0),
  /** 'suite': started by batch `batch`; 'test': its own trigger with Idempotency-Key `key`. */
  via: external_exports.enum(["suite", "test"]),
  batch: external_exports.string().optional(),
  key: external_exports.string().optional(),
  status: WorkStatus,
  /** The last status the API reported (status may be our 'timeout' verdict on top of it). */
  remoteStatus: TestStatus.optional(),
  runId: external_exports.string().optional(),
  testSuiteRunId: external_exports.string().optional(),
  criteria: external_exports.array(CriterionResult).default([]),
  triggeredAt: external_exports.string().optional(),
  /** When we first saw it leave pending: the per-run timeout counts from here. */
  activeAt: external_exports.string().optional(),
  completedAt: external_exports.string().optional(),
  durationMs: external_exports.number().min(0).optional(),
  conversationId: external_exports.string().optional(),
  logs: external_exports.string().optional(),
  failures: external_exports.number().int().min(0).default(0),
  message: external_exports.string().optional(),
  /** The run's created_at as the API gave it (the API's clock: where to look in its history). */
  createdAt: external_exports.string().optional(),
  /** When the API last told us this run's status (a timeout needs a fresh sighting). */
  seenAt: external_exports.string().optional(),
  /** When its own trigger was first sent (wall clock), for the past-replay-window check. */
  sentAt: external_exports.string().optional(),
  /**
   * Its trigger's outcome stayed unknown: a run may exist remotely. Never re-triggered under a
   * new Idempotency-Key (--retries skips it); --resume re-sends the same key (replayed if it ran).
   */
  uncertain: external_exports.boolean().optional(),
  /**
   * Its trigger was answered with a refusal (a 4xx other than 408/409/429): uncertain all the
   * same (a proxy may have written it after the API acted), but no trigger that "got no answer".
   */
  refused: external_exports.boolean().optional(),
  /** The API's answer about this run fell outside its documented shapes (results.ts Attempt). */
  undocumented: external_exports.string().optional(),
  /** `--against`: this attempt runs on the baseline version (absent: the candidate). */
  side: external_exports.literal("baseline").optional(),
  /** Sequential trials: not triggered until its test needs this trial (run/sequential.ts). */
  held: external_exports.boolean().optional()
});
function markUncertain(w, refused = false) {
  w.uncertain = true;
  if (refused) w.refused = true;
  else delete w.refused;
}
function clearUncertain(w) {
  delete w.uncertain;
  delete w.refused;
}
var mayHaveStarted = (w) => w.status === "not_started" && w.uncertain === true && w.refused !== true && w.runId === void 0;
var RunSettings = external_exports.object({
  versionId: external_exports.string().optional(),
  grep: external_exports.string().optional(),
  tags: external_exports.array(external_exports.string()).default([]),
  trials: external_exports.number().int().min(1).optional(),
  retries: external_exports.number().int().min(0).default(0),
  maxInFlight: external_exports.number().int().min(1).optional(),
  maxRuns: external_exports.number().int().min(1).optional(),
  shard: external_exports.object({ index: external_exports.number().int().min(1), total: external_exports.number().int().min(1) }).optional(),
  /** `--against`: the baseline version, resolved (`main` → its id) before the first trigger. */
  against: external_exports.object({ versionId: external_exports.string(), label: external_exports.string() }).optional(),
  /** `--all-trials`: every trial runs, none is left out once the test is decided. */
  allTrials: external_exports.boolean().optional(),
  /**
   * How the run is judged, as given: the gate flags, --no-quarantine and --baseline. A resume
   * judges by them too (the tool's own hint to resume passes none of them).
   */
  judging: external_exports.object({
    minPassRate: external_exports.number().optional(),
    maxErrors: external_exports.number().optional(),
    failOnRegression: external_exports.boolean().optional(),
    noQuarantine: external_exports.boolean().optional(),
    baseline: external_exports.string().optional()
  }).optional()
});
var RunState = external_exports.object({
  schema: external_exports.literal(STATE_SCHEMA),
  nonce: external_exports.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  startedAt: external_exports.string(),
  /** Host of the API the runs live on, so a resume against another account is refused. */
  apiHost: external_exports.string().optional(),
  /** remoteFingerprint of the suite files the run started with (absent in older states). */
  definitions: external_exports.string().optional(),
  settings: RunSettings,
  /** Local test → remote test_id, fixed at trigger time. */
  tests: external_exports.array(external_exports.object({ suite: external_exports.string(), name: external_exports.string(), testId: external_exports.string() })),
  batches: external_exports.array(Batch),
  work: external_exports.array(Work),
  /** Sequential trials: attempts dropped untriggered because their test was already decided. */
  notNeeded: external_exports.number().int().min(0).optional(),
  /** promote: the candidate version as read before the first trigger (promote.ts versionPrint). */
  candidate: external_exports.string().optional(),
  /** The name of settings.versionId, when read from the API before the first trigger. */
  versionName: external_exports.string().optional(),
  /** Set when the run ended (complete or not); a finished state is not resumed by accident. */
  finishedAt: external_exports.string().optional()
});
var statePath = (outDir) => join(outDir, STATE_FILE);
function writeState(outDir, state) {
  writeFileAtomic(statePath(outDir), stateChunks(state));
}
function* stateChunks(state) {
  yield* jsonChunks(state, 0, 2);
  yield "\n";
}
function stateWriter(write, now = Date.now, everyMs = 2e3) {
  let dirty = false;
  let last = Number.NEGATIVE_INFINITY;
  const flush = () => {
    if (!dirty) return;
    dirty = false;
    last = now();
    write();
  };
  return {
    /** Something changed: written now if the last write is old enough, else at the next flush. */
    mark: () => {
      dirty = true;
      if (now() - last >= everyMs) flush();
    },
    flush
  };
}
function readState(outDir) {
  const file = statePath(outDir);
  let text2;
  try {
    text2 = readCapped(file, JSON_FILE_LIMIT);
  } catch {
    throw new UsageError(
      `--resume: no run to resume (${file} does not exist); pass the --out-dir of the interrupted run`
    );
  }
  if (text2 === void 0) {
    throw new UsageError(
      `--resume: ${file} is larger than ${mib(JSON_FILE_LIMIT)}; it is not a rubric-gate run state`
    );
  }
  let json;
  try {
    json = JSON.parse(text2);
  } catch (err) {
    throw new UsageError(`--resume: ${file} is not valid JSON (${err instanceof Error ? err.message : err})`);
  }
  const parsed = RunState.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join(".") || "(root)"}: ${first.message}` : "";
    throw new UsageError(`--resume: ${file} is not a rubric-gate run state (${where})`);
  }
  return parsed.data;
}

// src/run/ledger.ts
var isInFlight = (w) => isInProgress(w.status);
var sided = (parts, side) => side === void 0 ? parts : [...parts, side];
var batchKey = (nonce, suite, trial, side) => idempotencyKey(nonce, sided(["suite", suite, trial], side));
var workKey = (nonce, suite, test, trial, retry, side) => idempotencyKey(nonce, sided(["test", suite, test, trial, retry], side));
var attemptId = (w, retry) => tupleKey(w.side ?? "", w.suite, w.test, w.trial, retry);
function initialState(input) {
  const { nonce, schedules, testIds } = input;
  const sides = input.against ? [void 0, "baseline"] : [void 0];
  const side = (s) => s === void 0 ? {} : { side: s };
  const hold = (trials) => input.sequential && trials > 1 ? { held: true } : {};
  const batches = [];
  const work = [];
  const tests = [];
  for (const sc of schedules) {
    for (const t of sc.tests) {
      const id = testIds.get(pairKey(sc.suite, t.test.name));
      if (id !== void 0) tests.push({ suite: sc.suite, name: t.test.name, testId: id });
    }
    for (let trial = 1; trial <= sc.batches; trial++) {
      for (const s of sides) {
        batches.push({
          suite: sc.suite,
          trial,
          key: batchKey(nonce, sc.suite, trial, s),
          status: "queued",
          failures: 0,
          ...side(s),
          ...hold(sc.batches)
        });
      }
    }
  }
  const maxTrials = Math.max(0, ...schedules.flatMap((sc) => sc.tests.map((t) => t.trials)));
  for (let trial = 1; trial <= maxTrials; trial++) {
    for (const sc of schedules) {
      for (const t of sc.tests) {
        if (trial > t.trials) continue;
        const testId = testIds.get(pairKey(sc.suite, t.test.name));
        for (const s of sides) {
          const base = {
            suite: sc.suite,
            test: t.test.name,
            trial,
            retry: 0,
            criteria: [],
            failures: 0,
            ...side(s)
          };
          const withId = testId === void 0 ? base : { ...base, testId };
          if (sc.mode === "suite") {
            work.push({
              ...withId,
              via: "suite",
              batch: batchKey(nonce, sc.suite, trial, s),
              status: "queued",
              ...hold(t.trials)
            });
          } else if (testId === void 0) {
            work.push({
              ...withId,
              via: "test",
              status: "not_started",
              message: `no remote test named ${JSON.stringify(t.test.name)} in suite ${JSON.stringify(sc.suite)}: sync the suite first (run without --no-sync)`
            });
          } else {
            work.push({
              ...withId,
              via: "test",
              key: workKey(nonce, sc.suite, t.test.name, trial, 0, s),
              status: "queued",
              ...hold(t.trials)
            });
          }
        }
      }
    }
  }
  return {
    schema: STATE_SCHEMA,
    nonce,
    startedAt: input.startedAt,
    ...input.apiHost === void 0 ? {} : { apiHost: input.apiHost },
    settings: input.settings,
    tests,
    batches,
    work
  };
}
var iso = (ms) => new Date(ms).toISOString();
function undocumentedStatus(run) {
  if (!isTestStatus(run.status)) {
    return `the API reported run status ${JSON.stringify(run.status)}, which is not a documented run status (${TEST_STATUSES.join(", ")}); counted as an error`;
  }
  const odd = (run.detail_status ?? []).find((d) => !isTestStatus(d.status));
  if (odd) {
    return `the API reported criterion ${JSON.stringify(odd.name)} as ${JSON.stringify(odd.status)}, which is not a documented status; counted as an error`;
  }
  return void 0;
}
function foreignAnswer(w, run) {
  if (w.testId !== void 0 && run.test_id !== w.testId)
    return `the API's answer about run ${JSON.stringify(w.runId ?? run.run_id)} named test ${JSON.stringify(run.test_id)}, not this test (${JSON.stringify(w.testId)})`;
  if (w.runId !== void 0 && run.run_id !== w.runId)
    return `the API answered for run ${JSON.stringify(run.run_id)} when asked about this test's run ${JSON.stringify(w.runId)}`;
  return void 0;
}
function unknowable(w, why, nowMs) {
  const message = `${why}; its result cannot be told, so it counts as an error and is not retried`;
  w.undocumented = message;
  markUncertain(w);
  w.completedAt ??= iso(nowMs);
  return settle(w, "error", message);
}
var LOGS_LIMIT = 64 * 1024;
function capLogs(logs) {
  if (logs.length <= LOGS_LIMIT) return logs;
  const half = LOGS_LIMIT / 2;
  return `${logs.slice(0, half)}
\u2026 (${logs.length - LOGS_LIMIT} characters of the run's logs left out here) \u2026
${logs.slice(-half)}`;
}
function observe(w, run, nowMs) {
  const foreign = foreignAnswer(w, run);
  if (foreign !== void 0) return unknowable(w, foreign, nowMs);
  const from = w.status;
  w.runId ??= run.run_id;
  w.testId ??= run.test_id;
  if (run.test_suite_run_id !== void 0) w.testSuiteRunId = run.test_suite_run_id;
  w.triggeredAt ??= iso(nowMs);
  w.seenAt = iso(nowMs);
  w.createdAt ??= run.created_at;
  if (run.conversation_id !== void 0) w.conversationId = run.conversation_id;
  if (run.logs !== void 0) w.logs = capLogs(run.logs);
  const odd = undocumentedStatus(run);
  if (odd !== void 0) {
    w.criteria = (run.detail_status ?? []).map((d) => ({
      name: d.name,
      status: isTestStatus(d.status) ? d.status : "error"
    }));
    w.completedAt ??= iso(nowMs);
    w.undocumented = odd;
    if (isTestStatus(run.status)) w.remoteStatus = run.status;
    else delete w.remoteStatus;
    return settle(w, "error", odd);
  }
  const status = run.status;
  w.remoteStatus = status;
  w.status = status;
  if (status !== "pending") w.activeAt ??= iso(nowMs);
  w.criteria = (run.detail_status ?? []).map((d) => ({ name: d.name, status: d.status }));
  if (isFinal(status)) {
    w.completedAt = run.completed_at ?? w.completedAt ?? iso(nowMs);
    const apiMs = Date.parse(w.completedAt) - Date.parse(run.created_at);
    const ourMs = nowMs - Date.parse(w.triggeredAt);
    w.durationMs = Number.isFinite(apiMs) && apiMs >= 0 ? apiMs : Math.max(0, ourMs);
    delete w.message;
  }
  return from === w.status ? void 0 : { work: w, from, to: w.status };
}
function settle(w, status, message) {
  const from = w.status;
  w.status = status;
  w.message = message;
  return from === status ? void 0 : { work: w, from, to: status };
}
function isRetryable(w, rubric = []) {
  const { status, criteria, undocumented } = w;
  if (undocumented !== void 0) return w.remoteStatus === "error" || w.remoteStatus === "passed";
  if (status === "error" || status === "timeout" || status === "not_started") return true;
  if (status !== "passed") return false;
  return attemptVerdict({ status, criteria }, rubric).status === "error";
}
function runsCommitted(state) {
  return state.work.filter((w) => w.status !== "not_started" || w.runId !== void 0).length;
}
function retriesDue(state, retries, rubricOf) {
  if (retries <= 0) return [];
  const has = new Set(state.work.map((w) => attemptId(w, w.retry)));
  return state.work.filter(
    (w) => isRetryable(w, rubricOf?.(w)) && w.retry < retries && w.testId !== void 0 && !w.uncertain && !has.has(attemptId(w, w.retry + 1))
  );
}
function spawnRetries(state, opts) {
  let budget = opts.maxRuns === void 0 ? Number.POSITIVE_INFINITY : opts.maxRuns - runsCommitted(state);
  const added = [];
  for (const w of retriesDue(state, opts.retries, opts.rubricOf)) {
    if (budget <= 0) {
      w.message = `${w.message ? `${w.message}; ` : ""}not retried: --max-runs ${opts.maxRuns} reached`;
      continue;
    }
    budget--;
    const next = {
      suite: w.suite,
      test: w.test,
      testId: w.testId,
      trial: w.trial,
      retry: w.retry + 1,
      via: "test",
      key: workKey(state.nonce, w.suite, w.test, w.trial, w.retry + 1, w.side),
      status: "queued",
      criteria: [],
      failures: 0,
      ...w.side === void 0 ? {} : { side: w.side }
    };
    state.work.push(next);
    added.push(next);
  }
  return added;
}
function dueTimeouts(state, nowMs, policy) {
  const changes = [];
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const limitMs = policy.maxDurationSeconds(w) * 1e3 + policy.graceMs;
    const since = w.activeAt ? Date.parse(w.activeAt) : Math.max(Date.parse(w.triggeredAt ?? iso(nowMs)), policy.lastProgressMs);
    if (nowMs - since <= limitMs) continue;
    if (w.seenAt !== void 0 && Date.parse(w.seenAt) - since <= limitMs) continue;
    const seconds = Math.round(limitMs / 1e3);
    const c = settle(
      w,
      "timeout",
      `no final status ${seconds} s after it ${w.activeAt ? "started" : "was queued"} (max_duration_seconds ${policy.maxDurationSeconds(w)} + ${Math.round(policy.graceMs / 1e3)} s grace); last seen ${w.remoteStatus ?? "pending"}`
    );
    if (c) changes.push(c);
  }
  return changes;
}
function stopAll(state, how) {
  const changes = [];
  for (const w of state.work) {
    if (w.status !== "queued") continue;
    const c = settle(w, "not_started", w.uncertain && w.message ? w.message : how.queued);
    if (c) changes.push(c);
  }
  for (const b of state.batches) if (b.status === "queued") b.message = how.queued;
  return changes;
}
function reviveForResume(state, nowMs) {
  const retried = new Set(state.work.map((w) => attemptId(w, w.retry)));
  let revived = 0;
  for (const w of state.work) {
    const hasNext = retried.has(attemptId(w, w.retry + 1));
    if (w.status === "timeout" && w.runId !== void 0 && !hasNext) {
      w.status = w.remoteStatus && !isFinal(w.remoteStatus) ? w.remoteStatus : "running";
      w.activeAt = iso(nowMs);
      delete w.message;
      revived++;
    }
    const batch = w.batch === void 0 ? void 0 : state.batches.find((b) => b.key === w.batch);
    const retriggerable = w.key !== void 0 || batch !== void 0 && batch.status !== "triggered";
    if (w.status === "not_started" && w.runId === void 0 && retriggerable && !hasNext) {
      w.status = "queued";
      w.failures = 0;
      delete w.message;
      delete w.refused;
      revived++;
    }
  }
  const toSend = new Set(state.work.flatMap((w) => w.status === "queued" && w.batch ? [w.batch] : []));
  for (const b of state.batches) {
    if (b.status === "triggered" || !toSend.has(b.key)) continue;
    b.status = "queued";
    b.failures = 0;
    delete b.message;
  }
  delete state.finishedAt;
  return revived;
}

// src/run/sequential.ts
var groupKey = (w) => tupleKey(w.side ?? "", w.suite, w.test);
function lastPerTrial(items) {
  const last = /* @__PURE__ */ new Map();
  for (const w of items) {
    const prev = last.get(w.trial);
    if (!prev || w.retry > prev.retry) last.set(w.trial, w);
  }
  return last;
}
function tallyOf(items, rule) {
  const tally = { passes: 0, failures: 0, errors: 0, open: 0 };
  let outstanding = 0;
  for (const w of lastPerTrial(items).values()) {
    if (w.status === "queued" || isInFlight(w)) {
      if (!w.held) outstanding++;
      continue;
    }
    const { status, criteria, undocumented } = w;
    const v = attemptVerdict({ status, criteria, undocumented }, rule.rubric).status;
    if (v === "passed") tally.passes++;
    else if (v === "failed") tally.failures++;
    else tally.errors++;
  }
  tally.open = rule.trials - tally.passes - tally.failures - tally.errors;
  return { tally, outstanding };
}
function releaseTrials(state, ruleOf) {
  const groups = /* @__PURE__ */ new Map();
  for (const w of state.work) {
    const list2 = groups.get(groupKey(w)) ?? [];
    list2.push(w);
    groups.set(groupKey(w), list2);
  }
  const release = /* @__PURE__ */ new Set();
  const decided = /* @__PURE__ */ new Set();
  for (const [key, items] of groups) {
    const held = items.filter((w) => w.held).sort((a, b) => a.trial - b.trial);
    if (held.length === 0) continue;
    const rule = ruleOf(items[0]);
    if (!rule) {
      for (const w of held) release.add(w);
      continue;
    }
    const { tally, outstanding } = tallyOf(items, rule);
    if (decidedVerdict(rule.minPasses, tally) !== void 0) {
      decided.add(key);
      continue;
    }
    const more = Math.max(0, trialsToKeepOpen(rule.minPasses, tally) - outstanding);
    for (const w of held.slice(0, more)) release.add(w);
  }
  const out = { released: 0, dropped: 0 };
  const drop = /* @__PURE__ */ new Set();
  const byBatch = /* @__PURE__ */ new Map();
  for (const w of state.work) {
    if (w.batch === void 0) continue;
    const list2 = byBatch.get(w.batch) ?? [];
    list2.push(w);
    byBatch.set(w.batch, list2);
  }
  const droppedBatches = /* @__PURE__ */ new Set();
  for (const b of state.batches) {
    if (!b.held) continue;
    const items = byBatch.get(b.key) ?? [];
    const wanted = items.filter((w) => release.has(w));
    if (wanted.length > 0 && wanted.length === items.length && !b.split) {
      delete b.held;
      for (const w of items) {
        delete w.held;
        out.released++;
      }
      continue;
    }
    if (wanted.length > 0) b.split = true;
    for (const w of wanted) {
      w.via = "test";
      delete w.batch;
      w.key = workKey(state.nonce, w.suite, w.test, w.trial, w.retry, w.side);
      delete w.held;
      out.released++;
    }
    const rest = items.filter((w) => !release.has(w));
    if (rest.every((w) => decided.has(groupKey(w)))) {
      droppedBatches.add(b.key);
      for (const w of rest) drop.add(w);
    }
  }
  for (const w of release) {
    if (w.via !== "test" || !w.held) continue;
    delete w.held;
    out.released++;
  }
  for (const w of state.work) {
    if (w.held && w.via === "test" && decided.has(groupKey(w))) drop.add(w);
  }
  if (drop.size > 0 || droppedBatches.size > 0) {
    state.work = state.work.filter((w) => !drop.has(w));
    state.batches = state.batches.filter((b) => !droppedBatches.has(b.key));
    out.dropped = drop.size;
    state.notNeeded = (state.notNeeded ?? 0) + drop.size;
  }
  return out;
}
function spentOf(state) {
  const ran = state.work.filter((w) => w.runId !== void 0);
  const ms = ran.reduce((n, w) => n + (w.durationMs ?? 0), 0);
  return {
    runs: ran.length,
    callMinutes: Math.round(ms / 6e4 * 10) / 10,
    runsSaved: state.notNeeded ?? 0
  };
}

// src/run/assemble.ts
function toAttempt(w) {
  const a = {
    trial: w.trial,
    retry: w.retry,
    status: w.status === "queued" ? "not_started" : w.status,
    criteria: w.criteria.map((c) => ({ name: c.name, status: c.status }))
  };
  if (w.runId !== void 0) a.runId = w.runId;
  if (w.testSuiteRunId !== void 0) a.testSuiteRunId = w.testSuiteRunId;
  if (w.triggeredAt !== void 0) a.triggeredAt = w.triggeredAt;
  if (w.completedAt !== void 0) a.completedAt = w.completedAt;
  if (w.durationMs !== void 0) a.durationMs = w.durationMs;
  if (w.conversationId !== void 0) a.conversationId = w.conversationId;
  if (w.logs !== void 0) a.logs = w.logs;
  const message = w.status === "queued" ? w.message ?? "never triggered" : w.message;
  if (message !== void 0) a.message = message;
  if (w.undocumented !== void 0) a.undocumented = w.undocumented;
  return a;
}
function attemptsByTest(state) {
  const map = /* @__PURE__ */ new Map();
  for (const w of state.work) {
    const k = tupleKey(w.side ?? "", w.suite, w.test);
    const list2 = map.get(k) ?? [];
    list2.push(w);
    map.set(k, list2);
  }
  for (const list2 of map.values()) list2.sort((a, b) => a.trial - b.trial || a.retry - b.retry);
  return map;
}
function decidingAttempts(state) {
  const last = /* @__PURE__ */ new Map();
  for (const w of state.work) {
    const k = tupleKey(w.side ?? "", w.suite, w.test, w.trial);
    const prev = last.get(k);
    if (!prev || w.retry > prev.retry) last.set(k, w);
  }
  return last;
}
function incompleteReason(state, stopReason) {
  const last = decidingAttempts(state);
  let timedOut = 0;
  let notStarted = 0;
  let maybe = 0;
  let running = 0;
  for (const w of last.values()) {
    if (w.status === "timeout") timedOut++;
    else if (mayHaveStarted(w)) maybe++;
    else if (w.status === "not_started" || w.status === "queued") notStarted++;
    else if (isInProgress(w.status)) running++;
  }
  const parts = [
    stopReason,
    timedOut ? `${timedOut} run${timedOut === 1 ? "" : "s"} timed out` : "",
    running ? `${running} run${running === 1 ? " is" : "s are"} still in progress remotely` : "",
    notStarted ? `${notStarted} run${notStarted === 1 ? " was" : "s were"} never started` : "",
    maybe ? `${maybe} trigger${maybe === 1 ? "" : "s"} got no answer, so ${maybe === 1 ? "its run" : "their runs"} may have started remotely (--resume picks them up)` : ""
  ].filter(Boolean);
  return parts.length > 0 ? parts.join("; ") : void 0;
}
function resumeSummary(state) {
  const latest = decidingAttempts(state);
  let waiting = 0;
  let toTrigger = 0;
  let done = 0;
  for (const w of latest.values()) {
    if (isInProgress(w.status)) waiting++;
    else if (w.status === "queued") toTrigger++;
    else done++;
  }
  const queuedBatches = state.batches.filter((b) => b.status === "queued").length;
  const runs = (n) => `${n} run${n === 1 ? "" : "s"}`;
  const parts = [
    waiting > 0 ? `${runs(waiting)} to wait for` : "",
    toTrigger > 0 || queuedBatches > 0 ? `${runs(toTrigger)} to trigger${queuedBatches > 0 ? ` (and ${queuedBatches} suite trigger${queuedBatches === 1 ? "" : "s"})` : ""}` : "",
    done > 0 ? `${runs(done)} already final` : ""
  ].filter(Boolean);
  if (waiting === 0 && toTrigger === 0 && queuedBatches === 0) parts.unshift("nothing left to wait for");
  return `Resuming the run started ${state.startedAt}: ${parts.join(", ")} (settings from the state file)`;
}
function assembleResults(input) {
  const byTest = attemptsByTest(input.state);
  const against = input.state.settings.against;
  return buildResults(
    input.selection,
    (s) => {
      const work = byTest.get(tupleKey("", s.suite.name, s.test.name)) ?? [];
      const base = against ? byTest.get(tupleKey("baseline", s.suite.name, s.test.name)) ?? [] : [];
      return {
        testId: work.find((w) => w.testId !== void 0)?.testId,
        attempts: work.map(toAttempt),
        ...against ? { againstAttempts: base.map(toAttempt) } : {},
        // Trials were held back until needed: one not triggered was not needed (outcome.ts).
        ...s.trials > 1 && !input.state.settings.allTrials ? { sequential: true } : {}
      };
    },
    {
      ...input,
      versionId: input.state.settings.versionId,
      versionName: input.state.versionName,
      reason: incompleteReason(input.state, input.stopReason),
      against,
      spent: spentOf(input.state)
    }
  );
}
function notStartedResults(input) {
  return buildResults(
    input.selection,
    (s) => ({
      attempts: Array.from({ length: s.trials }, (_, i) => ({
        trial: i + 1,
        retry: 0,
        status: "not_started",
        criteria: [],
        message: input.reason
      }))
    }),
    input
  );
}
function buildResults(selection, attemptsOf, meta) {
  const suites = [];
  const bySuite = /* @__PURE__ */ new Map();
  for (const s of selection) {
    let suite = bySuite.get(s.suite.name);
    if (!suite) {
      suite = { name: s.suite.name, file: s.suite.file, gate: { ...s.suite.gate }, tests: [] };
      bySuite.set(s.suite.name, suite);
      suites.push(suite);
    }
    const { testId, attempts, againstAttempts, sequential } = s.selected ? attemptsOf(s) : { testId: void 0, attempts: [], againstAttempts: void 0, sequential: void 0 };
    const t = {
      name: s.test.name,
      file: s.test.loc.file,
      line: s.test.loc.line,
      tags: [...s.test.tags],
      criteria: s.test.rubric.map((c) => ({ name: c.name, required: c.required })),
      trials: s.trials,
      minPasses: s.minPasses,
      skipped: !s.selected,
      attempts
    };
    if (testId !== void 0) t.testId = testId;
    if (sequential) t.sequential = true;
    if (againstAttempts !== void 0) t.againstAttempts = againstAttempts;
    if (s.test.maxDurationSeconds !== void 0) t.maxDurationSeconds = s.test.maxDurationSeconds;
    if (s.test.renamedFrom.length > 0) t.renamedFrom = [...s.test.renamedFrom];
    if (!s.selected && s.skipReason !== void 0) t.skipReason = s.skipReason;
    suite.tests.push(t);
  }
  const results = {
    schema: RESULTS_SCHEMA,
    tool: { name: "rubric-gate", version: VERSION },
    startedAt: meta.startedAt,
    finishedAt: meta.finishedAt,
    complete: meta.reason === void 0,
    suites
  };
  if (meta.versionId !== void 0) results.versionId = meta.versionId;
  if (meta.versionId !== void 0 && meta.versionName !== void 0) results.versionName = meta.versionName;
  if (meta.against !== void 0) results.against = { ...meta.against };
  if (meta.spent !== void 0) results.spent = meta.spent;
  if (meta.shard && meta.shard.total > 1) results.shard = { ...meta.shard };
  if (meta.reason !== void 0) results.incompleteReason = meta.reason;
  if (meta.gateOverrides && Object.keys(meta.gateOverrides).length > 0)
    results.gateOverrides = meta.gateOverrides;
  return results;
}

// src/run/clock.ts
import { setTimeout as delay } from "node:timers/promises";
var systemClock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    try {
      await delay(Math.max(0, ms), void 0, signal ? { signal } : void 0);
    } catch {
    }
  }
};

// src/run/progress.ts
var ORDER = [
  "queued",
  "pending",
  "starting",
  "running",
  "passed",
  "failed",
  "error",
  "timeout",
  "not_started"
];
var LABEL = {
  queued: "queued",
  pending: "pending",
  starting: "starting",
  running: "running",
  passed: "passed",
  failed: "failed",
  error: "error",
  timeout: "timed out",
  not_started: "not started"
};
function formatElapsed(ms) {
  const s = Math.max(0, Math.round(ms / 1e3));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}
var noRubric = () => [];
function shownStatus(w, status, rubric = []) {
  if (status !== "passed" && status !== "failed") return status;
  return attemptVerdict({ status, criteria: w.criteria }, rubric).status;
}
var NO_CRITERIA = "the run ended without the rubric results a verdict needs";
function countByStatus(state, rubricOf = noRubric) {
  const counts = /* @__PURE__ */ new Map();
  for (const w of state.work) {
    const s = shownStatus(w, w.status, rubricOf(w));
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}
function formatLiveLine(counts, elapsedMs) {
  const parts = ORDER.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => `${counts.get(s)} ${LABEL[s]}`);
  return `${parts.join(" \xB7 ") || "nothing to run"}  ${formatElapsed(elapsedMs)}`;
}
var FAILURES = /* @__PURE__ */ new Set(["failed", "error", "timeout", "not_started"]);
var isFailureChange = (c, rubricOf = noRubric) => c.from !== c.to && FAILURES.has(shownStatus(c.work, c.to, rubricOf(c.work)));
var OUTCOMES = /* @__PURE__ */ new Set(["passed", "failed", "error", "timeout", "not_started"]);
var isLogged = (c) => c.from !== c.to && OUTCOMES.has(c.to);
var DIGEST_ABOVE = 100;
function formatChange(c, trials, rubric = []) {
  const w = c.work;
  const tags = [
    w.side === "baseline" ? "baseline" : "",
    trials > 1 ? `trial ${w.trial}/${trials}` : "",
    w.retry > 0 ? `retry ${w.retry}` : ""
  ].filter(Boolean).join(", ");
  const failed = w.criteria.filter((x) => x.status === "failed").map((x) => cleanLine(x.name));
  const to = shownStatus(w, c.to, rubric);
  const noCriteria = to !== c.to;
  const notes = [
    w.durationMs !== void 0 && (c.to === "passed" || c.to === "failed" || c.to === "error") ? formatElapsed(w.durationMs) : "",
    failed.length > 0 && to === "failed" ? failed.join(", ") : "",
    noCriteria ? `${NO_CRITERIA} (API status ${c.to})` : "",
    (to === "timeout" || to === "not_started" || to === "error") && w.message ? cleanLine(w.message) : ""
  ].filter(Boolean);
  const from = c.from === "queued" ? "trigger" : LABEL[shownStatus(w, c.from, rubric)];
  return `${cleanLine(w.suite)} \u203A ${cleanLine(w.test)}${tags ? ` [${tags}]` : ""}: ${from} \u2192 ${LABEL[to]}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}
function createProgress(io, opts) {
  const rubricOf = opts.rubricOf ?? noRubric;
  if (io.isTTY) {
    let shown = false;
    const paint = painter(colorEnabled(io.env, io.isTTY));
    const draw = (state, nowMs) => {
      io.stdout(`\r\x1B[2K${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}`);
      shown = true;
    };
    return {
      // Failures as they happen, above the live line, so they stay on screen.
      update: (state, changes, nowMs) => {
        for (const c of changes.filter((c2) => isFailureChange(c2, rubricOf))) {
          io.stdout(
            `${shown ? "\r\x1B[2K" : ""}${paint("red", "x")} ${formatChange(c, opts.trialsOf(c), rubricOf(c.work))}
`
          );
          shown = false;
        }
        draw(state, nowMs);
      },
      note: (text2) => {
        io.stdout(`${shown ? "\r\x1B[2K" : ""}${text2}
`);
        shown = false;
      },
      done: (state, nowMs) => {
        draw(state, nowMs);
        io.stdout("\n");
        shown = false;
      }
    };
  }
  let digested = 0;
  let passes = [];
  let folded = 0;
  const foldPasses = (finished, total) => {
    if (!io.fold) return;
    const title = `${passes.length} passed among attempts ${folded + 1}\u2013${finished} of ${total} to finish`;
    if (passes.length > 0) io.fold(title, passes.join(""));
    passes = [];
    folded = finished;
  };
  const finishedOf = (state) => state.work.filter((w) => OUTCOMES.has(w.status)).length;
  return {
    update: (state, changes, nowMs) => {
      const large = state.work.length > DIGEST_ABOVE;
      for (const c of changes) {
        if (!isLogged(c)) continue;
        const line = `${formatChange(c, opts.trialsOf(c), rubricOf(c.work))}
`;
        if (!large || isFailureChange(c, rubricOf)) io.stdout(line);
        else if (io.fold) passes.push(line);
      }
      if (!large) return;
      const finished = finishedOf(state);
      const tenth = Math.floor(finished / state.work.length * 10);
      if (tenth > digested) {
        digested = tenth;
        foldPasses(finished, state.work.length);
        io.stdout(
          `${finished}/${state.work.length} finished: ${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}
`
        );
      }
    },
    note: (text2) => io.stdout(`${text2}
`),
    done: (state, nowMs) => {
      foldPasses(finishedOf(state), state.work.length);
      io.stdout(`${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}
`);
    }
  };
}

// src/run/deadline.ts
var DeadlineReached = class extends Error {
  constructor(timeoutMs, setting = "--timeout") {
    super(`${setting} ${formatElapsed(timeoutMs)} reached`);
    this.timeoutMs = timeoutMs;
    this.setting = setting;
  }
  timeoutMs;
  setting;
  name = "DeadlineReached";
};
var isDeadline = (signal) => signal?.aborted === true && signal.reason instanceof DeadlineReached;
function deadlineMessage(signal) {
  const reason = signal?.aborted ? signal.reason : void 0;
  return reason instanceof DeadlineReached ? reason.message : void 0;
}
function startDeadline(parent, timeoutMs, clock) {
  if (timeoutMs === void 0) return { signal: parent, dispose: () => {
  } };
  const controller = new AbortController();
  const stop = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener("abort", onParent, { once: true });
  void clock.sleep(timeoutMs, stop.signal).then(() => {
    if (!stop.signal.aborted && !controller.signal.aborted) controller.abort(new DeadlineReached(timeoutMs));
  });
  return {
    signal: controller.signal,
    dispose: () => {
      stop.abort();
      parent?.removeEventListener("abort", onParent);
    }
  };
}

// src/run/poll.ts
var DEFAULT_OUTAGE_MS = 30 * 6e4;
var DEFAULT_END_SLACK_MS = 250;
var DEFAULT_POLL_POLICY = { startMs: 4800, capMs: 2e4, verifyMs: 6e4 };
function pollDelay(failures, policy, random) {
  if (failures <= 0) return policy.startMs;
  const ceiling = Math.min(policy.capMs, policy.startMs * 2 ** Math.min(failures, 30));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.max(policy.startMs, Math.floor(r * ceiling));
}
var startedMs = (w) => {
  const times = [w.createdAt, w.triggeredAt].flatMap((t) => t === void 0 ? [] : [Date.parse(t)]);
  return times.length === 0 ? Number.NaN : Math.min(...times);
};
function untilAllExpectedMs(state, nowMs, expectedMs) {
  let latest = Number.NEGATIVE_INFINITY;
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const expected = expectedMs(w);
    const from = startedMs(w);
    if (expected === void 0 || Number.isNaN(from)) return void 0;
    latest = Math.max(latest, from + expected);
  }
  return latest === Number.NEGATIVE_INFINITY ? void 0 : latest - nowMs;
}
function untilPaceDoneMs(inFlight, finished, intervalMs) {
  if (inFlight <= 0 || finished <= 0 || !(intervalMs > 0)) return void 0;
  return Math.round(inFlight * intervalMs / finished * 1.2);
}
var EXPECTED_FRACTION = 0.75;
function fromLastPollMs(stepMs, now, lastPollEndAt) {
  return Math.max(0, stepMs - (lastPollEndAt === void 0 ? 0 : Math.max(0, now - lastPollEndAt)));
}
function untilUsefulMs(state, nowMs, expectedMs) {
  let earliest = Number.POSITIVE_INFINITY;
  for (const w of state.work) {
    if (!isInFlight(w)) continue;
    const expected = expectedMs(w);
    const from = startedMs(w);
    if (expected === void 0 || Number.isNaN(from)) return 0;
    earliest = Math.min(earliest, from + EXPECTED_FRACTION * expected);
  }
  return earliest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, earliest - nowMs);
}
function isFatal(err) {
  return err instanceof ApiError && (err.details.status === 401 || err.details.status === 403);
}
var HISTORY_SLACK_MS = 1e4;
var HISTORY_EXTRA = 200;
var FINISHED_FILTER = "completed";
var PAGE = 100;
var VERIFY_PAGES = 10;
var UNCONFIRMED_VERIFY_POLLS = 4;
var TAIL_FLOOR = 0.25;
var PARALLEL_PAGES = 4;
var pages = (n) => Math.max(1, Math.ceil(n / PAGE));
function planPoll(state) {
  const targets = /* @__PURE__ */ new Map();
  const created = (w) => w.createdAt === void 0 ? Number.NaN : Date.parse(w.createdAt);
  for (const w of state.work) {
    if (!isInFlight(w) || w.runId === void 0) continue;
    const batch = w.via === "suite" && w.testSuiteRunId !== void 0;
    const key = batch ? tupleKey(w.suite, w.testSuiteRunId ?? "") : tupleKey(w.suite);
    let t = targets.get(key);
    if (!t) {
      t = { key, suite: w.suite, waiting: /* @__PURE__ */ new Map(), runs: 0, done: 0, oldestMs: Number.POSITIVE_INFINITY };
      if (batch && w.testSuiteRunId !== void 0) t.testSuiteRunId = w.testSuiteRunId;
      targets.set(key, t);
    }
    t.waiting.set(w.runId, w);
    if (!batch) t.oldestMs = Number.isNaN(t.oldestMs) ? t.oldestMs : Math.min(t.oldestMs, created(w));
  }
  for (const w of state.work) {
    if (w.runId === void 0) continue;
    const batch = w.via === "suite" && w.testSuiteRunId !== void 0;
    const t = targets.get(batch ? tupleKey(w.suite, w.testSuiteRunId ?? "") : tupleKey(w.suite));
    if (!t || !batch && !(created(w) >= t.oldestMs - HISTORY_SLACK_MS)) continue;
    t.runs++;
    if (!isInFlight(w)) t.done++;
  }
  return [...targets.values()];
}
var Poller = class {
  constructor(ctx, policy = DEFAULT_POLL_POLICY) {
    this.ctx = ctx;
    this.policy = policy;
  }
  ctx;
  policy;
  filterOk = true;
  /** A filtered read has listed finished runs (and nothing in progress). */
  confirmed = false;
  fullReadAt = /* @__PURE__ */ new Map();
  /** Runs an unfiltered read saw final, by target: the next filtered read must list them. */
  mustShow = /* @__PURE__ */ new Map();
  /** One poll of every in-flight run. Never throws for API errors; see PollResult. */
  async poll(state) {
    const { signal } = this.ctx;
    const result = {
      changes: [],
      problems: [],
      notes: [],
      answered: 0,
      listCalls: 0,
      filteredCalls: 0,
      getCalls: 0
    };
    const limit = pLimit(this.ctx.concurrency ?? 8);
    const fail = (err) => {
      if (signal?.aborted) return;
      if (isFatal(err)) result.fatal ??= err;
      else result.problems.push(err instanceof Error ? err.message : String(err));
    };
    const unseen = [];
    const reads = planPoll(state).filter((t) => {
      if (!this.byGet(t)) return true;
      for (const w of t.waiting.values()) unseen.push(w);
      return false;
    });
    await Promise.all(
      reads.map(
        (t) => limit(async () => {
          if (signal?.aborted || result.fatal) return;
          const { filtered } = this.choose(t);
          result.listCalls++;
          if (filtered) result.filteredCalls++;
          let read;
          try {
            read = await this.read(t, filtered, result.changes);
          } catch (err) {
            fail(err);
            return;
          }
          result.answered++;
          if (filtered) this.check(t, read, result.notes);
          else {
            this.fullReadAt.set(t.key, this.ctx.now());
            const must = this.mustShow.get(t.key) ?? /* @__PURE__ */ new Map();
            for (const [id, at] of read.finals) must.set(id, at);
            this.mustShow.set(t.key, must);
            if (t.testSuiteRunId === void 0 || read.exhaustive) {
              for (const [id, w] of t.waiting) if (!read.seen.has(id)) unseen.push(w);
            }
          }
        })
      )
    );
    await Promise.all(unseen.map((w) => limit(() => this.get(w, result, fail))));
    return result;
  }
  byGet = (t) => t.waiting.size < this.choose(t).cost;
  /**
   * How much of the cadence to wait before the next poll, in [TAIL_FLOOR, 1]. Only the last
   * few runs left (each read by one GET): the share their GETs are of the pages listing every
   * run would cost, so the tail is polled sooner while requests are spent no faster than one
   * full read per `startMs`.
   */
  cadenceShare(state) {
    const targets = planPoll(state);
    if (targets.length === 0 || !targets.every(this.byGet)) return 1;
    const gets = targets.reduce((n, t) => n + t.waiting.size, 0);
    const full = targets.reduce((n, t) => n + pages(t.runs), 0);
    return Math.min(1, Math.max(TAIL_FLOOR, gets / full));
  }
  /**
   * Whether the next list read of a target goes through the filter, and the pages it costs.
   * The trigger's answer listed every run of a batch in progress: it counts as a full read.
   */
  choose(t) {
    const now = this.ctx.now();
    if (!this.fullReadAt.has(t.key)) this.fullReadAt.set(t.key, now);
    const last = this.fullReadAt.get(t.key) ?? now;
    const verifyMs = Math.min(
      (this.policy.verifyMs ?? DEFAULT_POLL_POLICY.verifyMs ?? 6e4) * Math.max(1, pages(t.runs) / VERIFY_PAGES),
      this.confirmed ? Number.POSITIVE_INFINITY : UNCONFIRMED_VERIFY_POLLS * this.policy.startMs
    );
    const filtered = this.filterOk && pages(t.done) < pages(t.runs) && now - last < verifyMs;
    return { filtered, cost: filtered ? pages(t.done) : pages(t.runs) };
  }
  async read(t, filtered, changes) {
    const call = this.ctx.signal ? { signal: this.ctx.signal } : {};
    const filter = {
      ...t.testSuiteRunId !== void 0 ? { testSuiteRunId: t.testSuiteRunId } : {},
      ...filtered ? { status: FINISHED_FILTER } : {}
    };
    const history = t.testSuiteRunId === void 0;
    const opts = history || filtered ? call : { ...call, parallel: PARALLEL_PAGES };
    const out = {
      seen: /* @__PURE__ */ new Set(),
      finals: /* @__PURE__ */ new Map(),
      exhaustive: true,
      newestFirst: true,
      lastCreatedMs: Number.POSITIVE_INFINITY,
      unfiltered: false
    };
    const waiting = new Map(t.waiting);
    let read = 0;
    for await (const run of this.ctx.api.listSuiteRuns(t.suite, filter, opts)) {
      read++;
      out.seen.add(run.run_id);
      if (filtered && isInProgress(run.status)) out.unfiltered = true;
      const created = Date.parse(run.created_at);
      if (!(created <= out.lastCreatedMs)) out.newestFirst = false;
      out.lastCreatedMs = created;
      const w = waiting.get(run.run_id);
      if (w) {
        waiting.delete(run.run_id);
        const c = isInFlight(w) ? observe(w, run, this.ctx.now()) : void 0;
        if (c) changes.push(c);
        if (!isInFlight(w) && !isInProgress(run.status)) out.finals.set(run.run_id, created);
      }
      if (!history) continue;
      if (waiting.size === 0 || out.newestFirst && created < t.oldestMs - HISTORY_SLACK_MS) {
        out.exhaustive = false;
        break;
      }
      if (read >= t.runs + HISTORY_EXTRA) {
        out.exhaustive = false;
        break;
      }
    }
    return out;
  }
  /** After a filtered read: does the filter still look like it returns every finished run? */
  check(t, read, notes) {
    const must = this.mustShow.get(t.key);
    let missed = 0;
    if (must) {
      for (const [id, created] of must) {
        if (!read.exhaustive && !(read.newestFirst && created > read.lastCreatedMs)) continue;
        if (!read.seen.has(id)) missed++;
        must.delete(id);
      }
    }
    if (!read.unfiltered && missed === 0 && read.seen.size > 0) this.confirmed = true;
    if (!this.filterOk || !read.unfiltered && missed === 0) return;
    this.filterOk = false;
    notes.push(
      read.unfiltered ? `the API's status=${FINISHED_FILTER} filter listed runs still in progress; every run is read unfiltered from now on` : `the API's status=${FINISHED_FILTER} filter left out ${missed} finished run${missed === 1 ? "" : "s"}; every run is read unfiltered from now on`
    );
  }
  async get(w, result, fail) {
    const { signal } = this.ctx;
    if (signal?.aborted || result.fatal || w.testId === void 0 || w.runId === void 0) return;
    result.getCalls++;
    try {
      const run = await this.ctx.api.getRun(w.testId, w.runId, signal ? { signal } : {});
      result.answered++;
      const c = isInFlight(w) ? observe(w, run, this.ctx.now()) : void 0;
      if (c) result.changes.push(c);
    } catch (err) {
      if (isNotFound(err) && !signal?.aborted) {
        markUncertain(w);
        const c = settle(
          w,
          "error",
          `run ${w.runId} was not found (404); it may have been deleted, so it is not retried`
        );
        if (c) result.changes.push(c);
      } else {
        fail(err);
      }
    }
  }
};

// src/run/run.ts
import { randomBytes } from "node:crypto";

// src/run/sides.ts
var overlaps = (a, b) => a.suite === b.suite && (a.test === void 0 || b.test === void 0 || a.test === b.test);
var itemOf = (x) => "test" in x ? { suite: x.suite, side: x.side, test: x.test } : { suite: x.suite, side: x.side };
var isUnresolved = (x) => x.status === "queued" && x.failures > 0;
function splitWave(state, wave) {
  const pending = [...state.batches, ...state.work].filter(isUnresolved).map(itemOf);
  const held = (x) => {
    const me = itemOf(x);
    if (me.side === void 0 && isUnresolved(x)) return false;
    return pending.some((p) => p.side !== me.side && overlaps(p, me));
  };
  const going = [...wave.batches, ...wave.work].filter((x) => x.side === void 0 && !held(x)).map(itemOf);
  const waits = (x) => held(x) || x.side === "baseline" && going.some((c) => overlaps(c, itemOf(x)));
  const now = { batches: [], work: [] };
  const later = { batches: [], work: [] };
  for (const b of wave.batches) (waits(b) ? later : now).batches.push(b);
  for (const w of wave.work) (waits(w) ? later : now).work.push(w);
  return { now, later };
}

// src/run/reconcile.ts
var CLOCK_SKEW_MS = 12e4;
var MAX_RECONCILE_RUNS = 1e3;
var OLDER_STREAK = 50;
async function scanRuns(history, opts) {
  const max = opts.maxRuns ?? MAX_RECONCILE_RUNS;
  const seen = /* @__PURE__ */ new Set();
  const found = [];
  let previous = Number.POSITIVE_INFINITY;
  let newestFirst = true;
  let olderStreak = 0;
  let read = 0;
  for await (const run of history) {
    read++;
    const created = Date.parse(run.created_at);
    if (!(created <= previous)) newestFirst = false;
    previous = Number.isFinite(created) ? created : previous;
    const recent = !Number.isFinite(created) || created >= opts.sinceMs;
    if (recent) {
      olderStreak = 0;
      if (!seen.has(run.run_id) && opts.accept(run)) found.push(run);
      seen.add(run.run_id);
    } else {
      olderStreak++;
    }
    if (newestFirst && olderStreak >= Math.min(OLDER_STREAK, PAGE_SIZE))
      return { found, conclusive: true, read };
    if (read >= max) return { found, conclusive: false, read };
  }
  return { found, conclusive: true, read };
}

// src/run/trigger.ts
var MAX_TRIGGER_ROUNDS = 3;
var noOutcome = () => ({ changes: [], problems: [], extraRuns: 0 });
function versionError(err, ctx) {
  if (!ctx.version.id || ctx.version.confirmed) return void 0;
  if (!(err instanceof ApiError) || err.details.status !== 400) return void 0;
  if (/idempotency/i.test(`${err.details.detail ?? ""} ${err.message}`)) return void 0;
  return new UsageError(
    `--version ${ctx.version.id}: the API refused it (${err.details.detail ?? err.message}). Nothing was triggered. Check the version id (GET /ai/assistants/{assistant_id}/versions lists them).`
  );
}
function classifyFailure(err) {
  const status = err instanceof ApiError ? err.details.status : void 0;
  if (status === void 0) {
    const code = err?.cause?.code;
    return isNotSentCode(code) ? "unsent" : "unknown";
  }
  if (status >= 200 && status < 300) return "started";
  if (status === 429) return "unsent";
  if (status === 408 || status === 409 || status >= 500) return "unknown";
  return "refused";
}
function onFailure(err, kind, failures, ctx) {
  if (ctx.signal?.aborted) return false;
  const usage = versionError(err, ctx);
  if (usage) throw usage;
  if (isFatal(err)) throw err;
  return kind === "refused" || failures >= MAX_TRIGGER_ROUNDS;
}
var describe = (err) => err instanceof Error ? err.message : String(err);
var neverRetry = (kind, err) => kind !== "unsent" || answeredRefusal(kind, err);
var answeredRefusal = (kind, err) => kind === "refused" || err instanceof ApiError && err.details.status === 429;
var CUT_OFF = "the run stopped while its trigger was being sent";
function uncertainMessage(kind, message) {
  const why = kind === "started" ? "the API accepted the trigger (2xx), so its runs exist, but its answer could not be read" : "runs may have started remotely";
  return `${message}; ${why}: \`--resume\` (the Action's \`resume: true\`) replays the same Idempotency-Key and picks them up`;
}
async function anyRunSince(q, sentAt, ctx) {
  const known = runOwners(ctx.state);
  const stats = ctx.stats;
  if (stats) stats.reconciliations++;
  try {
    const scan = await scanRuns(q.history(), {
      sinceMs: Date.parse(sentAt) - CLOCK_SKEW_MS,
      accept: (r) => !known.has(r.run_id) && q.accept(r)
    });
    if (stats) stats.runsRead += scan.read;
    if (scan.found.length > 0) {
      const n = scan.found.length;
      return {
        kind: "some",
        why: `${n} run${n === 1 ? "" : "s"} of ${n === 1 ? "its test" : "its tests"} started since, and nothing ties ${n === 1 ? "it" : "them"} to this trigger`
      };
    }
    if (!scan.conclusive) return { kind: "some", why: `no run found in the ${scan.read} newest runs read` };
    return { kind: "none" };
  } catch (err) {
    if (isFatal(err)) throw err;
    return { kind: "some", why: `the run history could not be read: ${describe(err)}` };
  }
}
var owners = /* @__PURE__ */ new WeakMap();
function runOwners(state) {
  let index = owners.get(state);
  if (!index) {
    index = /* @__PURE__ */ new Map();
    for (const x of state.work) if (x.runId !== void 0 && !index.has(x.runId)) index.set(x.runId, x);
    owners.set(state, index);
  }
  return index;
}
function alreadyRecorded(w, run, ctx, out) {
  const owners2 = runOwners(ctx.state);
  const other = owners2.get(run.run_id);
  if (other === void 0 || other === w) {
    owners2.set(run.run_id, w);
    return false;
  }
  w.undocumented = `the API answered this trigger with run ${run.run_id}, which it had already given to ${other.suite} \u203A ${other.test} trial ${other.trial}`;
  const c = settle(w, "error", w.undocumented);
  if (c) out.changes.push(c);
  return true;
}
function attach(w, run, now, ctx, out) {
  if (alreadyRecorded(w, run, ctx, out)) return;
  const c = observe(w, run, now);
  if (c) out.changes.push(c);
}
var REPLAY_WINDOW_MS = 23 * 36e5;
async function pastReplay(sentAt, ctx, q) {
  if (sentAt === void 0) return void 0;
  const wallNow = ctx.wallNow ?? Date.now;
  if (wallNow() - Date.parse(sentAt) <= REPLAY_WINDOW_MS) return void 0;
  return anyRunSince(q, sentAt, ctx);
}
var pastReplayMessage = (sentAt, startedAt, why) => `not sent again: ${sentAt === void 0 ? `the run started at ${startedAt} and this trigger may have gone out then (no answer was recorded)` : `first sent at ${sentAt}`}, more than a day ago, so the API no longer replays its Idempotency-Key and a re-send could start a second run, and the run history cannot tell whether it started one (${why}). Check the suite's runs in the portal, then run without --resume`;
function adoptBatch(batch, items, runs, ctx, out) {
  ctx.version.confirmed = true;
  const now = ctx.now();
  batch.status = "triggered";
  batch.triggeredAt = iso(now);
  delete batch.message;
  const tsr = runs.find((r) => r.test_suite_run_id !== void 0)?.test_suite_run_id;
  if (tsr !== void 0) batch.testSuiteRunId = tsr;
  const byTest = new Map(items.map((w) => [w.testId, w]));
  const matched = /* @__PURE__ */ new Map();
  for (const run of runs) {
    const w = byTest.get(run.test_id);
    if (!w) {
      const twice = matched.get(run.test_id);
      if (twice === void 0) out.extraRuns++;
      else {
        const c = unknowable(
          twice,
          `the suite trigger started more than one run of this test (${JSON.stringify(twice.runId)} and ${JSON.stringify(run.run_id)})`,
          now
        );
        if (c) out.changes.push(c);
      }
      continue;
    }
    byTest.delete(run.test_id);
    matched.set(run.test_id, w);
    w.triggeredAt = iso(now);
    clearUncertain(w);
    attach(w, run, now, ctx, out);
  }
  for (const w of byTest.values()) {
    const c = settle(
      w,
      "not_started",
      `the suite trigger returned no run for this test (test_id ${w.testId ?? "?"})`
    );
    if (c) out.changes.push(c);
  }
}
async function triggerBatch(batch, ctx) {
  const out = noOutcome();
  const items = ctx.state.work.filter((w) => w.batch === batch.key && w.status === "queued");
  const wallNow = ctx.wallNow ?? Date.now;
  const ours = new Set(items.flatMap((w) => w.testId === void 0 ? [] : [w.testId]));
  const lookup = {
    history: () => ctx.api.listSuiteRuns(batch.suite, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => ours.has(r.test_id)
  };
  const past = await pastReplay(batch.sentAt ?? ctx.unsentSince, ctx, lookup);
  if (past?.kind === "some") {
    batch.status = "failed";
    batch.message = pastReplayMessage(batch.sentAt, ctx.state.startedAt, past.why);
    for (const w of items) {
      markUncertain(w);
      const c = settle(w, "not_started", batch.message);
      if (c) out.changes.push(c);
    }
    ctx.persist();
    return out;
  }
  if (past?.kind === "none") batch.sentAt = iso(wallNow());
  batch.sentAt ??= iso(wallNow());
  let runs;
  try {
    runs = await ctx.api.triggerSuite(batch.suite, {
      idempotencyKey: batch.key,
      ...ctx.version.id === void 0 ? {} : { versionId: ctx.version.id },
      ...ctx.signal ? { signal: ctx.signal } : {}
    });
  } catch (err) {
    const kind = classifyFailure(err);
    const message = `suite trigger failed: ${describe(err)}`;
    batch.failures++;
    if (onFailure(err, kind, batch.failures, ctx)) {
      const uncertain = kind === "unknown" || kind === "started";
      batch.status = "failed";
      batch.message = uncertain ? uncertainMessage(kind, message) : message;
      for (const w of items) {
        if (neverRetry(kind, err)) markUncertain(w, answeredRefusal(kind, err));
        else delete w.refused;
        const c = settle(w, "not_started", batch.message);
        if (c) out.changes.push(c);
      }
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${message} (will retry with the same Idempotency-Key)`);
    } else if (kind !== "unsent") {
      batch.message = uncertainMessage(kind, CUT_OFF);
      for (const w of items) {
        markUncertain(w);
        w.message = batch.message;
      }
    }
    ctx.persist();
    return out;
  }
  adoptBatch(batch, items, runs, ctx, out);
  ctx.persist();
  return out;
}
async function triggerWork(w, ctx) {
  const out = noOutcome();
  if (w.testId === void 0 || w.key === void 0) {
    const c = settle(w, "not_started", "no remote test id to trigger");
    if (c) out.changes.push(c);
    return out;
  }
  const testId = w.testId;
  const wallNow = ctx.wallNow ?? Date.now;
  const adopt = (run) => {
    ctx.version.confirmed = true;
    const now = ctx.now();
    w.triggeredAt = iso(now);
    clearUncertain(w);
    attach(w, run, now, ctx, out);
  };
  const lookup = {
    history: () => ctx.api.listTestRuns(testId, {}, ctx.signal ? { signal: ctx.signal } : {}),
    accept: (r) => r.test_id === testId
  };
  const past = await pastReplay(w.sentAt ?? ctx.unsentSince, ctx, lookup);
  if (past?.kind === "some") {
    markUncertain(w);
    const c = settle(w, "not_started", pastReplayMessage(w.sentAt, ctx.state.startedAt, past.why));
    if (c) out.changes.push(c);
    ctx.persist();
    return out;
  }
  if (past?.kind === "none") w.sentAt = iso(wallNow());
  w.sentAt ??= iso(wallNow());
  try {
    adopt(
      await ctx.api.triggerTest(testId, {
        idempotencyKey: w.key,
        ...ctx.version.id === void 0 ? {} : { versionId: ctx.version.id },
        ...ctx.signal ? { signal: ctx.signal } : {}
      })
    );
  } catch (err) {
    const kind = classifyFailure(err);
    const message = `trigger failed: ${describe(err)}`;
    w.failures++;
    if (onFailure(err, kind, w.failures, ctx)) {
      const uncertain = kind === "unknown" || kind === "started";
      if (neverRetry(kind, err)) markUncertain(w, answeredRefusal(kind, err));
      else delete w.refused;
      const c = settle(w, "not_started", uncertain ? uncertainMessage(kind, message) : message);
      if (c) out.changes.push(c);
    } else if (!ctx.signal?.aborted) {
      out.problems.push(`${w.suite} \u203A ${w.test}: ${message} (will retry with the same Idempotency-Key)`);
    } else if (kind !== "unsent") {
      markUncertain(w);
      w.message = uncertainMessage(kind, CUT_OFF);
    }
  }
  ctx.persist();
  return out;
}

// src/run/run.ts
var DEFAULT_GRACE_MS = 6e4;
var TRIGGER_CONCURRENCY = 8;
var DEADLINE_MARGIN_MS = 1e3;
var allTrials = (o) => o.allTrials === true || o.against !== void 0 || o.againstVersionId !== void 0;
var settingsOf = (o) => ({
  ...o.versionId === void 0 ? {} : { versionId: o.versionId },
  ...o.grep === void 0 ? {} : { grep: o.grep },
  tags: [...o.tags],
  ...o.trials === void 0 ? {} : { trials: o.trials },
  retries: o.retries,
  ...o.maxInFlight === void 0 ? {} : { maxInFlight: o.maxInFlight },
  ...o.maxRuns === void 0 ? {} : { maxRuns: o.maxRuns },
  ...o.shard === void 0 ? {} : { shard: { ...o.shard } },
  ...o.againstVersionId === void 0 ? {} : { against: { versionId: o.againstVersionId, label: o.against ?? o.againstVersionId } },
  ...allTrials(o) ? { allTrials: true } : {},
  ...o.judging && Object.keys(o.judging).length > 0 ? { judging: { ...o.judging } } : {}
});
var estimateOptions = (o) => ({
  sides: o.against !== void 0 || o.againstVersionId !== void 0 ? 2 : 1,
  sequential: !allTrials(o)
});
function selectionFor(suites, s) {
  return selectTests(suites, {
    grep: s.grep === void 0 ? void 0 : compileGrep(s.grep),
    tags: s.tags,
    shard: s.shard,
    trials: s.trials
  });
}
function preflight(suites, o) {
  const selection = selectionFor(suites, settingsOf(o));
  const cost = estimate(selection, o.retries, [], estimateOptions(o));
  checkMaxRuns(cost, o.maxRuns);
  checkMaxCallMinutes(cost, o.maxCallMinutes);
  return { selection, cost };
}
function indexRemote(remote) {
  const testIds = /* @__PURE__ */ new Map();
  const remoteSuiteTests = /* @__PURE__ */ new Map();
  for (const [suite, tests] of remote) {
    remoteSuiteTests.set(
      suite,
      tests.map((t) => t.test_id)
    );
    const count = /* @__PURE__ */ new Map();
    for (const t of tests) count.set(t.name, (count.get(t.name) ?? 0) + 1);
    for (const t of tests) if (count.get(t.name) === 1) testIds.set(pairKey(suite, t.name), t.test_id);
  }
  return { testIds, remoteSuiteTests };
}
var reasonText = (signal) => {
  const r = signal?.reason;
  if (typeof r === "string") return r;
  if (r instanceof Error && r.name !== "AbortError") return r.message;
  return "cancelled";
};
function selectionChange(state, selection) {
  const ran = new Set(state.work.map((w) => pairKey(w.suite, w.test)));
  const now = new Set(selection.filter((s) => s.selected).map((s) => pairKey(s.suite.name, s.test.name)));
  const gone = [...ran].filter((k) => !now.has(k)).length;
  const added = [...now].filter((k) => !ran.has(k)).length;
  if (gone === 0 && added === 0) return void 0;
  const n = (x) => `${x} test${x === 1 ? "" : "s"}`;
  return [gone ? `${n(gone)} it ran no longer selected` : "", added ? `${n(added)} newly selected` : ""].filter(Boolean).join(", ");
}
function resumeConflict(saved, given) {
  const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const show = (v, none) => v === void 0 ? none : Array.isArray(v) ? v.join(",") || none : typeof v === "object" ? JSON.stringify(v) : String(v);
  const checks = [
    ["--version", given.versionId, saved.versionId, "the main version"],
    ["--grep", given.grep, saved.grep, "none"],
    ["--tag", given.tags && [...given.tags].sort(), [...saved.tags].sort(), "none"],
    ["--trials", given.trials, saved.trials, "from the files"],
    ["--retries", given.retries, saved.retries, "0"],
    ["--max-in-flight", given.maxInFlight, saved.maxInFlight, "none"],
    ["--max-runs", given.maxRuns, saved.maxRuns, "none"],
    [
      "--shard",
      given.shard && `${given.shard.index}/${given.shard.total}`,
      saved.shard && `${saved.shard.index}/${saved.shard.total}`,
      "none"
    ],
    ["--all-trials", given.allTrials, saved.allTrials === true, "not given"],
    // How it is judged, where the state kept it (older states did not).
    ...saved.judging === void 0 ? [] : [
      ["--min-pass-rate", given.judging?.minPassRate, saved.judging.minPassRate, "not given"],
      ["--max-errors", given.judging?.maxErrors, saved.judging.maxErrors, "not given"],
      [
        "--fail-on-regression",
        given.judging?.failOnRegression,
        saved.judging.failOnRegression,
        "not given"
      ],
      ["--no-quarantine", given.judging?.noQuarantine, saved.judging.noQuarantine, "not given"],
      ["--baseline", given.judging?.baseline, saved.judging.baseline, "not given"]
    ]
  ];
  for (const [flag, asked, had, none] of checks) {
    if (asked === void 0 || same(asked, had)) continue;
    return `${flag} ${show(asked, none)} is not what the interrupted run used (${show(had, none)})`;
  }
  if (given.against !== void 0) {
    const had = saved.against;
    const match = had !== void 0 && (given.against === "main" ? had.label === "main" : given.against === had.versionId);
    if (!match)
      return `--against ${given.against} is not what the interrupted run used (${had?.label ?? "none"})`;
  }
  return void 0;
}
var nothingLeft = (state) => state.finishedAt !== void 0 && state.work.every(
  (w) => !isInFlight(w) && w.status !== "queued" && w.status !== "not_started" && w.status !== "timeout"
) && retriesDue(state, state.settings.retries).length === 0;
async function runSuites(input, deps) {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const { io, api, signal } = deps;
  const startedMs2 = clock.now();
  const startedAt = new Date(startedMs2).toISOString();
  let state;
  let selection;
  let o = input.options;
  if (o.resume) {
    state = readState(o.outDir);
    const conflict = o.resumeFlags && resumeConflict(state.settings, o.resumeFlags);
    if (conflict) {
      throw new UsageError(
        `--resume: ${conflict}; a resumed run keeps the settings it started with. Drop the flag, or run again without --resume`
      );
    }
    o = {
      ...o,
      retries: state.settings.retries,
      maxInFlight: state.settings.maxInFlight,
      maxRuns: state.settings.maxRuns
    };
    if (state.apiHost && deps.apiHost && state.apiHost !== deps.apiHost) {
      throw new UsageError(
        `--resume: the runs in ${statePath(o.outDir)} were started on ${state.apiHost}, not ${deps.apiHost}`
      );
    }
    if (state.definitions !== void 0 && state.definitions !== remoteFingerprint(input.suites)) {
      throw new UsageError(
        `--resume: the suite files changed since the runs in ${statePath(o.outDir)} started (what a test sends the API: its instructions, rubric, destination...); those runs tested the old definitions. Run again without --resume`
      );
    }
    selection = selectionFor(input.suites, state.settings);
    const moved = selectionChange(state, selection);
    if (moved) {
      throw new UsageError(
        `--resume: the suite files now select other tests than the runs in ${statePath(o.outDir)} did (${moved}; a tag or name edit changes what --tag and --grep select), so their report would leave out runs or judge tests that never ran. Run again without --resume`
      );
    }
    const finished = nothingLeft(state) ? state.finishedAt : void 0;
    reviveForResume(state, startedMs2);
    if (finished !== void 0) {
      io.stdout(
        `Every run in ${statePath(o.outDir)} had ended (finished ${finished}): nothing is sent, its results are judged again as they are, results of ${state.settings.versionId === void 0 ? "the assistant's main version" : `version ${state.settings.versionId}`} as it was then. For new results, run without --resume.
`
      );
    }
    io.stdout(`${resumeSummary(state)}
`);
  } else {
    const settings = settingsOf(o);
    selection = selectionFor(input.suites, settings);
    const { testIds, remoteSuiteTests } = indexRemote(input.remote);
    const schedules = scheduleSuites(selection, { maxInFlight: o.maxInFlight, testIds, remoteSuiteTests });
    const cost = estimate(selection, o.retries, schedules, estimateOptions(o));
    checkMaxRuns(cost, o.maxRuns);
    checkMaxCallMinutes(cost, o.maxCallMinutes);
    const versionName = o.versionId !== void 0 && o.assistantId !== void 0 ? await checkVersion(api, o, signal) : void 0;
    io.stdout(`${formatEstimate(cost, o.retries)}
`);
    state = initialState({
      nonce: randomBytes(8).toString("hex"),
      startedAt,
      apiHost: deps.apiHost,
      settings,
      schedules,
      testIds,
      against: settings.against !== void 0,
      sequential: settings.allTrials !== true
    });
    if (versionName) state.versionName = versionName;
    state.definitions = remoteFingerprint(input.suites);
    if (o.candidate !== void 0) state.candidate = o.candidate;
  }
  writeState(o.outDir, state);
  const selectedByKey = new Map(selection.map((s) => [pairKey(s.suite.name, s.test.name), s]));
  const infoOf = (w) => selectedByKey.get(pairKey(w.suite, w.test));
  const progress = createProgress(io, {
    startedMs: startedMs2,
    trialsOf: (c) => infoOf(c.work)?.trials ?? 1,
    rubricOf: (w) => infoOf(w)?.test.rubric ?? []
  });
  const writer = stateWriter(() => writeState(o.outDir, state));
  const loop = new Loop(state, o, {
    api,
    clock,
    random,
    signal,
    progress,
    infoOf,
    persist: writer.mark,
    flush: writer.flush
  });
  const end = await loop.run(startedMs2);
  progress.done(state, clock.now());
  state.finishedAt = new Date(clock.now()).toISOString();
  const stillRunning = state.work.filter(isInFlight);
  const results = assembleResults({
    state,
    selection,
    startedAt: state.startedAt,
    // on --resume: when the runs were first triggered
    finishedAt: state.finishedAt,
    shard: state.settings.shard,
    stopReason: end.reason,
    gateOverrides: o.gateOverrides
  });
  return {
    results,
    state,
    stillRunning,
    saveState: () => writeState(o.outDir, state),
    ...end.stopped ? { stopped: end.stopped } : {},
    ...end.error === void 0 ? {} : { error: end.error }
  };
}
async function checkVersion(api, o, signal) {
  try {
    const v = await api.getVersion(o.assistantId ?? "", o.versionId ?? "", signal ? { signal } : {});
    return v.version_name ?? v.name;
  } catch (err) {
    if (isNotFound(err)) {
      throw new UsageError(
        `--version ${o.versionId}: assistant ${o.assistantId} has no such version. Nothing was triggered.`
      );
    }
    throw err;
  }
}
var Loop = class {
  constructor(state, o, d) {
    this.state = state;
    this.o = o;
    this.d = d;
    const confirmed = state.work.some((w) => w.runId !== void 0);
    this.version = { id: state.settings.versionId, confirmed };
    this.baselineVersion = { id: state.settings.against?.versionId, confirmed: true };
    this.poll = o.poll ?? DEFAULT_POLL_POLICY;
    this.graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
    this.poller = new Poller({ api: d.api, now: this.now, signal: d.signal }, this.poll);
  }
  state;
  o;
  d;
  version;
  /** `--against`: the baseline side's version, resolved before the run (so known to exist). */
  baselineVersion;
  poll;
  graceMs;
  limit = pLimit(TRIGGER_CONCURRENCY);
  lastProgressMs = 0;
  /** The last poll: how many runs it saw finish, and how long after the one before it. */
  lastPoll;
  lastPollAt;
  /** When the last poll's answers were in: the cadence counts from there (see nextPollMs). */
  lastPollEndAt;
  /** The last round of triggers stopped at the cadence with triggers left to send. */
  sliced = false;
  /** Polls in a row that met problems (backoff). */
  failures = 0;
  /** When the polls started failing without a break (see PollPolicy.outageMs). */
  failingSince;
  poller;
  now = () => this.d.clock.now();
  report(changes, problems = []) {
    for (const p of problems) this.d.progress.note(`warning: ${p}`);
    if (changes.length > 0) this.lastProgressMs = this.now();
    this.d.progress.update(this.state, changes, this.now());
  }
  maxDurationSeconds = (w) => this.d.infoOf(w)?.test.maxDurationSeconds ?? ASSUMED_MAX_DURATION_SECONDS;
  /** Anything left to do: a trigger to send or a run to wait for. */
  busy() {
    return this.state.batches.some((b) => b.status === "queued") || this.state.work.some((w) => isInFlight(w) || w.status === "queued" && w.via === "test");
  }
  /** --timeout is not checked here: it aborts the signal (deadline.ts), like a cancel. */
  async run(startedMs2) {
    this.lastProgressMs = startedMs2;
    try {
      for (; ; ) {
        if (this.d.signal?.aborted) return this.cancel();
        this.retry();
        this.release();
        await this.triggerReady();
        if (this.d.signal?.aborted) return this.cancel();
        this.retry();
        this.release();
        if (!this.busy()) return {};
        const wait = this.sliced ? 0 : this.nextPollMs();
        await this.d.clock.sleep(wait, this.d.signal);
        if (this.d.signal?.aborted) return this.cancel();
        if (!this.state.work.some(isInFlight)) continue;
        const polledAt = this.now();
        const polled = await this.poller.poll(this.state);
        this.lastPoll = {
          intervalMs: this.lastPollAt === void 0 ? 0 : polledAt - this.lastPollAt,
          finished: polled.changes.filter((c) => isFinal(c.to)).length
        };
        this.lastPollAt = polledAt;
        this.lastPollEndAt = this.now();
        if (this.d.signal?.aborted) return this.cancel();
        if (polled.fatal !== void 0) throw polled.fatal;
        const timedOut = dueTimeouts(this.state, this.now(), {
          graceMs: this.graceMs,
          maxDurationSeconds: this.maxDurationSeconds,
          lastProgressMs: this.lastProgressMs
        });
        const changes = [...polled.changes, ...timedOut];
        for (const n of polled.notes) this.d.progress.note(`note: ${n}`);
        this.report(changes, polled.problems.length > 0 ? [`poll: ${polled.problems[0]}`] : []);
        if (changes.length > 0) this.d.persist();
        this.failures = polled.problems.length > 0 ? this.failures + 1 : 0;
        if (polled.problems.length === 0 || polled.answered > 0) this.failingSince = void 0;
        else this.failingSince ??= polledAt;
        const outageMs = this.poll.outageMs ?? DEFAULT_OUTAGE_MS;
        if (this.failingSince !== void 0 && this.now() - this.failingSince >= outageMs) {
          const reason = `stopped: the API answered no poll for ${formatElapsed(outageMs)} (last: ${polled.problems[0]})`;
          this.report(stopAll(this.state, { queued: "not triggered: the API stopped answering polls" }));
          this.d.progress.note(`error: ${reason}`);
          return { stopped: "error", reason, error: new Error(reason) };
        }
      }
    } catch (err) {
      if (err instanceof UsageError || isFatal(err)) throw err;
      if (this.d.signal?.aborted) return this.cancel();
      const reason = `stopped by an error: ${err instanceof Error ? err.message : String(err)}`;
      this.report(stopAll(this.state, { queued: "not triggered: the run stopped on an error" }));
      this.d.progress.note(`error: ${reason}`);
      return { stopped: "error", reason, error: err };
    }
  }
  /**
   * Ms until the next poll: the cadence (shorter for the last few runs, see cadenceShare; longer
   * while polls fail), but with --history never before a run can be expected to be done, and
   * right when every run left is expected to be done if that comes sooner.
   */
  nextPollMs() {
    const cadence = Math.round(
      (this.failures > 0 ? 1 : this.poller.cadenceShare(this.state)) * pollDelay(this.failures, this.poll, this.d.random)
    );
    const now = this.now();
    const inFlight = this.state.work.filter(isInFlight).length;
    const pace = this.failures > 0 || !this.lastPoll ? void 0 : untilPaceDoneMs(inFlight, this.lastPoll.finished, this.lastPoll.intervalMs);
    const step = pace !== void 0 && pace < cadence ? Math.max(pace, cadence / 4) : cadence;
    const paced = fromLastPollMs(step, now, this.lastPollEndAt);
    const expected = this.o.expectedMs;
    if (!expected) return this.beforeDeadline(paced);
    const of = (w) => expected.get(pairKey(w.suite, w.test));
    const allDone = this.failures > 0 ? void 0 : untilAllExpectedMs(this.state, now, of);
    const next = allDone !== void 0 && allDone >= 0 && allDone < paced ? allDone + (this.poll.endSlackMs ?? DEFAULT_END_SLACK_MS) : paced;
    return this.beforeDeadline(Math.max(next, untilUsefulMs(this.state, now, of)));
  }
  /**
   * A wait that would run past --timeout's deadline becomes one that polls shortly before it
   * (when that is still a quarter of the cadence away), so the partial reports hold what the
   * API had then, not what it had a whole cadence earlier.
   */
  beforeDeadline(waitMs) {
    const at = this.o.deadlineAtMs;
    if (at === void 0) return waitMs;
    const remaining = at - this.now();
    const early = remaining - Math.min(DEADLINE_MARGIN_MS, remaining / 4);
    return waitMs > remaining && early >= this.poll.startMs / 4 ? early : waitMs;
  }
  async triggerReady() {
    const inFlight = this.state.work.filter(isInFlight).length;
    const capacity = this.o.maxInFlight === void 0 ? Number.POSITIVE_INFINITY : this.o.maxInFlight - inFlight;
    const common = {
      api: this.d.api,
      state: this.state,
      now: this.now,
      signal: this.d.signal,
      persist: this.d.persist,
      ...this.o.resume ? { unsentSince: this.state.startedAt } : {}
    };
    const ctx = { ...common, version: this.version };
    const baseCtx = { ...common, version: this.baselineVersion };
    const sliceEnd = this.now() + this.poll.startMs;
    this.sliced = false;
    const timed = (job) => () => {
      if (this.now() <= sliceEnd) return job();
      this.sliced = true;
      return Promise.resolve(noOutcome());
    };
    let thrown;
    const guarded = (job) => async () => {
      if (thrown) return noOutcome();
      try {
        return await job();
      } catch (err) {
        thrown ??= { err };
        return noOutcome();
      }
    };
    const settled = async (js) => {
      const all = await Promise.all(js.map((j) => this.limit(guarded(j))));
      if (thrown) throw thrown.err;
      return all;
    };
    const jobsOf = (wave) => [
      ...wave.batches.map((b) => () => triggerBatch(b, b.side === "baseline" ? baseCtx : ctx)),
      ...wave.work.map((w) => timed(() => triggerWork(w, w.side === "baseline" ? baseCtx : ctx)))
    ];
    const busyTests = /* @__PURE__ */ new Set();
    const queued = this.state.work.filter((w) => {
      if (w.status !== "queued" || w.via !== "test" || w.held) return false;
      const k = tupleKey(w.suite, w.test, w.side ?? "candidate");
      if (busyTests.has(k)) return false;
      busyTests.add(k);
      return true;
    });
    const ready = {
      batches: this.state.batches.filter((b) => b.status === "queued" && !b.held),
      work: queued.slice(0, Math.max(0, capacity))
    };
    const { now, later } = splitWave(this.state, ready);
    const jobs = jobsOf(now);
    if (jobs.length === 0 && later.batches.length + later.work.length === 0) return;
    const first = this.version.id !== void 0 && !this.version.confirmed ? jobs.shift() : void 0;
    const outcomes = first ? [await first()] : [];
    if (!this.d.signal?.aborted) for (const o of await settled(jobs)) outcomes.push(o);
    if (!this.d.signal?.aborted) {
      for (const o of await settled(jobsOf(splitWave(this.state, later).now))) outcomes.push(o);
    }
    const changes = outcomes.flatMap((x) => x.changes);
    const problems = outcomes.flatMap((x) => x.problems);
    const extra = outcomes.reduce((n, x) => n + x.extraRuns, 0);
    if (extra > 0)
      problems.push(`a suite trigger also started ${extra} run(s) of remote tests not in the suite files`);
    this.report(changes, problems.slice(0, 3));
    this.d.flush();
    if (problems.length > 0) this.failures++;
  }
  /** Sequential trials: trigger the held trials tests need now, drop the ones decided without them. */
  release() {
    const ruleOf = (w) => {
      const s = this.d.infoOf(w);
      if (!s) return void 0;
      return { trials: s.trials, minPasses: s.minPasses, rubric: s.test.rubric };
    };
    const r = releaseTrials(this.state, ruleOf);
    if (r.released > 0 || r.dropped > 0) {
      this.d.persist();
      this.d.flush();
    }
  }
  retry() {
    const added = spawnRetries(this.state, {
      retries: this.o.retries,
      maxRuns: this.o.maxRuns,
      rubricOf: (w) => this.d.infoOf(w)?.test.rubric ?? []
    });
    if (added.length > 0) {
      this.d.persist();
      this.d.flush();
    }
  }
  cancel() {
    if (isDeadline(this.d.signal)) return this.timeout();
    const reason = reasonText(this.d.signal);
    const changes = stopAll(this.state, { queued: `not triggered: ${reason}` });
    this.report(changes);
    return { stopped: "cancelled", reason };
  }
  timeout() {
    const reached = deadlineMessage(this.d.signal) ?? "--timeout reached";
    const changes = stopAll(this.state, { queued: `not triggered: ${reached} first` });
    this.report(changes);
    return { stopped: "timeout", reason: reached };
  }
};

// src/commands/memory.ts
import { resolve } from "node:path";

// src/changed.ts
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
var FETCH_HINT = "In GitHub Actions, check out the full history (actions/checkout with fetch-depth: 0) or fetch the ref first (git fetch origin <branch>).";
var judgedBy = (s, t) => canonical({
  required: t.rubric.filter((c) => c.required).map((c) => c.name).sort(),
  quarantined: t.quarantine !== void 0,
  gate: s.gate
});
function diffDefinitions(current, old) {
  const oldSuites = new Map(
    old.map((s) => [s.name, { suite: s, tests: new Map(s.tests.map((t) => [t.name, t])) }])
  );
  const out = /* @__PURE__ */ new Map();
  for (const s of current) {
    const before = oldSuites.get(s.name);
    for (const t of s.tests) {
      const was = [t.name, ...t.renamedFrom].map((n) => before?.tests.get(n)).find((x) => x !== void 0);
      if (!was || !before) out.set(pairKey(s.name, t.name), "new");
      else if (testFingerprint(was) !== testFingerprint(t) || judgedBy(before.suite, was) !== judgedBy(s, t))
        out.set(pairKey(s.name, t.name), "changed");
    }
  }
  return out;
}
async function testsReadingEnv(current, paths, opts) {
  const marked = new Proxy(
    {},
    {
      get: (_, k) => typeof k === "string" && opts.env[k] !== void 0 ? `${opts.env[k]}\u2063` : void 0
    }
  );
  const probe = await loadSuites(paths, { cwd: opts.cwd, env: marked });
  const seen = /* @__PURE__ */ new Map();
  for (const s of probe.suites)
    for (const t of s.tests) seen.set(pairKey(s.name, t.name), testFingerprint(t));
  const out = /* @__PURE__ */ new Set();
  for (const s of current) {
    for (const t of s.tests) {
      const key = pairKey(s.name, t.name);
      if (seen.get(key) !== testFingerprint(t)) out.add(key);
    }
  }
  return out;
}
function onlyChanged(suites, changed) {
  return suites.map((s) => ({ ...s, tests: s.tests.filter((t) => changed.has(pairKey(s.name, t.name))) })).filter((s) => s.tests.length > 0);
}
var unchangedReason = (ref) => `unchanged since ${ref}`;
function markUnchanged(selection, changed, ref) {
  return selection.map(
    (s) => s.selected && !changed.has(pairKey(s.suite.name, s.test.name)) ? { ...s, selected: false, skipReason: unchangedReason(ref) } : s
  );
}
function restoreUnchanged(run, skeleton) {
  const ran = /* @__PURE__ */ new Map();
  for (const s of run.suites) for (const t of s.tests) ran.set(pairKey(s.name, t.name), t);
  return {
    ...run,
    suites: skeleton.map((s) => ({
      ...s,
      tests: s.tests.map((t) => ran.get(pairKey(s.name, t.name)) ?? t)
    }))
  };
}
function countChanged(selection, changed) {
  const selected = selection.filter((s) => s.selected);
  return {
    selected: selected.length,
    changed: selected.filter((s) => changed.has(pairKey(s.suite.name, s.test.name))).length
  };
}
function git(args, cwd) {
  return new Promise((resolvePromise) => {
    execFile(
      "git",
      args,
      {
        cwd,
        encoding: "buffer",
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }
      },
      (err, stdout, stderr) => {
        const code = err ? typeof err.code === "number" ? err.code : 127 : 0;
        resolvePromise({ code, stdout, stderr: stderr.toString("utf8").trim() });
      }
    );
  });
}
var text = (r) => r.stdout.toString("utf8").trim();
async function resolveRef(ref, cwd) {
  if (ref.trim() === "" || ref.startsWith("-")) {
    throw new UsageError(
      `--changed-since "${ref}" is not a git ref; pass a branch, tag or commit, e.g. origin/main`
    );
  }
  const top = await git(["rev-parse", "--show-toplevel"], cwd);
  if (top.code !== 0) {
    throw new UsageError(
      `--changed-since ${ref}: ${cwd} is not inside a git repository (${top.stderr || `git exited ${top.code}`}). ${FETCH_HINT}`
    );
  }
  const found = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], cwd);
  if (found.code === 0) return { commit: text(found), top: text(top) };
  const shallow = text(await git(["rev-parse", "--is-shallow-repository"], cwd)) === "true";
  throw new UsageError(
    shallow ? `--changed-since ${ref}: no such commit in this clone, which is shallow (it lacks the history). ${FETCH_HINT}` : `--changed-since ${ref}: git knows no commit, branch or tag by that name. Check the spelling. ${FETCH_HINT}`
  );
}
async function headCommit(cwd) {
  const r = await git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd);
  return r.code === 0 ? text(r) || void 0 : void 0;
}
async function suitesAtRef(ref, paths, opts) {
  const { commit, top } = await resolveRef(ref, opts.cwd);
  const scratch = await mkdtemp(path.join(tmpdir(), "rubric-gate-changed-"));
  try {
    const wanted = (paths.length > 0 ? paths : DEFAULT_SUITE_PATHS).map((p) => {
      const rel = path.relative(top, path.resolve(opts.cwd, p)).split(path.sep).join("/");
      if (rel.startsWith("..") || path.isAbsolute(rel)) {
        throw new UsageError(`--changed-since: ${p} is outside the git repository at ${top}`);
      }
      return rel;
    });
    for (const rel of wanted) await copyFromTree(commit, rel, top, scratch);
    const cwd = path.join(scratch, path.relative(top, opts.cwd));
    await mkdir(cwd, { recursive: true });
    const copies = paths.length > 0 ? wanted.map((rel) => path.join(scratch, rel)) : [];
    const { suites, problems } = await loadSuites(copies, { cwd, env: opts.env });
    const warnings = problems.map(
      (p) => `${ref}:${p.file}:${p.line}:${p.col}: ${p.message} (its tests count as changed)`
    );
    return { commit, suites, warnings };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
async function copyFromTree(commit, rel, top, scratch) {
  const entryOf = async (spec) => {
    const r = await git(["ls-tree", "-z", commit, "--", spec], top);
    if (r.code !== 0) throw new UsageError(`--changed-since: git ls-tree failed: ${r.stderr}`);
    return r.stdout.toString("utf8").split("\0").filter(Boolean).map((line) => {
      const [meta = "", name = ""] = line.split("	");
      const [mode, type, sha] = meta.split(" ");
      return { mode, type, sha, name };
    });
  };
  const root = rel === "" ? [] : await entryOf(rel);
  const isTree = rel === "" || root.some((e) => e.type === "tree" && e.name === rel);
  const files = isTree ? await entryOf(rel === "" ? "." : `${rel}/`) : root;
  for (const f of files) {
    if (f.type !== "blob" || f.mode !== "100644" && f.mode !== "100755" || !f.sha) continue;
    const blob = await git(["cat-file", "blob", f.sha], top);
    if (blob.code !== 0) throw new UsageError(`--changed-since: git cat-file failed: ${blob.stderr}`);
    const dest = path.join(scratch, ...f.name.split("/"));
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, blob.stdout);
  }
}

// src/quarantine.ts
function markQuarantine(results, suites, gating) {
  const reasons = new Map(
    suites.flatMap(
      (s) => s.tests.flatMap((t) => t.quarantine === void 0 ? [] : [[pairKey(s.name, t.name), t.quarantine]])
    )
  );
  const out = {
    ...results,
    suites: results.suites.map((s) => ({
      ...s,
      tests: s.tests.map((t) => {
        const reason = reasons.get(pairKey(s.name, t.name));
        return reason === void 0 ? t : { ...t, quarantine: reason };
      })
    }))
  };
  if (gating && reasons.size > 0) out.noQuarantine = true;
  return out;
}

// src/commands/memory.ts
async function prepareMemory(suites, opts, io) {
  const historyPath = opts.history === void 0 ? void 0 : resolve(io.cwd, opts.history);
  const past = historyPath ? await readHistoryFile(historyPath, opts.history) : void 0;
  const commit = past ? io.env.GITHUB_SHA || await headCommit(io.cwd) : void 0;
  let runSuites2 = [...suites];
  let skeleton;
  let filters = "";
  if (opts.changedSince !== void 0) {
    const ref = opts.changedSince;
    const old = await suitesAtRef(ref, opts.paths, { cwd: io.cwd, env: io.env });
    for (const w of old.warnings) io.stderr(`warning: --changed-since: ${w}
`);
    const changed = diffDefinitions(suites, old.suites);
    for (const key of await testsReadingEnv(suites, opts.paths, { cwd: io.cwd, env: io.env }))
      if (!changed.has(key)) changed.set(key, "changed");
    const { shard: _shard, ...settings } = settingsOf({ ...opts, sync: true, outDir: "", resume: false });
    const selection = selectionFor(suites, settings);
    const n = countChanged(selection, changed);
    const what = describeFilters(opts);
    if (n.changed === 0 && !opts.passWithNoTests) {
      throw new UsageError(
        [
          `--changed-since ${ref} (${old.commit.slice(0, 12)}): none of the ${n.selected} test${n.selected === 1 ? "" : "s"}${what ? ` selected by ${what}` : ""} changed since then. Nothing was sent.`,
          ALLOW_EMPTY
        ].join("\n")
      );
    }
    io.stdout(
      `--changed-since ${ref} (${old.commit.slice(0, 12)}): ${n.changed} of ${n.selected} selected test${n.selected === 1 ? "" : "s"} new or changed
`
    );
    runSuites2 = onlyChanged(suites, changed);
    skeleton = notStartedResults({
      selection: markUnchanged(selection, changed, ref),
      startedAt: "",
      finishedAt: "",
      reason: "not run"
    }).suites;
    filters = `--changed-since ${ref}`;
  }
  let records;
  return {
    suites: runSuites2,
    filters,
    expectedMs: past ? expectedDurations(past) : /* @__PURE__ */ new Map(),
    finish(results) {
      let out = skeleton ? restoreUnchanged(results, skeleton) : results;
      out = markQuarantine(out, suites, opts.noQuarantine === true);
      if (!past) return out;
      const record = historyRecord(out, suites, {
        tool: VERSION,
        commit,
        fingerprint: definitionsFingerprint(suites)
      });
      records = appendBounded(past, record, opts.historyLimit);
      const known = appendBounded(past, record, Number.MAX_SAFE_INTEGER);
      return { ...out, history: summarizeHistory(known, suites, { source: opts.history }) };
    },
    async save() {
      if (historyPath && records) writeHistoryFile(historyPath, records);
    }
  };
}

// src/commands/run.ts
function intFlag(name, v, min, max) {
  if (v === void 0) return void 0;
  const n = typeof v === "number" ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || max !== void 0 && n > max) {
    const range = max === void 0 ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be a whole number ${range} (got ${JSON.stringify(v)})`);
  }
  return n;
}
var list = (v) => (v === void 0 ? [] : Array.isArray(v) ? v : [v]).flatMap((x) => x.split(",")).map((x) => x.trim()).filter(Boolean);
function parseRunFlags(paths, flags, io) {
  if (flags.grep !== void 0) compileGrep(flags.grep);
  const reporters = flags.reporter === void 0 ? void 0 : parseReporters(flags.reporter);
  if (reporters && reporters.unknown.length > 0) {
    throw new UsageError(`--reporter: unknown ${reporters.unknown.join(", ")} (use ${REPORTERS.join(", ")})`);
  }
  if (flags.version !== void 0 && flags.version.trim() === "") {
    throw new UsageError(
      "--version is empty: pass a version id, or leave --version out to run the main version"
    );
  }
  if (flags.assistant !== void 0 && flags.assistant.trim() === "") {
    throw new UsageError("--assistant is empty: pass an assistant id, or leave --assistant out");
  }
  if (flags.assistant !== void 0 && flags.version === void 0 && flags.against === void 0) {
    throw new UsageError(
      "--assistant is only used to check --version (and find --against main); pass --version too"
    );
  }
  if (flags.against !== void 0) {
    checkAgainstFlags({ against: flags.against, assistantId: flags.assistant, versionId: flags.version });
  }
  const o = {
    paths: [...paths],
    versionId: flags.version,
    assistantId: flags.assistant,
    sync: flags.sync !== false,
    prune: flags.prune === true,
    grep: flags.grep,
    tags: list(flags.tag),
    trials: intFlag("--trials", flags.trials, 1, TRIALS_MAX),
    retries: intFlag("--retries", flags.retries, 0, 10) ?? 0,
    maxInFlight: intFlag("--max-in-flight", flags.maxInFlight, 1),
    maxRuns: intFlag("--max-runs", flags.maxRuns, 1),
    maxCallMinutes: intFlag("--max-call-minutes", flags.maxCallMinutes, 1),
    ...flags.against === void 0 ? {} : { against: flags.against },
    ...flags.allTrials === true ? { allTrials: true } : {},
    timeoutMs: flags.timeout === void 0 ? void 0 : parseDuration(flags.timeout, "--timeout"),
    shard: flags.shard === void 0 ? void 0 : parseShard(flags.shard),
    resume: flags.resume === true,
    passWithNoTests: flags.passWithNoTests === true,
    outDir: resolve2(io.cwd, flags.outDir ?? DEFAULT_OUT_DIR),
    apiKey: flags.apiKey,
    baseUrl: flags.baseUrl,
    reporters: reporters?.reporters,
    baseline: flags.baseline,
    history: flags.history,
    historyLimit: intFlag("--history-limit", flags.historyLimit, 1, HISTORY_LIMIT_MAX),
    noQuarantine: flags.quarantine === false,
    changedSince: flags.changedSince,
    gateFlags: {
      ...flags.minPassRate === void 0 ? {} : { minPassRate: Number(flags.minPassRate) },
      ...flags.maxErrors === void 0 ? {} : { maxErrors: Number(flags.maxErrors) },
      ...flags.failOnRegression === void 0 ? {} : { failOnRegression: flags.failOnRegression }
    }
  };
  if (o.resume) {
    o.resumeFlags = {
      versionId: o.versionId,
      grep: o.grep,
      ...flags.tag === void 0 ? {} : { tags: o.tags },
      trials: o.trials,
      ...flags.retries === void 0 ? {} : { retries: o.retries },
      maxInFlight: o.maxInFlight,
      maxRuns: o.maxRuns,
      shard: o.shard,
      against: o.against,
      ...o.allTrials ? { allTrials: true } : {}
    };
  }
  o.judging = {
    ...o.gateFlags,
    ...o.noQuarantine ? { noQuarantine: true } : {},
    ...o.baseline === void 0 ? {} : { baseline: o.baseline }
  };
  if (o.resumeFlags) o.resumeFlags.judging = o.judging;
  if (o.timeoutMs !== void 0 && o.timeoutMs <= 0) throw new UsageError("--timeout must be more than 0");
  if (o.historyLimit !== void 0 && o.history === void 0) {
    throw new UsageError("--history-limit bounds the --history file; pass --history FILE too");
  }
  gateOverridesFromFlags(o.gateFlags);
  return o;
}
async function runCommand(paths, flags, io, deps = {}) {
  let opts;
  try {
    opts = parseRunFlags(paths, flags, io);
  } catch (err) {
    return reportError(err, io, flags.apiKey);
  }
  return withStopSignals(io, "writing partial results", deps, (d) => executeRun(opts, io, d));
}
async function withStopSignals(io, what, deps, fn) {
  if (deps.signal) return fn(deps);
  const controller = new AbortController();
  const onSignal = (sig) => {
    io.stderr(`
${sig}: stopping; ${what} (press again to quit at once)
`);
    controller.abort(`cancelled (${sig})`);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    return await fn({ ...deps, signal: controller.signal });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
function judgedAsBefore(opts, state) {
  const recorded = state.settings.judging;
  const saved = opts.promotion === true && state.settings.against !== void 0 ? { ...recorded, failOnRegression: true } : recorded;
  if (saved === void 0) return opts;
  const gateFlags = {
    ...saved.minPassRate === void 0 ? {} : { minPassRate: saved.minPassRate },
    ...saved.maxErrors === void 0 ? {} : { maxErrors: saved.maxErrors },
    ...saved.failOnRegression === void 0 ? {} : { failOnRegression: saved.failOnRegression }
  };
  return {
    ...opts,
    gateFlags,
    noQuarantine: saved.noQuarantine === true,
    ...saved.baseline === void 0 ? {} : { baseline: saved.baseline },
    judging: { ...saved }
  };
}
async function executeRun(opts, io, deps = {}, hooks = {}) {
  const clock = deps.clock ?? systemClock;
  const deadlineAtMs = opts.timeoutMs === void 0 ? void 0 : clock.now() + opts.timeoutMs;
  const deadline = startDeadline(deps.signal, opts.timeoutMs, clock);
  deps = { ...deps, ...deadline.signal ? { signal: deadline.signal } : {} };
  let client = deps.client;
  let apiKey = opts.apiKey;
  const owned = !client;
  try {
    if (opts.resume) opts = judgedAsBefore(opts, readState(opts.outDir));
    const baseline = opts.baseline ? await readResultsFile(resolve2(io.cwd, opts.baseline), `--baseline ${opts.baseline}`) : void 0;
    const { suites: loaded, problems } = await loadSuites(opts.paths, { cwd: io.cwd, env: io.env });
    if (problems.length > 0) throw new SuiteFileError(problems);
    const memory = await prepareMemory(loaded, opts, io);
    fingerprintsBefore(loaded, opts.history !== void 0);
    const suites = memory.suites;
    if (!opts.resume) {
      const { selection } = preflight(suites, opts);
      assertSelection(suites, selection, opts);
      const wrong = opts.versionId === void 0 ? void 0 : versionTargetProblem(selection, opts.versionId, opts.assistantId ?? opts.versionOf);
      if (wrong !== void 0) throw new UsageError(wrong);
    }
    const recordSelection = (r, settings) => {
      const shard = shardInfo(suites, selectionFor(suites, settings), settings);
      if (shard && memory.filters) shard.filters = [shard.filters, memory.filters].filter(Boolean).join(" ");
      return memory.finish({
        ...r,
        fingerprint: definitionsFingerprint(loaded),
        ...shard ? { shard } : {},
        ...opts.passWithNoTests ? { passWithNoTests: true } : {}
      });
    };
    const gateReportRemember = async (r) => {
      const code = await gateAndReport(r, reportOptions, io);
      await memory.save();
      return code;
    };
    const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
    apiKey = config.apiKey;
    client ??= new TelnyxClient({ ...config, ...deps.signal ? { signal: deps.signal } : {} });
    const api = client;
    await hooks.beforeRun?.(api);
    if (opts.against !== void 0 && opts.againstVersionId === void 0 && !opts.resume) {
      const base = await resolveAgainst(
        api,
        { against: opts.against, assistantId: opts.assistantId, versionId: opts.versionId },
        deps.signal ? { signal: deps.signal } : {}
      );
      opts = { ...opts, againstVersionId: base.versionId };
      io.stdout(
        `Against ${base.label === "main" ? `main (version ${base.versionId})` : `version ${base.versionId}`}: every selected test also runs there, in the same run
`
      );
    }
    const reportOptions = {
      ...opts.gateFlags,
      outDir: opts.outDir,
      ...opts.reporters ? { reporters: opts.reporters } : {},
      ...baseline ? { baseline } : {},
      ...hooks.afterGate ? { afterGate: (r, e) => hooks.afterGate(api, r, e) } : {},
      ...deps.onReported ? { onReported: deps.onReported } : {}
    };
    const startedAt = (/* @__PURE__ */ new Date()).toISOString();
    let remote;
    try {
      remote = opts.resume ? /* @__PURE__ */ new Map() : await syncFirst(client, loaded, opts, io, deps);
    } catch (err) {
      if (err instanceof UsageError || isFatal(err)) throw err;
      const timedOut = deadlineMessage(deps.signal);
      const reason = timedOut ? `nothing was run: ${timedOut} during the sync before the run` : `nothing was run: the sync before the run failed: ${redact(err instanceof Error ? err.message : String(err), apiKey)}`;
      if (timedOut) io.stderr(`${reason}
`);
      else reportError(err, io, apiKey);
      const results = notStartedResults({
        selection: preflight(suites, opts).selection,
        startedAt,
        finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
        reason,
        versionId: opts.versionId,
        shard: opts.shard
      });
      return await gateReportRemember(recordSelection(results, settingsOf(opts)));
    }
    const report = await runSuites(
      {
        suites,
        remote,
        options: {
          ...opts,
          ...deps.poll ? { poll: deps.poll } : {},
          ...memory.expectedMs.size > 0 ? { expectedMs: memory.expectedMs } : {},
          ...deadlineAtMs === void 0 ? {} : { deadlineAtMs },
          ...deps.graceMs === void 0 ? {} : { graceMs: deps.graceMs }
        }
      },
      {
        api: client,
        io,
        clock: deps.clock,
        signal: deps.signal,
        random: deps.random,
        apiHost: new URL(config.baseUrl).host
      }
    );
    printStillRunning(report, resumeHint(io, opts.outDir, hooks.afterGate ? "promote" : "run"), io);
    try {
      return await gateReportRemember(recordSelection(report.results, report.state.settings));
    } finally {
      report.saveState();
    }
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    deadline.dispose();
    if (owned) await client?.close();
  }
}
async function syncFirst(client, suites, opts, io, deps) {
  const call = deps.signal ? { signal: deps.signal } : {};
  const names = suites.map((s) => s.name);
  const { remote, plan } = await readAndPlan(client, suites, { ...call, confirm: opts.sync });
  if (!opts.sync) {
    if (hasWrites(plan, false)) {
      io.stderr(
        `warning: --no-sync: the account differs from the suite files (${planSummary(plan, false)}); tests missing remotely are not run
`
      );
    }
    return remote;
  }
  assertNoConflicts(plan);
  const prune = opts.prune === true;
  if (!hasWrites(plan, prune)) return remote;
  io.stdout(`${planSummary(plan, prune)}
`);
  const report = await syncPlan(client, plan, { prune, ...call });
  io.stdout(renderSyncReport(report, { color: io.isTTY }));
  throwIfFailed(report);
  return fetchRemote(client, names, call);
}
function resumeHint(io, outDir, command) {
  return io.action ? `re-run this step with the input resume: true and out-dir ${outDir} restored (actions/cache or an artifact of it)` : `rubric-gate ${command} --resume --out-dir ${outDir}`;
}
function printStillRunning(report, hint, io) {
  const { stillRunning } = report;
  const maybe = report.state.work.filter(mayHaveStarted).length;
  if (stillRunning.length === 0) {
    if (maybe > 0) {
      io.stdout(
        `${maybe} trigger${maybe === 1 ? "" : "s"} got no answer, so ${maybe === 1 ? "its run" : "their runs"} may have started remotely.
Pick them up with: ${hint}
`
      );
    }
    return;
  }
  const lines = stillRunning.slice(0, 50).map(
    (w) => `  ${w.suite} \u203A ${w.test} [trial ${w.trial}${w.retry ? `, retry ${w.retry}` : ""}]: run ${w.runId} (${w.status})`
  );
  const more = stillRunning.length > 50 ? [`  ... and ${stillRunning.length - 50} more`] : [];
  io.stdout(
    `${[
      `${stillRunning.length} run${stillRunning.length === 1 ? " is" : "s are"} still in progress remotely (the API cannot cancel runs):`,
      ...lines,
      ...more,
      `Pick them up with: ${hint}`
    ].join("\n")}
`
  );
}

export {
  resolveAgainst,
  readState,
  parseRunFlags,
  runCommand,
  withStopSignals,
  judgedAsBefore,
  executeRun,
  resumeHint
};
