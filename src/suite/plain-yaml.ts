// A reader for the plain YAML that suite files are written in: block mappings and sequences,
// one-line scalars (plain, quoted), `>`/`|` block scalars and one-line flow lists of scalars.
// It builds the same yaml Document the yaml parser composes (same nodes, values and start
// offsets), for parse.ts to check as it checks any other, in a fraction of the time: yaml's
// lexer, parser and composer are most of `validate`'s start (~30 of its ~50 ms over bare Node 20
// on the example files), because their code runs for the first time. Anything else (anchors,
// tags, multi-line plain or quoted scalars, escapes, flow mappings, document markers, tabs, a
// line it cannot place...) makes it decline, and yaml reads the file: the yaml parser stays the
// one authority, and this reader only ever agrees with it (test/unit/plain-yaml.test.ts compares
// the two on generated files).
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { YAML_QUIET } from './locate.js';

type Node = Scalar | YAMLMap | YAMLSeq;

/** Thrown inside the reader when the text is outside its subset; never escapes. */
const DECLINE = Symbol('decline');

/**
 * Files up to this length only: a larger one goes straight to yaml, so a big file is never read
 * twice (once here up to what declines, then by yaml), and no file read here can reach a limit of
 * parse.ts's (SUITE_FILE_LIMITS, which checkBounds enforces on the yaml path). The densest text
 * this reader takes is `- a` lines, 2 values per 4 characters: 49,152 values at 96 Ki, under the
 * 50,000 limit; tokens are fewer still. Nesting stops at MAX_DEPTH, well under 64.
 */
export const PLAIN_YAML_MAX_CHARS = 96 * 1024;
const MAX_DEPTH = 16;

const ONLY_SPACES = /^ *$/;
const leadingSpaces = (text: string): number => /^ */.exec(text)?.[0].length ?? 0;

