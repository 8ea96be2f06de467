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
export function* jsonChunks(
  value: Json,
  space: 0 | 2 = 0,
  depth = 3,
  /** For a top-level object: how deep each named field is opened (its own depth), if not depth - 1. */
  fieldDepths: Readonly<Record<string, number>> = {},
): Generator<string> {
  yield leaf(value, space, depth, '') ?? '';
  if (expands(value, depth)) yield* chunks(value as object, space, depth, '', fieldDepths);
}

/** Whether `value` is opened here: a plain object or array above the depth limit. */
function expands(value: Json, depth: number): boolean {
  if (depth <= 0 || value === null || typeof value !== 'object') return false;
  // Anything but a plain object or array (boxed primitives, toJSON, classes) goes to JSON.stringify.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The text of a value that is not opened (JSON.stringify, re-indented), or undefined if it is. */
function leaf(value: Json, space: 0 | 2, depth: number, indent: string): string | undefined {
  if (expands(value, depth)) return undefined;
  const text = JSON.stringify(value, null, space) ?? 'null';
  return space > 0 && indent !== '' ? text.replaceAll('\n', `\n${indent}`) : text;
}

// Leaves are stringified in the loop, not by a generator each: one piece per item, with its
// separator, so a document of 10,000 items costs little more than JSON.stringify.
function* chunks(
  value: object,
  space: 0 | 2,
  depth: number,
  indent: string,
  fieldDepths: Readonly<Record<string, number>> = {},
): Generator<string> {
  const inner = space > 0 ? `${indent}  ` : '';
  const open = space > 0 ? `\n${inner}` : '';
  const close = space > 0 ? `\n${indent}` : '';
  const sep = space > 0 ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    for (let i = 0; i < value.length; i++) {
      const raw: Json = value[i];
      const item = omitted(raw) ? null : raw;
      const head = i === 0 ? `[${open}` : sep;
      const text = leaf(item, space, depth - 1, inner);
      if (text !== undefined) yield head + text;
      else {
        yield head;
        yield* chunks(item as object, space, depth - 1, inner);
      }
    }
    yield `${close}]`;
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (omitted(v)) continue;
    const head = `${first ? `{${open}` : sep}${JSON.stringify(k)}:${space > 0 ? ' ' : ''}`;
    first = false;
    const d = Object.hasOwn(fieldDepths, k) ? (fieldDepths[k] as number) : depth - 1;
    const text = leaf(v, space, d, inner);
    if (text !== undefined) yield head + text;
    else {
      yield head;
      yield* chunks(v as object, space, d, inner);
    }
  }
  yield first ? '{}' : `${close}}`;
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
