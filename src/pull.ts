// The pull core: an account's remote tests of one suite -> the text of its suite file. Pure.
// It is the inverse of the sync mapping, and it proves itself with the forward one: what it
// writes is parsed back and planned against the same remote tests (planSuites), and any
// difference left is reported. Updating an existing file edits its YAML tree in place, so
// comments, key order and local-only keys (gate, required, trials, min_passes, tags) survive.
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  Scalar,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import type { AssistantTest, RubricItem } from './api/schemas.js';
import type { Problem } from './errors.js';
import { type Conflict, diffTest, planSuites, type SyncedField } from './plan.js';
import { type Env, interpolateString } from './suite/interpolate.js';
import { YAML_QUIET } from './suite/locate.js';
import type { SuiteDef } from './suite/model.js';
import { parseSuiteText } from './suite/parse.js';
import { DEFAULT_CHANNEL } from './suite/schema.js';

/** Where each API field lives in a suite file's test entry. */
const KEY_OF: Record<SyncedField, string> = {
  name: 'name',
  description: 'description',
  instructions: 'instructions',
  destination: 'destination',
  telnyx_conversation_channel: 'channel',
  max_duration_seconds: 'max_duration_seconds',
  rubric: 'rubric',
};

/** Fields a suite's `defaults` can hold, lifted there when every test shares one value. */
const LIFTABLE = ['channel', 'destination', 'max_duration_seconds'] as const;
type Liftable = (typeof LIFTABLE)[number];

export interface PullInput {
  suite: string;
  /** The suite's remote tests, as listed with test_suite=<suite>. */
  remote: readonly AssistantTest[];
  /** The file that declares this suite already, if any (display path and text). */
  existing?: { file: string; text: string };
  /** Where a new file goes when none exists. */
  newFile: string;
  /** A new file's schema modeline target (see init's schemaRef). */
  schema: string;
  /** For ${VAR} in existing files: a reference whose value matches the account is kept. */
  env: Env;
}

export interface TestUpdate {
  name: string;
  /** Suite-file keys changed. */
  keys: string[];
}

export type PullOutcome =
  | { kind: 'empty'; suite: string }
  | { kind: 'conflict'; suite: string; conflicts: Conflict[] }
  /**
   * The existing file has problems and is not touched, or (generated) what the account holds
   * does not make a valid suite file, e.g. a test without a destination: nothing is written.
   */
  | { kind: 'invalid'; suite: string; file: string; problems: Problem[]; generated: boolean }
  | {
      kind: 'write';
      suite: string;
      file: string;
      text: string;
      created: boolean;
      /** False when the existing file already says what the account says (nothing to write). */
      changed: boolean;
      added: string[];
      updated: TestUpdate[];
      /** Local tests with no remote counterpart: kept (sync would create them). */
      localOnly: string[];
      /** What pulling could not express (e.g. a remote test without a destination). */
      residual: string[];
    };

/** `$${` keeps a literal `${` from being read as an environment variable. */
// (A function replacement: in a replacement string, `$$` would mean one `$`.)
const escapeRefs = (s: string): string => s.replaceAll('${', () => '$${');

/** A remote test as a suite-file test entry (API field names -> file keys), before lifting. */
export function testEntry(t: AssistantTest): Record<string, unknown> {
  const e: Record<string, unknown> = { name: t.name };
  if (t.description) e.description = t.description;
  if (t.instructions !== undefined) e.instructions = t.instructions;
  e.channel = t.telnyx_conversation_channel;
  if (t.destination !== undefined) e.destination = t.destination;
  if (t.max_duration_seconds !== undefined) e.max_duration_seconds = t.max_duration_seconds;
  e.rubric = t.rubric.map((r) => ({ name: r.name, criteria: r.criteria }));
  return e;
}

/** The values every test shares (same value, present in all), for `defaults`. */
export function sharedDefaults(
  entries: readonly Record<string, unknown>[],
): Partial<Record<Liftable, unknown>> {
  const out: Partial<Record<Liftable, unknown>> = {};
  if (entries.length === 0) return out;
  for (const key of LIFTABLE) {
    const first = entries[0]?.[key];
    if (first !== undefined && entries.every((e) => e[key] === first)) out[key] = first;
  }
  return out;
}

/** A file name for a suite: lower-case, safe characters, `.yaml`. */
export function suiteFileName(suite: string): string {
  const slug = suite
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 80)
    // "x.scenario.yaml" is a simulator scenario to every other command, never a suite file.
    .replace(/\.scenario$/, '-scenario');
  return `${slug || 'suite'}.yaml`;
}

/** Pull one suite: a new file, an in-place update of the existing one, or why neither. */
export function pullSuite(input: PullInput): PullOutcome {
  const { suite, remote } = input;
  if (remote.length === 0) return { kind: 'empty', suite };
  const conflicts = planSuites([emptySuite(suite)], new Map([[suite, remote]])).conflicts;
  if (conflicts.length > 0) return { kind: 'conflict', suite, conflicts };
  return input.existing ? updateFile(input, input.existing) : newFile(input);
}

