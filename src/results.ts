// The neutral results model: what a run observed, versioned and JSON-serialisable.
// `run` writes it, `report`/`merge`/`--baseline` read it back (validated here with zod),
// and every reporter renders it (through the evaluation in verdict.ts). Facts only:
// outcomes, gate results and the verdict are derived from these facts by pure functions,
// and stored alongside as `evaluation` for consumers that do not run our code.
import { z } from 'zod';
import { TestStatus } from './api/schemas.js';

export const RESULTS_SCHEMA = 'rubric-gate/results@1';

export const GateSettingsSchema = z.object({
  minPassRate: z.number().min(0).max(1),
  maxErrors: z.number().int().min(0),
  failOnRegression: z.boolean(),
});

/** One criterion result as the API returned it in detail_status. */
export const CriterionResult = z.object({ name: z.string(), status: TestStatus });
export type CriterionResult = z.infer<typeof CriterionResult>;

/**
 * One remote run (one trigger). `status` is the last status seen; `timeout` means we gave
 * up waiting (max_duration_seconds + grace, or --timeout) and `not_started` means the
 * trigger never returned a run (the attempt is still recorded so nothing is silently lost).
 */
export const AttemptStatus = z.union([TestStatus, z.enum(['timeout', 'not_started'])]);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

export const Attempt = z.object({
  trial: z.number().int().min(1), // 1..trials
  retry: z.number().int().min(0), // 0 = first attempt of this trial
  runId: z.string().optional(),
  testSuiteRunId: z.string().optional(),
  status: AttemptStatus,
  criteria: z.array(CriterionResult),
  triggeredAt: z.string().optional(), // ISO UTC
  completedAt: z.string().optional(), // ISO UTC
  durationMs: z.number().min(0).optional(),
  conversationId: z.string().optional(),
  logs: z.string().optional(),
  /** Why an attempt ended in error/timeout/not_started, for humans. */
  message: z.string().optional(),
  /**
   * How the API's answer about this run fell outside its documented shapes (an unknown status,
   * say). Such an answer is never evidence: the trial has no verdict and the run is incomplete.
   */
  undocumented: z.string().optional(),
});
export type Attempt = z.infer<typeof Attempt>;

export const TestResult = z.object({
  name: z.string(),
  testId: z.string().optional(),
  /** Suite file and line of the test, for annotations and JUnit `file`. */
  file: z.string(),
  line: z.number().int().min(1),
  tags: z.array(z.string()),
  criteria: z.array(z.object({ name: z.string(), required: z.boolean() })),
  trials: z.number().int().min(1),
  minPasses: z.number().int().min(1),
  maxDurationSeconds: z.number().int().optional(),
  /**
   * Trials were triggered sequentially (sequential.ts): a trial without attempts was not needed
   * when the others decide the verdict. Absent: every trial was meant to run (--all-trials).
   */
  sequential: z.boolean().optional(),
  /** Filtered out by --grep/--tag/--shard: no attempts, outcome `skipped`. */
  skipped: z.boolean(),
  skipReason: z.string().optional(),
  /** The suite file's `quarantine` reason: the test runs and is reported but gates nothing. */
  quarantine: z.string().optional(),
  /** The suite file's `renamed_from`: a --baseline comparison finds the test under a former name. */
  renamedFrom: z.array(z.string()).optional(),
  attempts: z.array(Attempt),
  /** `run --against`: the same test's attempts on the baseline version, in the same run. */
  againstAttempts: z.array(Attempt).optional(),
});
export type TestResult = z.infer<typeof TestResult>;

export const SuiteResult = z.object({
  name: z.string(),
  file: z.string(),
  gate: GateSettingsSchema,
  tests: z.array(TestResult),
});
export type SuiteResult = z.infer<typeof SuiteResult>;

export const Promotion = z.object({
  assistantId: z.string(),
  versionId: z.string(),
  action: z.enum(['promote', 'canary']),
  canaryWeight: z.number().optional(),
  /** done: written to the API; skipped: gate failed / incomplete; dry-run: --dry-run. */
  status: z.enum(['done', 'skipped', 'dry-run', 'failed']),
  message: z.string(),
});
export type Promotion = z.infer<typeof Promotion>;

/**
 * The baseline a run was compared with, reduced to what the comparison needs, so `report --from`
 * and `merge` reproduce the regressions without the baseline file: each test that ran there
 * (skipped ones are not compared), its outcome and its criteria's verdicts on the test's terms.
 */
export const BaselineTest = z.object({
  suite: z.string(),
  test: z.string(),
  outcome: z.enum(['passed', 'failed', 'error', 'flaky']),
  criteria: z.record(z.string(), z.enum(['passed', 'failed'])),
});
export type BaselineTest = z.infer<typeof BaselineTest>;
export const BaselineSnapshot = z.object({
  /** Where it came from (a path as given), for humans. */
  source: z.string().optional(),
  tests: z.array(BaselineTest),
});
export type BaselineSnapshot = z.infer<typeof BaselineSnapshot>;

