// Bounds on a suite file, checked before the YAML parser and composer see it. Both are slow or
// recursive on hostile shapes (the parser is super-linear in nesting depth, the composer recurses
// per level and compares every key of a mapping with every other), so a 600 KB file could overflow
// the stack or run for minutes. yaml's lexer is linear and flat: one pass over its tokens counts
// values, aliases and nesting, and stops at the first limit exceeded. That same pass feeds the
// parser (see checkBounds' onToken), so a file is lexed once, not twice. Pure.
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
 * The first limit the text exceeds, or undefined. Block nesting is estimated from indentation,
 * flow nesting from brackets. The estimate may count a level too many (a scalar alone on a line),
 * never too few: the parser must not see a deeper file. parse.ts checks the exact depth after.
 * `onToken` receives every lexeme (markers included) once it is known to be within the limits,
 * in order: the tokens it sees are a prefix of the file every limit holds for, so a parser fed
 * from it never sees more than the limits allow (and lexing the file twice costs as much as
 * parsing it).
 */
export function checkBounds(source: string, onToken?: (token: string) => void): BoundsProblem | undefined {
  const L = SUITE_FILE_LIMITS;
  let values = 0;
  let aliases = 0;
  let tokens = 0;
  let flow = 0;
  // The open block collections: the column of the node that opened each, and whether it was an
  // item indicator ("- ", "? ").
  const block: Array<{ col: number; item: boolean }> = [];
  let offset = 0;
  let col = 0;
  let lineStart = true;
  let scalarNext = false;
  let blockScalarNext = false;

  const tooDeep = (at: number): BoundsProblem => ({ offset: at, message: nestedTooDeep(L.depth) });
  // A node starts here. In block context, one that begins a line (or follows "- " on it) opens a
  // level below every open node left of it; "- " at the column of the key holding the list also
  // opens one (YAML allows the list at the key's indentation).
  const nodeStart = (at: number, item: boolean): BoundsProblem | undefined => {
    if (flow > 0 || !(lineStart || item)) return undefined;
    for (let top = block.at(-1); top; top = block.at(-1)) {
      if (top.col > col || (top.col === col && (top.item || !item))) block.pop();
      else break;
    }
    block.push({ col, item });
    return block.length + flow > L.depth ? tooDeep(at) : undefined;
  };

  for (const tok of new Lexer().lex(source)) {
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
          flow++;
          if (block.length + flow > L.depth) problem = tooDeep(at);
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
          // What follows on this line is nested in the item, as if it began a line there.
          lineStart = flow === 0;
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
    onToken?.(tok);
    const nl = tok.lastIndexOf('\n');
    col = nl < 0 ? col + tok.length : tok.length - nl - 1;
  }
  return undefined;
}

export const nestedTooDeep = (depth: number): string =>
  `nested more than ${depth} levels deep; a suite file needs 5 (tests, a test, its rubric, a criterion)`;

/** The message when a file holds more values than the limit (also after expanding aliases). */
export function tooMany(offset: number, expanded = false): BoundsProblem {
  const L = SUITE_FILE_LIMITS;
  const what = expanded ? 'with its aliases expanded, the file holds' : 'the file holds';
  return {
    offset,
    message: `${what} more than ${L.values} values (keys, items, scalars); a suite file this large is not supported`,
  };
}