function emptySuite(name: string): SuiteDef {
  return {
    name,
    file: '',
    loc: { file: '', line: 1, col: 1 },
    gate: { minPassRate: 1, maxErrors: 0, failOnRegression: false },
    tests: [],
  };
}

function newFile(input: PullInput): PullOutcome {
  const entries = input.remote.map(testEntry);
  const defaults = sharedDefaults(entries);
  const tests = entries.map((e) => {
    const t = { ...e };
    for (const key of LIFTABLE) if (key in defaults) delete t[key];
    return t;
  });
  const data: Record<string, unknown> = { suite: input.suite };
  if (Object.keys(defaults).length > 0) data.defaults = defaults;
  data.tests = tests;
  const doc = new Document(escapeStrings(data));
  doc.commentBefore = ` yaml-language-server: $schema=${input.schema}\n Pulled from the Telnyx account by rubric-gate pull. gate, required, trials, min_passes and\n tags are local: add them here; pull keeps them.`;
  useBlockScalars(doc.contents);
  const text = render(doc, input.newFile);
  return finish(input, {
    file: input.newFile,
    text,
    created: true,
    changed: true,
    added: input.remote.map((t) => t.name),
    updated: [],
    localOnly: [],
  });
}

function updateFile(input: PullInput, existing: { file: string; text: string }): PullOutcome {
  const parsed = parseSuiteText(existing.text, { file: existing.file, env: input.env });
  if (!parsed.suite)
    return {
      kind: 'invalid',
      suite: input.suite,
      file: existing.file,
      problems: parsed.problems,
      generated: false,
    };
  const local = parsed.suite;
  const bom = existing.text.startsWith('\ufeff') ? '\ufeff' : '';
  const source = existing.text.slice(bom.length);
  const doc = parseDocument(source, YAML_QUIET);
  const testsSeq = doc.get('tests', true);
  if (!isSeq(testsSeq))
    return {
      kind: 'invalid',
      suite: input.suite,
      file: existing.file,
      problems: parsed.problems,
      generated: false,
    };

  const remoteByName = new Map(input.remote.map((t) => [t.name, t]));
  const claimed = new Set<string>();
  const updated: TestUpdate[] = [];
  const changedItems = new Set<number>();
  const localOnly: string[] = [];
  local.tests.forEach((test, i) => {
    // By name, else by a rename not yet synced (the local name is kept: sync will rename).
    const remoteName = remoteByName.has(test.name)
      ? test.name
      : test.renamedFrom.find((old) => remoteByName.has(old) && !claimed.has(old));
    const remote = remoteName === undefined ? undefined : remoteByName.get(remoteName);
    const node = testsSeq.items[i];
    if (!remote || remoteName === undefined || claimed.has(remoteName) || !isMap(node)) {
      localOnly.push(test.name);
      return;
    }
    claimed.add(remoteName);
    const keys: string[] = [];
    const fields = diffTest(test, remote)
      .changes.map((c) => c.field)
      .filter((f) => f !== 'name');
    // The plan's "no local value, no opinion" would call a file without any max duration (none
    // on the test, none in defaults) up to date with an account that has one: pull writes it.
    if (test.maxDurationSeconds === undefined && remote.max_duration_seconds !== undefined)
      fields.push('max_duration_seconds');
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
  const added: string[] = [];
  const firstAdded = testsSeq.items.length;
  for (const t of input.remote) {
    if (claimed.has(t.name)) continue;
    const entry = testEntry(t);
    for (const key of LIFTABLE)
      if (entry[key] === (defaults[key] ?? (key === 'channel' ? DEFAULT_CHANNEL : undefined)))
        delete entry[key];
    const item = doc.createNode(escapeStrings(entry)) as Node;
    useBlockScalars(item);
    testsSeq.items.push(item);
    added.push(t.name);
  }

  const changed = added.length > 0 || updated.length > 0;
  let text = existing.text;
  if (changed) {
    const whole = render(doc, existing.file);
    // Rewrite only the test entries that changed, so the rest of the file stays byte for byte;
    // the whole-document rendering is the fallback when the splice would not mean the same.
    const spliced = /\.json$/i.test(existing.file)
      ? undefined
      : spliceOrNot(source, testsSeq, changedItems, firstAdded);
    text = spliced !== undefined && sameData(spliced, whole) ? bom + spliced : whole;
  }
  return finish(input, { file: existing.file, text, created: false, changed, added, updated, localOnly });
}

/** Set one API field's remote value on a test entry node, reusing nodes to keep comments. */
function applyField(doc: Document, node: YAMLMap, field: SyncedField, remote: AssistantTest): void {
  const key = KEY_OF[field];
  switch (field) {
    case 'description':
      if (remote.description) setScalar(doc, node, key, remote.description);
      else node.delete(key);
      return;
    case 'instructions':
      setScalar(doc, node, key, remote.instructions ?? '');
      return;
    case 'destination':
      if (remote.destination !== undefined) setScalar(doc, node, key, remote.destination);
      return;
    case 'telnyx_conversation_channel':
      setScalar(doc, node, key, remote.telnyx_conversation_channel);
      return;
    case 'max_duration_seconds':
      // None in the account: drop the test's own value. One from defaults cannot be unset per
      // test, so that difference stays and is reported (residual), not papered over.
      if (remote.max_duration_seconds !== undefined) setScalar(doc, node, key, remote.max_duration_seconds);
      else node.delete(key);
      return;
    case 'rubric':
      setRubric(doc, node, remote.rubric);
      return;
    case 'name':
      return;
  }
}

/**
 * Before a node with an anchor is edited for one test, each alias of it elsewhere gets a copy of
 * its value: `rubric: &shared` in one test and `rubric: *shared` in another are two tests, and the
 * remote changed only the first.
 */
function unshare(doc: Document, node: unknown): void {
  if (!(isScalar(node) || isMap(node) || isSeq(node)) || node.anchor === undefined) return;
  const anchor = node.anchor;
  visit(doc, {
    Alias(_, alias) {
      if (alias.source !== anchor) return undefined;
      const copy = node.clone() as Node;
      delete copy.anchor;
      return copy;
    },
  });
  delete node.anchor;
}

function setScalar(doc: Document, node: YAMLMap, key: string, value: string | number): void {
  const v = typeof value === 'string' ? escapeRefs(value) : value;
  const current = node.get(key, true);
  unshare(doc, current);
  if (isScalar(current)) {
    current.value = v;
    // A one-line style cannot hold a multi-line value readably; a literal block can.
    // (A folded block would show each line break as a blank line.)
    if (typeof v === 'string' && v.includes('\n'))
      current.type = literalOk(v) ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
    return;
  }
  const created = doc.createNode(v) as Node;
  useBlockScalars(created);
  node.set(key, created);
}

/** The remote rubric, in its order; criteria kept by name keep their node, `required` and comments. */
function setRubric(doc: Document, node: YAMLMap, rubric: readonly RubricItem[]): void {
  const seq = node.get('rubric', true);
  unshare(doc, seq);
  const old = new Map<string, YAMLMap>();
  if (isSeq(seq)) {
    for (const item of seq.items) {
      unshare(doc, item);
      const name = isMap(item) ? item.get('name') : undefined;
      if (isMap(item) && typeof name === 'string' && !old.has(name)) old.set(name, item);
    }
  }
  const items = rubric.map((r) => {
    const kept = old.get(escapeRefs(r.name));
    if (kept) {
      old.delete(escapeRefs(r.name));
      setScalar(doc, kept, 'criteria', r.criteria);
      return kept;
    }
    return doc.createNode(escapeStrings({ name: r.name, criteria: r.criteria })) as YAMLMap;
  });
  if (isSeq(seq)) seq.items = items;
  else node.set('rubric', doc.createNode(items));
}

/** The file's defaults after ${VAR} substitution, to leave out of appended tests what they give. */
function effectiveDefaults(doc: Document, env: Env): Partial<Record<Liftable, unknown>> {
  const out: Partial<Record<Liftable, unknown>> = {};
  for (const key of LIFTABLE) {
    const v: unknown = doc.getIn(['defaults', key]);
    if (v !== undefined) out[key] = typeof v === 'string' ? interpolateString(v, env).value : v;
  }
  return out;
}

function escapeStrings(value: unknown): unknown {
  if (typeof value === 'string') return escapeRefs(value);
  if (Array.isArray(value)) return value.map(escapeStrings);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeStrings(v)]));
  return value;
}

