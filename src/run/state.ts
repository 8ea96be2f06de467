// The run ledger: every trigger and every run, persisted to <out-dir>/.rubric-gate-state.json so
// no run is ever lost. The nonce that derives every Idempotency-Key is written before the first
// trigger, and each run id the moment its trigger returns (temp file + rename, so a crash leaves
// the old or the new file, never half of one). --resume reads it back and finishes the same runs:
// what was triggered is polled, what never was is triggered with the same keys (a trigger that
// reached the API before the crash is then replayed by the API, not started again).
import { join } from 'node:path';
import { z } from 'zod';
import { TestStatus } from '../api/schemas.js';
import { UsageError } from '../errors.js';
import { JSON_FILE_LIMIT, mib, readCapped, writeFileAtomic } from '../files.js';
import { jsonChunks } from '../json-chunks.js';
import { AttemptStatus, CriterionResult } from '../results.js';

export const STATE_FILE = '.rubric-gate-state.json';
export const STATE_SCHEMA = 'rubric-gate/run-state@1';

/** queued: not triggered yet (or its trigger must be re-sent with the same key). */
export const WorkStatus = z.union([AttemptStatus, z.literal('queued')]);
export type WorkStatus = z.infer<typeof WorkStatus>;

/** One suite trigger: one run per test of the suite, sharing a test_suite_run_id. */
export const Batch = z.object({
  suite: z.string(),
  trial: z.number().int().min(1),
  key: z.string(),
  status: z.enum(['queued', 'triggered', 'failed']),
  testSuiteRunId: z.string().optional(),
  triggeredAt: z.string().optional(),
  /** Failed trigger rounds so far (the same key each time). */
  failures: z.number().int().min(0).default(0),
  message: z.string().optional(),
  /** When the trigger was first sent (wall clock): past the key's replay window, runs since then are looked for. */
  sentAt: z.string().optional(),
  /** `--against`: this trigger runs on the baseline version (absent: the candidate). */
  side: z.literal('baseline').optional(),
  /** Sequential trials: not triggered until a test of the batch needs this trial (run/sequential.ts). */
  held: z.boolean().optional(),
  /**
   * Some of its tests were given their own triggers: a suite trigger would run those again, so
   * the rest never go as one either (run/sequential.ts).
   */
  split: z.boolean().optional(),
});
export type Batch = z.infer<typeof Batch>;

/** One attempt of one trial of one test: one remote run once triggered. */
export const Work = z.object({
  suite: z.string(),
  test: z.string(),
  testId: z.string().optional(),
  trial: z.number().int().min(1),
  retry: z.number().int().min(0),
  /** 'suite': started by batch `batch`; 'test': its own trigger with Idempotency-Key `key`. */
  via: z.enum(['suite', 'test']),
  batch: z.string().optional(),
  key: z.string().optional(),
  status: WorkStatus,
  /** The last status the API reported (status may be our 'timeout' verdict on top of it). */
  remoteStatus: TestStatus.optional(),
  runId: z.string().optional(),
  testSuiteRunId: z.string().optional(),
  criteria: z.array(CriterionResult).default([]),
  triggeredAt: z.string().optional(),
  /** When we first saw it leave pending: the per-run timeout counts from here. */
  activeAt: z.string().optional(),
  completedAt: z.string().optional(),
  durationMs: z.number().min(0).optional(),
  conversationId: z.string().optional(),
  logs: z.string().optional(),
  failures: z.number().int().min(0).default(0),
  message: z.string().optional(),
  /** The run's created_at as the API gave it (the API's clock: where to look in its history). */
  createdAt: z.string().optional(),
  /** When the API last told us this run's status (a timeout needs a fresh sighting). */
  seenAt: z.string().optional(),
  /** When its own trigger was first sent (wall clock), for the past-replay-window check. */
  sentAt: z.string().optional(),
  /**
   * Its trigger's outcome stayed unknown: a run may exist remotely. Never re-triggered under a
   * new Idempotency-Key (--retries skips it); --resume re-sends the same key (replayed if it ran).
   */
  uncertain: z.boolean().optional(),
  /**
   * Its trigger was answered with a refusal (a 4xx other than 408/409/429): uncertain all the
   * same (a proxy may have written it after the API acted), but no trigger that "got no answer".
   */
  refused: z.boolean().optional(),
  /** The API's answer about this run fell outside its documented shapes (results.ts Attempt). */
  undocumented: z.string().optional(),
  /** `--against`: this attempt runs on the baseline version (absent: the candidate). */
  side: z.literal('baseline').optional(),
  /** Sequential trials: not triggered until its test needs this trial (run/sequential.ts). */
  held: z.boolean().optional(),
});
export type Work = z.infer<typeof Work>;

/**
 * Its run may exist remotely: never re-triggered under a new key (--resume re-sends the same).
 * `refused`: the API answered it with a refusal, so it is no trigger that "got no answer".
 */
export function markUncertain(w: Work, refused = false): void {
  w.uncertain = true;
  if (refused) w.refused = true;
  else delete w.refused;
}

