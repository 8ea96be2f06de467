// Small builders of suite models for the run tests (unit and integration).
import type { SuiteDef, TestDef } from '../../src/suite/model.js';

export interface TestSpec {
  name: string;
  tags?: string[];
  trials?: number;
  minPasses?: number;
  maxDurationSeconds?: number;
  rubric?: string[];
  required?: string[];
}

export function makeTest(suite: string, spec: TestSpec, line = 1): TestDef {
  const trials = spec.trials ?? 1;
  const t: TestDef = {
    suite,
    name: spec.name,
    instructions: `Act as a customer for ${spec.name}`,
    destination: 'assistant-123',
    channel: 'web_chat',
    rubric: (spec.rubric ?? ['Accuracy', 'Empathy']).map((n) => ({
      name: n,
      criteria: `${n} criteria`,
      required: (spec.required ?? []).includes(n),
    })),
    trials,
    minPasses: spec.minPasses ?? trials,
    tags: spec.tags ?? [],
    renamedFrom: [],
    loc: { file: `suites/${suite}.yaml`, line, col: 5 },
  };
  if (spec.maxDurationSeconds !== undefined) t.maxDurationSeconds = spec.maxDurationSeconds;
  return t;
}

export function makeSuite(name: string, tests: (TestSpec | string)[]): SuiteDef {
  return {
    name,
    file: `suites/${name}.yaml`,
    loc: { file: `suites/${name}.yaml`, line: 1, col: 1 },
    gate: { minPassRate: 1, maxErrors: 0, failOnRegression: false },
    tests: tests.map((t, i) => makeTest(name, typeof t === 'string' ? { name: t } : t, 10 + i * 10)),
  };
}

/** A suite of n tests named "t001".."tNNN". */
export const bigSuite = (name: string, n: number, spec: Omit<TestSpec, 'name'> = {}): SuiteDef =>
  makeSuite(
    name,
    Array.from({ length: n }, (_, i) => ({ ...spec, name: `t${String(i + 1).padStart(3, '0')}` })),
  );
