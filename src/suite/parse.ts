// One suite file's text -> its SuiteDef, or every problem in it located at file:line:col.
// Pure: no file system (suite/load.ts reads the files and checks across them). Never throws
// on bad input: whatever the text, the result is a suite or located problems.
import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  Parser,
  type YAMLError,
} from 'yaml';
import type { Problem } from '../errors.js';
import { checkBounds, nestedTooDeep, SUITE_FILE_LIMITS, tooMany } from './bounds.js';
import { buildSuite, checkSuite } from './check.js';
import { type Env, interpolateDocument } from './interpolate.js';
import { checkJson } from './json.js';
import { type DataPath, offsetOf, positionOf, showPath, YAML_QUIET } from './locate.js';
import { clip, issueToProblems, oneLine, type PathProblem } from './messages.js';
import type { Located, SuiteDef } from './model.js';
import { readPlainYaml } from './plain-yaml.js';
import { SuiteFileSchema } from './schema.js';

export interface ParseResult {
  /** Present only when the file has no problem. */
  suite?: SuiteDef;
  /** The suite name the file declares, when readable, even if the file has other problems. */
  declares?: { name: string; loc: Located };
  problems: Problem[];
}

// yaml's error codes, with advice where its message alone does not say what to do.
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation',
  MISSING_CHAR: 'check for a missing character or a wrong indentation',
  BLOCK_AS_IMPLICIT_KEY: 'put the nested value on its own, indented line',
  MULTILINE_IMPLICIT_KEY: 'put a key and its colon on one line',
};

/** Parse and validate one suite file's text. `file` is the name used in problems and the model. */
export function parseSuiteText(
  text: string,
  opts: {
    file: string;
    env: Env;
    /** 'yaml': skip plain-yaml.ts (tests compare the two readers). */
    reader?: 'yaml';
  },
): ParseResult {
  try {
    return parse(text, opts);
  } catch (err) {
    // A bug of ours must still not end in a stack trace; the fuzz test asserts this never happens.
    return { problems: [{ file: opts.file, line: 1, col: 1, message: `${INTERNAL}: ${errorText(err)}` }] };
  }
}

/** Prefix of the message for an unexpected internal failure (tests look for it). */
export const INTERNAL = 'internal error while reading this file; please report it';

function parse(text: string, opts: { file: string; env: Env; reader?: 'yaml' }): ParseResult {
  const { file } = opts;
  const isJson = /\.json$/i.test(file);
  const problems: Problem[] = [];
  // A BOM is invisible in editors: parse without it so line 1's columns match what users see.
  const unmarked = text.startsWith('\ufeff') ? text.slice(1) : text;
  // A carriage return alone is a line break in YAML 1.2 (and whitespace in JSON), but the yaml
  // parser and the line counter below break lines at LF only: a file saved with CR line endings
  // was one long line of errors. LF for each lone CR keeps every offset and reads it as the spec does.
  const source = unmarked.includes('\r') ? unmarked.replace(/\r(?!\n)/g, '\n') : unmarked;
  // Filled here, not by the parser: problems found before parsing need positions too.
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  const at = (offset: number, message: string): Problem => ({
    file,
    ...positionOf(lc, offset),
    message: oneLine(message),
  });

  // A .json file is JSON (no comments, trailing commas or single quotes); once it is, the YAML
  // parser reads it the same way as JSON.parse and gives every value its position.
  if (isJson) {
    const e = checkJson(source, SUITE_FILE_LIMITS.depth);
    if (e) return { problems: [at(e.offset, `JSON: ${e.message}`)] };
  }
  // Most suite files are plain YAML (plain-yaml.ts): read without yaml's parser, into the same
  // Document. The rest go through yaml.
  const plain = isJson || opts.reader === 'yaml' ? undefined : readPlainYaml(source);
  const docs = plain ? [plain] : parseYaml(source, at, problems);
  if (!Array.isArray(docs)) return docs;
  const doc = docs[0];
  if (doc === undefined || (doc.contents === null && docs.length === 1)) {
    if (problems.length > 0) return { problems };
    return { problems: [at(0, 'the file is empty; a suite file needs suite: and tests:')] };
  }
  return check(doc, docs, { file, isJson, env: opts.env, lc, at, problems });
}

