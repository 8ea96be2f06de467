import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  LineCounter,
  YAML_QUIET,
  isMap,
  isScalar,
  isSeq,
  parseDocument
} from "./chunk-7BFOF2IB.js";
import {
  SuiteFileError,
  UsageError
} from "./chunk-5CZ452EX.js";
import {
  CHANNELS,
  LIMITS,
  external_exports,
  isFinal
} from "./chunk-IJNY3YTN.js";

// src/simulator/canary.ts
var ClauseInput = external_exports.object({
  attribute: external_exports.string(),
  operator: external_exports.enum(["in", "not_in", "starts_with"]),
  values: external_exports.array(external_exports.string()).min(1)
});
var RolloutSlotInput = external_exports.object({ version_id: external_exports.string(), weight: external_exports.number().min(0).max(100) });
var ServeInput = external_exports.object({
  version_id: external_exports.string().optional(),
  rollout: external_exports.array(RolloutSlotInput).optional()
});
var RuleInput = external_exports.object({ match: external_exports.array(ClauseInput).optional(), serve: ServeInput });
function checkRules(rules, versionIds) {
  const problems = [];
  rules.forEach((rule, i) => {
    const { version_id, rollout } = rule.serve;
    if (version_id === void 0 === (rollout === void 0)) {
      problems.push({ path: [i, "serve"], message: "serve must have exactly one of version_id or rollout" });
    }
    if (version_id !== void 0 && !versionIds.has(version_id)) {
      problems.push({ path: [i, "serve", "version_id"], message: `version ${version_id} does not exist` });
    }
    if (rollout) {
      if (rollout.length === 0) {
        problems.push({ path: [i, "serve", "rollout"], message: "rollout must list at least one version" });
      }
      const total = rollout.reduce((sum, slot) => sum + slot.weight, 0);
      if (total >= 100) {
        problems.push({
          path: [i, "serve", "rollout"],
          message: `rollout weights must sum to less than 100 (the rest goes to main), got ${total}`
        });
      }
      rollout.forEach((slot, j) => {
        if (!versionIds.has(slot.version_id)) {
          problems.push({
            path: [i, "serve", "rollout", j, "version_id"],
            message: `version ${slot.version_id} does not exist`
          });
        }
      });
    }
  });
  return problems;
}

// src/simulator/scenario.ts
var OUTCOMES = ["pass", "fail", "error", "hang"];
var Outcome = external_exports.enum(OUTCOMES);
var TestEntry = external_exports.strictObject({
  outcome: Outcome.optional(),
  criteria: external_exports.record(external_exports.string(), external_exports.enum(["pass", "fail"])).optional(),
  probability: external_exports.number().min(0).max(1).optional(),
  sequence: external_exports.array(Outcome).min(1).optional(),
  duration_seconds: external_exports.number().positive().max(86400).optional()
}).superRefine((e, ctx) => {
  const set = ["outcome", "probability", "sequence"].filter((k) => e[k] !== void 0);
  if (set.length > 1) {
    ctx.addIssue({
      code: "custom",
      path: [set[1] ?? "outcome"],
      message: `set only one of outcome, probability or sequence (found ${set.join(" and ")})`
    });
  }
});
var TestEntries = external_exports.record(external_exports.string().min(1), TestEntry);
var VersionDef = external_exports.strictObject({
  id: external_exports.string().min(1),
  name: external_exports.string().max(50).optional(),
  main: external_exports.boolean().optional(),
  model: external_exports.string().optional(),
  instructions: external_exports.string().optional(),
  created_at: external_exports.iso.datetime({ offset: true }).optional(),
  /** Overrides applied to runs triggered with destination_version_id = this version. */
  tests: TestEntries.optional()
});
var AssistantDef = external_exports.strictObject({
  id: external_exports.string().min(1),
  name: external_exports.string().optional(),
  model: external_exports.string().optional(),
  instructions: external_exports.string().optional(),
  description: external_exports.string().optional(),
  created_at: external_exports.iso.datetime({ offset: true }).optional(),
  versions: external_exports.array(VersionDef).min(1),
  canary: external_exports.strictObject({ rules: external_exports.array(RuleInput) }).optional()
});
var RateLimitDef = external_exports.strictObject({
  per_second: external_exports.number().positive().max(1e5),
  burst: external_exports.number().int().min(1).max(1e5).optional()
});
var Scenario = external_exports.strictObject({
  seed: external_exports.number().int().default(0),
  clock_scale: external_exports.number().positive().optional(),
  rate_limit: RateLimitDef.optional(),
  tests: TestEntries.default({ "*": { outcome: "pass" } }),
  assistants: external_exports.array(AssistantDef).default([])
}).superRefine((s, ctx) => {
  const seenAssistants = /* @__PURE__ */ new Set();
  const seenVersions = /* @__PURE__ */ new Set();
  s.assistants.forEach((a, i) => {
    if (seenAssistants.has(a.id)) {
      ctx.addIssue({
        code: "custom",
        path: ["assistants", i, "id"],
        message: `duplicate assistant id ${a.id}`
      });
    }
    seenAssistants.add(a.id);
    a.versions.forEach((v, j) => {
      if (seenVersions.has(v.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["assistants", i, "versions", j, "id"],
          message: `duplicate version id ${v.id}`
        });
      }
      seenVersions.add(v.id);
    });
    const mains = a.versions.flatMap((v, j) => v.main ? [j] : []);
    if (mains.length > 1) {
      ctx.addIssue({
        code: "custom",
        path: ["assistants", i, "versions", mains[1] ?? 0, "main"],
        message: `assistant ${a.id} has more than one main version`
      });
    }
    if (a.canary) {
      const ids = new Set(a.versions.map((v) => v.id));
      for (const p of checkRules(a.canary.rules, ids)) {
        ctx.addIssue({
          code: "custom",
          path: ["assistants", i, "canary", "rules", ...p.path],
          message: p.message
        });
      }
    }
  });
});
var rateLimitOf = (def) => ({
  perSecond: def.per_second,
  ...def.burst === void 0 ? {} : { burst: def.burst }
});
var DEFAULT_SCENARIO = Scenario.parse({});
var mainVersionOf = (a) => (a.versions.find((v) => v.main) ?? a.versions[0])?.id ?? "";

