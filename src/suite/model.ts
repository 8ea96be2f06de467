// The parsed, validated form of a suite file. Produced by suite/parse.ts, consumed by
// plan, sync, run and the results model. Pure data.
import type { Channel, CreateTestBody } from '../api/schemas.js';

/** A position in a user file, 1-based. */
export interface Located {
  file: string;
  line: number;
  col: number;
}

export interface CriterionDef {
  name: string;
  criteria: string;
  /** Local only: a failure here fails the suite gate whatever the pass rate. */
  required: boolean;
}

export interface TestDef {
  suite: string;
  name: string;
  description?: string;
  instructions: string;
  destination: string;
  channel: Channel;
  maxDurationSeconds?: number;
  rubric: CriterionDef[];
  /** Local only. Runs per test (default 1). */
  trials: number;
  /** Local only. Passing trials needed (default: trials). */
  minPasses: number;
  tags: string[];
  renamedFrom: string[];
  /** Local only. Why the test is quarantined: it runs and is reported, but gates nothing. */
  quarantine?: string;
  /** Where the test's list item starts in its suite file. */
  loc: Located;
}

export interface GateSettings {
  minPassRate: number; // 0..1, default 1
  maxErrors: number; // default 0
  failOnRegression: boolean; // default false
}

export const DEFAULT_GATE: GateSettings = { minPassRate: 1, maxErrors: 0, failOnRegression: false };

export interface SuiteDef {
  name: string;
  file: string;
  loc: Located;
  gate: GateSettings;
  tests: TestDef[];
}

/** The API body for a test: local-only fields (gate, required, trials, tags...) never reach it. */
export function toApiBody(t: TestDef): CreateTestBody {
  const body: CreateTestBody = {
    name: t.name,
    destination: t.destination,
    instructions: t.instructions,
    rubric: t.rubric.map((c) => ({ name: c.name, criteria: c.criteria })),
    telnyx_conversation_channel: t.channel,
    test_suite: t.suite,
  };
  if (t.description !== undefined) body.description = t.description;
  if (t.maxDurationSeconds !== undefined) body.max_duration_seconds = t.maxDurationSeconds;
  return body;
}
