import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  offsetOf,
  positionOf,
  showPath
} from "./chunk-PU2ST35R.js";
import {
  require_dist
} from "./chunk-76A4KAXD.js";
import {
  SuiteFileError
} from "./chunk-2F573QRZ.js";
import {
  $ZodArray,
  $ZodBoolean,
  $ZodEnum,
  $ZodNever,
  $ZodNumber,
  $ZodNumberFormat,
  $ZodObject,
  $ZodOptional,
  $ZodString,
  $ZodType,
  $constructor,
  CHANNELS,
  LIMITS,
  _boolean,
  _gte,
  _int,
  _lte,
  _maxLength,
  _minLength,
  _never,
  _number,
  _string,
  clone,
  config,
  en_default,
  globalRegistry,
  installLazyProp,
  normalizeParams,
  own,
  parse,
  parseAsync,
  safeParse,
  safeParseAsync
} from "./chunk-7XWDK2GP.js";
import {
  __toESM
} from "./chunk-2KJKCD6S.js";

// node_modules/zod/v4/mini/schemas.js
var ZodMiniType = /* @__PURE__ */ $constructor("ZodMiniType", (inst, def) => {
  if (!inst._zod)
    throw new Error("Uninitialized schema in ZodMiniType.");
  $ZodType.init(inst, def);
  inst.def = def;
  inst.type = def.type;
}, {
  // `with` is an alias for `check`: the same function object, not a wrapper.
  get with() {
    return this.check;
  },
  set with(value) {
    own(this, "with", value);
  },
  parse(data, params) {
    return parse(this, data, params, { callee: this.parse });
  },
  parseAsync(data, params) {
    return parseAsync(this, data, params, { callee: this.parseAsync });
  },
  safeParse(data, params) {
    return safeParse(this, data, params);
  },
  safeParseAsync(data, params) {
    return safeParseAsync(this, data, params);
  },
  check(...checks) {
    const def = this.def;
    return this.clone({
      ...def,
      checks: [
        ...def.checks ?? [],
        ...checks.map((ch) => typeof ch === "function" ? { _zod: { check: ch, def: { check: "custom" }, onattach: [] } } : ch)
      ]
    }, { parent: true });
  },
  clone(_def, params) {
    return clone(this, _def, params);
  },
  brand() {
    return this;
  },
  register(reg, meta3) {
    reg.add(this, meta3);
    return this;
  },
  apply(fn, ...args) {
    return args.length === 0 ? fn(this) : fn(this, ...args);
  }
});
var ZodMiniString = /* @__PURE__ */ $constructor("ZodMiniString", (inst, def) => {
  $ZodString.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function string(params) {
  return _string(ZodMiniString, params);
}
var ZodMiniNumber = /* @__PURE__ */ $constructor("ZodMiniNumber", (inst, def) => {
  $ZodNumber.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function number(params) {
  return _number(ZodMiniNumber, params);
}
var ZodMiniNumberFormat = /* @__PURE__ */ $constructor("ZodMiniNumberFormat", (inst, def) => {
  $ZodNumberFormat.init(inst, def);
  ZodMiniNumber.init(inst, def);
});
function int(params) {
  return _int(ZodMiniNumberFormat, params);
}
var ZodMiniBoolean = /* @__PURE__ */ $constructor("ZodMiniBoolean", (inst, def) => {
  $ZodBoolean.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function boolean(params) {
  return _boolean(ZodMiniBoolean, params);
}
var ZodMiniNever = /* @__PURE__ */ $constructor("ZodMiniNever", (inst, def) => {
  $ZodNever.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function never(params) {
  return _never(ZodMiniNever, params);
}
var ZodMiniArray = /* @__PURE__ */ $constructor("ZodMiniArray", (inst, def) => {
  $ZodArray.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function array(element, params) {
  return new ZodMiniArray({
    type: "array",
    element,
    ...normalizeParams(params)
  });
}
var ZodMiniObject = /* @__PURE__ */ $constructor("ZodMiniObject", (inst, def) => {
  $ZodObject.init(inst, def);
  ZodMiniType.init(inst, def);
  installLazyProp(inst, "shape", (self) => self._zod.def.shape, false);
});
// @__NO_SIDE_EFFECTS__
function strictObject(shape, params) {
  return new ZodMiniObject({
    type: "object",
    shape,
    catchall: /* @__PURE__ */ never(),
    ...normalizeParams(params)
  });
}
var ZodMiniEnum = /* @__PURE__ */ $constructor("ZodMiniEnum", (inst, def) => {
  $ZodEnum.init(inst, def);
  ZodMiniType.init(inst, def);
  inst.options = [...inst._zod.values];
});
// @__NO_SIDE_EFFECTS__
function _enum(values, params) {
  const entries = Array.isArray(values) ? Object.fromEntries(values.map((v) => [v, v])) : values;
  return new ZodMiniEnum({
    type: "enum",
    entries,
    ...normalizeParams(params)
  });
}
var ZodMiniOptional = /* @__PURE__ */ $constructor("ZodMiniOptional", (inst, def) => {
  $ZodOptional.init(inst, def);
  ZodMiniType.init(inst, def);
});
// @__NO_SIDE_EFFECTS__
function optional(innerType) {
  return new ZodMiniOptional({
    type: "optional",
    innerType
  });
}

// src/suite/schema.ts
if (config().localeError === void 0) config(en_default());
function meta2(schema, data) {
  globalRegistry.add(schema, data);
  return schema;
}
var E164 = /^\+[1-9]\d{1,14}$/;
var PHONE_CHANNELS = /* @__PURE__ */ new Set(["phone_call", "sms_chat"]);
var DEFAULT_CHANNEL = "web_chat";
var TRIALS_MAX = 100;
var QUARANTINE_REASON_MAX = 500;
var ChannelField = meta2(_enum(CHANNELS), {
  description: "Conversation channel: phone_call | web_call | sms_chat | web_chat (API default: web_chat)."
});
var DestinationField = meta2(string().check(_minLength(1)), {
  description: `Where the test conversation goes: an E.164 number (+15551234567) for phone_call and sms_chat, otherwise e.g. an assistant id. \${VAR} is read from the environment.`
});
var MaxDurationField = meta2(
  int().check(_gte(LIMITS.maxDurationMin), _lte(LIMITS.maxDurationMax)),
  {
    description: `Seconds before the conversation times out (${LIMITS.maxDurationMin}-${LIMITS.maxDurationMax}).`
  }
);
var text = (min, max) => max === void 0 ? string().check(_minLength(min)) : string().check(_minLength(min), _maxLength(max));
var CriterionSchema = meta2(
  strictObject({
    name: meta2(text(1), { description: "Criterion label, unique within the test (e.g. Accuracy)." }),
    criteria: meta2(text(1), { description: "How to judge the assistant on this criterion." }),
    required: meta2(optional(boolean()), {
      description: "Local only. A failure here fails the suite gate whatever the pass rate (default false)."
    })
  }),
  { title: "Rubric criterion" }
);
var TestSchema = meta2(
  strictObject({
    name: meta2(text(1, LIMITS.nameMax), {
      description: `Unique in the suite; the sync identity (1-${LIMITS.nameMax} characters).`
    }),
    description: meta2(optional(string().check(_maxLength(LIMITS.descriptionMax))), {
      description: `What the test checks (at most ${LIMITS.descriptionMax} characters).`
    }),
    instructions: meta2(text(1, LIMITS.instructionsMax), {
      description: `The scenario the simulated user plays (1-${LIMITS.instructionsMax} characters).`
    }),
    destination: optional(DestinationField),
    channel: optional(ChannelField),
    max_duration_seconds: optional(MaxDurationField),
    rubric: meta2(array(CriterionSchema).check(_minLength(1)), {
      description: "At least one criterion, names unique."
    }),
    trials: meta2(optional(int().check(_gte(1), _lte(TRIALS_MAX))), {
      description: `Local only. Runs per test (1-${TRIALS_MAX}, default 1).`
    }),
    min_passes: meta2(optional(int().check(_gte(1), _lte(TRIALS_MAX))), {
      description: "Local only. Passing trials needed, at most trials (default: trials)."
    }),
    tags: meta2(optional(array(text(1))), {
      description: "Local only. Labels for --tag filtering, e.g. [smoke]."
    }),
    renamed_from: meta2(optional(array(text(1, LIMITS.nameMax))), {
      description: "Local only. Former names: sync renames the remote test in place, keeping its history."
    }),
    quarantine: meta2(optional(text(1, QUARANTINE_REASON_MAX)), {
      description: "Local only. Why the test is quarantined: it still runs and is reported, but never affects a gate (--no-quarantine gates on it)."
    })
  }),
  { title: "Test" }
);
var DefaultsSchema = meta2(
  strictObject({
    channel: optional(ChannelField),
    destination: optional(DestinationField),
    max_duration_seconds: optional(MaxDurationField)
  }),
  { title: "Defaults", description: "Values for every test that does not set its own." }
);
var GateSchema = meta2(
  strictObject({
    min_pass_rate: meta2(optional(number().check(_gte(0), _lte(1))), {
      description: "Fraction of tests in this suite that must pass, 0..1 (default 1: all)."
    }),
    max_errors: meta2(optional(int().check(_gte(0))), {
      description: "Runs allowed to end in error or time out (default 0)."
    }),
    fail_on_regression: meta2(optional(boolean()), {
      description: "Fail when a test that passed in the baseline fails now (default false)."
    })
  }),
  { title: "Gate", description: "Local only. When this suite counts as passing." }
);
var SuiteFileSchema = meta2(
  strictObject({
    $schema: meta2(optional(string()), {
      description: "JSON Schema reference, for editors (JSON files)."
    }),
    suite: meta2(text(1, LIMITS.suiteMax), {
      description: `The API's test_suite (1-${LIMITS.suiteMax} characters); one file per suite.`
    }),
    defaults: optional(DefaultsSchema),
    gate: optional(GateSchema),
    tests: meta2(array(TestSchema).check(_minLength(1)), {
      description: "The tests of this suite (at least one)."
    })
  }),
  {
    title: "rubric-gate suite file",
    description: "One Telnyx assistant-test suite, kept in git and synced by rubric-gate."
  }
);
function schemaAt(path2) {
  let s = SuiteFileSchema;
  for (const seg of path2) {
    s = unwrap(s);
    if (s instanceof $ZodObject) s = s._zod.def.shape[String(seg)];
    else if (s instanceof $ZodArray) s = s._zod.def.element;
    else return void 0;
  }
  return unwrap(s);
}
function keysAt(path2) {
  const s = schemaAt(path2);
  return s instanceof $ZodObject ? Object.keys(s._zod.def.shape) : [];
}
function isIntAt(path2) {
  const s = schemaAt(path2);
  return s instanceof $ZodNumberFormat && s._zod.def.format.includes("int");
}
function unwrap(s) {
  while (s instanceof $ZodOptional) s = s._zod.def.innerType;
  return s;
}
var KEY_HOMES = [
  { where: "the top level", keys: Object.keys(SuiteFileSchema.shape) },
  { where: "defaults", keys: Object.keys(DefaultsSchema.shape) },
  { where: "gate", keys: Object.keys(GateSchema.shape) },
  { where: "a test", keys: Object.keys(TestSchema.shape) },
  { where: "a rubric criterion", keys: Object.keys(CriterionSchema.shape) }
];

// src/suite/parse.ts
var import_yaml3 = __toESM(require_dist(), 1);

// src/suite/bounds.ts
var import_yaml = __toESM(require_dist(), 1);
var SUITE_FILE_LIMITS = {
  /** Bytes read from disk; larger files are refused without parsing. */
  bytes: 2 * 1024 * 1024,
  /** Scalars, keys, list items, collections and aliases, after aliases are expanded. */
  values: 5e4,
  /** Collections inside collections (a suite file needs 5). */
  depth: 64,
  /** Alias uses (*name). */
  aliases: 500,
  /** Problems listed per file; the rest are counted in one last line. */
  problems: 100
};
var DOCUMENT = "";
var FLOW_END = "";
var SCALAR = "";
var MAX_TOKENS = SUITE_FILE_LIMITS.values * 4;
function checkBounds(source, onToken) {
  const L = SUITE_FILE_LIMITS;
  let values = 0;
  let aliases = 0;
  let tokens = 0;
  let flow = 0;
  const block = [];
  let offset = 0;
  let col = 0;
  let lineStart = true;
  let scalarNext = false;
  let blockScalarNext = false;
  const tooDeep = (at) => ({ offset: at, message: nestedTooDeep(L.depth) });
  const nodeStart = (at, item) => {
    if (flow > 0 || !(lineStart || item)) return void 0;
    for (let top = block.at(-1); top; top = block.at(-1)) {
      if (top.col > col || top.col === col && (top.item || !item)) block.pop();
      else break;
    }
    block.push({ col, item });
    return block.length + flow > L.depth ? tooDeep(at) : void 0;
  };
  for (const tok of new import_yaml.Lexer().lex(source)) {
    if (tok === DOCUMENT || tok === FLOW_END) {
      onToken?.(tok);
      continue;
    }
    if (tok === SCALAR) {
      scalarNext = true;
      onToken?.(tok);
      continue;
    }
    const at = offset;
    offset += tok.length;
    let problem;
    if (scalarNext) {
      scalarNext = false;
      if (blockScalarNext) blockScalarNext = false;
      else {
        values++;
        problem = nodeStart(at, false);
        lineStart = false;
      }
    } else {
      const type = import_yaml.CST.tokenType(tok);
      if (type !== "space" && type !== "newline" && type !== "comment") {
        if (++tokens > MAX_TOKENS) {
          return { offset: at, message: `more than ${MAX_TOKENS} tokens; this is not a suite file` };
        }
        if (type !== "block-scalar-header") blockScalarNext = false;
      }
      switch (type) {
        case "newline":
          lineStart = true;
          break;
        case "doc-start":
        case "doc-end":
          block.length = 0;
          flow = 0;
          break;
        case "flow-seq-start":
        case "flow-map-start":
          values++;
          flow++;
          if (block.length + flow > L.depth) problem = tooDeep(at);
          lineStart = false;
          break;
        case "flow-seq-end":
        case "flow-map-end":
          flow = Math.max(0, flow - 1);
          lineStart = false;
          break;
        case "seq-item-ind":
        case "explicit-key-ind":
          values++;
          problem = nodeStart(at, true);
          lineStart = flow === 0;
          break;
        case "alias":
          values++;
          if (++aliases > L.aliases) {
            return {
              offset: at,
              message: `more than ${L.aliases} aliases (*name); a suite file needs a few`
            };
          }
          problem = nodeStart(at, false);
          lineStart = false;
          break;
        case "single-quoted-scalar":
        case "double-quoted-scalar":
        case "anchor":
        case "tag":
          if (type.endsWith("scalar")) values++;
          problem = nodeStart(at, false);
          lineStart = false;
          break;
        case "block-scalar-header":
          values++;
          problem = nodeStart(at, false);
          blockScalarNext = true;
          lineStart = false;
          break;
        case "space":
        case "comment":
          break;
        default:
          lineStart = false;
      }
    }
    if (problem) return problem;
    if (values > L.values) return tooMany(at);
    onToken?.(tok);
    const nl = tok.lastIndexOf("\n");
    col = nl < 0 ? col + tok.length : tok.length - nl - 1;
  }
  return void 0;
}
var nestedTooDeep = (depth) => `nested more than ${depth} levels deep; a suite file needs 5 (tests, a test, its rubric, a criterion)`;
function tooMany(offset, expanded = false) {
  const L = SUITE_FILE_LIMITS;
  const what = expanded ? "with its aliases expanded, the file holds" : "the file holds";
  return {
    offset,
    message: `${what} more than ${L.values} values (keys, items, scalars); a suite file this large is not supported`
  };
}

// src/suite/suggest.ts
function editDistance(a, b, max = Number.POSITIVE_INFINITY) {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}
var normalize = (s) => s.toLowerCase().replace(/[_\-\s]/g, "");
function closest(word, candidates, maxDistance = 2) {
  const w = normalize(word);
  let best;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c), maxDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

// src/suite/messages.ts
var prefix = (path2) => path2.length === 0 ? "" : `${showPath(path2)}: `;
function valueAt(data, path2) {
  let v = data;
  for (const seg of path2) {
    if (v === null || typeof v !== "object") return void 0;
    if (!Object.hasOwn(v, seg)) return void 0;
    v = v[seg];
  }
  return v;
}
var oneLine = (s) => s.replace(new RegExp("\\p{Cc}", "gu"), (c) => /\s/.test(c) ? " " : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
var clip = (s) => {
  const flat = s.replace(/\s+/g, " ");
  return flat.length > 40 ? `${flat.slice(0, 37)}...` : flat;
};
function describeValue(v) {
  if (v === void 0) return "nothing";
  if (v === null) return "an empty value";
  if (typeof v === "string") return `text "${clip(v)}"`;
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a mapping";
  return typeof v;
}
var EXPECTED = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping (key: value)"
};
var MISSING_HINT = {
  suite: "add suite: <name>, the test suite these tests belong to",
  tests: "add tests: with at least one test",
  rubric: "add rubric: with at least one criterion (name and criteria)"
};
function typeHint(expected2, v) {
  if (v === null) return "; write a value or remove the key";
  if (expected2 === "string" && (typeof v === "number" || typeof v === "boolean")) return `; quote it: "${v}"`;
  if (expected2 === "array" && (typeof v === "string" || typeof v === "number"))
    return `; write a list: [${v}]`;
  if (expected2 === "array" && typeof v === "object") return '; start each item with "- "';
  if (expected2 === "boolean" && typeof v === "string") return "; write true or false";
  if ((expected2 === "number" || expected2 === "int") && typeof v === "string" && v.trim() !== "") {
    return Number.isFinite(Number(v)) ? "; remove the quotes" : "";
  }
  return "";
}
function unknownKeys(path2, keys) {
  const allowed = keysAt(path2);
  return keys.map((key, i) => {
    const shown = i <= SUITE_FILE_LIMITS.problems;
    const typoOf = shown ? closest(key, allowed) : void 0;
    let hint = typoOf !== void 0 ? ` (did you mean "${typoOf}"?)` : "";
    if (hint === "" && shown) {
      const home = KEY_HOMES.find((h) => h.keys.includes(key) && !allowed.includes(key));
      hint = home ? `; it belongs in ${home.where}` : `; expected one of: ${allowed.join(", ")}`;
    }
    const problem = {
      path: [...path2, key],
      at: "key",
      message: `${prefix(path2)}unknown key "${clip(key)}"${hint}`
    };
    if (typoOf !== void 0) problem.typoOf = typoOf;
    return problem;
  });
}
function sizeMessage(issue, v) {
  const small = issue.code === "too_small";
  const bound = Number(small ? issue.minimum : issue.maximum);
  const last = issue.path[issue.path.length - 1];
  switch (issue.origin) {
    case "string": {
      const len = typeof v === "string" ? v.length : 0;
      if (small && bound <= 1) return "must not be empty";
      return small ? `is ${len} characters; write at least ${bound}` : `is ${len} characters; the limit is ${bound}, shorten it`;
    }
    case "array":
      if (small && last === "rubric") return "add at least one criterion (name and criteria)";
      if (small && last === "tests") return "add at least one test";
      return small ? `must have at least ${bound} items` : `must have at most ${bound} items`;
    default: {
      const fraction = last === "min_pass_rate" ? " (a fraction: 0.9 means 90%)" : "";
      const got = typeof v === "number" ? `, got ${v}` : "";
      return `must be ${small ? "at least" : "at most"} ${bound}${got}${fraction}`;
    }
  }
}
function issueToProblems(issue, data) {
  const path2 = issue.path;
  const v = valueAt(data, path2);
  const one = (message, at = "value") => [{ path: path2, at, message }];
  switch (issue.code) {
    case "unrecognized_keys":
      return unknownKeys(path2, issue.keys);
    case "invalid_type": {
      if (v === void 0 && path2.length > 0) {
        const parent = path2.slice(0, -1);
        const key = String(path2[path2.length - 1]);
        const hint = MISSING_HINT[key] ?? "add it";
        const message = `${prefix(parent)}missing required key "${key}"; ${hint}`;
        return [{ path: parent, at: "value", message, missing: key }];
      }
      if (path2.length === 0) {
        return one(
          `a suite file must be a mapping with suite: and tests: at the top, got ${describeValue(v)}`
        );
      }
      const kind = issue.expected === "number" && isIntAt(path2) ? "int" : issue.expected;
      const what = kind === "int" && typeof v === "number" ? `${v}` : describeValue(v);
      return one(`${prefix(path2)}expected ${EXPECTED[kind] ?? kind}, got ${what}${typeHint(kind, v)}`);
    }
    case "too_small":
    case "too_big":
      return one(`${prefix(path2)}${sizeMessage(issue, v)}`);
    case "invalid_value": {
      const options = issue.values.map(String);
      const mean = typeof v === "string" ? closest(v, options) : void 0;
      const hint = mean !== void 0 ? ` (did you mean "${mean}"?)` : "";
      return one(`${prefix(path2)}${describeValue(v)} is not one of ${options.join(", ")}${hint}`);
    }
    default:
      return one(`${prefix(path2)}${issue.message}`);
  }
}

// src/suite/model.ts
var DEFAULT_GATE = { minPassRate: 1, maxErrors: 0, failOnRegression: false };
function toApiBody(t) {
  const body = {
    name: t.name,
    destination: t.destination,
    instructions: t.instructions,
    rubric: t.rubric.map((c) => ({ name: c.name, criteria: c.criteria })),
    telnyx_conversation_channel: t.channel,
    test_suite: t.suite
  };
  if (t.description !== void 0) body.description = t.description;
  if (t.maxDurationSeconds !== void 0) body.max_duration_seconds = t.maxDurationSeconds;
  return body;
}

// src/suite/check.ts
var isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
var str = (v) => typeof v === "string" && v !== "" ? v : void 0;
var isChannel = (v) => CHANNELS.includes(v);
var int2 = (v) => Number.isInteger(v) ? v : void 0;
function checkSuite(data, locate) {
  const problems = [];
  const add = (path2, message) => problems.push({ path: path2, at: "value", message: `${showPath(path2)}: ${message}` });
  if (!isObj(data) || !Array.isArray(data.tests)) return problems;
  const defaults = isObj(data.defaults) ? data.defaults : {};
  const testNames = /* @__PURE__ */ new Map();
  const renamedFrom = /* @__PURE__ */ new Map();
  const phoneChecked = /* @__PURE__ */ new Set();
  data.tests.forEach((test, i) => {
    if (!isObj(test)) return;
    const at = (...rest) => ["tests", i, ...rest];
    const name = str(test.name);
    if (name !== void 0) {
      const first = testNames.get(name);
      if (first === void 0) testNames.set(name, i);
      else {
        const { line } = locate(["tests", first, "name"]);
        add(at("name"), `test "${clip(name)}" is already defined at line ${line}; rename one of them`);
      }
    }
    if (Array.isArray(test.rubric)) {
      const seen = /* @__PURE__ */ new Map();
      test.rubric.forEach((c, j) => {
        const cname = isObj(c) ? str(c.name) : void 0;
        if (cname === void 0) return;
        const first = seen.get(cname);
        if (first === void 0) seen.set(cname, j);
        else {
          const { line } = locate(at("rubric", first, "name"));
          add(
            at("rubric", j, "name"),
            `criterion "${clip(cname)}" is already in this rubric at line ${line}; rename one of them`
          );
        }
      });
    }
    const trials = test.trials === void 0 ? 1 : int2(test.trials);
    const minPasses = int2(test.min_passes);
    if (trials !== void 0 && minPasses !== void 0 && minPasses > trials) {
      add(
        at("min_passes"),
        `${minPasses} is more than trials (${trials}); lower min_passes or set trials: ${minPasses} or more`
      );
    }
    const channel = test.channel !== void 0 ? test.channel : defaults.channel !== void 0 ? defaults.channel : DEFAULT_CHANNEL;
    const destPath = test.destination !== void 0 ? at("destination") : defaults.destination !== void 0 ? ["defaults", "destination"] : void 0;
    if (destPath === void 0) {
      add(at(), "no destination; add destination: to this test or to defaults");
    } else if (isChannel(channel) && PHONE_CHANNELS.has(channel)) {
      const dest = str(destPath[0] === "defaults" ? defaults.destination : test.destination);
      const key = showPath(destPath);
      if (dest !== void 0 && !E164.test(dest) && !phoneChecked.has(key)) {
        phoneChecked.add(key);
        const user = destPath[0] === "defaults" ? ` (used by test ${name ? `"${clip(name)}"` : `tests[${i}]`})` : "";
        add(
          destPath,
          `"${clip(dest)}" is not an E.164 phone number, which channel ${channel} needs${user}; use E.164 like +15551234567`
        );
      }
    }
    if (Array.isArray(test.renamed_from)) {
      test.renamed_from.forEach((old, j) => {
        const o = str(old);
        if (o === void 0) return;
        if (o === name) {
          add(at("renamed_from", j), `"${clip(o)}" is this test's own name; remove it`);
          return;
        }
        const claimed = renamedFrom.get(o);
        if (claimed?.test === i) {
          add(at("renamed_from", j), `"${clip(o)}" is listed twice; remove one`);
        } else if (claimed !== void 0) {
          add(
            at("renamed_from", j),
            `"${clip(o)}" is already in renamed_from of test "${clip(claimed.name)}"; only one test can take over a name`
          );
        } else renamedFrom.set(o, { test: i, index: j, name: name ?? `tests[${i}]` });
      });
    }
  });
  for (const [old, { test, index }] of renamedFrom) {
    const other = testNames.get(old);
    if (other === void 0) continue;
    const { line } = locate(["tests", other, "name"]);
    add(
      ["tests", test, "renamed_from", index],
      `"${clip(old)}" is still the name of a test at line ${line}; remove it from renamed_from or rename that test`
    );
  }
  return problems;
}
function buildSuite(f, file, locate) {
  const where = (path2) => ({ file, ...locate(path2) });
  const d = f.defaults ?? {};
  const tests = f.tests.map((t, i) => {
    const trials = t.trials ?? 1;
    const def = {
      suite: f.suite,
      name: t.name,
      instructions: t.instructions,
      // checkSuite reported a problem for a missing destination, so one of these is set.
      destination: t.destination ?? d.destination ?? "",
      channel: t.channel ?? d.channel ?? DEFAULT_CHANNEL,
      rubric: t.rubric.map((c) => ({ name: c.name, criteria: c.criteria, required: c.required ?? false })),
      trials,
      minPasses: t.min_passes ?? trials,
      tags: t.tags ?? [],
      renamedFrom: t.renamed_from ?? [],
      loc: where(["tests", i])
    };
    if (t.description !== void 0) def.description = t.description;
    if (t.quarantine !== void 0) def.quarantine = t.quarantine;
    const maxDuration = t.max_duration_seconds ?? d.max_duration_seconds;
    if (maxDuration !== void 0) def.maxDurationSeconds = maxDuration;
    return def;
  });
  return {
    name: f.suite,
    file,
    loc: where(["suite"]),
    gate: {
      minPassRate: f.gate?.min_pass_rate ?? DEFAULT_GATE.minPassRate,
      maxErrors: f.gate?.max_errors ?? DEFAULT_GATE.maxErrors,
      failOnRegression: f.gate?.fail_on_regression ?? DEFAULT_GATE.failOnRegression
    },
    tests
  };
}

// src/suite/interpolate.ts
var import_yaml2 = __toESM(require_dist(), 1);
var REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
var NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
function interpolateString(text2, env) {
  const missing = [];
  const malformed = [];
  const value = text2.replace(REF, (match, name) => {
    if (match === "$${") return "${";
    if (name === void 0) {
      malformed.push(match);
      return match;
    }
    if (!NAME.test(name)) {
      malformed.push(match);
      return match;
    }
    const v = env[name];
    if (v === void 0) {
      missing.push(name);
      return match;
    }
    return v;
  });
  return { value, missing, malformed };
}
function interpolateDocument(doc, env) {
  const problems = [];
  const visit = (node, path2) => {
    if ((0, import_yaml2.isMap)(node)) {
      for (const pair of node.items) {
        if (!(0, import_yaml2.isPair)(pair)) continue;
        const key = (0, import_yaml2.isScalar)(pair.key) ? String(pair.key.value) : "?";
        visit(pair.value, [...path2, key]);
      }
    } else if ((0, import_yaml2.isSeq)(node)) {
      node.items.forEach((item, i) => {
        visit(item, [...path2, i]);
      });
    } else if ((0, import_yaml2.isScalar)(node) && typeof node.value === "string" && node.value.includes("$")) {
      substitute(node, path2);
    }
  };
  const substitute = (node, path2) => {
    const { value, missing, malformed } = interpolateString(node.value, env);
    const offset = node.range?.[0] ?? 0;
    for (const name of new Set(missing)) {
      problems.push({
        path: path2,
        offset,
        message: `${showPath(path2)}: environment variable ${name} is not set; export it or write the value in the file`
      });
    }
    for (const ref of new Set(malformed)) {
      problems.push({
        path: path2,
        offset,
        message: `${showPath(path2)}: "${ref}" is not a variable reference; write \${NAME} (letters, digits, _) or $\${ for a literal \${`
      });
    }
    node.value = value;
  };
  visit(doc.contents, []);
  return problems;
}

// src/suite/json.ts
var WS = /* @__PURE__ */ new Set([" ", "	", "\n", "\r"]);
var NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
var ESCAPE = /* @__PURE__ */ new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
function checkJson(text2, maxDepth) {
  const stack = [];
  let expect = "value";
  let i = 0;
  const n = text2.length;
  const closer = () => stack.at(-1) === "[" ? "]" : "}";
  const afterValue = () => {
    expect = stack.length === 0 ? "end" : "comma-or-close";
  };
  for (; ; ) {
    while (i < n && WS.has(text2[i])) i++;
    if (i >= n) {
      if (expect === "end") return void 0;
      return {
        offset: n,
        message: `unexpected end of file, expected ${expected(expect, closer())}; is the file cut short?`
      };
    }
    const c = text2[i];
    switch (expect) {
      case "end":
        return unexpected(text2, i, "nothing after the end of the top-level value");
      case "colon":
        if (c !== ":") return unexpected(text2, i, "':' after the property name");
        i++;
        expect = "value";
        continue;
      case "comma-or-close":
        if (c === ",") {
          i++;
          expect = stack.at(-1) === "[" ? "item" : "key";
          continue;
        }
        if (c === closer()) {
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        {
          const e = unexpected(text2, i, `',' or '${closer()}'`);
          if (/["\d[{tfn-]/.test(c)) e.message += "; a comma is missing before it";
          return e;
        }
      case "key":
      case "key-or-close":
        if (c === "}") {
          if (expect === "key") return trailingComma(text2, i, "a property name in double quotes");
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        if (c !== '"') return unexpected(text2, i, expected(expect, "}"));
        {
          const end = scanString(text2, i);
          if (typeof end !== "number") return end;
          i = end;
        }
        expect = "colon";
        continue;
      default: {
        if (c === "]" && expect !== "value") {
          if (expect === "item") return trailingComma(text2, i, "a value");
          i++;
          stack.pop();
          afterValue();
          continue;
        }
        if (c === "[" || c === "{") {
          if (stack.length >= maxDepth) {
            return { offset: i, message: nestedTooDeep(maxDepth) };
          }
          stack.push(c);
          i++;
          expect = c === "[" ? "item-or-close" : "key-or-close";
          continue;
        }
        const end = scanScalar(text2, i);
        if (typeof end !== "number") return end;
        i = end;
        afterValue();
      }
    }
  }
}
function expected(expect, close) {
  switch (expect) {
    case "colon":
      return "':'";
    case "comma-or-close":
      return `',' or '${close}'`;
    case "key":
      return "a property name in double quotes";
    case "key-or-close":
      return "a property name in double quotes or '}'";
    case "item-or-close":
      return "a value or ']'";
    default:
      return "a value";
  }
}
function trailingComma(text2, at, what) {
  return {
    offset: at,
    message: `unexpected '${text2[at]}' after a comma, expected ${what}; remove the trailing comma`
  };
}
function scanScalar(text2, i) {
  const c = text2[i];
  if (c === '"') return scanString(text2, i);
  if (c === "-" || c >= "0" && c <= "9") {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text2);
    const end = m ? i + m[0].length : i;
    if (end === i || /[0-9.eE+-]/.test(text2[end] ?? "")) {
      return {
        offset: i,
        message: `invalid number ${quoteToken(text2, i)}; write digits like 3, -1, 0.5 or 1e3`
      };
    }
    return end;
  }
  for (const word of ["true", "false", "null"]) {
    if (text2.startsWith(word, i) && !/[A-Za-z0-9_$]/.test(text2[i + word.length] ?? ""))
      return i + word.length;
  }
  return unexpected(text2, i, "a value");
}
function scanString(text2, start) {
  let i = start + 1;
  for (; ; ) {
    if (i >= text2.length) {
      return { offset: start, message: "this string is never closed; add the closing double quote" };
    }
    const c = text2.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c < 32) {
      const what = c === 10 ? "a line break" : c === 9 ? "a tab" : "a control character";
      return { offset: i, message: `${what} inside a string; write it as an escape (\\n, \\t, \\u0000)` };
    }
    if (c === 92) {
      const e = text2[i + 1] ?? "";
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text2.slice(i + 2, i + 6))) {
          return { offset: i, message: "invalid \\u escape; write four hex digits, like \\u00e9" };
        }
        i += 6;
        continue;
      }
      if (!ESCAPE.has(e)) {
        return {
          offset: i,
          message: `invalid escape \\${e}; JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
}
function unexpected(text2, i, wanted) {
  const c = text2[i];
  let hint = "";
  if (c === "/" && (text2[i + 1] === "/" || text2[i + 1] === "*")) hint = "; JSON has no comments, remove it";
  else if (c === "'") hint = "; JSON strings and property names use double quotes";
  else if (/[A-Za-z_$]/.test(c) && wanted.startsWith("a property name"))
    hint = "; put the name in double quotes";
  else if (/[A-Za-z_$]/.test(c) && wanted === "a value") hint = "; put text in double quotes";
  return { offset: i, message: `unexpected ${quoteToken(text2, i)}, expected ${wanted}${hint}` };
}
function quoteToken(text2, i) {
  if (text2[i] === '"') {
    const end = text2.indexOf('"', i + 1);
    const body = end > i ? text2.slice(i + 1, end) : "";
    return end > i && end - i <= 40 && !/[\n\\]/.test(body) ? `string "${body}"` : "a string";
  }
  const word = /[A-Za-z0-9_$.+-]{1,20}/y;
  word.lastIndex = i;
  const m = word.exec(text2);
  const tok = m ? m[0] : text2[i];
  return tok === "'" ? "a single quote" : `'${tok}'`;
}

// src/suite/parse.ts
var SYNTAX_HINTS = {
  TAB_AS_INDENT: "indent with spaces, not tabs",
  BAD_INDENT: "check the indentation",
  MISSING_CHAR: "check for a missing character or a wrong indentation",
  BLOCK_AS_IMPLICIT_KEY: "put the nested value on its own, indented line",
  MULTILINE_IMPLICIT_KEY: "put a key and its colon on one line"
};
function parseSuiteText(text2, opts) {
  try {
    return parse2(text2, opts);
  } catch (err) {
    return { problems: [{ file: opts.file, line: 1, col: 1, message: `${INTERNAL}: ${errorText(err)}` }] };
  }
}
var INTERNAL = "internal error while reading this file; please report it";
function parse2(text2, opts) {
  const { file } = opts;
  const isJson = /\.json$/i.test(file);
  const problems = [];
  const source = text2.startsWith("\uFEFF") ? text2.slice(1) : text2;
  const lc = new import_yaml3.LineCounter();
  lc.addNewLine(0);
  for (let i = source.indexOf("\n"); i >= 0; i = source.indexOf("\n", i + 1)) lc.addNewLine(i + 1);
  const at = (offset, message) => ({
    file,
    ...positionOf(lc, offset),
    message: oneLine(message)
  });
  if (isJson) {
    const e = checkJson(source, SUITE_FILE_LIMITS.depth);
    if (e) return { problems: [at(e.offset, `JSON: ${e.message}`)] };
  }
  const parser = new import_yaml3.Parser();
  const cst = [];
  let parseError;
  const bounds = checkBounds(source, (lexeme) => {
    if (parseError) return;
    try {
      for (const token of parser.next(lexeme)) cst.push(token);
    } catch (err) {
      parseError = { err };
    }
  });
  if (bounds) return { problems: [at(bounds.offset, bounds.message)] };
  let docs;
  try {
    if (parseError) throw parseError.err;
    for (const token of parser.end()) cst.push(token);
    const composer = new import_yaml3.Composer({ merge: true, uniqueKeys: false });
    docs = [...composer.compose(cst)];
    cst.length = 0;
    if (docs.length === 0) for (const e of composer.streamInfo().errors) problems.push(syntaxProblem(at, e));
  } catch (err) {
    return { problems: [at(0, `could not parse the file: ${errorText(err)}`)] };
  }
  const doc = docs[0];
  if (doc === void 0 || doc.contents === null && docs.length === 1) {
    if (problems.length > 0) return { problems };
    return { problems: [at(0, "the file is empty; a suite file needs suite: and tests:")] };
  }
  for (const extra of docs.slice(1)) {
    problems.push(
      at(extra.range[0], "a second YAML document (after ---); one suite per file: move it to its own file")
    );
  }
  for (const e of [...doc.errors, ...doc.warnings]) problems.push(syntaxProblem(at, e));
  if (doc.errors.length > 0) return { problems: capped(problems) };
  const structure = checkStructure(doc, isJson);
  for (const p of structure) problems.push(at(p.offset, p.message));
  if (structure.length > 0) return { problems: capped(problems) };
  const locateOffset = (path2, where = "value") => offsetOf(doc, path2, where);
  const locate = (path2) => positionOf(lc, locateOffset(path2));
  const envProblems = interpolateDocument(doc, opts.env);
  const unresolved = new Set(envProblems.map((p) => showPath(p.path)));
  for (const p of envProblems) problems.push(at(p.offset, p.message));
  let data;
  try {
    data = doc.toJS({ maxAliasCount: SUITE_FILE_LIMITS.values });
  } catch (err) {
    problems.push(at(0, `could not read the file: ${errorText(err)}`));
    return { problems: capped(problems) };
  }
  const name = data?.suite;
  const declares = typeof name === "string" && name !== "" ? { name, loc: { file, ...locate(["suite"]) } } : void 0;
  const pathProblems = [];
  const result = SuiteFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues)
      for (const p of issueToProblems(issue, data)) pathProblems.push(p);
  }
  for (const p of checkSuite(data, locate)) pathProblems.push(p);
  const typos = new Set(
    pathProblems.filter((p) => p.typoOf).map((p) => `${showPath(p.path.slice(0, -1))}>${p.typoOf}`)
  );
  for (const p of pathProblems) {
    if (unresolved.has(showPath(p.path))) continue;
    if (p.missing !== void 0 && typos.has(`${showPath(p.path)}>${p.missing}`)) continue;
    problems.push(at(locateOffset(p.path, p.at), p.message));
  }
  if (problems.length > 0 || !result.success) return { declares, problems: capped(problems) };
  return { suite: buildSuite(result.data, file, locate), declares, problems: [] };
}
function syntaxProblem(at, e) {
  let hint = SYNTAX_HINTS[e.code];
  let message = (e.message.split("\n")[0] ?? e.message).replace(/\.$/, "");
  if (/closing "?quote/i.test(e.message)) {
    message = "missing closing quote";
    hint = "a quoted value above this line is never closed";
  }
  return at(e.pos[0], `YAML: ${message}${hint ? `; ${hint}` : ""}`);
}
function checkStructure(doc, isJson) {
  const out = [];
  const anchors = /* @__PURE__ */ new Map();
  const expanded = /* @__PURE__ */ new Map();
  const open2 = /* @__PURE__ */ new Set();
  let total = 0;
  let overflow = false;
  const start = (n) => n?.range?.[0] ?? 0;
  let tooDeep = false;
  const walk = (node, depth) => {
    if ((0, import_yaml3.isAlias)(node)) {
      const target = anchors.get(node.source);
      if (target === void 0) {
        out.push({
          offset: start(node),
          message: `alias *${node.source} has no anchor &${node.source} before it`
        });
        return 1;
      }
      if (open2.has(target)) {
        out.push({
          offset: start(node),
          message: `alias *${node.source} is inside its own anchor &${node.source}; move it out`
        });
        return 1;
      }
      const size2 = expanded.get(target) ?? 1;
      grow(size2, start(node));
      return size2;
    }
    if (node === null || typeof node !== "object") return 0;
    const n = node;
    if (n.anchor) anchors.set(n.anchor, n);
    grow(1, start(n));
    if (((0, import_yaml3.isMap)(n) || (0, import_yaml3.isSeq)(n)) && depth > SUITE_FILE_LIMITS.depth) {
      if (!tooDeep) out.push({ offset: start(n), message: nestedTooDeep(SUITE_FILE_LIMITS.depth) });
      tooDeep = true;
      return 1;
    }
    let size = 1;
    open2.add(n);
    if ((0, import_yaml3.isMap)(n)) {
      const keys = /* @__PURE__ */ new Set();
      for (const pair of n.items) {
        if (!(0, import_yaml3.isPair)(pair)) continue;
        if ((0, import_yaml3.isScalar)(pair.key)) {
          if (keys.has(pair.key.value)) {
            const name = clip(String(typeof pair.key.value === "symbol" ? "<<" : pair.key.value));
            const where = isJson ? 'JSON: duplicate key "%" in this object' : 'YAML: duplicate key "%" in this mapping';
            out.push({
              offset: start(pair.key),
              message: `${where.replace("%", name)}; remove or rename one of them`
            });
          }
          keys.add(pair.key.value);
        }
        size += walk(pair.key, depth + 1) + walk(pair.value, depth + 1);
      }
    } else if ((0, import_yaml3.isSeq)(n)) {
      for (const item of n.items) size += walk(item, depth + 1);
    }
    open2.delete(n);
    if (n.anchor) expanded.set(n, size);
    return size;
  };
  const grow = (size, offset) => {
    total += size;
    if (total > SUITE_FILE_LIMITS.values && !overflow) {
      overflow = true;
      out.push(tooMany(offset, true));
    }
  };
  walk(doc.contents, 1);
  return out;
}
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}
function sorted(problems) {
  const seen = /* @__PURE__ */ new Set();
  return problems.filter((p) => {
    const k = `${p.line}:${p.col}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  }).sort((a, b) => a.line - b.line || a.col - b.col);
}
function capped(problems) {
  const all = sorted(problems);
  const max = SUITE_FILE_LIMITS.problems;
  const next = all[max];
  if (next === void 0) return all;
  const message = `${all.length - max} more problems in this file are not listed; fix the ones above first`;
  return [...all.slice(0, max), { ...next, message }];
}

// src/suite/load.ts
import { constants } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";
var DEFAULT_SUITE_PATHS = ["suites"];
var SUITE_FILE = /\.(ya?ml|json)$/i;
var SCENARIO_FILE = /\.scenario\.(ya?ml|json)$/i;
function displayPath(cwd, abs) {
  const rel = path.relative(cwd, abs) || ".";
  return rel.split(path.sep).join("/");
}
async function listSuiteFiles(paths, cwd) {
  const files = [];
  const problems = [];
  const seen = /* @__PURE__ */ new Set();
  const add = (abs) => {
    if (!seen.has(abs)) {
      seen.add(abs);
      files.push(abs);
    }
  };
  const problem = (abs, message) => problems.push({ file: displayPath(cwd, abs), line: 1, col: 1, message });
  for (const p of paths.length > 0 ? paths : DEFAULT_SUITE_PATHS) {
    const abs = path.resolve(cwd, p);
    let info;
    try {
      info = await stat(abs);
    } catch (err) {
      problem(abs, ioMessage(err, "path"));
      continue;
    }
    if (info.isDirectory()) {
      let names;
      try {
        names = (await readdir(abs)).sort();
      } catch (err) {
        problem(abs, ioMessage(err, "directory"));
        continue;
      }
      const matches = names.filter((n) => SUITE_FILE.test(n) && !SCENARIO_FILE.test(n) && !n.startsWith("."));
      if (matches.length === 0) {
        problem(abs, "no suite files here (expected *.yaml, *.yml or *.json); add one or pass another path");
      }
      for (const n of matches) {
        const file = path.join(abs, n);
        let entry;
        try {
          entry = await stat(file);
        } catch (err) {
          problem(file, ioMessage(err, "file"));
          continue;
        }
        const notRegular = notRegularFile(entry);
        if (notRegular) problem(file, notRegular);
        else add(file);
      }
    } else if (notRegularFile(info)) {
      problem(abs, notRegularFile(info));
    } else if (!SUITE_FILE.test(abs)) {
      problem(abs, "not a suite file: expected a .yaml, .yml or .json file or a directory");
    } else {
      add(abs);
    }
  }
  return { files, problems };
}
function notRegularFile(info) {
  if (info.isFile()) return void 0;
  const kind = info.isDirectory() ? "a directory" : info.isFIFO() ? "a FIFO (named pipe)" : info.isCharacterDevice() ? "a character device" : info.isBlockDevice() ? "a block device" : info.isSocket() ? "a socket" : "not a regular file";
  return `is ${kind}, not a regular file; suite files must be regular files (a symlink to one is fine)`;
}
async function readSuiteFile(abs) {
  const limit = SUITE_FILE_LIMITS.bytes;
  const tooLarge = `file is larger than ${limit / 1024 / 1024} MiB; is it really a suite file?`;
  const handle = await open(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const info = await handle.stat();
    const notRegular = notRegularFile(info);
    if (notRegular) return { problem: notRegular };
    if (info.size > limit) return { problem: tooLarge };
    const buf = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) return { problem: tooLarge };
    return { text: buf.toString("utf8", 0, length) };
  } finally {
    await handle.close();
  }
}
async function loadSuites(paths, opts) {
  const { files, problems } = await listSuiteFiles(paths, opts.cwd);
  const suites = [];
  const declared = /* @__PURE__ */ new Map();
  for (const abs of files) {
    const file = displayPath(opts.cwd, abs);
    let text2;
    try {
      const read = await readSuiteFile(abs);
      if ("problem" in read) {
        problems.push({ file, line: 1, col: 1, message: read.problem });
        continue;
      }
      text2 = read.text;
    } catch (err) {
      problems.push({ file, line: 1, col: 1, message: ioMessage(err, "file") });
      continue;
    }
    const result = parseSuiteText(text2, { file, env: opts.env });
    const fileProblems = [...result.problems];
    const other = result.declares && declared.get(result.declares.name);
    if (result.declares && other) {
      fileProblems.push({
        ...result.declares.loc,
        message: `suite "${clip(result.declares.name)}" is also declared in ${other.file}:${other.line}:${other.col}; one suite per file: rename one of them or merge the files`
      });
      fileProblems.sort((a, b) => a.line - b.line || a.col - b.col);
    } else if (result.declares) {
      declared.set(result.declares.name, result.declares.loc);
    }
    for (const p of fileProblems) problems.push(p);
    if (result.suite && fileProblems.length === 0) suites.push(result.suite);
  }
  return { suites, problems };
}
async function loadSuitesOrThrow(paths, opts) {
  const { suites, problems } = await loadSuites(paths, opts);
  if (problems.length > 0) throw new SuiteFileError(problems);
  return suites;
}
function ioMessage(err, what) {
  const code = err?.code;
  if (code === "ENOENT") return `no such ${what}; check the path (suites live in suites/ by default)`;
  if (code === "EACCES" || code === "EPERM") return `cannot read this ${what}: permission denied`;
  if (code === "EISDIR") return "is a directory, not a file";
  return `cannot read this ${what}: ${err instanceof Error ? err.message : String(err)}`;
}

export {
  DEFAULT_CHANNEL,
  TRIALS_MAX,
  toApiBody,
  interpolateString,
  parseSuiteText,
  DEFAULT_SUITE_PATHS,
  displayPath,
  listSuiteFiles,
  readSuiteFile,
  loadSuites,
  loadSuitesOrThrow
};
