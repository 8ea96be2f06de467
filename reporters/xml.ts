// A minimal XML 1.0 writer: elements, attributes and text, nothing else. Pure.
//
// Well-formed for any input string: characters XML 1.0 cannot carry (most C0 controls, lone
// surrogates, U+FFFE/U+FFFF) are dropped, and everything else is escaped as an entity or a
// character reference. There is no CDATA, so no "]]>" to split: `>` is always written `&gt;`.
// Tabs, line breaks and carriage returns in attributes, and carriage returns in text, are
// written as character references, since a parser would normalise them otherwise.

export type Attrs = Readonly<Record<string, string | number | undefined>>;

export interface XmlElement {
  name: string;
  attrs: Attrs;
  /**
   * Child elements, or text (an element holds one or the other here). Children may come from a
   * generator, made as they are written: a large document is never held as one tree.
   */
  content: Iterable<XmlElement> | string;
}

export const el = (
  name: string,
  attrs: Attrs = {},
  content: Iterable<XmlElement> | string = [],
): XmlElement => ({
  name,
  attrs,
  content,
});

/* biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 forbids */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udfff]/gu;

/** Quick test for NOT_XML (any surrogate, paired or not): most text needs no removal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters, for a quick test
const MAYBE_NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const xmlChars = (s: string): string => (MAYBE_NOT_XML.test(s) ? s.replace(NOT_XML, '') : s);

// One pass per string, and none for most (names, ids, statuses have nothing to escape): the
// same output as replacing & first and then each other character in turn.
const ENTITY: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#13;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};
const entity = (c: string): string => ENTITY[c] ?? c;
const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIALS = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>\r"\t\n]/;
const ATTR_SPECIALS = /[&<>\r"\t\n]/g;

/** Text content: markup characters escaped, \r kept as a reference. */
export const escapeText = (s: string): string => {
  const x = xmlChars(s);
  return TEXT_SPECIAL.test(x) ? x.replace(TEXT_SPECIALS, entity) : x;
};

/** An attribute value in double quotes: also ", tab and line breaks as references. */
export const escapeAttr = (s: string): string => {
  const x = xmlChars(s);
  return ATTR_SPECIAL.test(x) ? x.replace(ATTR_SPECIALS, entity) : x;
};

const openTag = (e: XmlElement): string => {
  let attrs = '';
  for (const k in e.attrs) {
    const v = e.attrs[k];
    if (v !== undefined) attrs += ` ${k}="${escapeAttr(String(v))}"`;
  }
  return `<${e.name}${attrs}`;
};

/** An element whose children are in memory (an array): its lines, pushed in one go. */
function block(e: XmlElement, indent: string, out: string[]): void {
  const open = openTag(e);
  if (typeof e.content === 'string') {
    out.push(
      e.content === '' ? `${indent}${open}/>` : `${indent}${open}>${escapeText(e.content)}</${e.name}>`,
    );
    return;
  }
  const children = [...e.content];
  if (children.length === 0) {
    out.push(`${indent}${open}/>`);
    return;
  }
  out.push(`${indent}${open}>`);
  for (const c of children) block(c, `${indent}  `, out);
  out.push(`${indent}</${e.name}>`);
}

// A generator only where children are made as they are written (a suite's cases): an element
// held whole is one piece, not a yield per line through every enclosing generator.
function* lines(e: XmlElement, indent: string): Generator<string> {
  const content = e.content;
  if (held(content)) {
    yield whole(e, indent);
    return;
  }
  const children = content[Symbol.iterator]();
  let child = children.next();
  const open = openTag(e);
  if (child.done) {
    yield `${indent}${open}/>`;
    return;
  }
  yield `${indent}${open}>`;
  const inner = `${indent}  `;
  // Children held whole (properties, test cases) are joined into pieces of a few KB here, not
  // passed one by one through every enclosing generator (30,000 properties at 5,000 tests).
  let run: string[] = [];
  let size = 0;
  for (; !child.done; child = children.next()) {
    if (!held(child.value.content)) {
      if (run.length > 0) yield run.join('\n');
      run = [];
      size = 0;
      yield* lines(child.value, inner);
      continue;
    }
    const text = whole(child.value, inner);
    run.push(text);
    size += text.length;
    if (size >= PIECE) {
      yield run.join('\n');
      run = [];
      size = 0;
    }
  }
  if (run.length > 0) yield run.join('\n');
  yield `${indent}</${e.name}>`;
}

/** About how many characters of held children one piece joins. */
const PIECE = 8_192;

/** Content in memory (text or an array of children), not made as it is written. */
const held = (c: XmlElement['content']): c is string | readonly XmlElement[] =>
  typeof c === 'string' || Array.isArray(c);

/** A held element's lines as one piece. */
function whole(e: XmlElement, indent: string): string {
  const out: string[] = [];
  block(e, indent, out);
  return out.join('\n');
}

/**
 * The document in pieces (each line with its newline), to write a large report without
 * holding it as one string: declaration, then the root, indented by two spaces.
 */
export function* xmlChunks(root: XmlElement): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  for (const line of lines(root, '')) yield `${line}\n`;
}

/** The document: declaration, then the root, indented by two spaces; ends with a newline. */
export function renderXml(root: XmlElement): string {
  return [...xmlChunks(root)].join('');
}
