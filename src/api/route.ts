// Route templates and path-parameter encoding. The template ('/ai/assistants/tests/{test_id}')
// names the endpoint in stats and events (the simulator counts by the same key); the encoded path
// is what goes on the wire and into error messages.
import { UsageError } from '../errors.js';
import type { HttpMethod } from './backoff.js';

export interface Route {
  method: HttpMethod;
  /** e.g. '/ai/assistants/tests/{test_id}/runs' */
  template: string;
  /** e.g. '/ai/assistants/tests/t%2F1/runs' */
  path: string;
  params: Readonly<Record<string, string>>;
}

/** 'METHOD /template': the key used by client.stats.byEndpoint and the simulator's counts(). */
export const endpointKey = (r: Pick<Route, 'method' | 'template'>): string => `${r.method} ${r.template}`;

/**
 * Percent-encode one path segment ('?', '#', '%', ...). '.' and '..' would be collapsed by URL
 * normalisation into another resource, so they are refused (as the official SDK does). A '/'
 * is encoded too, but a server decodes it before routing: a suite name may not hold one, nor be
 * '.' or '..' (suite/schema.ts says so at the file's line; this is the guard behind it).
 */
export function encodeSegment(name: string, value: string): string {
  if (value === '') throw new UsageError(`${name} must not be empty`);
  if (value === '.' || value === '..') throw new UsageError(`${name} must not be "${value}"`);
  return encodeURIComponent(value);
}

export function route(method: HttpMethod, template: string, params: Record<string, string> = {}): Route {
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route ${template}: missing parameter ${name}`);
    return encodeSegment(name, value);
  });
  return { method, template, path, params };
}

/** Human names for path parameters, so a 404 can say what was not found. */
const NOUNS: Readonly<Record<string, string>> = {
  test_id: 'test',
  run_id: 'run',
  suite_name: 'suite',
  assistant_id: 'assistant',
  version_id: 'version',
};

/** 'test "t1" or run "r9"': the resources a 404 on this route may refer to. */
export function describeParams(r: Route): string {
  return Object.entries(r.params)
    .map(([k, v]) => `${NOUNS[k] ?? k} "${v}"`)
    .join(' or ');
}
