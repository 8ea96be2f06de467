// From a data path (['tests', 2, 'rubric', 0, 'name']) back to a line and column in the source,
// through the yaml package's node ranges. JSON files go through the same parser (JSON is YAML).
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';

/**
 * Options for every YAML document read from a file: yaml logs some findings itself (a collection
 * used as a key, through process.emitWarning) as raw text on stderr, outside every sanitised
 * channel. Each one is a problem the caller reports at its line (an unknown key, a bad value).
 */
export const YAML_QUIET = { logLevel: 'error' } as const;

export type DataPath = readonly PropertyKey[];

/** Display form of a path: tests[2].rubric[0].name ("the file" for the root). */
export function showPath(path: DataPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? 'the file' : out;
}

interface Found {
  /** The deepest node reached along the path. */
  node: Node | null;
  /** The key node of the last pair reached, when the path ends on a map entry. */
  key: Node | null;
  /** How many path segments were resolved (path.length when the whole path exists). */
  depth: number;
}

/** Walk the document along `path`, following aliases and `<<` merges, as far as it goes. */
export function findNode(doc: Document, path: DataPath): Found {
  let node = resolveAlias(doc, doc.contents as Node | null);
  let key: Node | null = null;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = findPair(doc, node, String(seg), 0);
      if (!pair) break;
      key = isScalar(pair.key) || isMap(pair.key) || isSeq(pair.key) ? (pair.key as Node) : null;
      // A key with no value (`name:`) has no value node: the key is the best place to point at.
      node = resolveAlias(doc, (pair.value as Node | null) ?? null) ?? key;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      key = null;
      node = resolveAlias(doc, item as Node | null);
    } else {
      break;
    }
    depth++;
  }
  return { node, key, depth };
}

// Each mapping's keys, indexed on first lookup: a file with many keys and a problem per key
// would otherwise scan the mapping once per problem (quadratic). Documents are not restructured
// after parsing, so an index stays valid.
const keyIndex = new WeakMap<Node, Map<string, Pair>>();

function findPair(doc: Document, map: Node | null, name: string, hops: number): Pair | undefined {
  if (!isMap(map) || hops > 10) return undefined;
  let index = keyIndex.get(map);
  if (index === undefined) {
    index = new Map();
    for (const pair of map.items) {
      if (!isPair(pair) || !isScalar(pair.key) || isMergeKey(pair.key)) continue;
      const key = String(pair.key.value);
      if (!index.has(key)) index.set(key, pair as Pair);
    }
    keyIndex.set(map, index);
  }
  const own = index.get(name);
  if (own) return own;
  // Keys pulled in by `<<: *anchor` are located at the anchor's definition.
  for (const pair of map.items) {
    if (isPair(pair) && isScalar(pair.key) && isMergeKey(pair.key)) {
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const src of sources) {
        const found = findPair(doc, resolveAlias(doc, src as Node | null), name, hops + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}

// With `merge: true`, yaml gives a `<<` key a symbol value (the source text stays '<<').
const isMergeKey = (key: Scalar): boolean => typeof key.value === 'symbol' || key.value === '<<';

// yaml resolves an alias by walking the document up to it: once per alias, not per lookup.
const aliasTarget = new WeakMap<Node, Node>();

function resolveAlias(doc: Document, node: Node | null): Node | null {
  if (!isAlias(node)) return node;
  let target = aliasTarget.get(node);
  if (target === undefined) {
    target = (node.resolve(doc) as Node | undefined) ?? node;
    aliasTarget.set(node, target);
  }
  return target;
}

/** 1-based line and column of a source offset. */
export function positionOf(lc: LineCounter, offset: number): { line: number; col: number } {
  const p = lc.linePos(Math.max(0, offset));
  return { line: Math.max(1, p.line), col: Math.max(1, p.col) };
}

/** Source offset of a path: its value node, its key (`at: 'key'`), or the nearest existing ancestor. */
export function offsetOf(doc: Document, path: DataPath, at: 'value' | 'key' = 'value'): number {
  const found = findNode(doc, path);
  const complete = found.depth === path.length;
  const target = complete && at === 'key' && found.key ? found.key : found.node;
  return target?.range?.[0] ?? doc.range?.[0] ?? 0;
}
