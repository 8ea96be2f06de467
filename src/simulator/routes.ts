// The route table: every endpoint of CONTRACT.md sections 2 and 5, by template. Templates are
// also the keys of counts() and what fault rules match.
import * as assistants from './assistants-api.js';
import type { Handler } from './context.js';
import * as runs from './runs-api.js';
import * as tests from './tests-api.js';

export interface Route {
  method: string;
  template: string;
  handler: Handler;
  /** none: ignored; optional: empty means {}; required: empty is a 422. */
  body: 'none' | 'optional' | 'required';
  /** Accepts an Idempotency-Key header. */
  idempotent?: boolean;
}

const T = '/ai/assistants/tests';
const A = '/ai/assistants/{assistant_id}';

// Literal segments before parameters: /tests/test-suites must not match /tests/{test_id}.
export const ROUTES: readonly Route[] = [
  { method: 'GET', template: T, handler: tests.listTests, body: 'none' },
  { method: 'POST', template: T, handler: tests.createTest, body: 'required', idempotent: true },
  { method: 'GET', template: `${T}/test-suites`, handler: tests.listSuites, body: 'none' },
  {
    method: 'GET',
    template: `${T}/test-suites/{suite_name}/runs`,
    handler: runs.listSuiteRuns,
    body: 'none',
  },
  {
    method: 'POST',
    template: `${T}/test-suites/{suite_name}/runs`,
    handler: runs.triggerSuite,
    body: 'optional',
    idempotent: true,
  },
  { method: 'GET', template: `${T}/{test_id}`, handler: tests.retrieveTest, body: 'none' },
  { method: 'PUT', template: `${T}/{test_id}`, handler: tests.updateTest, body: 'required' },
  { method: 'DELETE', template: `${T}/{test_id}`, handler: tests.deleteTest, body: 'none' },
  { method: 'GET', template: `${T}/{test_id}/runs`, handler: runs.listTestRuns, body: 'none' },
  {
    method: 'POST',
    template: `${T}/{test_id}/runs`,
    handler: runs.triggerTest,
    body: 'optional',
    idempotent: true,
  },
  { method: 'GET', template: `${T}/{test_id}/runs/{run_id}`, handler: runs.retrieveRun, body: 'none' },
  // Not in the spec extract: the SDK's ai.assistants.retrieve, so `versions` can tell main.
  { method: 'GET', template: A, handler: assistants.retrieveAssistant, body: 'none' },
  { method: 'GET', template: `${A}/versions`, handler: assistants.listVersions, body: 'none' },
  {
    method: 'GET',
    template: `${A}/versions/{version_id}`,
    handler: assistants.retrieveVersion,
    body: 'none',
  },
  {
    method: 'POST',
    template: `${A}/versions/{version_id}`,
    handler: assistants.updateVersion,
    body: 'required',
  },
  {
    method: 'DELETE',
    template: `${A}/versions/{version_id}`,
    handler: assistants.deleteVersion,
    body: 'none',
  },
  {
    method: 'POST',
    template: `${A}/versions/{version_id}/promote`,
    handler: assistants.promoteVersion,
    body: 'none',
  },
  { method: 'GET', template: `${A}/canary-deploys`, handler: assistants.getCanary, body: 'none' },
  {
    method: 'POST',
    template: `${A}/canary-deploys`,
    handler: assistants.createCanary,
    body: 'required',
    idempotent: true,
  },
  { method: 'PUT', template: `${A}/canary-deploys`, handler: assistants.updateCanary, body: 'required' },
  { method: 'DELETE', template: `${A}/canary-deploys`, handler: assistants.deleteCanary, body: 'none' },
];

export interface RouteMatch {
  /** The matched template, or undefined when no template has this path. */
  template?: string;
  /** The route for this method; undefined with a template = method not allowed. */
  route?: Route;
  params: Record<string, string>;
}

const split = (path: string) => path.split('/').filter((s, i) => i > 0 || s !== '');

/** Match a path (without the /v2 prefix). Segments are percent-decoded after splitting, so %2F stays in one. */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = split(path);
  let pathMatch: RouteMatch | undefined;
  for (const route of ROUTES) {
    const params = matchTemplate(route.template, segments);
    if (!params) continue;
    if (route.method === method) return { template: route.template, route, params };
    pathMatch ??= { template: route.template, params };
  }
  return pathMatch ?? { params: {} };
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | undefined {
  const parts = split(template);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] ?? '';
    if (part.startsWith('{')) {
      let value: string;
      try {
        value = decodeURIComponent(seg);
      } catch {
        return undefined;
      }
      // An ASGI server (the API's errors are FastAPI's) decodes the path before it routes, so an
      // escaped "/" splits the segment there: no route matches.
      if (value === '' || value.includes('/')) return undefined;
      params[part.slice(1, -1)] = value;
    } else if (part !== seg) return undefined;
  }
  return params;
}
