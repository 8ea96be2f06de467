// The simulator against the official contract: the `telnyx` SDK exercises every endpoint, a
// capturing fetch records every response, and each body is validated with ajv against the
// operation's response schema in the official spec extract (OpenAPI 3.1 = JSON Schema 2020-12).
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import Telnyx from 'telnyx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelnyxErrors } from '../../src/api/schemas.js';
import { parseScenarioText, type Simulator, startSimulator } from '../../src/simulator/index.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}
const spec = JSON.parse(
  readFileSync(new URL('../fixtures/telnyx-openapi.json', import.meta.url), 'utf8'),
) as Spec;

// CommonJS modules: under NodeNext the class is their `.default` (also set at runtime).
const ajv = new Ajv2020.default({ strict: false, allErrors: true });
addFormats.default(ajv);
const SPEC_ID = 'https://telnyx.example/openapi.json';
ajv.addSchema({ $id: SPEC_ID, components: spec.components });
/** Response schemas refer to '#/components/...' of the spec document: point them at it. */
const compile = (schema: unknown) =>
  ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${SPEC_ID}#/components/`)));

const METHODS = ['get', 'post', 'put', 'delete'];
const templates = Object.keys(spec.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literals: template.split('/').filter((s) => !s.startsWith('{')).length,
}));
/** The spec template a concrete path belongs to, preferring literal segments (test-suites over {test_id}). */
const templateOf = (path: string) =>
  templates.filter((t) => t.pattern.test(path)).sort((a, b) => b.literals - a.literals)[0]?.template;

interface Captured {
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  text: string;
}

const SCENARIO = `
assistants:
  - id: asst-contract
    name: Contract assistant
    versions:
      - { id: v1, name: One, main: true }
      - { id: v2, name: Two }
      - { id: v3, name: Three }
`;

