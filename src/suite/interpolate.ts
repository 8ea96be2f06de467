// ${VAR} in string values, read from the environment. Done on the YAML tree, before validation,
// so limits (E.164, lengths) apply to the resolved values and problems keep their source position.
// `$${` writes a literal `${`.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Scalar } from 'yaml';
import type { DataPath } from './locate.js';
import { showPath } from './locate.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface InterpolationProblem {
  path: DataPath;
  offset: number;
  message: string;
}

const REF = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Substitute ${VAR} in one string. Pure. */
export function interpolateString(
  text: string,
  env: Env,
): { value: string; missing: string[]; malformed: string[] } {
  const missing: string[] = [];
  const malformed: string[] = [];
  const value = text.replace(REF, (match, name: string | undefined) => {
    if (match === '$${') return '${';
    if (name === undefined) {
      malformed.push(match);
      return match;
    }
    if (!NAME.test(name)) {
      malformed.push(match);
      return match;
    }
    const v = env[name];
    if (v === undefined) {
      missing.push(name);
      return match;
    }
    return v;
  });
  return { value, missing, malformed };
}

/** Replace ${VAR} in every string value of the document (not in keys), in place. */
export function interpolateDocument(doc: Document, env: Env): InterpolationProblem[] {
  const problems: InterpolationProblem[] = [];
  const visit = (node: unknown, path: PropertyKey[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : '?';
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
      substitute(node as Scalar<string>, path);
    }
  };
  const substitute = (node: Scalar<string>, path: DataPath): void => {
    const { value, missing, malformed } = interpolateString(node.value, env);
    const offset = (node as Node).range?.[0] ?? 0;
    for (const name of new Set(missing)) {
      problems.push({
        path,
        offset,
        message: `${showPath(path)}: environment variable ${name} is not set; export it or write the value in the file`,
      });
    }
    for (const ref of new Set(malformed)) {
      problems.push({
        path,
        offset,
        message: `${showPath(path)}: "${ref}" is not a variable reference; write \${NAME} (letters, digits, _) or $\${ for a literal \${`,
      });
    }
    node.value = value;
  };
  visit(doc.contents, []);
  return problems;
}
