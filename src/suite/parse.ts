// One suite file's text -> its SuiteDef, or every problem in it located at file:line:col.
// Pure: no file system (suite/load.ts reads the files and checks across them). Never throws
// on bad input: whatever the text, the result is a suite or located problems.
import { type Document, LineCounter, parseAllDocuments, visit, type YAMLError } from 'yaml';
import type { Problem } from '../errors.js';
import { buildSuite, checkSuite } from './check.js';
import { type Env, interpolateDocument } from './interpolate.js';
import { type DataPath, offsetOf, positionOf, showPath } from './locate.js';
import { issueToProblems, oneLine, type PathProblem } from './messages.js';
import type { Located, SuiteDef } from './model.js';
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
  DUPLICATE_KEY: 'remove or rename one of them',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'check the indentation',
  MISSING_CHAR: 'check for a missing character or a wrong indentation',
  BLOCK_AS_IMPLICIT_KEY: 'put the nested value on its own, indented line',
  MULTILINE_IMPLICIT_KEY: 'put a key and its colon on one line',
};

/** Parse and validate one suite file's text. `file` is the name used in problems and the model. */
export function parseSuiteText(text: string, opts: { file: string; env: Env }): ParseResult {
  try {
    return parse(text, opts);
  } catch (err) {
    // A bug of ours must still not end in a stack trace; the fuzz test asserts this never happens.
    return { problems: [{ file: opts.file, line: 1, col: 1, message: `${INTERNAL}: ${errorText(err)}` }] };
  }
}

/** Prefix of the message for an unexpected internal failure (tests look for it). */
export const INTERNAL = 'internal error while reading this file; please report it';

function parse(text: string, opts: { file: string; env: Env }): ParseResult {
  const { file } = opts;
  const problems: Problem[] = [];
  const lc = new LineCounter();
  const at = (offset: number, message: string): Problem => ({
    file,
    ...positionOf(lc, offset),
    message: oneLine(message),
  });

  // A BOM is invisible in editors: parse without it so line 1's columns match what users see.
  const source = text.startsWith('\ufeff') ? text.slice(1) : text;
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(source, { lineCounter: lc, prettyErrors: false, merge: true });
    // An empty stream (only comments or nothing) still carries stream-level errors.
    if ('empty' in parsed) for (const e of parsed.errors) problems.push(syntaxProblem(at, e, source));
    docs = [...parsed];
  } catch (err) {
    return { problems: [at(0, `could not parse the file: ${errorText(err)}`)] };
  }
  const doc = docs[0];
  if (doc === undefined || (doc.contents === null && docs.length === 1)) {
    if (problems.length > 0) return { problems };
    return { problems: [at(0, 'the file is empty; a suite file needs suite: and tests:')] };
  }
  for (const extra of docs.slice(1)) {
    problems.push(
      at(extra.range[0], 'a second YAML document (after ---); one suite per file: move it to its own file'),
    );
  }

  if (doc.errors.length > 0 && /\.json$/i.test(file)) {
    // JSON.parse names JSON mistakes (a missing comma) better than a YAML parser does.
    const jsonProblem = jsonSyntaxProblem(source, at);
    if (jsonProblem) return { problems: [jsonProblem] };
  }
  for (const e of [...doc.errors, ...doc.warnings]) problems.push(syntaxProblem(at, e, source));
  if (doc.errors.length > 0) return { problems: sorted(problems) };
  let danglingAliases = 0;
  visit(doc, {
    Alias(_, node) {
      if (node.resolve(doc) !== undefined) return;
      danglingAliases++;
      problems.push(
        at(node.range?.[0] ?? 0, `alias *${node.source} has no anchor &${node.source} before it`),
      );
    },
  });
  if (danglingAliases > 0) return { problems: sorted(problems) };

  const locateOffset = (path: DataPath, where: 'value' | 'key' = 'value') => offsetOf(doc, path, where);
  const locate = (path: DataPath) => positionOf(lc, locateOffset(path));

  // ${VAR} first: limits apply to resolved values. A path whose variable is missing gets no
  // second complaint about its unresolved text.
  const envProblems = interpolateDocument(doc, opts.env);
  const unresolved = new Set(envProblems.map((p) => showPath(p.path)));
  for (const p of envProblems) problems.push(at(p.offset, p.message));

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push(at(0, `could not read the file: ${errorText(err)}`));
    return { problems: sorted(problems) };
  }

  const name = (data as { suite?: unknown } | null)?.suite;
  const declares =
    typeof name === 'string' && name !== '' ? { name, loc: { file, ...locate(['suite']) } } : undefined;

  const pathProblems: PathProblem[] = [];
  const result = SuiteFileSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) pathProblems.push(...issueToProblems(issue, data));
  }
  pathProblems.push(...checkSuite(data, locate));
  // "missing instructions" says nothing new next to "unknown key instrutions (did you mean instructions?)".
  const typos = new Set(
    pathProblems.filter((p) => p.typoOf).map((p) => `${showPath(p.path.slice(0, -1))}>${p.typoOf}`),
  );
  for (const p of pathProblems) {
    if (unresolved.has(showPath(p.path))) continue;
    if (p.missing !== undefined && typos.has(`${showPath(p.path)}>${p.missing}`)) continue;
    problems.push(at(locateOffset(p.path, p.at), p.message));
  }
  if (problems.length > 0 || !result.success) return { declares, problems: sorted(problems) };
  return { suite: buildSuite(result.data, file, locate), declares, problems: [] };
}

function syntaxProblem(
  at: (offset: number, message: string) => Problem,
  e: YAMLError,
  source: string,
): Problem {
  let hint = SYNTAX_HINTS[e.code];
  let message = (e.message.split('\n')[0] ?? e.message).replace(/\.$/, '');
  if (/closing "?quote/i.test(e.message)) {
    // yaml reports an unclosed quote where the file ends, far from the quote itself.
    message = 'missing closing quote';
    hint = 'a quoted value above this line is never closed';
  }
  if (e.code === 'DUPLICATE_KEY') {
    // yaml points at the repeated key; name it.
    const key = /^\s*["']?([^"':\n]*)/.exec(source.slice(e.pos[0], e.pos[0] + 200))?.[1]?.trim();
    message = key ? `duplicate key "${key}" in this mapping` : 'duplicate key in this mapping';
  }
  return at(e.pos[0], `YAML: ${message}${hint ? `; ${hint}` : ''}`);
}

function jsonSyntaxProblem(
  source: string,
  at: (offset: number, message: string) => Problem,
): Problem | undefined {
  try {
    JSON.parse(source);
    return undefined;
  } catch (err) {
    const m = /^(.*?)(?: in JSON)? at position (\d+)/.exec(errorText(err));
    if (!m) return undefined;
    return at(Number(m[2]), `JSON: ${m[1]}; fix the syntax`);
  }
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
