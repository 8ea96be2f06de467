// Bounds on a suite file, checked before the YAML parser and composer see it. Both are slow or
// recursive on hostile shapes (the parser is super-linear in nesting depth, the composer recurses
// per level and compares every key of a mapping with every other), so a 600 KB file could overflow
// the stack or run for minutes. yaml's lexer is linear and flat: one pass over its tokens counts
// values, aliases and nesting, and stops at the first limit exceeded. Pure.
import { CST, Lexer } from 'yaml';

/** The documented limits of one suite file (README, "Suite files"). */
export const SUITE_FILE_LIMITS = {
  /** Bytes read from disk; larger files are refused without parsing. */
  bytes: 2 * 1024 * 1024,
  /** Scalars, keys, list items, collections and aliases, after aliases are expanded. */
  values: 50_000,
  /** Collections inside collections (a suite file needs 5). */
  depth: 64,
  /** Alias uses (*name). */
  aliases: 500,
  /** Problems listed per file; the rest are counted in one last line. */
  problems: 100,
} as const;

export interface BoundsProblem {
  offset: number;
  message: string;
}

// Zero-width markers the lexer emits around the source text (yaml's cst.js).
const DOCUMENT = '\x02';
const FLOW_END = '\x18';
const SCALAR = '\x1f';

// Tokens that are neither values nor whitespace still cost parser work: cap them too.
const MAX_TOKENS = SUITE_FILE_LIMITS.values * 4;

/**
 * The first limit the text exceeds, or undefined. Block nesting is estimated from indentation
 * (each nested collection starts further right, or after "- " / "? " on the same line), flow
 * nesting from brackets; the estimate never undercounts a real file's depth.
 */
export function checkBounds(source: string): BoundsProblem | undefined {
  const L = SUITE_FILE_LIMITS;
  let values = 0;
  let aliases = 0;
  let tokens = 0;
  let flow = 0;
  const block: number[] = []; // columns of the open block collections
  let offset = 0;
  let col = 0;
  let lineStart = true;
  let scalarNext = false;
  let blockScalarNext = false;

  const tooDeep = (at: number): BoundsProblem => ({
    offset: at,
    message: `nested more than ${L.depth} levels deep; a suite file needs 5 (tests, a test, its rubric, a criterion)`,
  });
  // A node starts here: in block context, it opens a level when it begins a line or follows "- ".
  const nodeStart = (at: number, indicator: boolean): BoundsProblem | undefined => {
    if (flow > 0 || !(lineStart || indicator)) return undefined;
    while (block.length > 0 && (block.at(-1) as number) >= col) block.pop();
    block.push(col);
    return block.length + flow > L.depth ? tooDeep(at) : undefined;
  };

  for (const tok of new Lexer().lex(source)) {
    if (tok === DOCUMENT || tok === FLOW_END) continue;
    if (tok === SCALAR) {
      scalarNext = true;
      continue;
    }
    const at = offset;
    offset += tok.length;
    let problem: BoundsProblem | undefined;
    if (scalarNext) {
      // The text of a plain or block scalar (whatever it looks like, e.g. spaces).
      scalarNext = false;
      if (blockScalarNext) blockScalarNext = false;
      else {
        values++;
        problem = nodeStart(at, false);
        lineStart = false;
      }
    } else {
      const type = CST.tokenType(tok);
      if (type !== 'space' && type !== 'newline' && type !== 'comment') {
        if (++tokens > MAX_TOKENS) {
          return { offset: at, message: `more than ${MAX_TOKENS} tokens; this is not a suite file` };
        }
        // A block scalar's text follows its header; anything else means it had none.
        if (type !== 'block-scalar-header') blockScalarNext = false;
      }
      switch (type) {
        case 'newline':
          lineStart = true;
          break;
        case 'doc-start':
        case 'doc-end':
          block.length = 0;
          flow = 0;
          break;
        case 'flow-seq-start':
        case 'flow-map-start':
          values++;
          problem = nodeStart(at, false);
          flow++;
          if (!problem && block.length + flow > L.depth) problem = tooDeep(at);
          lineStart = false;
          break;
        case 'flow-seq-end':
        case 'flow-map-end':
          flow = Math.max(0, flow - 1);
          lineStart = false;
          break;
        case 'seq-item-ind':
        case 'explicit-key-ind':
          values++;
          problem = nodeStart(at, true);
          lineStart = false;
          break;
        case 'alias':
          values++;
          if (++aliases > L.aliases) {
            return {
              offset: at,
              message: `more than ${L.aliases} aliases (*name); a suite file needs a few`,
            };
          }
          problem = nodeStart(at, false);
          lineStart = false;
          break;
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'anchor':
        case 'tag':
          if (type.endsWith('scalar')) values++;
          problem = nodeStart(at, false);
          lineStart = false;
          break;
        case 'block-scalar-header':
          values++;
          problem = nodeStart(at, false);
          blockScalarNext = true;
          lineStart = false;
          break;
        case 'space':
        case 'comment':
          break;
        default:
          lineStart = false;
      }
    }
    if (problem) return problem;
    if (values > L.values) return tooMany(at);
    const nl = tok.lastIndexOf('\n');
    col = nl < 0 ? col + tok.length : tok.length - nl - 1;
  }
  return undefined;
}

/** The message when a file holds more values than the limit (also after expanding aliases). */
export function tooMany(offset: number, expanded = false): BoundsProblem {
  const L = SUITE_FILE_LIMITS;
  const what = expanded ? 'with its aliases expanded, the file holds' : 'the file holds';
  return {
    offset,
    message: `${what} more than ${L.values} values (keys, items, scalars); a suite file this large is not supported`,
  };
}