/** Which slice of the tests a `run --shard I/N` ran, and what `merge` checks the slices against. */
export const ShardInfo = z.object({
  index: z.number().int().min(1),
  total: z.number().int().min(1),
  /** definitionsFingerprint (run/select.ts): every shard of one checkout computes the same. */
  fingerprint: z.string().optional(),
  /** The filters the slices were dealt from, e.g. `--tag smoke --trials 3` ('' for none). */
  filters: z.string().optional(),
  /** Tests the filters selected before the shard was dealt, over all N shards. */
  candidates: z.number().int().min(0).optional(),
});
export type ShardInfo = z.infer<typeof ShardInfo>;

/**
 * What --history knew when the run ended (history.ts), so `report --from` renders the same strips:
 * for each test that ran, its recent outcomes under its current definition, oldest first
 * (P passed, F failed, E error), and per suite the pass rate over the recent runs.
 */
export const HistoryTestSnapshot = z.object({
  suite: z.string(),
  test: z.string(),
  strip: z.string().regex(/^[PFE]*$/),
  /** Changes between passed and failed along the strip (errors are not behaviour). */
  flips: z.number().int().min(0),
  /** Flipped at least twice: it went one way and came back under the same definition. */
  flaky: z.boolean(),
  /** Passes in a row, ending with this run. */
  passStreak: z.number().int().min(0),
});
export type HistoryTestSnapshot = z.infer<typeof HistoryTestSnapshot>;
export const HistorySnapshot = z.object({
  source: z.string().optional(),
  /** Runs the history held, this one included (read before the file is bounded). */
  runs: z.number().int().min(0),
  /** How many recent runs the strips and pass rates look at. */
  window: z.number().int().min(1),
  /** Passing runs in a row after which a quarantined test is pointed out as ready to release. */
  releaseAfter: z.number().int().min(1),
  tests: z.array(HistoryTestSnapshot),
  suites: z.array(
    z.object({
      suite: z.string(),
      runs: z.number().int().min(0),
      passing: z.number().int().min(0),
      total: z.number().int().min(0),
    }),
  ),
});
export type HistorySnapshot = z.infer<typeof HistorySnapshot>;

/** `run --against`: the baseline version every selected test also ran on, in the same run. */
export const AgainstInfo = z.object({
  versionId: z.string(),
  /** As asked: `main` (resolved to versionId when the run started) or the version id. */
  label: z.string(),
});
export type AgainstInfo = z.infer<typeof AgainstInfo>;

/** What the run spent (both sides with --against), and what sequential trials saved. */
export const Spent = z.object({
  runs: z.number().int().min(0),
  /** Sum of the runs' durations, minutes. */
  callMinutes: z.number().min(0),
  /** Trials sequential trials did not trigger because the verdict was already decided. */
  runsSaved: z.number().int().min(0),
});
export type Spent = z.infer<typeof Spent>;

export const Results = z.object({
  schema: z.literal(RESULTS_SCHEMA),
  tool: z.object({ name: z.literal('rubric-gate'), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** destination_version_id the runs targeted; absent = main. */
  versionId: z.string().optional(),
  /** The version's name, when the run could read it (--assistant with --version). */
  versionName: z.string().optional(),
  shard: ShardInfo.optional(),
  /** definitionsFingerprint (run/select.ts) of the suite files the run loaded. */
  fingerprint: z.string().optional(),
  /** `--pass-with-no-tests`: an empty selection was asked for, so it may pass. */
  passWithNoTests: z.boolean().optional(),
  /** `--no-quarantine`: quarantined tests gate like the others. */
  noQuarantine: z.boolean().optional(),
  /** false when the run could not finish (timeout, cancel, API error). */
  complete: z.boolean(),
  incompleteReason: z.string().optional(),
  /** Gate tightening from flags (--min-pass-rate etc.), applied on top of each suite's gate. */
  gateOverrides: GateSettingsSchema.partial().optional(),
  suites: z.array(SuiteResult),
  /** The --baseline this run was compared with; `report` and `merge` compare with it again. */
  baseline: BaselineSnapshot.optional(),
  promotion: Promotion.optional(),
  /** `run --against`: the in-run baseline version (each test's againstAttempts ran on it). */
  against: AgainstInfo.optional(),
  spent: Spent.optional(),
  /** Recent history from --history (written by `run`; `report` renders it again). */
  history: HistorySnapshot.optional(),
  /** Derived (verdict.ts). Written for other consumers; recomputed when read back. */
  evaluation: z.unknown().optional(),
});
export type Results = z.infer<typeof Results>;
