// The simulated account: tests, runs, assistants with versions, canary configs. Plain maps in
// insertion order; handlers mutate them, tests read them through Simulator.state.
import type { Channel, RubricItem } from '../api/schemas.js';
import type { RuleInput } from './canary.js';
import type { RunPlan } from './outcome.js';
import { mainVersionOf, type Scenario, type TestEntries } from './scenario.js';

/** A test exactly as the API returns it (AssistantTestResponse). */
export interface TestRecord {
  test_id: string;
  name: string;
  telnyx_conversation_channel: Channel;
  rubric: RubricItem[];
  created_at: string;
  description?: string;
  destination?: string;
  instructions?: string;
  max_duration_seconds?: number;
  test_suite?: string;
}

export interface RunRecord {
  run_id: string;
  test_id: string;
  /** The test's suite when the run was triggered: suite run history lists by it. */
  test_suite?: string;
  test_suite_run_id?: string;
  triggered_by: string;
  destination_version_id?: string;
  conversation_id: string;
  /** Real epoch ms of the trigger; status is derived from it on every read. */
  createdMs: number;
  /** Real ms from trigger to final status (simulated duration / clock scale). */
  durationMs: number;
  plan: RunPlan;
  /** What the conversation was about, for logs. */
  testName: string;
  destination?: string;
  channel: Channel;
}

export interface VersionRecord {
  version_id: string;
  version_name: string;
  createdMs: number;
  name?: string;
  model?: string;
  instructions?: string;
  description?: string;
  greeting?: string;
  tags?: string[];
  /** Scenario overrides for runs triggered against this version. */
  tests?: TestEntries;
}

export interface AssistantRecord {
  id: string;
  name: string;
  model: string;
  instructions: string;
  description?: string;
  createdMs: number;
  mainVersionId: string;
  versions: Map<string, VersionRecord>;
}

export interface CanaryRecord {
  assistant_id: string;
  rules: RuleInput[];
  createdMs: number;
  updatedMs: number;
}

export interface SimState {
  tests: Map<string, TestRecord>;
  runs: Map<string, RunRecord>;
  /** Runs ever triggered per test id: the index into a scenario `sequence`. */
  runCounts: Map<string, number>;
  assistants: Map<string, AssistantRecord>;
  /** By assistant id. */
  canaries: Map<string, CanaryRecord>;
}

const HOUR = 3_600_000;

/** The initial state a scenario describes. Undated versions are an hour apart, listed order = older first. */
export function createState(scenario: Scenario, nowMs: number): SimState {
  const assistants = new Map<string, AssistantRecord>();
  const canaries = new Map<string, CanaryRecord>();
  for (const a of scenario.assistants) {
    const n = a.versions.length;
    const versions = new Map<string, VersionRecord>();
    a.versions.forEach((v, i) => {
      const rec: VersionRecord = {
        version_id: v.id,
        version_name: v.name ?? `Version ${i + 1}`,
        createdMs: v.created_at ? Date.parse(v.created_at) : nowMs - (n - i) * HOUR,
      };
      if (v.model !== undefined) rec.model = v.model;
      if (v.instructions !== undefined) rec.instructions = v.instructions;
      if (v.tests !== undefined) rec.tests = v.tests;
      versions.set(v.id, rec);
    });
    const rec: AssistantRecord = {
      id: a.id,
      name: a.name ?? a.id,
      model: a.model ?? 'openai/gpt-4o',
      instructions: a.instructions ?? 'You are a helpful customer-support assistant.',
      createdMs: a.created_at ? Date.parse(a.created_at) : nowMs - (n + 1) * HOUR,
      mainVersionId: mainVersionOf(a),
      versions,
    };
    if (a.description !== undefined) rec.description = a.description;
    assistants.set(a.id, rec);
    if (a.canary) {
      canaries.set(a.id, { assistant_id: a.id, rules: a.canary.rules, createdMs: nowMs, updatedMs: nowMs });
    }
  }
  return { tests: new Map(), runs: new Map(), runCounts: new Map(), assistants, canaries };
}

/** The version with this id in any assistant (destination_version_id names no assistant). */
export function findVersion(state: SimState, versionId: string): VersionRecord | undefined {
  for (const a of state.assistants.values()) {
    const v = a.versions.get(versionId);
    if (v) return v;
  }
  return undefined;
}