// src/simulator/scenario-file.ts
import { readFile } from "node:fs/promises";
var ScenarioFileError = class extends SuiteFileError {
  name = "ScenarioFileError";
  constructor(problems) {
    super(problems);
    const n = problems.length;
    this.message = `${n} problem${n === 1 ? "" : "s"} in scenario file:
${this.message.split("\n").slice(1).join("\n")}`;
  }
};
async function loadScenario(file) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = err.code;
    throw new UsageError(
      `cannot read scenario file ${file} (${code ?? String(err)}): check the --scenario path`
    );
  }
  return parseScenarioText(text, file);
}
function parseScenarioText(text, file) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_QUIET, lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      doc.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, col, message: `YAML syntax: ${e.message.split("\n")[0]}` };
      })
    );
  }
  const result = Scenario.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap((issue) => describe(issue)).map(({ path, key, message }) => {
    const { line, col } = at(offsetOf(doc.contents, path, key));
    return {
      file,
      line,
      col,
      message: `${pathText(key === void 0 ? path : [...path, key])}: ${message}`
    };
  });
  throw new ScenarioFileError(problems.sort((a, b) => a.line - b.line || a.col - b.col));
}
var KNOWN_KEYS = {
  root: ["seed", "clock_scale", "rate_limit", "tests", "assistants"],
  rate_limit: ["per_second", "burst"],
  entry: ["outcome", "criteria", "probability", "sequence", "duration_seconds"],
  assistant: ["id", "name", "model", "instructions", "description", "created_at", "versions", "canary"],
  version: ["id", "name", "main", "model", "instructions", "created_at", "tests"],
  canary: ["rules"]
};
function describe(issue) {
  const path = issue.path;
  if (issue.code === "unrecognized_keys") {
    const known = KNOWN_KEYS[kindOf(path)] ?? [];
    return issue.keys.map((key) => {
      const near = closest(key, known);
      return { path, key, message: `unknown key${near ? ` (did you mean "${near}"?)` : ""}` };
    });
  }
  if (issue.code === "invalid_type" && issue.input === void 0) {
    return [{ path, message: `is required (${issue.expected})` }];
  }
  if (issue.code === "invalid_value") {
    return [{ path, message: `must be one of ${issue.values.map(String).join(", ")}` }];
  }
  return [{ path, message: issue.message }];
}
function kindOf(path) {
  if (path.length === 0) return "root";
  if (path[0] === "rate_limit" && path.length === 1) return "rate_limit";
  if (path[0] === "assistants" && path.length === 2) return "assistant";
  if (path[0] === "assistants" && path[2] === "versions" && path.length === 4) return "version";
  if (path[0] === "assistants" && path[2] === "canary" && path.length === 3) return "canary";
  return "entry";
}
function closest(word, candidates) {
  let best;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}
function distance(a, b) {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
function offsetOf(root, path, key) {
  let node = root;
  const steps = key === void 0 ? path : [...path, key];
  for (const [i, step] of steps.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const isUnknownKey = key !== void 0 && i === steps.length - 1;
      node = isUnknownKey ? pair.key : pair.value ?? pair.key;
    } else if (isSeq(node) && typeof step === "number") {
      const item = node.items[step];
      if (!item) break;
      node = item;
    } else break;
  }
  return node?.range?.[0] ?? 0;
}
var pathText = (path) => path.length === 0 ? "(root)" : path.map(
  (p, i) => typeof p === "number" ? `[${p}]` : /^[A-Za-z_]\w*$/.test(String(p)) ? `${i ? "." : ""}${String(p)}` : `${i ? "." : ""}"${String(p)}"`
).join("");

// src/simulator/server.ts
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

// src/simulator/prng.ts
function hash32(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function drawFor(...parts) {
  return mulberry32(hash32(parts.join("\0")))();
}

// src/simulator/replies.ts
var HttpError = class extends Error {
  constructor(reply) {
    super(`HTTP ${reply.status}`);
    this.reply = reply;
  }
  reply;
};
var TITLES = {
  "10005": "Resource not found",
  "10007": "Unexpected error",
  "10008": "Request timeout",
  "10009": "Authentication failed",
  "10010": "Authorization failed",
  "10011": "Too many requests",
  "10015": "Bad Request",
  "10027": "Idempotency key reused",
  "10036": "Request already in progress"
};
function codeForStatus(status) {
  const byStatus = {
    400: "10015",
    401: "10009",
    403: "10010",
    404: "10005",
    408: "10008",
    409: "10036",
    422: "10027",
    429: "10011"
  };
  return byStatus[status] ?? (status >= 500 ? "10007" : String(status));
}
function telnyxError(status, code, detail, extra) {
  const error = { code, title: TITLES[code] ?? "Error", detail };
  if (extra?.pointer) error.source = { pointer: extra.pointer };
  error.meta = { url: `https://developers.telnyx.com/docs/overview/errors/${code}` };
  const reply = { status, body: { errors: [error] } };
  if (extra?.headers) reply.headers = extra.headers;
  return reply;
}
var notFound = (what, id) => new HttpError(telnyxError(404, "10005", `${what} ${id} not found`));
var badRequest = (detail, pointer) => new HttpError(telnyxError(400, "10015", detail, pointer ? { pointer } : void 0));
var validationError = (detail) => new HttpError({ status: 422, body: { detail } });
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
function toFastApi(issue, prefix) {
  const loc = [...prefix, ...issue.path.map((p) => typeof p === "number" ? p : String(p))];
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === void 0) return [{ loc, msg: "Field required", type: "missing" }];
      const types = {
        string: ["Input should be a valid string", "string_type"],
        number: ["Input should be a valid number", "float_type"],
        int: ["Input should be a valid integer", "int_type"],
        boolean: ["Input should be a valid boolean", "bool_type"],
        array: ["Input should be a valid list", "list_type"],
        object: [
          "Input should be a valid dictionary or object to extract fields from",
          "model_attributes_type"
        ],
        record: ["Input should be a valid dictionary", "dict_type"]
      };
      const [msg, type] = types[issue.expected] ?? [issue.message, "type_error"];
      return [{ loc, msg, type }];
    }
    case "too_small": {
      const min = Number(issue.minimum);
      if (issue.origin === "string")
        return [
          { loc, msg: `String should have at least ${plural(min, "character")}`, type: "string_too_short" }
        ];
      if (issue.origin === "array")
        return [
          {
            loc,
            msg: `List should have at least ${plural(min, "item")} after validation`,
            type: "too_short"
          }
        ];
      return [{ loc, msg: `Input should be greater than or equal to ${min}`, type: "greater_than_equal" }];
    }
    case "too_big": {
      const max = Number(issue.maximum);
      if (issue.origin === "string")
        return [
          { loc, msg: `String should have at most ${plural(max, "character")}`, type: "string_too_long" }
        ];
      if (issue.origin === "array")
        return [
          { loc, msg: `List should have at most ${plural(max, "item")} after validation`, type: "too_long" }
        ];
      return [{ loc, msg: `Input should be less than or equal to ${max}`, type: "less_than_equal" }];
    }
    case "invalid_value": {
      const values = issue.values.map((v) => `'${String(v)}'`);
      const list = values.length > 1 ? `${values.slice(0, -1).join(", ")} or ${values.at(-1)}` : values[0] ?? "";
      return [{ loc, msg: `Input should be ${list}`, type: "enum" }];
    }
    case "unrecognized_keys":
      return issue.keys.map((k) => ({
        loc: [...loc, k],
        msg: "Extra inputs are not permitted",
        type: "extra_forbidden"
      }));
    default:
      return [{ loc, msg: `Value error, ${issue.message}`, type: "value_error" }];
  }
}
function parseOr422(schema, input, prefix) {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw validationError(result.error.issues.flatMap((i) => toFastApi(i, prefix)));
}