describe('contract: official SDK + official spec', () => {
  let sim: Simulator;
  let client: Telnyx;
  const captured: Captured[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ clockScale: 6000, scenario: parseScenarioText(SCENARIO, 'contract.yaml') });
    const capture: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
      captured.push({
        method: (init?.method ?? 'GET').toUpperCase(),
        path: url.pathname.replace(/^\/v2/, ''),
        status: res.status,
        contentType: res.headers.get('content-type'),
        text: await res.clone().text(),
      });
      return res;
    };
    client = new Telnyx({ apiKey: sim.apiKey, baseURL: sim.url, maxRetries: 0, fetch: capture });
  });
  afterAll(() => sim.close());

  it('the SDK exercises every endpoint successfully', async () => {
    const tests = client.ai.assistants.tests;
    const rubric = [
      { name: 'Accuracy', criteria: 'States the refund policy' },
      { name: 'Empathy', criteria: 'Acknowledges frustration' },
    ];
    const created = await tests.create({
      name: 'Damaged product refund',
      destination: '+15551234567',
      instructions: 'Act as a frustrated customer.',
      rubric,
      test_suite: 'refunds',
      max_duration_seconds: 300,
      'Idempotency-Key': 'contract-create-1',
    });
    expect(created.telnyx_conversation_channel).toBe('web_chat');
    for (let i = 0; i < 4; i++) {
      await tests.create({
        name: `extra ${i}`,
        destination: 'x',
        instructions: 'y',
        rubric,
        test_suite: 'refunds',
      });
    }
    expect((await tests.retrieve(created.test_id)).name).toBe('Damaged product refund');
    expect((await tests.update(created.test_id, { description: 'updated' })).description).toBe('updated');

    const listed = [];
    for await (const t of tests.list({ test_suite: 'refunds', 'page[size]': 2 })) listed.push(t.name);
    expect(listed).toHaveLength(5);
    expect((await tests.testSuites.list()).data).toEqual(['refunds']);

    const batch = await tests.testSuites.runs.trigger('refunds', { 'Idempotency-Key': 'contract-suite-1' });
    expect(batch).toHaveLength(5);
    const batchId = batch[0]?.test_suite_run_id ?? '';
    const suiteRuns = [];
    for await (const r of tests.testSuites.runs.list('refunds', { test_suite_run_id: batchId }))
      suiteRuns.push(r);
    expect(suiteRuns).toHaveLength(5);

    const run = await tests.runs.trigger(created.test_id, {
      destination_version_id: 'v2',
      'Idempotency-Key': 'run-1',
    });
    expect(run.status).toBe('pending');
    await new Promise((r) => setTimeout(r, 50)); // 60 simulated s at 6000x = 10 ms: final by now
    const final = await tests.runs.retrieve(run.run_id, { test_id: created.test_id });
    expect(final.status).toBe('passed');
    expect(final.detail_status).toHaveLength(2);
    const perTest = [];
    for await (const r of tests.runs.list(created.test_id)) perTest.push(r);
    expect(perTest).toHaveLength(2);

    const assistants = client.ai.assistants;
    const versions = await assistants.versions.list('asst-contract');
    expect(versions.data.map((v) => v.version_id)).toEqual(['v3', 'v2', 'v1']);
    expect((await assistants.versions.retrieve('v2', { assistant_id: 'asst-contract' })).version_name).toBe(
      'Two',
    );
    await assistants.versions.update('v3', { assistant_id: 'asst-contract', version_name: 'Three, renamed' });

    const rules = [{ serve: { rollout: [{ version_id: 'v2', weight: 10 }] } }];
    const canary = await assistants.canaryDeploys.create('asst-contract', {
      rules,
      'Idempotency-Key': 'canary-1',
    });
    expect(canary.rules).toEqual(rules);
    expect((await assistants.canaryDeploys.retrieve('asst-contract')).assistant_id).toBe('asst-contract');
    const pinned = [
      {
        match: [{ attribute: 'caller_number', operator: 'in' as const, values: ['+15550001111'] }],
        serve: { version_id: 'v2' },
      },
    ];
    expect((await assistants.canaryDeploys.update('asst-contract', { rules: pinned })).rules).toEqual(pinned);
    await assistants.canaryDeploys.delete('asst-contract');
    await assistants.canaryDeploys.create('asst-contract', { rules });
    expect((await assistants.versions.promote('v2', { assistant_id: 'asst-contract' })).version_id).toBe(
      'v2',
    );
    await expect(assistants.canaryDeploys.retrieve('asst-contract')).rejects.toMatchObject({ status: 404 });
    await assistants.versions.delete('v3', { assistant_id: 'asst-contract' });
    await tests.delete(created.test_id);

    // Every operation in the spec answered with its declared success status at least once.
    const succeeded = new Set(
      captured.filter((c) => c.status < 300).map((c) => `${c.method} ${templateOf(c.path)} ${c.status}`),
    );
    for (const [template, item] of Object.entries(spec.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const success = Object.keys(item[method]?.responses ?? {}).find((s) => s.startsWith('2'));
        expect(succeeded, `${method} ${template}`).toContain(
          `${method.toUpperCase()} ${template} ${success}`,
        );
      }
    }
  });

  it('error bodies use the declared 422 schema or the Telnyx error envelope', async () => {
    const headers = { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' };
    const T = `${sim.url}/ai/assistants/tests`;
    const requests: [string, RequestInit][] = [
      [`${T}?page[size]=101`, { headers }],
      [T, { method: 'POST', headers, body: JSON.stringify({ name: '' }) }],
      [
        `${sim.url}/ai/assistants/asst-contract/canary-deploys`,
        { method: 'POST', headers, body: '{"rules":[{"serve":{}}]}' },
      ],
      [`${T}/missing`, { headers }],
      [T, { headers: { authorization: 'Bearer wrong' } }],
      [`${T}/test-suites/none/runs`, { method: 'POST', headers, body: '{}' }],
    ];
    for (const [url, init] of requests) {
      const res = await fetch(url, init);
      const body = await res.json();
      const path = new URL(url).pathname.replace(/^\/v2/, '');
      const op = spec.paths[templateOf(path) ?? '']?.[(init.method ?? 'GET').toLowerCase()];
      const declared = op?.responses[String(res.status)]?.content?.['application/json']?.schema;
      if (declared) {
        const validate = compile(declared);
        expect(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      } else {
        expect(TelnyxErrors.safeParse(body).success, url).toBe(true);
      }
    }
  });

  it('every captured response body validates against its operation schema', () => {
    expect(captured.length).toBeGreaterThan(20);
    for (const c of captured) {
      const template = templateOf(c.path);
      const op = spec.paths[template ?? '']?.[c.method.toLowerCase()];
      expect(op, `${c.method} ${c.path}`).toBeDefined();
      const response = op?.responses[String(c.status)];
      const where = `${c.method} ${c.path} -> ${c.status}`;
      if (c.status >= 300) {
        expect(TelnyxErrors.safeParse(JSON.parse(c.text)).success, where).toBe(true);
        continue;
      }
      expect(response, where).toBeDefined();
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) {
        expect(c.text, where).toBe(''); // DELETE test (200) and the 204s declare no content
        continue;
      }
      expect(c.contentType, where).toBe('application/json');
      const validate = compile(schema);
      expect(validate(JSON.parse(c.text)), `${where}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
