// JSON.stringify in pieces: the same text as JSON.stringify(value, null, space), yielded a value
// at a time down to `depth` levels, so a large document (results.json, the run state of 10,000
// tests) is written to a file without ever existing as one string. Pure.

type Json = unknown;

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * The pieces of JSON.stringify(value, null, space) (space 0 or 2): objects and arrays above
 * `depth` are opened here, everything below is one JSON.stringify call, re-indented.
 * `value` must be JSON-representable at the top (not undefined), as for a file.
 */
export function* jsonChunks(value: Json, space: 0 | 2 = 0, depth = 3): Generator<string> {
  yield* chunks(value, space, depth, '');
}

function* chunks(value: Json, space: 0 | 2, depth: number, indent: string): Generator<string> {
  // Anything but a plain object or array (boxed primitives, toJSON, classes) goes to JSON.stringify.
  const plain =
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype ||
      Object.getPrototypeOf(value) === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  if (depth <= 0 || !plain) {
    const text = JSON.stringify(value, null, space) ?? 'null';
    yield space > 0 && indent !== '' ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const inner = space > 0 ? `${indent}  ` : '';
  const open = space > 0 ? `\n${inner}` : '';
  const close = space > 0 ? `\n${indent}` : '';
  const sep = space > 0 ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield `[${open}`;
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield sep;
      const item: Json = value[i];
      yield* chunks(omitted(item) ? null : item, space, depth - 1, inner);
    }
    yield `${close}]`;
    return;
  }
  const entries = Object.entries(value).filter(([, v]) => !omitted(v));
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield `{${open}`;
  let first = true;
  for (const [k, v] of entries) {
    yield `${first ? '' : sep}${JSON.stringify(k)}:${space > 0 ? ' ' : ''}`;
    first = false;
    yield* chunks(v, space, depth - 1, inner);
  }
  yield `${close}}`;
}

/**
 * Pieces joined into batches of about `size` characters: fewer, larger writes than one per piece,
 * while no batch holds more than `size` plus one piece. The default stays under V8's
 * large-object size, so batches are short-lived young objects, not old-space growth.
 */
export function* batched(pieces: Iterable<string>, size = 1 << 15): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const p of pieces) {
    parts.push(p);
    length += p.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
