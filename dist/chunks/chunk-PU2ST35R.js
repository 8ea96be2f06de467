import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  require_dist
} from "./chunk-76A4KAXD.js";
import {
  __toESM
} from "./chunk-2KJKCD6S.js";

// src/suite/locate.ts
var import_yaml = __toESM(require_dist(), 1);
function showPath(path) {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else out += out === "" ? String(seg) : `.${String(seg)}`;
  }
  return out === "" ? "the file" : out;
}
function findNode(doc, path) {
  let node = resolveAlias(doc, doc.contents);
  let key = null;
  let depth = 0;
  for (const seg of path) {
    if ((0, import_yaml.isMap)(node)) {
      const pair = findPair(doc, node, String(seg), 0);
      if (!pair) break;
      key = (0, import_yaml.isScalar)(pair.key) || (0, import_yaml.isMap)(pair.key) || (0, import_yaml.isSeq)(pair.key) ? pair.key : null;
      node = resolveAlias(doc, pair.value ?? null) ?? key;
    } else if ((0, import_yaml.isSeq)(node) && typeof seg === "number") {
      const item = node.items[seg];
      if (item === void 0) break;
      key = null;
      node = resolveAlias(doc, item);
    } else {
      break;
    }
    depth++;
  }
  return { node, key, depth };
}
var keyIndex = /* @__PURE__ */ new WeakMap();
function findPair(doc, map, name, hops) {
  if (!(0, import_yaml.isMap)(map) || hops > 10) return void 0;
  let index = keyIndex.get(map);
  if (index === void 0) {
    index = /* @__PURE__ */ new Map();
    for (const pair of map.items) {
      if (!(0, import_yaml.isPair)(pair) || !(0, import_yaml.isScalar)(pair.key) || isMergeKey(pair.key)) continue;
      const key = String(pair.key.value);
      if (!index.has(key)) index.set(key, pair);
    }
    keyIndex.set(map, index);
  }
  const own = index.get(name);
  if (own) return own;
  for (const pair of map.items) {
    if ((0, import_yaml.isPair)(pair) && (0, import_yaml.isScalar)(pair.key) && isMergeKey(pair.key)) {
      const sources = (0, import_yaml.isSeq)(pair.value) ? pair.value.items : [pair.value];
      for (const src of sources) {
        const found = findPair(doc, resolveAlias(doc, src), name, hops + 1);
        if (found) return found;
      }
    }
  }
  return void 0;
}
var isMergeKey = (key) => typeof key.value === "symbol" || key.value === "<<";
var aliasTarget = /* @__PURE__ */ new WeakMap();
function resolveAlias(doc, node) {
  if (!(0, import_yaml.isAlias)(node)) return node;
  let target = aliasTarget.get(node);
  if (target === void 0) {
    target = node.resolve(doc) ?? node;
    aliasTarget.set(node, target);
  }
  return target;
}
function positionOf(lc, offset) {
  const p = lc.linePos(Math.max(0, offset));
  return { line: Math.max(1, p.line), col: Math.max(1, p.col) };
}
function offsetOf(doc, path, at = "value") {
  const found = findNode(doc, path);
  const complete = found.depth === path.length;
  const target = complete && at === "key" && found.key ? found.key : found.node;
  return target?.range?.[0] ?? doc.range?.[0] ?? 0;
}

export {
  showPath,
  positionOf,
  offsetOf
};
