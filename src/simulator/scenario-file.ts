// Reads a scenario file (YAML or JSON: YAML parses both) and reports every problem at its
// file:line:col, so a typo in a demo scenario points at the line to fix.
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Problem, SuiteFileError, UsageError } from '../errors.js';
import { YAML_QUIET } from '../suite/locate.js';
import { Scenario } from './scenario.js';

/** Located problems in a scenario file. Maps to exit code 2 like any invalid input file. */
export class ScenarioFileError extends SuiteFileError {
  override name = 'ScenarioFileError';
  constructor(problems: readonly Problem[]) {
    super(problems);
    const n = problems.length;
    this.message = `${n} problem${n === 1 ? '' : 's'} in scenario file:\n${this.message.split('\n').slice(1).join('\n')}`;
  }
}

/** Load and validate a scenario file. Throws UsageError (unreadable) or ScenarioFileError. */
export async function loadScenario(file: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read scenario file ${file} (${code ?? String(err)}): check the --scenario path`,
    );
  }
  return parseScenarioText(text, file);
}

/** Parse scenario text; `file` is only used in error locations. */
export function parseScenarioText(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_QUIET, lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => lineCounter.linePos(offset);
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      doc.errors.map((e) => {
        const { line, col } = at(e.pos[0]);
        return { file, line, col, message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const result = Scenario.safeParse(doc.toJS() ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues
    .flatMap((issue) => describe(issue))
    .map(({ path, key, message }) => {
      const { line, col } = at(offsetOf(doc.contents, path, key));
      return {
        file,
        line,
        col,
        message: `${pathText(key === undefined ? path : [...path, key])}: ${message}`,
      };
    });
  throw new ScenarioFileError(problems.sort((a, b) => a.line - b.line || a.col - b.col));
}

interface Described {
  path: PropertyKey[];
  key?: string; // an unknown key: point at the key itself
  message: string;
}

const KNOWN_KEYS: Record<string, readonly string[]> = {
  root: ['seed', 'clock_scale', 'rate_limit', 'tests', 'assistants'],
  rate_limit: ['per_second', 'burst'],
  entry: ['outcome', 'criteria', 'probability', 'sequence', 'duration_seconds'],
  assistant: ['id', 'name', 'model', 'instructions', 'description', 'created_at', 'versions', 'canary'],
  version: ['id', 'name', 'main', 'model', 'instructions', 'created_at', 'tests'],
  canary: ['rules'],
};

function describe(issue: z.core.$ZodIssue): Described[] {
  const path = issue.path;
  if (issue.code === 'unrecognized_keys') {
    const known = KNOWN_KEYS[kindOf(path)] ?? [];
    return issue.keys.map((key) => {
      const near = closest(key, known);
      return { path, key, message: `unknown key${near ? ` (did you mean "${near}"?)` : ''}` };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path, message: `is required (${issue.expected})` }];
  }
  if (issue.code === 'invalid_value') {
    return [{ path, message: `must be one of ${issue.values.map(String).join(', ')}` }];
  }
  return [{ path, message: issue.message }];
}

/** Which object an unknown key was found in, from its path. */
function kindOf(path: PropertyKey[]): string {
  if (path.length === 0) return 'root';
  if (path[0] === 'rate_limit' && path.length === 1) return 'rate_limit';
  if (path[0] === 'assistants' && path.length === 2) return 'assistant';
  if (path[0] === 'assistants' && path[2] === 'versions' && path.length === 4) return 'version';
  if (path[0] === 'assistants' && path[2] === 'canary' && path.length === 3) return 'canary';
  return 'entry';
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

/** Levenshtein distance, small inputs only. */
function distance(a: string, b: string): number {
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

/** Offset of the deepest node along path (or of an unknown key's own node). */
function offsetOf(root: unknown, path: PropertyKey[], key?: string): number {
  let node = root as Node | null;
  const steps = key === undefined ? path : [...path, key];
  for (const [i, step] of steps.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) break;
      const isUnknownKey = key !== undefined && i === steps.length - 1;
      node = (isUnknownKey ? pair.key : (pair.value ?? pair.key)) as Node | null;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (!item) break;
      node = item as Node;
    } else break;
  }
  return node?.range?.[0] ?? 0;
}

const pathText = (path: PropertyKey[]): string =>
  path.length === 0
    ? '(root)'
    : path
        .map((p, i) =>
          typeof p === 'number'
            ? `[${p}]`
            : /^[A-Za-z_]\w*$/.test(String(p))
              ? `${i ? '.' : ''}${String(p)}`
              : `${i ? '.' : ''}"${String(p)}"`,
        )
        .join('');
