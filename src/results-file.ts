// Reading a results.json (written by run/merge, read by report, merge and --baseline): the file
// system and validation edge, with errors located at file:line:col and the field.
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { formatProblem, type Problem, UsageError } from './errors.js';
import { JSON_FILE_LIMIT, mib, readCapped } from './files.js';
import { RESULTS_SCHEMA, Results } from './results.js';
import { offsetOf, positionOf, showPath, YAML_QUIET } from './suite/locate.js';

/**
 * Parse and validate a results.json text. Errors name the file, the line:col and the field,
 * e.g. `out/results.json:12:20: suites[0].tests[1].trials: Too small: expected number to be >=1`.
 */
export function parseResults(text: string, file: string): Results {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    const pos = at ? lineCol(text, Number(at[1])) : { line: 1, col: 1 };
    throw new UsageError(
      `${formatProblem({ file, ...pos, message: `not valid JSON: ${message}` })}\nIs this a results.json written by rubric-gate?`,
    );
  }
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== RESULTS_SCHEMA) {
    // Not ours (or another version of ours): one clear line beats a list of missing fields.
    const found = typeof schema === 'string' ? `schema "${schema}"` : 'no "schema" field';
    const hint =
      typeof schema === 'string' && schema.startsWith('rubric-gate/results@')
        ? '; was it written by another rubric-gate version?'
        : '';
    throw new UsageError(
      `${file}: not a rubric-gate results file: expected schema "${RESULTS_SCHEMA}", found ${found}${hint}`,
    );
  }
  const parsed = Results.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = locateIssues(text, file, parsed.error.issues);
  const shown = problems.slice(0, 10).map(formatProblem);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  throw new UsageError(`${file} is not a valid rubric-gate results file:\n${shown.join('\n')}`);
}

export async function readResultsFile(path: string, shownAs = path): Promise<Results> {
  let text: string | undefined;
  try {
    text = readCapped(path, JSON_FILE_LIMIT);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === 'ENOENT' ? `${shownAs}: no such file` : `${shownAs}: cannot read (${code ?? String(err)})`,
    );
  }
  if (text === undefined) {
    throw new UsageError(
      `${shownAs}: larger than ${mib(JSON_FILE_LIMIT)}; is this a results.json written by rubric-gate?`,
    );
  }
  return parseResults(text, shownAs);
}

function locateIssues(text: string, file: string, issues: readonly z.core.$ZodIssue[]): Problem[] {
  // JSON is YAML: the suite files' locator maps a field path to line:col (a missing field: its
  // nearest existing ancestor).
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_QUIET, lineCounter });
  return issues.map((issue) => ({
    file,
    ...positionOf(lineCounter, offsetOf(doc, issue.path)),
    message: `${showPath(issue.path)}: ${issue.message}`,
  }));
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  return { line, col: pos - before.lastIndexOf('\n') };
}