/** Its run is known (adopted): nothing uncertain about it any more. */
export function clearUncertain(w: Work): void {
  delete w.uncertain;
  delete w.refused;
}

/**
 * A trigger that got no answer (or was cut off on the wire): not started as far as we know, but
 * its run may exist remotely, and --resume picks it up. A refused one is no such trigger.
 */
export const mayHaveStarted = (w: Work): boolean =>
  w.status === 'not_started' && w.uncertain === true && w.refused !== true && w.runId === undefined;

export const RunSettings = z.object({
  versionId: z.string().optional(),
  grep: z.string().optional(),
  tags: z.array(z.string()).default([]),
  trials: z.number().int().min(1).optional(),
  retries: z.number().int().min(0).default(0),
  maxInFlight: z.number().int().min(1).optional(),
  maxRuns: z.number().int().min(1).optional(),
  shard: z.object({ index: z.number().int().min(1), total: z.number().int().min(1) }).optional(),
  /** `--against`: the baseline version, resolved (`main` → its id) before the first trigger. */
  against: z.object({ versionId: z.string(), label: z.string() }).optional(),
  /** `--all-trials`: every trial runs, none is left out once the test is decided. */
  allTrials: z.boolean().optional(),
  /**
   * How the run is judged, as given: the gate flags, --no-quarantine and --baseline. A resume
   * judges by them too (the tool's own hint to resume passes none of them).
   */
  judging: z
    .object({
      minPassRate: z.number().optional(),
      maxErrors: z.number().optional(),
      failOnRegression: z.boolean().optional(),
      noQuarantine: z.boolean().optional(),
      baseline: z.string().optional(),
    })
    .optional(),
});
export type RunSettings = z.infer<typeof RunSettings>;

export const RunState = z.object({
  schema: z.literal(STATE_SCHEMA),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  startedAt: z.string(),
  /** Host of the API the runs live on, so a resume against another account is refused. */
  apiHost: z.string().optional(),
  /** remoteFingerprint of the suite files the run started with (absent in older states). */
  definitions: z.string().optional(),
  settings: RunSettings,
  /** Local test → remote test_id, fixed at trigger time. */
  tests: z.array(z.object({ suite: z.string(), name: z.string(), testId: z.string() })),
  batches: z.array(Batch),
  work: z.array(Work),
  /** Sequential trials: attempts dropped untriggered because their test was already decided. */
  notNeeded: z.number().int().min(0).optional(),
  /** promote: the candidate version as read before the first trigger (promote.ts versionPrint). */
  candidate: z.string().optional(),
  /** The name of settings.versionId, when read from the API before the first trigger. */
  versionName: z.string().optional(),
  /** Set when the run ended (complete or not); a finished state is not resumed by accident. */
  finishedAt: z.string().optional(),
});
export type RunState = z.infer<typeof RunState>;

export const statePath = (outDir: string): string => join(outDir, STATE_FILE);

/**
 * Atomic write: temp file in the same directory, then rename over the old one. Written in
 * batches of compact JSON (10 MB at 10,000 tests), never as one string and one buffer.
 */
export function writeState(outDir: string, state: RunState): void {
  writeFileAtomic(statePath(outDir), stateChunks(state));
}

function* stateChunks(state: RunState): Generator<string> {
  yield* jsonChunks(state, 0, 2);
  yield '\n';
}

/**
 * The state file's writer during a run: changes mark it dirty and it is rewritten at most every
 * `everyMs`, plus whenever the loop flushes (after each round of triggers), so a run costs
 * O(changes), not O(state) per trigger. Crash safety does not depend on every write: the nonce
 * and every work item are on disk before their triggers, keys derive from them, and --resume
 * re-sends a key whose run id was not written yet, which the API answers from its record.
 */
export function stateWriter(write: () => void, now: () => number = Date.now, everyMs = 2_000) {
  let dirty = false;
  let last = Number.NEGATIVE_INFINITY;
  const flush = (): void => {
    if (!dirty) return;
    dirty = false;
    last = now();
    write();
  };
  return {
    /** Something changed: written now if the last write is old enough, else at the next flush. */
    mark: (): void => {
      dirty = true;
      if (now() - last >= everyMs) flush();
    },
    flush,
  };
}

/** The state of the run to resume, validated; a clear usage error when missing or unreadable. */
export function readState(outDir: string): RunState {
  const file = statePath(outDir);
  let text: string | undefined;
  try {
    text = readCapped(file, JSON_FILE_LIMIT);
  } catch {
    throw new UsageError(
      `--resume: no run to resume (${file} does not exist); pass the --out-dir of the interrupted run`,
    );
  }
  if (text === undefined) {
    throw new UsageError(
      `--resume: ${file} is larger than ${mib(JSON_FILE_LIMIT)}; it is not a rubric-gate run state`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--resume: ${file} is not valid JSON (${err instanceof Error ? err.message : err})`);
  }
  const parsed = RunState.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : '';
    throw new UsageError(`--resume: ${file} is not a rubric-gate run state (${where})`);
  }
  return parsed.data;
}