/**
 * Whether a multi-line string reads back the same from a `|` block: lines of only blanks and
 * a leading blank are where block scalars get ambiguous, so those stay double-quoted.
 */
const literalOk = (v: string): boolean => v.includes('\n') && !/^[ \t]|(^|\n)[ \t]+(\n|$)/.test(v);

/** Multi-line strings as `|` blocks: readable, and diff-friendly in review. */
function useBlockScalars(node: unknown): void {
  if (isScalar(node)) {
    if (typeof node.value === 'string' && node.value.includes('\n'))
      node.type = literalOk(node.value) ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_DOUBLE;
  } else if (isMap(node) || isSeq(node)) {
    for (const item of (node as YAMLMap | YAMLSeq).items) {
      if (isMap(node)) useBlockScalars((item as { value: unknown }).value);
      else useBlockScalars(item);
    }
  }
}

/** No folding: long instructions stay on one line each, as the account has them. */
const STRINGIFY = { lineWidth: 0, flowCollectionPadding: false } as const;

function render(doc: Document, file: string): string {
  if (/\.json$/i.test(file)) return `${JSON.stringify(doc.toJS(), null, 2)}\n`;
  return doc.toString(STRINGIFY);
}

/** splice, or undefined when an entry cannot be rendered alone (an alias to an anchor before it). */
function spliceOrNot(...args: Parameters<typeof splice>): string | undefined {
  try {
    return splice(...args);
  } catch {
    return undefined;
  }
}