// src/simulator/faults.ts
var FaultEngine = class {
  rules = [];
  random;
  constructor(seed, rules = []) {
    this.random = mulberry32(seed ^ 24301);
    this.set(rules);
  }
  set(rules) {
    this.rules = rules.map((rule) => ({ rule, left: rule.count ?? Number.POSITIVE_INFINITY }));
  }
  /**
   * The fault for this request, if any; consumes one use of its rule. `page` is the list page
   * asked for (page[number], default 1): a 'page-shift' rule only matches later pages.
   */
  pick(method, template, page = 1) {
    for (const slot of this.rules) {
      if (slot.left <= 0 || !matches(slot.rule, method, template)) continue;
      if (slot.rule.kind === "page-shift" && !(page > 1)) continue;
      const p = slot.rule.probability ?? 1;
      if (p < 1 && this.random() >= p) continue;
      slot.left -= 1;
      return slot.rule;
    }
    return void 0;
  }
};
function matches(rule, method, template) {
  const m = rule.match;
  if (!m) return true;
  if (m.method && m.method.toUpperCase() !== method) return false;
  if (m.endpoint) {
    const [first, ...rest] = m.endpoint.trim().split(/\s+/);
    const wanted = rest.length > 0 ? rest.join(" ") : first;
    if (rest.length > 0 && first?.toUpperCase() !== method) return false;
    if (wanted !== template) return false;
  }
  return true;
}
function statusFaultReply(rule) {
  const status = rule.status ?? 500;
  const headers = {};
  if (rule.retryAfter !== void 0) headers["retry-after"] = String(rule.retryAfter);
  if (rule.retryAfterMs !== void 0) headers["retry-after-ms"] = String(rule.retryAfterMs);
  if (rule.shouldRetry !== void 0) headers["x-should-retry"] = String(rule.shouldRetry);
  const code = codeForStatus(status);
  const detail = status === 429 ? "You have exceeded the maximum number of allowed requests." : `Injected fault: HTTP ${status}`;
  return telnyxError(status, code, detail, { headers });
}
var RateLimiter = class {
  constructor(limit, nowMs) {
    this.limit = limit;
    this.capacity = Math.max(1, limit.burst ?? limit.perSecond);
    this.tokens = this.capacity;
    this.last = nowMs;
  }
  limit;
  tokens;
  last;
  capacity;
  take(nowMs) {
    this.tokens = Math.min(this.capacity, this.tokens + (nowMs - this.last) / 1e3 * this.limit.perSecond);
    this.last = nowMs;
    if (this.tokens >= 1 - 1e-9) {
      this.tokens = Math.max(0, this.tokens - 1);
      return void 0;
    }
    const waitSeconds = Math.max(1, Math.ceil((1 - this.tokens) / this.limit.perSecond));
    return telnyxError(429, "10011", "You have exceeded the maximum number of allowed requests.", {
      headers: { "retry-after": String(waitSeconds), ...this.headers() }
    });
  }
  /** x-ratelimit-* headers, as Telnyx sends them. */
  headers() {
    return {
      "x-ratelimit-limit": String(this.capacity),
      "x-ratelimit-remaining": String(Math.floor(this.tokens)),
      // Seconds until the bucket is full again, to the millisecond (the docs say "seconds until
      // reset" and do not say whole): a bucket of 1 at 50/s refills in 0.02 s, not 1 s. Rounded
      // up, so a client that waits what it is told is never early.
      "x-ratelimit-reset": String(
        Math.ceil((this.capacity - this.tokens) / this.limit.perSecond * 1e3) / 1e3
      )
    };
  }
};

// src/simulator/idempotency.ts
var TTL_MS = 24 * 36e5;
var POINTER = "/header/Idempotency-Key";
var IdempotencyStore = class {
  entries = /* @__PURE__ */ new Map();
  /** Check a key before handling. `header` is every value the request sent for the header. */
  begin(header2, method, path, body, nowMs) {
    if (header2.length !== 1 || !LIMITS.idempotencyKey.test(header2[0] ?? "")) {
      const why = header2.length > 1 ? "must be sent once" : "must match ^[A-Za-z0-9_-]{1,255}$";
      return {
        kind: "answer",
        reply: telnyxError(400, "10015", `Invalid Idempotency-Key header: it ${why}`, { pointer: POINTER })
      };
    }
    const key = header2[0] ?? "";
    const fingerprint = `${method} ${path}
${body}`;
    const entry = this.entries.get(key);
    if (entry && nowMs - entry.startedMs > TTL_MS) this.entries.delete(key);
    const live = this.entries.get(key);
    if (!live) {
      this.entries.set(key, { fingerprint, startedMs: nowMs });
      return { kind: "proceed" };
    }
    if (live.fingerprint !== fingerprint) {
      return {
        kind: "answer",
        reply: telnyxError(422, "10027", "This Idempotency-Key was already used for a different request", {
          pointer: POINTER
        })
      };
    }
    if (!live.reply) {
      return {
        kind: "answer",
        reply: telnyxError(409, "10036", "A request with this Idempotency-Key is already being processed", {
          pointer: POINTER
        })
      };
    }
    return {
      kind: "answer",
      reply: { ...live.reply, headers: { ...live.reply.headers, "idempotent-replayed": "true" } }
    };
  }
  /** Record the outcome: only successful responses are kept for replay. */
  finish(key, reply) {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (reply.status >= 200 && reply.status < 300) entry.reply = reply;
    else this.entries.delete(key);
  }
};

// src/simulator/context.ts
var iso = (ms) => new Date(ms).toISOString();
var param = (ctx, name) => ctx.params[name] ?? "";

