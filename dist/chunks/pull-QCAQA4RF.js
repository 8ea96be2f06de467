import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  INSTALLED_SCHEMA,
  schemaRef
} from "./chunk-Q3J35J64.js";
import {
  writeFileAtomic
} from "./chunk-7B25DCRM.js";
import {
  DEFAULT_CHANNEL,
  TelnyxClient,
  diffTest,
  displayPath,
  fetchRemote,
  interpolateString,
  listSuiteFiles,
  parseSuiteText,
  planSuites,
  readSuiteFile,
  reportError,
  resolveApiConfig
} from "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import {
  VERSION
} from "./chunk-WRUJUDGY.js";
import {
  Document,
  Scalar,
  YAML_QUIET,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit
} from "./chunk-7BFOF2IB.js";
import {
  EXIT,
  UsageError,
  formatProblem
} from "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/pull.ts
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

// src/pull.ts
var KEY_OF = {
  name: "name",
  description: "description",
  instructions: "instructions",
  destination: "destination",
  telnyx_conversation_channel: "channel",
  max_duration_seconds: "max_duration_seconds",
  rubric: "rubric"
};
var LIFTABLE = ["channel", "destination", "max_duration_seconds"];
var escapeRefs = (s) => s.replaceAll("${", () => "$${");
function testEntry(t) {
  const e = { name: t.name };
  if (t.description) e.description = t.description;
  if (t.instructions !== void 0) e.instructions = t.instructions;
  e.channel = t.telnyx_conversation_channel;
  if (t.destination !== void 0) e.destination = t.destination;
  if (t.max_duration_seconds !== void 0) e.max_duration_seconds = t.max_duration_seconds;
  e.rubric = t.rubric.map((r) => ({ name: r.name, criteria: r.criteria }));
  return e;
}
function sharedDefaults(entries) {
  const out = {};
  if (entries.length === 0) return out;
  for (const key of LIFTABLE) {
    const first = entries[0]?.[key];
    if (first !== void 0 && entries.every((e) => e[key] === first)) out[key] = first;
  }
  return out;
}
function suiteFileName(suite) {
  const slug = suite.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "").slice(0, 80).replace(/\.scenario$/, "-scenario");
  return `${slug || "suite"}.yaml`;
}
function pullSuite(input) {
  const { suite, remote } = input;
  if (remote.length === 0) return { kind: "empty", suite };
  const conflicts = planSuites([emptySuite(suite)], /* @__PURE__ */ new Map([[suite, remote]])).conflicts;
  if (conflicts.length > 0) return { kind: "conflict", suite, conflicts };
  return input.existing ? updateFile(input, input.existing) : newFile(input);
}
function emptySuite(name) {
  return {
    name,
    file: "",
    loc: { file: "", line: 1, col: 1 },
    gate: { minPassRate: 1, maxErrors: 0, failOnRegression: false },
    tests: []
  };
}
function newFile(input) {
  const entries = input.remote.map(testEntry);
  const defaults = sharedDefaults(entries);
  const tests = entries.map((e) => {
    const t = { ...e };
    for (const key of LIFTABLE) if (key in defaults) delete t[key];
    return t;
  });
  const data = { suite: input.suite };
  if (Object.keys(defaults).length > 0) data.defaults = defaults;
  data.tests = tests;
  const doc = new Document(escapeStrings(data));
  doc.commentBefore = ` yaml-language-server: $schema=${input.schema}
 Pulled from the Telnyx account by rubric-gate pull. gate, required, trials, min_passes and
 tags are local: add them here; pull keeps them.`;
  useBlockScalars(doc.contents);
  const text = render(doc, input.newFile);
  return finish(input, {
    file: input.newFile,
    text,
    created: true,
    changed: true,
    added: input.remote.map((t) => t.name),
    updated: [],
    localOnly: []
  });
}
function updateFile(input, existing) {
  const parsed = parseSuiteText(existing.text, { file: existing.file, env: input.env });
  if (!parsed.suite)
    return {
      kind: "invalid",
      suite: input.suite,
      file: existing.file,
      problems: parsed.problems,
      generated: false
    };
  const local = parsed.suite;
  const bom = existing.text.startsWith("\uFEFF") ? "\uFEFF" : "";
  const source = existing.text.slice(bom.length);
  const doc = parseDocument(source, YAML_QUIET);
  const testsSeq = doc.get("tests", true);
  if (!isSeq(testsSeq))
    return {
      kind: "invalid",
      suite: input.suite,
      file: existing.file,
      problems: parsed.problems,
      generated: false
    };
  const remoteByName = new Map(input.remote.map((t) => [t.name, t]));
  const claimed = /* @__PURE__ */ new Set();
  const updated = [];
  const changedItems = /* @__PURE__ */ new Set();
  const localOnly = [];
  local.tests.forEach((test, i) => {
    const remoteName = remoteByName.has(test.name) ? test.name : test.renamedFrom.find((old) => remoteByName.has(old) && !claimed.has(old));
    const remote = remoteName === void 0 ? void 0 : remoteByName.get(remoteName);
    const node = testsSeq.items[i];
    if (!remote || remoteName === void 0 || claimed.has(remoteName) || !isMap(node)) {
      localOnly.push(test.name);
      return;
    }
    claimed.add(remoteName);
    const keys = [];
    const fields = diffTest(test, remote).changes.map((c) => c.field).filter((f) => f !== "name");
    if (test.maxDurationSeconds === void 0 && remote.max_duration_seconds !== void 0)
      fields.push("max_duration_seconds");
    for (const field of fields) {
      applyField(doc, node, field, remote);
      keys.push(KEY_OF[field]);
    }
    if (keys.length > 0) {
      updated.push({ name: test.name, keys });
      changedItems.add(i);
    }
  });
  const defaults = effectiveDefaults(doc, input.env);
  const added = [];
  const firstAdded = testsSeq.items.length;
  for (const t of input.remote) {
    if (claimed.has(t.name)) continue;
    const entry = testEntry(t);
    for (const key of LIFTABLE)
      if (entry[key] === (defaults[key] ?? (key === "channel" ? DEFAULT_CHANNEL : void 0)))
        delete entry[key];
    const item = doc.createNode(escapeStrings(entry));
    useBlockScalars(item);
    testsSeq.items.push(item);
    added.push(t.name);
  }
  const changed = added.length > 0 || updated.length > 0;
  let text = existing.text;
  if (changed) {
    const whole = render(doc, existing.file);
    const spliced = /\.json$/i.test(existing.file) ? void 0 : spliceOrNot(source, testsSeq, changedItems, firstAdded);
    text = spliced !== void 0 && sameData(spliced, whole) ? bom + spliced : whole;
  }
  return finish(input, { file: existing.file, text, created: false, changed, added, updated, localOnly });
}
function applyField(doc, node, field, remote) {
  const key = KEY_OF[field];
  switch (field) {
    case "description":
      if (remote.description) setScalar(doc, node, key, remote.description);
      else node.delete(key);
      return;
    case "instructions":
      setScalar(doc, node, key, remote.instructions ?? "");
      return;
    case "destination":
      if (remote.destination !== void 0) setScalar(doc, node, key, remote.destination);
      return;
    case "telnyx_conversation_channel":
      setScalar(doc, node, key, remote.telnyx_conversation_channel);
      return;
    case "max_duration_seconds":
      if (remote.max_duration_seconds !== void 0) setScalar(doc, node, key, remote.max_duration_seconds);
      else node.delete(key);
      return;
    case "rubric":
      setRubric(doc, node, remote.rubric);
      return;
    case "name":
      return;
  }
}
function unshare(doc, node) {
  if (!(isScalar(node) || isMap(node) || isSeq(node)) || node.anchor === void 0) return;
  const anchor = node.anchor;
  visit(doc, {
    Alias(_, alias) {
      if (alias.source !== anchor) return void 0;
      const copy = node.clone();
      delete copy.anchor;
      return copy;
    }
  });
  delete node.anchor;
}
function setScalar(doc, node, key, value) {
  const v = typeof value === "string" ? escapeRefs(value) : value;
  const current = node.get(key, true);
  unshare(doc, current);
  if (isScalar(current)) {
    current.value = v;
    if (typeof v === "string" && v.includes("\n"))
      current.type = literalOk(v) ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
    return;
  }
  const created = doc.createNode(v);
  useBlockScalars(created);
  node.set(key, created);
}
function setRubric(doc, node, rubric) {
  const seq = node.get("rubric", true);
  unshare(doc, seq);
  const old = /* @__PURE__ */ new Map();
  if (isSeq(seq)) {
    for (const item of seq.items) {
      unshare(doc, item);
      const name = isMap(item) ? item.get("name") : void 0;
      if (isMap(item) && typeof name === "string" && !old.has(name)) old.set(name, item);
    }
  }
  const items = rubric.map((r) => {
    const kept = old.get(escapeRefs(r.name));
    if (kept) {
      old.delete(escapeRefs(r.name));
      setScalar(doc, kept, "criteria", r.criteria);
      return kept;
    }
    return doc.createNode(escapeStrings({ name: r.name, criteria: r.criteria }));
  });
  if (isSeq(seq)) seq.items = items;
  else node.set("rubric", doc.createNode(items));
}
function effectiveDefaults(doc, env) {
  const out = {};
  for (const key of LIFTABLE) {
    const v = doc.getIn(["defaults", key]);
    if (v !== void 0) out[key] = typeof v === "string" ? interpolateString(v, env).value : v;
  }
  return out;
}
function escapeStrings(value) {
  if (typeof value === "string") return escapeRefs(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)]));
  return value;
}
var literalOk = (v) => v.includes("\n") && !/^[ \t]|(^|\n)[ \t]+(\n|$)/.test(v);
function useBlockScalars(node) {
  if (isScalar(node)) {
    if (typeof node.value === "string" && node.value.includes("\n"))
      node.type = literalOk(node.value) ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
  } else if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      if (isMap(node)) useBlockScalars(item.value);
      else useBlockScalars(item);
    }
  }
}
var STRINGIFY = { lineWidth: 0, flowCollectionPadding: false };
function render(doc, file) {
  if (/\.json$/i.test(file)) return `${JSON.stringify(doc.toJS(), null, 2)}
`;
  return doc.toString(STRINGIFY);
}
function spliceOrNot(...args) {
  try {
    return splice(...args);
  } catch {
    return void 0;
  }
}
function splice(source, seq, changed, firstAdded) {
  const first = seq.items[0];
  if (seq.flow || !isMap(first) || !first.range) return void 0;
  const lineStart = (offset) => source.lastIndexOf("\n", offset - 1) + 1;
  const col = first.range[0] - lineStart(first.range[0]);
  if (source.slice(lineStart(first.range[0]), first.range[0]).trim() !== "-") return void 0;
  const renderItem = (node) => {
    const d = new Document();
    const only = d.createNode([]);
    only.items = [node];
    d.contents = only;
    const lines = d.toString(STRINGIFY).replace(/\n$/, "").split("\n");
    return lines.map(
      (l, i) => i === 0 ? l.replace(/^- /, "") : l === "" ? l : " ".repeat(col) + l.replace(/^ {2}/, "")
    ).join("\n");
  };
  const edits = [];
  for (const i of changed) {
    const node = seq.items[i];
    if (!isMap(node) || !node.range) return void 0;
    const tail = /\s*$/.exec(source.slice(node.range[0], node.range[1]))?.[0] ?? "";
    edits.push({ from: node.range[0], to: node.range[1], text: renderItem(node) + tail });
  }
  const last = seq.items[firstAdded - 1];
  if (firstAdded < seq.items.length) {
    if (!isMap(last) || !last.range) return void 0;
    const second = seq.items[1];
    const gap = isMap(second) && second.range && /\n[ \t]*\n\s*-\s*$/.test(source.slice(first.range[0], second.range[0]));
    const indent = `${" ".repeat(Math.max(0, col - 2))}- `;
    const text = seq.items.slice(firstAdded).map((n) => `
${gap ? "\n" : ""}${indent}${renderItem(n)}`).join("");
    const end = source.indexOf("\n", last.range[1] - 1);
    edits.push({ from: end === -1 ? source.length : end, to: end === -1 ? source.length : end, text });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}
function sameData(a, b) {
  try {
    const da = parseDocument(a, YAML_QUIET);
    const db = parseDocument(b, YAML_QUIET);
    return da.errors.length === 0 && JSON.stringify(da.toJS()) === JSON.stringify(db.toJS());
  } catch {
    return false;
  }
}
function finish(input, out) {
  const parsed = parseSuiteText(out.text, { file: out.file, env: input.env });
  if (!parsed.suite)
    return {
      kind: "invalid",
      suite: input.suite,
      file: out.file,
      problems: parsed.problems,
      generated: true
    };
  const plan = planSuites([parsed.suite], /* @__PURE__ */ new Map([[input.suite, input.remote]]));
  const localOnly = new Set(out.localOnly);
  const residual = plan.changes.flatMap((c) => {
    if (c.kind === "create" && localOnly.has(c.name)) return [];
    if (c.kind === "update" && c.renamedFrom !== void 0 && c.changes.every((f) => f.field === "name"))
      return [];
    if (c.kind === "update") {
      const fields = c.changes.map((f) => f.field).join(", ");
      return [
        `test "${c.name}": ${fields} would still change on sync (the file cannot say what the account has)`
      ];
    }
    return [`test "${c.name}": would ${c.kind}`];
  });
  return { kind: "write", suite: input.suite, ...out, residual };
}

// src/commands/pull.ts
async function pullCommand(opts, io) {
  let apiKey = opts.apiKey;
  let owned;
  try {
    const dir = opts.dir ?? "suites";
    let client = opts.client;
    if (!client) {
      const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
      apiKey = config.apiKey;
      owned = new TelnyxClient(config);
      client = owned;
    }
    const named = opts.suite !== void 0 && opts.suite.length > 0;
    const wanted = named ? [...new Set(opts.suite)] : await client.listSuiteNames();
    if (wanted.length === 0) {
      io.stdout("pull: the account has no test suites; nothing to pull\n");
      return EXIT.ok;
    }
    const remote = await fetchRemote(client, wanted);
    const existing = await filesBySuite(dir, io);
    const taken = /* @__PURE__ */ new Set([...existing.byFile.keys()]);
    const installed = existsSync(resolve(io.cwd, INSTALLED_SCHEMA));
    const outcomes = [];
    for (const suite of wanted) {
      const have = existing.bySuite.get(suite);
      const newFile2 = have ? have.file : freeName(dir, suite, taken, io);
      outcomes.push(
        pullSuite({
          suite,
          remote: remote.get(suite) ?? [],
          ...have ? { existing: have } : {},
          newFile: newFile2,
          schema: schemaRef(installed, VERSION, dirname(newFile2)),
          env: io.env
        })
      );
    }
    let failed = false;
    for (const o of outcomes) {
      failed = report(o, { dryRun: opts.dryRun === true, named }, io) || failed;
      if (o.kind === "write" && o.changed && opts.dryRun !== true)
        writeFileAtomic(resolve(io.cwd, o.file), o.text);
    }
    if (opts.dryRun === true) io.stdout("pull: --dry-run, nothing was written\n");
    return failed ? EXIT.usage : EXIT.ok;
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    await owned?.close();
  }
}
async function filesBySuite(dir, io) {
  const bySuite = /* @__PURE__ */ new Map();
  const byFile = /* @__PURE__ */ new Map();
  if (!existsSync(resolve(io.cwd, dir))) return { bySuite, byFile };
  const { files } = await listSuiteFiles([dir], io.cwd);
  for (const abs of files) {
    const file = displayPath(io.cwd, abs);
    const read = await readSuiteFile(abs);
    if ("problem" in read) {
      byFile.set(file, void 0);
      continue;
    }
    const text = read.text;
    const name = parseSuiteText(text, { file, env: io.env }).declares?.name;
    byFile.set(file, name);
    if (name !== void 0 && !bySuite.has(name)) bySuite.set(name, { file, text });
  }
  return { bySuite, byFile };
}
function freeName(dir, suite, taken, io) {
  const base = suiteFileName(suite).replace(/\.yaml$/, "");
  for (let i = 1; i < 1e3; i++) {
    const file = displayPath(io.cwd, resolve(io.cwd, join(dir, `${base}${i === 1 ? "" : `-${i}`}.yaml`)));
    if (!taken.has(file) && !existsSync(resolve(io.cwd, file))) {
      taken.add(file);
      return file;
    }
  }
  throw new UsageError(`pull: no free file name for suite "${suite}" in ${dir}`);
}
var q = (s) => JSON.stringify(s);
var plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
function report(o, { dryRun, named }, io) {
  const would = (verb) => dryRun ? `would ${verb}` : `${verb}d`;
  switch (o.kind) {
    case "empty":
      if (!named) {
        io.stdout(`pull: suite ${q(o.suite)} has no tests in the account; skipped
`);
        return false;
      }
      io.stderr(`pull: suite ${q(o.suite)} has no tests in the account; nothing written for it
`);
      return true;
    case "conflict":
      io.stderr(
        [
          `pull: suite ${q(o.suite)} not written: a test name is used by several remote tests, and pull will not guess which is meant:`,
          ...o.conflicts.map((c) => `  ${q(c.name)}: ${c.testIds.join(", ")}`),
          "  Delete the extra test ids in the account (keep the one whose run history you want), then pull again.",
          ""
        ].join("\n")
      );
      return true;
    case "invalid":
      io.stderr(
        [
          o.generated ? `pull: suite ${q(o.suite)} not written: the account's tests do not make a valid suite file:` : `pull: suite ${q(o.suite)} not written: ${o.file} has problems; fix them (rubric-gate validate), then pull again:`,
          ...o.problems.map((p) => `  ${formatProblem(p)}`),
          ""
        ].join("\n")
      );
      return true;
    case "write": {
      const tests = o.added.length + o.updated.length;
      const head = o.created ? `${would("create")} ${o.file} (${plural(o.added.length, "test")})` : !o.changed ? `${o.file} is up to date` : `${would("update")} ${o.file} (${plural(tests, "test")})`;
      const lines = [`pull: suite ${q(o.suite)}: ${head}`];
      if (!o.created) {
        for (const name of o.added) lines.push(`  + ${q(name)}`);
        for (const u of o.updated) lines.push(`  ~ ${q(u.name)}: ${u.keys.join(", ")}`);
      }
      if (o.localOnly.length > 0) {
        lines.push(
          `  ${plural(o.localOnly.length, "local test")} not in the account, kept (sync would create them): ${o.localOnly.map(q).join(", ")}`
        );
      }
      for (const r of o.residual) lines.push(`  ! ${r}`);
      io.stdout(`${lines.join("\n")}
`);
      return false;
    }
  }
}
export {
  pullCommand
};