const KEY = /^([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)/;
/** Keys the core schema would read as null or a boolean. */
const NOT_TEXT_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** Characters a plain scalar may not start with (YAML indicators, and +/-/. of numbers). */
const PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`+.~]/;
/** Characters outside the subset anywhere in the file (tabs, CR, Unicode breaks, controls). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const OUTSIDE = /[\t\r\u0085\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;

/** The file's Document, or undefined when the text is outside the subset (yaml reads it). */
export function readPlainYaml(source: string): Document.Parsed | undefined {
  if (source.length > PLAIN_YAML_MAX_CHARS || OUTSIDE.test(source)) return undefined;
  try {
    return new Reader(source).document();
  } catch (err) {
    if (err === DECLINE) return undefined;
    throw err;
  }
}

const decline = (): never => {
  throw DECLINE;
};

interface Line {
  /** Offset of the line's first character in the source. */
  start: number;
  /** Leading spaces. */
  indent: number;
  text: string;
  /** Only spaces, or a comment after them. */
  empty: boolean;
}

class Reader {
  private readonly lines: Line[] = [];

  constructor(private readonly source: string) {
    let start = 0;
    for (const text of source.split('\n')) {
      // Spaces only: JavaScript's trim also takes NBSP and other Unicode spaces, which YAML keeps.
      const indent = leadingSpaces(text);
      this.lines.push({ start, indent, text, empty: indent === text.length || text[indent] === '#' });
      start += text.length + 1;
    }
  }

  document(): Document.Parsed {
    const first = this.next(0);
    const line = this.lines[first];
    if (line === undefined || line.indent !== 0) return decline();
    const { node, end } = this.map(first, 0, 0);
    // Nothing but blank and comment lines after the top mapping.
    if (this.next(end) < this.lines.length) decline();
    const doc = new Document(undefined, { ...YAML_QUIET, merge: true, uniqueKeys: false });
    doc.contents = node;
    doc.range = [line.start, this.source.length, this.source.length];
    return doc as Document.Parsed;
  }

  /** Index of the first line from `i` with content (not blank or a comment). */
  private next(i: number): number {
    while (i < this.lines.length && this.lines[i]?.empty) i++;
    return i;
  }

  private within(depth: number): void {
    if (depth > MAX_DEPTH) decline();
  }

  /** A block mapping whose first key is on line `i` at column `col`; `end` is the line after it. */
  private map(i: number, col: number, depth: number): { node: YAMLMap; end: number } {
    this.within(depth);
    const map = new YAMLMap();
    map.range = [this.at(i, col), 0, 0];
    for (;;) {
      const line = this.lines[i] ?? decline();
      const m = KEY.exec(line.text.slice(col)) ?? decline();
      const name = m[1] ?? decline();
      // yaml refuses an implicit key over 1024 characters.
      if (NOT_TEXT_KEY.test(name) || name.length > 1024) decline();
      const keyAt = line.start + col;
      const key = this.scalar(name, Scalar.PLAIN, keyAt, keyAt + name.length, depth + 1);
      const restCol = col + m[0].length;
      const rest = line.text.slice(restCol);
      let value: Node;
      let after: number;
      if (rest === '') {
        ({ node: value, end: after } = this.nested(i + 1, col, depth + 1));
      } else if (rest[0] === '>' || rest[0] === '|') {
        ({ node: value, end: after } = this.block(i, restCol, col, depth + 1));
      } else {
        value = this.inline(rest, line.start + restCol, depth + 1);
        after = i + 1;
      }
      map.items.push(new Pair(key, value));
      const n = this.next(after);
      const nextLine = this.lines[n];
      if (nextLine === undefined || nextLine.indent < col) return this.close(map, after);
      if (nextLine.indent > col) decline();
      // At this mapping's column: its next key, or (`- `) the next item of a sequence there.
      if (nextLine.text.startsWith('- ', col)) return this.close(map, after);
      i = n;
    }
  }

  /** The value of a key with nothing after its colon: a mapping or sequence below it. */
  private nested(i: number, col: number, depth: number): { node: Node; end: number } {
    const n = this.next(i);
    const line = this.lines[n] ?? decline();
    if (line.text.startsWith('- ', line.indent) && line.indent >= col) return this.seq(n, line.indent, depth);
    if (line.indent > col) return this.map(n, line.indent, depth);
    // An empty value (null): yaml places it in ways this reader does not follow.
    return decline();
  }

  /** A block sequence whose first `- ` is on line `i` at column `col`. */
  private seq(i: number, col: number, depth: number): { node: YAMLSeq; end: number } {
    this.within(depth);
    const seq = new YAMLSeq();
    seq.range = [this.at(i, col), 0, 0];
    for (;;) {
      const line = this.lines[i] ?? decline();
      const itemCol = col + 2;
      const item = line.text.slice(itemCol);
      if (item === '' || item[0] === ' ') decline();
      let after: number;
      if (KEY.test(item)) {
        const { node, end } = this.map(i, itemCol, depth + 1);
        seq.items.push(node);
        after = end;
      } else if (item[0] === '>' || item[0] === '|') {
        return decline();
      } else {
        seq.items.push(this.inline(item, line.start + itemCol, depth + 1));
        after = i + 1;
      }
      const n = this.next(after);
      const nextLine = this.lines[n];
      if (nextLine === undefined || nextLine.indent < col) return this.close(seq, after);
      if (nextLine.indent > col) decline();
      if (!nextLine.text.startsWith('- ', col)) return this.close(seq, after);
      i = n;
    }
  }

  /** A scalar or a one-line flow list that fills the rest of a line from `at`. */
  private inline(text: string, at: number, depth: number): Node {
    if (text[0] === '[') return this.flowList(text, at, depth);
    const { node, length } = this.oneScalar(text, at, depth, false);
    // Only spaces may follow (a comment after a value is left to yaml).
    if (!ONLY_SPACES.test(text.slice(length))) decline();
    return node;
  }

  /** `[a, b, 'c']` on one line: scalars only, no trailing comma. */
  private flowList(text: string, at: number, depth: number): YAMLSeq {
    this.within(depth);
    const seq = new YAMLSeq();
    seq.flow = true;
    seq.range = [at, 0, 0];
    let i = 1;
    const spaces = () => {
      while (text[i] === ' ') i++;
    };
    spaces();
    if (text[i] === ']') i++;
    else {
      for (;;) {
        const { node, length } = this.oneScalar(text.slice(i), at + i, depth + 1, true);
        seq.items.push(node);
        i += length;
        spaces();
        if (text[i] === ']') {
          i++;
          break;
        }
        if (text[i] !== ',' || text[i + 1] !== ' ') decline();
        i += 2;
        spaces();
      }
    }
    if (!ONLY_SPACES.test(text.slice(i))) decline();
    return seq;
  }

  /** One scalar at the start of `text`; `length` is how much of it the scalar took. */
  private oneScalar(
    text: string,
    at: number,
    depth: number,
    flow: boolean,
  ): { node: Scalar; length: number } {
    const quote = text[0];
    if (quote === "'" || quote === '"') {
      let j = 1;
      for (;;) {
        j = text.indexOf(quote, j);
        if (j < 0) decline();
        if (quote === "'" && text[j + 1] === "'") j += 2;
        else break;
      }
      const inner = text.slice(1, j);
      // Escapes (double quotes) are left to yaml.
      if (quote === '"' && inner.includes('\\')) decline();
      const value = quote === "'" ? inner.replaceAll("''", "'") : inner;
      const type = quote === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
      return { node: this.scalar(value, type, at, at + j + 1, depth), length: j + 1 };
    }
    // A plain scalar runs to the end of the line (a flow list: to its next `,` or `]`).
    let end = text.length;
    if (flow) {
      const stop = text.search(/[,\]]/);
      end = stop < 0 ? decline() : stop;
    }
    const raw = text.slice(0, end).replace(/ +$/, '');
    if (raw === '' || PLAIN_START.test(raw) || raw.includes(' #') || raw.includes(': ') || raw.endsWith(':'))
      decline();
    if (flow && /[[{}]/.test(raw)) decline();
    return { node: this.scalar(coreValue(raw), Scalar.PLAIN, at, at + raw.length, depth), length: end };
  }

  /** A `>`/`|` block scalar whose header is on line `i` at column `col`, in a mapping at `keyCol`. */
  private block(i: number, col: number, keyCol: number, depth: number): { node: Scalar; end: number } {
    const line = this.lines[i] ?? decline();
    const header = /^([>|])(-?) *$/.exec(line.text.slice(col)) ?? decline();
    const folded = header[1] === '>';
    const first = this.lines[i + 1] ?? decline();
    // The first content line sets the indentation; blank lines before it are left to yaml.
    if (first.indent === first.text.length || first.indent <= keyCol) decline();
    const indent = first.indent;
    const body: string[] = [];
    let j = i + 1;
    for (; j < this.lines.length; j++) {
      const l = this.lines[j] as Line;
      if (l.indent === l.text.length) {
        if (l.text.length > indent) decline();
        body.push('');
        continue;
      }
      if (l.indent < indent) break;
      const text = l.text.slice(indent);
      if (folded && (l.indent > indent || text.endsWith(' '))) decline();
      body.push(text);
    }
    // Trailing blank lines are line breaks the chomping indicator keeps or drops.
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    let value = '';
    if (folded) {
      let blanks = 0;
      for (const [k, text] of body.entries()) {
        if (text === '') blanks++;
        else {
          value += k === 0 ? text : blanks > 0 ? '\n'.repeat(blanks) + text : ` ${text}`;
          blanks = 0;
        }
      }
    } else value = body.join('\n');
    if (header[2] !== '-' && value !== '') value += '\n';
    // A line after the block, deeper than its mapping but not as deep as the block, is left to yaml.
    const n = this.next(j);
    const after = this.lines[n];
    if (after !== undefined && after.indent > keyCol) decline();
    const at = line.start + col;
    return {
      node: this.scalar(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, at, at, depth),
      end: j,
    };
  }

  private scalar(value: unknown, type: Scalar.Type, at: number, end: number, depth: number): Scalar {
    this.within(depth);
    const s = new Scalar(value);
    s.type = type;
    s.range = [at, end, end];
    return s;
  }

  private close<T extends YAMLMap | YAMLSeq>(node: T, end: number): { node: T; end: number } {
    const last = this.lines[end - 1];
    const offset = last === undefined ? this.source.length : last.start + last.text.length;
    if (node.range) node.range = [node.range[0], offset, offset];
    return { node, end };
  }

  private at(i: number, col: number): number {
    return (this.lines[i]?.start ?? 0) + col;
  }
}

/**
 * A plain scalar's value under YAML 1.2's core schema (yaml's default): null, booleans, decimal
 * integers and plain decimals; anything else that could be a number is left to yaml.
 */
function coreValue(raw: string): unknown {
  if (/^(?:null|Null|NULL)$/.test(raw)) return null;
  if (/^(?:true|True|TRUE)$/.test(raw)) return true;
  if (/^(?:false|False|FALSE)$/.test(raw)) return false;
  if (/^[0-9]+$/.test(raw)) return Number.parseInt(raw, 10);
  if (/^[0-9]+\.[0-9]*$/.test(raw)) return Number.parseFloat(raw);
  if (/^[0-9]/.test(raw)) decline();
  return raw;
}