// src/simulator/requests.ts
var RubricItemInput = external_exports.strictObject({ name: external_exports.string(), criteria: external_exports.string() });
var testFields = {
  name: external_exports.string().min(1).max(LIMITS.nameMax),
  destination: external_exports.string().min(1),
  instructions: external_exports.string().min(1).max(LIMITS.instructionsMax),
  rubric: external_exports.array(RubricItemInput).min(1),
  description: external_exports.string().max(LIMITS.descriptionMax),
  telnyx_conversation_channel: external_exports.enum(CHANNELS),
  max_duration_seconds: external_exports.number().int().min(LIMITS.maxDurationMin).max(LIMITS.maxDurationMax),
  test_suite: external_exports.string().max(LIMITS.suiteMax)
};
var CreateTestInput = external_exports.object({
  ...testFields,
  description: testFields.description.optional(),
  telnyx_conversation_channel: testFields.telnyx_conversation_channel.default("web_chat"),
  max_duration_seconds: testFields.max_duration_seconds.optional(),
  test_suite: testFields.test_suite.optional()
});
var UpdateTestInput = external_exports.object(testFields).partial();
var TriggerInput = external_exports.object({ destination_version_id: external_exports.string().optional() });
var CanaryInput = external_exports.object({ rules: external_exports.array(RuleInput).default([]) });
var UpdateVersionInput = external_exports.object({
  name: external_exports.string().optional(),
  model: external_exports.string().optional(),
  instructions: external_exports.string().optional(),
  description: external_exports.string().optional(),
  greeting: external_exports.string().optional(),
  tags: external_exports.array(external_exports.string()).optional(),
  version_name: external_exports.string().max(50).optional()
});
function parsePage(query) {
  const problems = [];
  const read = (name, fallback, max) => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    const loc = ["query", name];
    if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
      problems.push({
        loc,
        msg: "Input should be a valid integer, unable to parse string as an integer",
        type: "int_parsing"
      });
      return fallback;
    }
    const n = Number(raw);
    if (n < 1)
      problems.push({ loc, msg: "Input should be greater than or equal to 1", type: "greater_than_equal" });
    if (max !== void 0 && n > max) {
      problems.push({ loc, msg: `Input should be less than or equal to ${max}`, type: "less_than_equal" });
    }
    return n;
  };
  const page = { number: read("page[number]", 1), size: read("page[size]", 20, LIMITS.pageSizeMax) };
  if (problems.length > 0) throw validationError(problems);
  return page;
}
function paginate(items, page, shift = 0) {
  const start = Math.max(0, (page.number - 1) * page.size - shift);
  return {
    data: items.slice(start, start + page.size),
    meta: {
      page_number: page.number,
      page_size: page.size,
      total_pages: Math.ceil(items.length / page.size),
      total_results: items.length
    }
  };
}

// src/simulator/assistants-api.ts
function getAssistant(ctx) {
  const id = param(ctx, "assistant_id");
  const assistant = ctx.state.assistants.get(id);
  if (!assistant) throw notFound("Assistant", id);
  return assistant;
}
function getVersion(ctx, assistant) {
  const id = param(ctx, "version_id");
  const version = assistant.versions.get(id);
  if (!version) throw notFound("Assistant version", id);
  return version;
}
function renderVersion(a, v) {
  const out = {
    id: a.id,
    name: v.name ?? a.name,
    model: v.model ?? a.model,
    instructions: v.instructions ?? a.instructions,
    created_at: iso(a.createdMs),
    version_id: v.version_id,
    version_name: v.version_name,
    version_created_at: iso(v.createdMs)
  };
  const description = v.description ?? a.description;
  if (description !== void 0) out.description = description;
  if (v.greeting !== void 0) out.greeting = v.greeting;
  if (v.tags !== void 0) out.tags = v.tags;
  return out;
}
var listVersions = (ctx) => {
  const a = getAssistant(ctx);
  const newestFirst = [...a.versions.values()].sort((x, y) => y.createdMs - x.createdMs);
  return { status: 200, body: { data: newestFirst.map((v) => renderVersion(a, v)) } };
};
var retrieveAssistant = (ctx) => {
  const a = getAssistant(ctx);
  const main = a.versions.get(a.mainVersionId);
  if (!main) throw new Error(`simulator state: assistant ${a.id} has no main version`);
  return { status: 200, body: renderVersion(a, main) };
};
var retrieveVersion = (ctx) => {
  const a = getAssistant(ctx);
  return { status: 200, body: renderVersion(a, getVersion(ctx, a)) };
};
var updateVersion = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  if (v.version_id === a.mainVersionId) throw badRequest("Can not update main version");
  const input = parseOr422(UpdateVersionInput, ctx.body, ["body"]);
  for (const [key, value] of Object.entries(input)) {
    if (value !== void 0) Object.assign(v, { [key]: value });
  }
  return { status: 200, body: renderVersion(a, v) };
};
var canaryUses = (c, versionId) => (c?.rules ?? []).some(
  (r) => r.serve.version_id === versionId || (r.serve.rollout ?? []).some((s) => s.version_id === versionId)
);
var deleteVersion = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  if (v.version_id === a.mainVersionId) throw badRequest("Can not delete main version");
  if (canaryUses(ctx.state.canaries.get(a.id), v.version_id)) {
    throw badRequest(`Version ${v.version_id} is used by the canary deploy; update or delete it first`);
  }
  a.versions.delete(v.version_id);
  return { status: 204 };
};
var promoteVersion = (ctx) => {
  const a = getAssistant(ctx);
  const v = getVersion(ctx, a);
  a.mainVersionId = v.version_id;
  ctx.state.canaries.delete(a.id);
  return { status: 200, body: renderVersion(a, v) };
};
var renderCanary = (c) => ({
  assistant_id: c.assistant_id,
  rules: c.rules,
  created_at: iso(c.createdMs),
  updated_at: iso(c.updatedMs)
});
function readRules(ctx, a) {
  const { rules } = parseOr422(CanaryInput, ctx.body, ["body"]);
  const problems = checkRules(rules, new Set(a.versions.keys()));
  if (problems.length > 0) {
    throw validationError(
      problems.map((p) => ({
        loc: ["body", "rules", ...p.path],
        msg: `Value error, ${p.message}`,
        type: "value_error"
      }))
    );
  }
  return rules;
}
var getCanary = (ctx) => {
  const a = getAssistant(ctx);
  const c = ctx.state.canaries.get(a.id);
  if (!c) throw notFound("Canary deploy for assistant", a.id);
  return { status: 200, body: renderCanary(c) };
};
var createCanary = (ctx) => {
  const a = getAssistant(ctx);
  const rules = readRules(ctx, a);
  if (ctx.state.canaries.has(a.id)) {
    throw badRequest(`Assistant ${a.id} already has a canary deploy; use PUT to replace it`);
  }
  const c = { assistant_id: a.id, rules, createdMs: ctx.now, updatedMs: ctx.now };
  ctx.state.canaries.set(a.id, c);
  return { status: 200, body: renderCanary(c) };
};
var updateCanary = (ctx) => {
  const a = getAssistant(ctx);
  const existing = ctx.state.canaries.get(a.id);
  if (!existing) throw notFound("Canary deploy for assistant", a.id);
  const rules = readRules(ctx, a);
  const c = { ...existing, rules, updatedMs: ctx.now };
  ctx.state.canaries.set(a.id, c);
  return { status: 200, body: renderCanary(c) };
};
var deleteCanary = (ctx) => {
  const a = getAssistant(ctx);
  if (!ctx.state.canaries.delete(a.id)) throw notFound("Canary deploy for assistant", a.id);
  return { status: 204 };
};

// src/simulator/runs-api.ts
import { randomUUID as randomUUID2 } from "node:crypto";