/**
 * The source with the changed block-style test entries re-rendered in place and the added
 * ones appended after the last entry, indented like the first. undefined when the sequence
 * is not a plain block sequence this can edit safely.
 */
function splice(
  source: string,
  seq: YAMLSeq,
  changed: ReadonlySet<number>,
  firstAdded: number,
): string | undefined {
  const first = seq.items[0];
  if (seq.flow || !isMap(first) || !first.range) return undefined;
  const lineStart = (offset: number) => source.lastIndexOf('\n', offset - 1) + 1;
  const col = first.range[0] - lineStart(first.range[0]);
  if (source.slice(lineStart(first.range[0]), first.range[0]).trim() !== '-') return undefined;
  const renderItem = (node: unknown): string => {
    const d = new Document();
    const only = d.createNode([]) as YAMLSeq;
    only.items = [node];
    d.contents = only;
    const lines = d.toString(STRINGIFY).replace(/\n$/, '').split('\n');
    // "- key: v" then "  key: v": move the item to the original column.
    return lines
      .map((l, i) =>
        i === 0 ? l.replace(/^- /, '') : l === '' ? l : ' '.repeat(col) + l.replace(/^ {2}/, ''),
      )
      .join('\n');
  };
  const edits: { from: number; to: number; text: string }[] = [];
  for (const i of changed) {
    const node = seq.items[i];
    if (!isMap(node) || !node.range) return undefined;
    // The entry's range ends after its trailing line breaks: keep them.
    const tail = /\s*$/.exec(source.slice(node.range[0], node.range[1]))?.[0] ?? '';
    edits.push({ from: node.range[0], to: node.range[1], text: renderItem(node) + tail });
  }
  const last = seq.items[firstAdded - 1];
  if (firstAdded < seq.items.length) {
    if (!isMap(last) || !last.range) return undefined;
    const second = seq.items[1];
    const gap =
      isMap(second) &&
      second.range &&
      /\n[ \t]*\n\s*-\s*$/.test(source.slice(first.range[0], second.range[0]));
    const indent = `${' '.repeat(Math.max(0, col - 2))}- `;
    const text = seq.items
      .slice(firstAdded)
      .map((n) => `\n${gap ? '\n' : ''}${indent}${renderItem(n)}`)
      .join('');
    // After the last entry's own text (its trailing comment lines stay with it).
    const end = source.indexOf('\n', last.range[1] - 1);
    edits.push({ from: end === -1 ? source.length : end, to: end === -1 ? source.length : end, text });
  }
  let out = source;
  for (const e of edits.sort((a, b) => b.from - a.from))
    out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** Whether two YAML texts hold the same data (the splice's check against the full rendering). */
function sameData(a: string, b: string): boolean {
  try {
    const da = parseDocument(a, YAML_QUIET);
    const db = parseDocument(b, YAML_QUIET);
    return da.errors.length === 0 && JSON.stringify(da.toJS()) === JSON.stringify(db.toJS());
  } catch {
    return false;
  }
}

/** Parse what was produced and plan it against the remote tests: whatever differs is residual. */
function finish(
  input: PullInput,
  out: Omit<Extract<PullOutcome, { kind: 'write' }>, 'kind' | 'suite' | 'residual'>,
): PullOutcome {
  const parsed = parseSuiteText(out.text, { file: out.file, env: input.env });
  if (!parsed.suite)
    return {
      kind: 'invalid',
      suite: input.suite,
      file: out.file,
      problems: parsed.problems,
      generated: true,
    };
  const plan = planSuites([parsed.suite], new Map([[input.suite, input.remote]]));
  const localOnly = new Set(out.localOnly);
  const residual = plan.changes.flatMap((c) => {
    if (c.kind === 'create' && localOnly.has(c.name)) return [];
    if (c.kind === 'update' && c.renamedFrom !== undefined && c.changes.every((f) => f.field === 'name'))
      return [];
    if (c.kind === 'update') {
      const fields = c.changes.map((f) => f.field).join(', ');
      return [
        `test "${c.name}": ${fields} would still change on sync (the file cannot say what the account has)`,
      ];
    }
    return [`test "${c.name}": would ${c.kind}`];
  });
  return { kind: 'write', suite: input.suite, ...out, residual };
}