/** yaml's documents of the text, or the problems that stop it being read. */
function parseYaml(
  source: string,
  at: (offset: number, message: string) => Problem,
  problems: Problem[],
): Document.Parsed[] | ParseResult {
  // The bounds pass lexes the file and hands each lexeme to the parser as it is checked
  // (Parser.parse would lex the whole file a second time). A file over a limit is refused as
  // before: the parser's work on its prefix is dropped.
  const parser = new Parser();
  const cst: CST.Token[] = [];
  let parseError: { err: unknown } | undefined;
  const bounds = checkBounds(source, (lexeme) => {
    if (parseError) return;
    try {
      for (const token of parser.next(lexeme)) cst.push(token);
    } catch (err) {
      parseError = { err };
    }
  });
  if (bounds) return { problems: [at(bounds.offset, bounds.message)] };

  try {
    if (parseError) throw parseError.err;
    for (const token of parser.end()) cst.push(token);
    // uniqueKeys: false because yaml compares each key with every other (quadratic); the
    // structure walk below finds duplicates in one pass.
    const composer = new Composer({ ...YAML_QUIET, merge: true, uniqueKeys: false });
    const docs = [...composer.compose(cst)];
    // The CST (several times the text's size) is not needed past here: let it go before the
    // document is walked, converted and validated, as Parser.parse's stream did.
    cst.length = 0;
    // An empty stream (only comments or nothing) still carries stream-level errors.
    if (docs.length === 0) for (const e of composer.streamInfo().errors) problems.push(syntaxProblem(at, e));
    return docs;
  } catch (err) {
    return { problems: [at(0, `could not parse the file: ${errorText(err)}`)] };
  }
}

/** The checks of a read document, whichever reader read it. */
function check(
  doc: Document.Parsed,
  docs: readonly Document.Parsed[],
  o: {
    file: string;
    isJson: boolean;
    env: Env;
    lc: LineCounter;
    at: (offset: number, message: string) => Problem;
    problems: Problem[];
  },
): ParseResult {
  const { file, isJson, lc, at, problems } = o;
  for (const extra of docs.slice(1)) {
    problems.push(
      at(extra.range[0], 'a second YAML document (after ---); one suite per file: move it to its own file'),
    );
  }
  const locateOffset = (path: DataPath, where: 'value' | 'key' = 'value') => offsetOf(doc, path, where);
  const locate = (path: DataPath) => positionOf(lc, locateOffset(path));
  // The suite a file with syntax or structure problems still names, read as written (pull
  // reports such a file instead of writing a second one for its suite).
  const written = doc.get('suite');
  const declaredAsWritten =
    typeof written === 'string' && written !== ''
      ? { name: written, loc: { file, ...locate(['suite']) } }
      : undefined;

  for (const e of [...doc.errors, ...doc.warnings]) problems.push(syntaxProblem(at, e));
  if (doc.errors.length > 0) return { declares: declaredAsWritten, problems: capped(problems) };
  const structure = checkStructure(doc, isJson);
  for (const p of structure) problems.push(at(p.offset, p.message));
  if (structure.length > 0) return { declares: declaredAsWritten, problems: capped(problems) };

  // ${VAR} first: limits apply to resolved values. A path whose variable is missing gets no
  // second complaint about its unresolved text.
  const envProblems = interpolateDocument(doc, o.env);
  const unresolved = new Set(envProblems.map((p) => showPath(p.path)));
  for (const p of envProblems) problems.push(at(p.offset, p.message));

  let data: unknown;
  try {
    // checkStructure bounded what aliases expand to; this is yaml's own guard behind it.
    data = doc.toJS({ maxAliasCount: SUITE_FILE_LIMITS.values });
  } catch (err) {
    problems.push(at(0, `could not read the file: ${errorText(err)}`));
    return { problems: capped(problems) };
  }

  const name = (data as { suite?: unknown } | null)?.suite;
  const declares =
    typeof name === 'string' && name !== '' ? { name, loc: { file, ...locate(['suite']) } } : undefined;

  const pathProblems: PathProblem[] = [];
  const result = SuiteFileSchema.safeParse(data);
  if (!result.success) {
    // Loops, not push(...xs): a spread of a hostile file's 100k problems overflows the stack.
    for (const issue of result.error.issues)
      for (const p of issueToProblems(issue, data)) pathProblems.push(p);
  }
  for (const p of checkSuite(data, locate)) pathProblems.push(p);
  // "missing instructions" says nothing new next to "unknown key instrutions (did you mean instructions?)".
  const typos = new Set(
    pathProblems.filter((p) => p.typoOf).map((p) => `${showPath(p.path.slice(0, -1))}>${p.typoOf}`),
  );
  for (const p of pathProblems) {
    if (unresolved.has(showPath(p.path))) continue;
    if (p.missing !== undefined && typos.has(`${showPath(p.path)}>${p.missing}`)) continue;
    problems.push(at(locateOffset(p.path, p.at), p.message));
  }
  if (problems.length > 0 || !result.success) return { declares, problems: capped(problems) };
  return { suite: buildSuite(result.data, file, locate), declares, problems: [] };
}

function syntaxProblem(at: (offset: number, message: string) => Problem, e: YAMLError): Problem {
  let hint = SYNTAX_HINTS[e.code];
  let message = (e.message.split('\n')[0] ?? e.message).replace(/\.$/, '');
  if (/closing "?quote/i.test(e.message)) {
    // yaml reports an unclosed quote where the file ends, far from the quote itself.
    message = 'missing closing quote';
    hint = 'a quoted value above this line is never closed';
  }
  return at(e.pos[0], `YAML: ${message}${hint ? `; ${hint}` : ''}`);
}