// src/simulator/lifecycle.ts
var PENDING_UNTIL = 0.1;
var STARTING_UNTIL = 0.2;
var FINAL_OF = { pass: "passed", fail: "failed", error: "error" };
function phaseAt(run, nowMs) {
  const elapsed = nowMs - run.createdMs;
  const d = run.durationMs;
  const at = (fraction) => run.createdMs + Math.round(d * fraction);
  if (elapsed < d * PENDING_UNTIL) return { status: "pending", sinceMs: run.createdMs, final: false };
  if (elapsed < d * STARTING_UNTIL) return { status: "starting", sinceMs: at(PENDING_UNTIL), final: false };
  if (run.plan.outcome === "hang" || elapsed < d) {
    return { status: "running", sinceMs: at(STARTING_UNTIL), final: false };
  }
  return { status: FINAL_OF[run.plan.outcome], sinceMs: at(1), final: true };
}
var iso2 = (ms) => new Date(ms).toISOString();
function renderRun(run, nowMs) {
  const phase = phaseAt(run, nowMs);
  const out = {
    run_id: run.run_id,
    test_id: run.test_id,
    status: phase.status,
    triggered_by: run.triggered_by,
    created_at: iso2(run.createdMs),
    updated_at: iso2(phase.sinceMs)
  };
  if (run.test_suite_run_id) out.test_suite_run_id = run.test_suite_run_id;
  if (phase.status !== "pending") out.conversation_id = run.conversation_id;
  if (phase.final) {
    out.completed_at = iso2(phase.sinceMs);
    if (run.plan.detail) out.detail_status = run.plan.detail.map((d) => ({ ...d }));
    out.logs = logsFor(run);
  } else if (phase.status === "running") {
    out.logs = `${header(run)}
(conversation in progress)`;
  }
  return out;
}
var header = (run) => `[simulator] ${run.channel} conversation with ${run.destination ?? "the assistant"} for "${run.testName}"` + (run.destination_version_id ? ` on version ${run.destination_version_id}` : " on the main version");
function logsFor(run) {
  const lines = [header(run)];
  if (run.plan.outcome === "error") {
    lines.push("error: the conversation ended unexpectedly (simulated infrastructure error)");
  } else {
    lines.push("caller: Hi, I need some help with my account.");
    lines.push("assistant: Of course, I can help with that. Could you tell me a bit more?");
  }
  for (const d of run.plan.detail ?? []) lines.push(`evaluation: ${d.name} ${d.status}`);
  return lines.join("\n");
}