/**
 * One pass over the composed document: duplicate keys, aliases without an anchor before them or
 * inside their own anchor, and how many values the document holds once aliases are expanded
 * (a billion-laughs file is small on disk and huge expanded). Recursion is safe: checkBounds
 * (and checkJson) limited the nesting depth before the parser ran.
 */
/** yaml resolves a plain `<<` key to a symbol when merge keys are on. */
const isMergeKey = (key: unknown): boolean => typeof key === 'symbol' && key.description === '<<';

/** What a merge key may take (YAML's merge type). An alias with no anchor is reported as such. */
function mergesMaps(value: unknown, anchors: ReadonlyMap<string, Node>): boolean {
  const one = (v: unknown): boolean => {
    if (!isAlias(v)) return isMap(v);
    const target = anchors.get(v.source);
    return target === undefined || isMap(target);
  };
  return isSeq(value) ? value.items.every(one) : one(value);
}

function checkStructure(doc: Document, isJson: boolean): Array<{ offset: number; message: string }> {
  const out: Array<{ offset: number; message: string }> = [];
  const anchors = new Map<string, Node>();
  const expanded = new Map<Node, number>(); // anchored nodes, once walked
  const open = new Set<Node>();
  let total = 0;
  let overflow = false;
  const start = (n: { range?: [number, number, number] | null } | null | undefined) => n?.range?.[0] ?? 0;

  let tooDeep = false;
  const walk = (node: unknown, depth: number): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) {
        out.push({
          offset: start(node),
          message: `alias *${node.source} has no anchor &${node.source} before it`,
        });
        return 1;
      }
      if (open.has(target)) {
        out.push({
          offset: start(node),
          message: `alias *${node.source} is inside its own anchor &${node.source}; move it out`,
        });
        return 1;
      }
      const size = expanded.get(target) ?? 1;
      grow(size, start(node));
      return size;
    }
    if (node === null || typeof node !== 'object') return 0;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    grow(1, start(n));
    if ((isMap(n) || isSeq(n)) && depth > SUITE_FILE_LIMITS.depth) {
      // checkBounds estimated the depth to keep the parser safe; this is the exact count.
      if (!tooDeep) out.push({ offset: start(n), message: nestedTooDeep(SUITE_FILE_LIMITS.depth) });
      tooDeep = true;
      return 1;
    }
    let size = 1;
    open.add(n);
    if (isMap(n)) {
      const keys = new Set<unknown>();
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        if (isScalar(pair.key)) {
          if (keys.has(pair.key.value)) {
            const name = clip(String(typeof pair.key.value === 'symbol' ? '<<' : pair.key.value));
            const where = isJson
              ? 'JSON: duplicate key "%" in this object'
              : 'YAML: duplicate key "%" in this mapping';
            out.push({
              offset: start(pair.key),
              message: `${where.replace('%', name)}; remove or rename one of them`,
            });
          }
          keys.add(pair.key.value);
          if (isMergeKey(pair.key.value) && !mergesMaps(pair.value, anchors)) {
            // yaml throws it from toJS, with no place: it was "could not read the file" at 1:1.
            out.push({
              offset: start(isNode(pair.value) ? pair.value : pair.key),
              message:
                'YAML: a merge key (<<) takes a mapping, an alias of one, or a list of them; write the keys out instead',
            });
          }
        } else if (isMap(pair.key) || isSeq(pair.key)) {
          // Said here, at the key: past this point it is only text that yaml made of it.
          out.push({
            offset: start(pair.key),
            message: `YAML: this key is a ${isSeq(pair.key) ? 'list' : 'mapping'}; a key is a name: write it as text`,
          });
        }
        size += walk(pair.key, depth + 1) + walk(pair.value, depth + 1);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) size += walk(item, depth + 1);
    }
    open.delete(n);
    if (n.anchor) expanded.set(n, size);
    return size;
  };
  // Counts what zod and the checks will walk: aliases count as often as they are used.
  const grow = (size: number, offset: number) => {
    total += size;
    if (total > SUITE_FILE_LIMITS.values && !overflow) {
      overflow = true;
      out.push(tooMany(offset, true));
    }
  };
  walk(doc.contents, 1);
  return out;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** By position, without exact duplicates (one cause can surface twice, e.g. via an alias). */
function sorted(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.col}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Sorted, and at most SUITE_FILE_LIMITS.problems of them: the rest are counted, not listed. */
function capped(problems: Problem[]): Problem[] {
  const all = sorted(problems);
  const max = SUITE_FILE_LIMITS.problems;
  const next = all[max];
  if (next === undefined) return all;
  const message = `${all.length - max} more problems in this file are not listed; fix the ones above first`;
  return [...all.slice(0, max), { ...next, message }];
}