// src/simulator/outcome.ts
var DEFAULT_DURATION_SECONDS = 60;
var testKey = (suite, name) => suite ? `${suite}/${name}` : name;
var globToRegExp = (pattern) => new RegExp(
  `^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
  "s"
);
function matchingEntries(entries, key) {
  if (!entries) return [];
  const { exact, wildcards } = indexOf(entries);
  const hits = [];
  for (const w of wildcards) {
    if (w.re.test(key)) hits.push({ entry: w.entry, rank: w.rank, order: w.order });
  }
  const hit = exact.get(key);
  if (hit) hits.push({ entry: hit.entry, rank: Number.POSITIVE_INFINITY, order: hit.order });
  return hits.sort((a, b) => a.rank - b.rank || a.order - b.order).map((h) => h.entry);
}
var indexes = /* @__PURE__ */ new WeakMap();
function indexOf(entries) {
  let index = indexes.get(entries);
  if (!index) {
    index = { exact: /* @__PURE__ */ new Map(), wildcards: [] };
    for (const [order, [pattern, entry]] of Object.entries(entries).entries()) {
      if (pattern.includes("*")) {
        index.wildcards.push({
          re: globToRegExp(pattern),
          entry,
          rank: pattern.replaceAll("*", "").length,
          order
        });
      } else {
        index.exact.set(pattern, { entry, order });
      }
    }
    indexes.set(entries, index);
  }
  return index;
}
function layer(base, top) {
  const merged = { ...base };
  if (top.criteria) merged.criteria = { ...base.criteria, ...top.criteria };
  if (top.duration_seconds !== void 0) merged.duration_seconds = top.duration_seconds;
  const topDecides = top.outcome !== void 0 || top.probability !== void 0 || top.sequence !== void 0;
  if (topDecides || top.criteria) {
    delete merged.outcome;
    delete merged.probability;
    delete merged.sequence;
    if (top.outcome !== void 0) merged.outcome = top.outcome;
    if (top.probability !== void 0) merged.probability = top.probability;
    if (top.sequence !== void 0) merged.sequence = top.sequence;
  }
  return merged;
}
function planRun(input) {
  const layers = [
    ...matchingEntries(input.tests, input.key),
    ...matchingEntries(input.versionTests, input.key)
  ];
  const entry = layers.reduce(layer, {});
  const outcome = decide(entry, input);
  const durationSeconds = entry.duration_seconds ?? DEFAULT_DURATION_SECONDS;
  const detail = detailFor(outcome, entry.criteria ?? {}, input.rubric);
  return detail ? { outcome, durationSeconds, detail } : { outcome, durationSeconds };
}
function decide(e, input) {
  if (e.sequence) return e.sequence[Math.min(input.runIndex, e.sequence.length - 1)] ?? "pass";
  if (e.outcome) return e.outcome;
  if (e.probability !== void 0) {
    const u = drawFor(input.seed, input.key, input.versionId ?? "", input.runIndex);
    return u < e.probability ? "pass" : "fail";
  }
  const marks = e.criteria ?? {};
  return input.rubric.some((c) => marks[c.name] === "fail") ? "fail" : "pass";
}
function detailFor(outcome, marks, rubric) {
  const names = rubric.map((r) => r.name);
  if (outcome === "hang") return void 0;
  if (outcome === "pass") return names.map((name) => ({ name, status: "passed" }));
  if (outcome === "error") {
    const partial = names.filter((n) => marks[n] !== void 0);
    if (partial.length === 0) return void 0;
    return partial.map((name) => ({ name, status: marks[name] === "fail" ? "failed" : "passed" }));
  }
  let failing = new Set(names.filter((n) => marks[n] === "fail"));
  if (failing.size === 0) failing = new Set(names.filter((n) => marks[n] !== "pass"));
  if (failing.size === 0) failing = new Set(names);
  return names.map((name) => ({ name, status: failing.has(name) ? "failed" : "passed" }));
}

// src/simulator/state.ts
var HOUR = 36e5;
function createState(scenario, nowMs) {
  const assistants = /* @__PURE__ */ new Map();
  const canaries = /* @__PURE__ */ new Map();
  for (const a of scenario.assistants) {
    const n = a.versions.length;
    const versions = /* @__PURE__ */ new Map();
    a.versions.forEach((v, i) => {
      const rec2 = {
        version_id: v.id,
        version_name: v.name ?? `Version ${i + 1}`,
        createdMs: v.created_at ? Date.parse(v.created_at) : nowMs - (n - i) * HOUR
      };
      if (v.model !== void 0) rec2.model = v.model;
      if (v.instructions !== void 0) rec2.instructions = v.instructions;
      if (v.tests !== void 0) rec2.tests = v.tests;
      versions.set(v.id, rec2);
    });
    const rec = {
      id: a.id,
      name: a.name ?? a.id,
      model: a.model ?? "openai/gpt-4o",
      instructions: a.instructions ?? "You are a helpful customer-support assistant.",
      createdMs: a.created_at ? Date.parse(a.created_at) : nowMs - (n + 1) * HOUR,
      mainVersionId: mainVersionOf(a),
      versions
    };
    if (a.description !== void 0) rec.description = a.description;
    assistants.set(a.id, rec);
    if (a.canary) {
      canaries.set(a.id, { assistant_id: a.id, rules: a.canary.rules, createdMs: nowMs, updatedMs: nowMs });
    }
  }
  return { tests: /* @__PURE__ */ new Map(), runs: /* @__PURE__ */ new Map(), runCounts: /* @__PURE__ */ new Map(), assistants, canaries };
}
function findVersion(state, versionId) {
  for (const a of state.assistants.values()) {
    const v = a.versions.get(versionId);
    if (v) return v;
  }
  return void 0;
}

// src/simulator/tests-api.ts
import { randomUUID } from "node:crypto";
function getTest(ctx, testId) {
  const test = ctx.state.tests.get(testId);
  if (!test) throw notFound("Assistant test", testId);
  return test;
}
var listTests = (ctx) => {
  const page = parsePage(ctx.query);
  const suite = ctx.query.get("test_suite");
  const channel = ctx.query.get("telnyx_conversation_channel");
  const destination = ctx.query.get("destination");
  const tests = [...ctx.state.tests.values()].filter(
    (t) => (suite === null || t.test_suite === suite) && (channel === null || t.telnyx_conversation_channel === channel) && (destination === null || t.destination === destination)
  );
  return { status: 200, body: paginate(tests, page, ctx.pageShift) };
};
var createTest = (ctx) => {
  const input = parseOr422(CreateTestInput, ctx.body, ["body"]);
  const test = {
    test_id: randomUUID(),
    name: input.name,
    telnyx_conversation_channel: input.telnyx_conversation_channel,
    rubric: input.rubric.map((r) => ({ name: r.name, criteria: r.criteria })),
    created_at: iso(ctx.now),
    destination: input.destination,
    instructions: input.instructions
  };
  if (input.description !== void 0) test.description = input.description;
  if (input.max_duration_seconds !== void 0) test.max_duration_seconds = input.max_duration_seconds;
  if (input.test_suite !== void 0) test.test_suite = input.test_suite;
  ctx.state.tests.set(test.test_id, test);
  return { status: 201, body: test };
};
var retrieveTest = (ctx) => ({ status: 200, body: getTest(ctx, param(ctx, "test_id")) });
var updateTest = (ctx) => {
  const test = getTest(ctx, param(ctx, "test_id"));
  const input = parseOr422(UpdateTestInput, ctx.body, ["body"]);
  const updated = { ...test };
  for (const [key, value] of Object.entries(input)) {
    if (value !== void 0) Object.assign(updated, { [key]: value });
  }
  ctx.state.tests.set(test.test_id, updated);
  return { status: 200, body: updated };
};
var deleteTest = (ctx) => {
  const test = getTest(ctx, param(ctx, "test_id"));
  ctx.state.tests.delete(test.test_id);
  for (const [id, run] of ctx.state.runs) if (run.test_id === test.test_id) ctx.state.runs.delete(id);
  return { status: 200 };
};
var listSuites = (ctx) => {
  const names = /* @__PURE__ */ new Set();
  for (const t of ctx.state.tests.values()) if (t.test_suite) names.add(t.test_suite);
  return { status: 200, body: { data: [...names].sort() } };
};

// src/simulator/runs-api.ts
function createRun(ctx, test, versionId, suiteRunId) {
  const runIndex = ctx.state.runCounts.get(test.test_id) ?? 0;
  ctx.state.runCounts.set(test.test_id, runIndex + 1);
  const version = versionId === void 0 ? void 0 : findVersion(ctx.state, versionId);
  const plan = planRun({
    seed: ctx.scenario.seed,
    tests: ctx.scenario.tests,
    ...version?.tests ? { versionTests: version.tests } : {},
    ...versionId === void 0 ? {} : { versionId },
    key: testKey(test.test_suite, test.name),
    rubric: test.rubric,
    runIndex
  });
  const run = {
    run_id: randomUUID2(),
    test_id: test.test_id,
    triggered_by: "api",
    conversation_id: randomUUID2(),
    createdMs: ctx.now,
    durationMs: plan.durationSeconds / ctx.clockScale * 1e3,
    plan,
    testName: test.name,
    channel: test.telnyx_conversation_channel
  };
  if (test.test_suite !== void 0) run.test_suite = test.test_suite;
  if (suiteRunId !== void 0) run.test_suite_run_id = suiteRunId;
  if (versionId !== void 0) run.destination_version_id = versionId;
  if (test.destination !== void 0) run.destination = test.destination;
  ctx.state.runs.set(run.run_id, run);
  ctx.track(run);
  return run;
}
function readVersion(ctx) {
  const { destination_version_id: id } = parseOr422(TriggerInput, ctx.body, ["body"]);
  if (id !== void 0 && !findVersion(ctx.state, id)) {
    throw badRequest(`Assistant version ${id} does not exist`, "/destination_version_id");
  }
  return id;
}
function statusMatches(filter, status) {
  if (filter === "completed") return isFinal(status);
  return status === filter;
}
function listRuns(ctx, runs) {
  const page = parsePage(ctx.query);
  const filter = ctx.query.get("status");
  const kept = runs.filter((r) => {
    if (filter === null || ctx.statusFilter === "ignore") return true;
    if (ctx.statusFilter === "nothing") return false;
    return statusMatches(filter, phaseAt(r, ctx.now).status) !== (ctx.statusFilter === "inverted");
  });
  kept.sort((a, b) => b.createdMs - a.createdMs);
  const { data, meta } = paginate(kept, page, ctx.pageShift);
  return { status: 200, body: { data: data.map((r) => renderRun(r, ctx.now)), meta } };
}
var listSuiteRuns = (ctx) => {
  const suite = param(ctx, "suite_name");
  const batch = ctx.query.get("test_suite_run_id");
  const runs = [...ctx.state.runs.values()].filter(
    (r) => r.test_suite === suite && (batch === null || r.test_suite_run_id === batch)
  );
  return listRuns(ctx, runs);
};
var triggerSuite = (ctx) => {
  const suite = param(ctx, "suite_name");
  const versionId = readVersion(ctx);
  const tests = [...ctx.state.tests.values()].filter((t) => t.test_suite === suite);
  if (tests.length === 0) throw notFound("Test suite", suite);
  const suiteRunId = randomUUID2();
  const runs = tests.map((t) => createRun(ctx, t, versionId, suiteRunId));
  return { status: 201, body: runs.map((r) => renderRun(r, ctx.now)) };
};
var listTestRuns = (ctx) => {
  const test = getTest(ctx, param(ctx, "test_id"));
  return listRuns(
    ctx,
    [...ctx.state.runs.values()].filter((r) => r.test_id === test.test_id)
  );
};
var triggerTest = (ctx) => {
  const test = getTest(ctx, param(ctx, "test_id"));
  const versionId = readVersion(ctx);
  return { status: 201, body: renderRun(createRun(ctx, test, versionId), ctx.now) };
};
var retrieveRun = (ctx) => {
  const test = getTest(ctx, param(ctx, "test_id"));
  const runId = param(ctx, "run_id");
  const run = ctx.state.runs.get(runId);
  if (!run || run.test_id !== test.test_id) throw notFound("Test run", runId);
  return { status: 200, body: renderRun(run, ctx.now) };
};
var inProgress = (run, nowMs) => !phaseAt(run, nowMs).final;

// src/simulator/routes.ts
var T = "/ai/assistants/tests";
var A = "/ai/assistants/{assistant_id}";
var ROUTES = [
  { method: "GET", template: T, handler: listTests, body: "none" },
  { method: "POST", template: T, handler: createTest, body: "required", idempotent: true },
  { method: "GET", template: `${T}/test-suites`, handler: listSuites, body: "none" },
  {
    method: "GET",
    template: `${T}/test-suites/{suite_name}/runs`,
    handler: listSuiteRuns,
    body: "none"
  },
  {
    method: "POST",
    template: `${T}/test-suites/{suite_name}/runs`,
    handler: triggerSuite,
    body: "optional",
    idempotent: true
  },
  { method: "GET", template: `${T}/{test_id}`, handler: retrieveTest, body: "none" },
  { method: "PUT", template: `${T}/{test_id}`, handler: updateTest, body: "required" },
  { method: "DELETE", template: `${T}/{test_id}`, handler: deleteTest, body: "none" },
  { method: "GET", template: `${T}/{test_id}/runs`, handler: listTestRuns, body: "none" },
  {
    method: "POST",
    template: `${T}/{test_id}/runs`,
    handler: triggerTest,
    body: "optional",
    idempotent: true
  },
  { method: "GET", template: `${T}/{test_id}/runs/{run_id}`, handler: retrieveRun, body: "none" },
  // Not in the spec extract: the SDK's ai.assistants.retrieve, so `versions` can tell main.
  { method: "GET", template: A, handler: retrieveAssistant, body: "none" },
  { method: "GET", template: `${A}/versions`, handler: listVersions, body: "none" },
  {
    method: "GET",
    template: `${A}/versions/{version_id}`,
    handler: retrieveVersion,
    body: "none"
  },
  {
    method: "POST",
    template: `${A}/versions/{version_id}`,
    handler: updateVersion,
    body: "required"
  },
  {
    method: "DELETE",
    template: `${A}/versions/{version_id}`,
    handler: deleteVersion,
    body: "none"
  },
  {
    method: "POST",
    template: `${A}/versions/{version_id}/promote`,
    handler: promoteVersion,
    body: "none"
  },
  { method: "GET", template: `${A}/canary-deploys`, handler: getCanary, body: "none" },
  {
    method: "POST",
    template: `${A}/canary-deploys`,
    handler: createCanary,
    body: "required",
    idempotent: true
  },
  { method: "PUT", template: `${A}/canary-deploys`, handler: updateCanary, body: "required" },
  { method: "DELETE", template: `${A}/canary-deploys`, handler: deleteCanary, body: "none" }
];
var split = (path) => path.split("/").filter((s, i) => i > 0 || s !== "");
function matchRoute(method, path) {
  const segments = split(path);
  let pathMatch;
  for (const route of ROUTES) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method === method) return { template: route.template, route, params };
    pathMatch ??= { template: route.template, params };
  }
  return pathMatch ?? { params: {} };
}
function matchTemplate(template, segments) {
  const parts = split(template);
  if (parts.length !== segments.length) return void 0;
  const params = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] ?? "";
    if (part.startsWith("{")) {
      let value;
      try {
        value = decodeURIComponent(seg);
      } catch {
        return void 0;
      }
      if (value === "" || value.includes("/")) return void 0;
      params[part.slice(1, -1)] = value;
    } else if (part !== seg) return void 0;
  }
  return params;
}

// src/simulator/server.ts
var PREFIX = "/v2";
var MAX_BODY_BYTES = 1 << 20;
var SimServer = class {
  constructor(config) {
    this.config = config;
    this.state = createState(config.scenario, config.now());
    this.faults = new FaultEngine(config.scenario.seed, config.faults);
    this.setRateLimit(config.rateLimit);
    this.http = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent && !res.destroyed) send(res, telnyxError(500, "10007", String(err)));
      });
    });
  }
  config;
  state;
  faults;
  http;
  idempotency = new IdempotencyStore();
  rateLimiter;
  counts = { total: 0, byEndpoint: {}, faults: {} };
  /** Runs that were in progress when last looked at. */
  active = /* @__PURE__ */ new Map();
  highWater = 0;
  listen(port) {
    return new Promise((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(port, "127.0.0.1", () => {
        this.http.off("error", reject);
        resolve(this.http.address().port);
      });
    });
  }
  close() {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
  getCounts() {
    return {
      total: this.counts.total,
      byEndpoint: { ...this.counts.byEndpoint },
      faults: { ...this.counts.faults }
    };
  }
  resetCounts() {
    this.counts = { total: 0, byEndpoint: {}, faults: {} };
  }
  setRateLimit(limit) {
    this.rateLimiter = limit ? new RateLimiter(limit, this.config.now()) : void 0;
  }
  maxRunsInProgress() {
    return this.highWater;
  }
  track = (run) => {
    this.active.set(run.run_id, run);
  };
  /** Drop runs that have finished (or were deleted) and update the high-water mark. */
  sweep(nowMs) {
    for (const [id, run] of this.active) {
      if (!this.state.runs.has(id) || !inProgress(run, nowMs)) this.active.delete(id);
    }
    this.highWater = Math.max(this.highWater, this.active.size);
  }
  async handle(req, res) {
    const method = (req.method ?? "GET").toUpperCase();
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname.startsWith(`${PREFIX}/`) ? url.pathname.slice(PREFIX.length) : void 0;
    const match = path === void 0 ? { params: {} } : matchRoute(method, path);
    const endpoint = `${method} ${match.template ?? "(unmatched)"}`;
    this.counts.total += 1;
    this.counts.byEndpoint[endpoint] = (this.counts.byEndpoint[endpoint] ?? 0) + 1;
    const fault = this.faults.pick(method, match.template, Number(url.searchParams.get("page[number]") ?? 1));
    if (fault) this.counts.faults[fault.kind] = (this.counts.faults[fault.kind] ?? 0) + 1;
    if (fault?.kind === "drop-before") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "status") return send(res, statusFaultReply(fault));
    const limited = this.rateLimiter?.take(this.config.now());
    if (limited) return send(res, limited);
    const extraHeaders = this.rateLimiter?.headers() ?? {};
    if (req.headers.authorization !== `Bearer ${this.config.apiKey}`) {
      return send(res, telnyxError(401, "10009", "The API key is missing or invalid."), extraHeaders);
    }
    if (!match.route) {
      const reply2 = match.template ? telnyxError(405, "405", `Method ${method} is not allowed on ${match.template}`) : telnyxError(404, "10005", `No route for ${method} ${url.pathname}`);
      return send(res, reply2, extraHeaders);
    }
    const raw = await readBody(req);
    if (raw === void 0) return send(res, telnyxError(413, "413", "Request body too large"), extraHeaders);
    const route = match.route;
    const keyHeader = route.idempotent ? req.headersDistinct["idempotency-key"] : void 0;
    let reply;
    if (keyHeader) {
      const begin = this.idempotency.begin(keyHeader, method, req.url ?? "", raw, this.config.now());
      if (begin.kind === "answer") {
        reply = begin.reply;
      } else {
        reply = await this.run(route, match.params, url.searchParams, raw, fault);
        this.idempotency.finish(keyHeader[0] ?? "", reply);
      }
    } else {
      reply = await this.run(route, match.params, url.searchParams, raw, fault);
    }
    this.sweep(this.config.now());
    if (fault?.kind === "drop-after") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "malformed") return sendMalformed(res, reply);
    if (fault?.kind === "truncated") return sendTruncated(res, reply);
    if (fault?.kind === "status-after") return send(res, statusFaultReply(fault));
    if (fault?.kind === "html") return sendHtml(res, reply);
    if (fault?.kind === "wrong-shape")
      return send(res, { ...reply, body: { data: "unexpected", meta: null } });
    if (fault?.kind === "rewrite-status") return send(res, rewriteStatus(reply, fault.value ?? "completed"));
    send(res, reply, extraHeaders);
  }
  async run(route, params, query, raw, fault) {
    if (fault?.kind === "latency") await sleep(fault.latencyMs ?? 1e3);
    const ctx = {
      state: this.state,
      scenario: this.config.scenario,
      clockScale: this.config.clockScale,
      now: this.config.now(),
      params,
      query,
      body: void 0,
      track: this.track
    };
    if (fault?.kind === "page-shift") ctx.pageShift = fault.shift ?? 1;
    if (fault?.kind === "status-filter") {
      const v = fault.value;
      ctx.statusFilter = v === "nothing" || v === "inverted" ? v : "ignore";
    }
    try {
      ctx.body = parseBody(route, raw);
      return route.handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return err.reply;
      return telnyxError(500, "10007", err instanceof Error ? err.message : String(err));
    }
  }
};
function parseBody(route, raw) {
  if (route.body === "none") return void 0;
  if (raw.trim() === "") {
    if (route.body === "optional") return {};
    throw new HttpError({
      status: 422,
      body: { detail: [{ loc: ["body"], msg: "Field required", type: "missing" }] }
    });
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    const msg = `JSON decode error: ${err instanceof Error ? err.message : String(err)}`;
    throw new HttpError({ status: 422, body: { detail: [{ loc: ["body", 0], msg, type: "json_invalid" }] } });
  }
}
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk;
    size += buf.length;
    if (size > MAX_BODY_BYTES) return void 0;
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
function send(res, reply, extra = {}) {
  const headers = { ...extra, ...reply.headers };
  if (reply.body === void 0) {
    res.writeHead(reply.status, { ...headers, "content-length": "0" });
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text))
  });
  res.end(text);
}
function sendMalformed(res, reply) {
  const status = reply.status >= 200 && reply.status < 300 && reply.status !== 204 ? reply.status : 200;
  const text = '{"data": [ <html>502 Bad Gateway</html>';
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text))
  });
  res.end(text);
}
function sendHtml(res, reply) {
  const status = reply.status >= 200 && reply.status < 300 && reply.status !== 204 ? reply.status : 200;
  const text = "<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>";
  res.writeHead(status, { "content-type": "text/html", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}
function rewriteStatus(reply, value) {
  const final = /* @__PURE__ */ new Set(["passed", "failed", "error"]);
  const fix = (x) => {
    if (Array.isArray(x)) return x.map(fix);
    if (x && typeof x === "object") {
      const o = x;
      if (typeof o.run_id === "string" && typeof o.status === "string" && final.has(o.status)) {
        return { ...o, status: value };
      }
      if ("data" in o) return { ...o, data: fix(o.data) };
    }
    return x;
  };
  return { ...reply, body: fix(reply.body) };
}
function sendTruncated(res, reply) {
  const text = JSON.stringify(reply.body ?? { data: [] });
  const cut = Buffer.from(text).subarray(0, Math.max(1, Math.floor(Buffer.byteLength(text) / 2)));
  res.writeHead(reply.status === 204 ? 200 : reply.status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text))
  });
  res.write(cut, () => res.destroy());
}

// src/simulator/index.ts
var DEFAULT_API_KEY = "KEY_SIMULATOR";
var DEFAULT_CLOCK_SCALE = 60;
async function startSimulator(opts = {}) {
  const scenario = opts.scenario ?? DEFAULT_SCENARIO;
  const apiKey = opts.apiKey ?? DEFAULT_API_KEY;
  const clockScale = opts.clockScale ?? scenario.clock_scale ?? DEFAULT_CLOCK_SCALE;
  if (!(clockScale > 0)) throw new RangeError(`clockScale must be > 0, got ${clockScale}`);
  const rateLimit = opts.rateLimit ?? (scenario.rate_limit ? rateLimitOf(scenario.rate_limit) : void 0);
  const server = new SimServer({
    apiKey,
    scenario,
    clockScale,
    faults: opts.faults ?? [],
    ...rateLimit ? { rateLimit } : {},
    now: opts.now ?? Date.now
  });
  const port = await server.listen(opts.port ?? 0).catch((err) => {
    if (err.code === "EADDRINUSE") {
      throw new UsageError(`port ${opts.port} on 127.0.0.1 is already in use: pick another with --port`);
    }
    throw err;
  });
  return {
    url: `http://127.0.0.1:${port}/v2`,
    apiKey,
    counts: () => server.getCounts(),
    resetCounts: () => server.resetCounts(),
    setFaults: (rules) => server.faults.set(rules),
    setRateLimit: (limit) => server.setRateLimit(limit),
    maxRunsInProgress: () => server.maxRunsInProgress(),
    state: server.state,
    close: () => server.close()
  };
}

export {
  RateLimitDef,
  rateLimitOf,
  loadScenario,
  startSimulator
};
