// The run orchestrator: select → schedule → ledger → (trigger, wait, poll, time out, retry)* →
// results. Pure decisions live in select/schedule/ledger/poll; this file sequences the I/O and
// keeps the state file current. It never throws for what happens after the first trigger: an
// API failure, a cancel or a timeout ends the loop and the partial results say what is missing.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { type AssistantTest, isFinal } from '../api/schemas.js';
import { isNotFound, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { pairKey, tupleKey } from '../keys.js';
import type { Results } from '../results.js';
import type { SuiteDef } from '../suite/model.js';
import { assembleResults, resumeSummary } from './assemble.js';
import { type Clock, systemClock } from './clock.js';
import { deadlineMessage, isDeadline } from './deadline.js';
import {
  type Change,
  dueTimeouts,
  initialState,
  isInFlight,
  retriesDue,
  reviveForResume,
  spawnRetries,
  stopAll,
} from './ledger.js';
import {
  DEFAULT_END_SLACK_MS,
  DEFAULT_OUTAGE_MS,
  DEFAULT_POLL_POLICY,
  fromLastPollMs,
  isFatal,
  Poller,
  type PollPolicy,
  pollDelay,
  type RunApi,
  untilAllExpectedMs,
  untilPaceDoneMs,
  untilUsefulMs,
} from './poll.js';
import { createProgress, formatElapsed } from './progress.js';
import {
  ASSUMED_MAX_DURATION_SECONDS,
  checkMaxCallMinutes,
  checkMaxRuns,
  estimate,
  formatEstimate,
  scheduleSuites,
} from './schedule.js';
import { compileGrep, remoteFingerprint, type SelectedTest, type Shard, selectTests } from './select.js';
import { releaseTrials, type TrialRule } from './sequential.js';
import { splitWave, type Wave } from './sides.js';
import {
  type RunSettings,
  type RunState,
  readState,
  statePath,
  stateWriter,
  type Work,
  writeState,
} from './state.js';
import { noOutcome, type TriggerOutcome, triggerBatch, triggerWork } from './trigger.js';

/** Everything a run needs, typed once: the CLI parses flags into it, the Action builds it. */
export interface RunOptions {
  /** Suite files or directories. */
  paths: string[];
  /** destination_version_id for every trigger; absent = the assistant's main version. */
  versionId?: string | undefined;
  /** When known (promote), the version is checked with a GET before anything is triggered. */
  assistantId?: string | undefined;
  /** Sync the suites before triggering (false: --no-sync). */
  sync: boolean;
  grep?: string | undefined;
  tags: string[];
  /** Overrides every test's trials (min_passes keeps its ratio, see select.ts). */
  trials?: number | undefined;
  retries: number;
  maxInFlight?: number | undefined;
  /** Global --timeout, ms. */
  timeoutMs?: number | undefined;
  shard?: Shard | undefined;
  maxRuns?: number | undefined;
  resume: boolean;
  outDir: string;
  /** Passed through to the results (flags that tighten gates). */
  gateOverrides?: Results['gateOverrides'];
  /** Poll cadence and backoff; tests pass small values. */
  poll?: PollPolicy | undefined;
  /**
   * How long each test's runs took lately (pairKey → ms, from --history): no poll is
   * made before a run can be expected to be done (poll.ts untilUsefulMs).
   */
  expectedMs?: ReadonlyMap<string, number> | undefined;
  /** When --timeout stops the command (clock ms): the last poll comes shortly before it. */
  deadlineAtMs?: number | undefined;
  /** Added to max_duration_seconds before a run is declared timed out. Default 60 s. */
  graceMs?: number | undefined;
  /** `--against`, as given: `main` or a version id (the command resolves it, see against.ts). */
  against?: string | undefined;
  /** `--against`, resolved: destination_version_id of every baseline-side trigger. */
  againstVersionId?: string | undefined;
  /** `--all-trials`: run every trial even once a test is decided (pass-rate statistics). */
  allTrials?: boolean | undefined;
  /** With --resume: the flags that decide what runs, as given (see resumeConflict). */
  resumeFlags?: ResumeFlags | undefined;
  /** How the run is judged, as given: kept in the state for a resume (commands/run.ts). */
  judging?: RunSettings['judging'];
  /** `--max-call-minutes`: refuse a run whose worst case exceeds it. */
  maxCallMinutes?: number | undefined;
  /**
   * promote: the candidate version as read before anything ran (promote.ts versionPrint), kept
   * in the state so a `promote --resume` can tell whether the version changed since.
   */
  candidate?: string | undefined;
}

export interface RunDeps {
  api: RunApi;
  io: Io;
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
  random?: (() => number) | undefined;
  /** host[:port] of the API, stored in the state so a resume against another API is refused. */
  apiHost?: string | undefined;
}

export interface RunInput {
  suites: readonly SuiteDef[];
  /** Remote tests of each managed suite, after sync. Not read on --resume. */
  remote: ReadonlyMap<string, readonly AssistantTest[]>;
  options: RunOptions;
}

export interface RunReport {
  results: Results;
  state: RunState;
  /** Attempts still running remotely when the run stopped (the API cannot cancel runs). */
  stillRunning: Work[];
  /** How the run ended early, if it did. */
  stopped?: 'cancelled' | 'timeout' | 'error';
  /** The API error that stopped the run (stopped === 'error'). */
  error?: unknown;
  /**
   * Write the finished state (every run final, finishedAt). Left to the caller, after the
   * reports: the state already on disk holds every run id, so a crash before this costs
   * --resume a poll, not a run, and thousands of tests' state is not written while the
   * verdict waits.
   */
  saveState(): void;
}

export const DEFAULT_GRACE_MS = 60_000;
/** Parallel trigger calls (each is one POST; --max-in-flight limits runs, not calls). */
export const TRIGGER_CONCURRENCY = 8;
/** The last poll before --timeout's deadline comes at most this long before it. */
const DEADLINE_MARGIN_MS = 1_000;

/**
 * Every trial runs, none saved by sequential trials: asked for, or with --against, whose
 * comparison is a Fisher test on both sides' trial counts. A side stopped once its own verdict
 * is decided (2 of 3 trials) leaves 2/2 against 0/2, p = 0.17: a candidate failing every trial
 * where the baseline passes every one would not count as a regression (3/3 against 0/3: p = 0.05).
 */
const allTrials = (o: RunOptions): boolean =>
  o.allTrials === true || o.against !== undefined || o.againstVersionId !== undefined;

export const settingsOf = (o: RunOptions): RunSettings => ({
  ...(o.versionId === undefined ? {} : { versionId: o.versionId }),
  ...(o.grep === undefined ? {} : { grep: o.grep }),
  tags: [...o.tags],
  ...(o.trials === undefined ? {} : { trials: o.trials }),
  retries: o.retries,
  ...(o.maxInFlight === undefined ? {} : { maxInFlight: o.maxInFlight }),
  ...(o.maxRuns === undefined ? {} : { maxRuns: o.maxRuns }),
  ...(o.shard === undefined ? {} : { shard: { ...o.shard } }),
  ...(o.againstVersionId === undefined
    ? {}
    : { against: { versionId: o.againstVersionId, label: o.against ?? o.againstVersionId } }),
  ...(allTrials(o) ? { allTrials: true } : {}),
  ...(o.judging && Object.keys(o.judging).length > 0 ? { judging: { ...o.judging } } : {}),
});

/** What the estimate counts: both sides with --against, early stops unless --all-trials. */
const estimateOptions = (o: RunOptions) => ({
  sides: o.against !== undefined || o.againstVersionId !== undefined ? 2 : 1,
  sequential: !allTrials(o),
});

/** The selection a settings object describes (also used to rebuild it on --resume). */
export function selectionFor(suites: readonly SuiteDef[], s: RunSettings): SelectedTest[] {
  return selectTests(suites, {
    grep: s.grep === undefined ? undefined : compileGrep(s.grep),
    tags: s.tags,
    shard: s.shard,
    trials: s.trials,
  });
}

/** Pure pre-flight for a new run: the selection and its cost; --max-runs refuses here. */
export function preflight(suites: readonly SuiteDef[], o: RunOptions) {
  const selection = selectionFor(suites, settingsOf(o));
  const cost = estimate(selection, o.retries, [], estimateOptions(o));
  checkMaxRuns(cost, o.maxRuns);
  checkMaxCallMinutes(cost, o.maxCallMinutes);
  return { selection, cost };
}

/** Local test key → remote test_id (unique names only), and every remote id per suite. */
export function indexRemote(remote: ReadonlyMap<string, readonly AssistantTest[]>): {
  testIds: Map<string, string>;
  remoteSuiteTests: Map<string, string[]>;
} {
  const testIds = new Map<string, string>();
  const remoteSuiteTests = new Map<string, string[]>();
  for (const [suite, tests] of remote) {
    remoteSuiteTests.set(
      suite,
      tests.map((t) => t.test_id),
    );
    const count = new Map<string, number>();
    for (const t of tests) count.set(t.name, (count.get(t.name) ?? 0) + 1);
    for (const t of tests) if (count.get(t.name) === 1) testIds.set(pairKey(suite, t.name), t.test_id);
  }
  return { testIds, remoteSuiteTests };
}

const reasonText = (signal: AbortSignal | undefined): string => {
  const r: unknown = signal?.reason;
  if (typeof r === 'string') return r;
  if (r instanceof Error && r.name !== 'AbortError') return r.message;
  return 'cancelled';
};

/**
 * How the tests a resumed state ran differ from what its saved settings select in the files now
 * (every selected test has work in the state), or undefined when they are the same tests.
 */
export function selectionChange(state: RunState, selection: readonly SelectedTest[]): string | undefined {
  const ran = new Set(state.work.map((w) => pairKey(w.suite, w.test)));
  const now = new Set(selection.filter((s) => s.selected).map((s) => pairKey(s.suite.name, s.test.name)));
  const gone = [...ran].filter((k) => !now.has(k)).length;
  const added = [...now].filter((k) => !ran.has(k)).length;
  if (gone === 0 && added === 0) return undefined;
  const n = (x: number) => `${x} test${x === 1 ? '' : 's'}`;
  return [gone ? `${n(gone)} it ran no longer selected` : '', added ? `${n(added)} newly selected` : '']
    .filter(Boolean)
    .join(', ');
}

/** The flags of a --resume command line that decide what runs, as given (absent: not given). */
export interface ResumeFlags {
  versionId?: string | undefined;
  grep?: string | undefined;
  tags?: string[] | undefined;
  trials?: number | undefined;
  retries?: number | undefined;
  maxInFlight?: number | undefined;
  maxRuns?: number | undefined;
  shard?: Shard | undefined;
  /** `--against` as given: `main` or a version id. */
  against?: string | undefined;
  allTrials?: boolean | undefined;
  /** The gate flags, --no-quarantine and --baseline, as given (RunSettings judging). */
  judging?: RunSettings['judging'];
}

/**
 * A flag given to --resume that contradicts the interrupted run's settings, which a resume keeps
 * (`--version v2` on runs of v1 would report v1's results as v2's); undefined when none does.
 */
export function resumeConflict(saved: RunSettings, given: ResumeFlags): string | undefined {
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const show = (v: unknown, none: string) =>
    v === undefined
      ? none
      : Array.isArray(v)
        ? v.join(',') || none
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  const checks: Array<[string, unknown, unknown, string]> = [
    ['--version', given.versionId, saved.versionId, 'the main version'],
    ['--grep', given.grep, saved.grep, 'none'],
    ['--tag', given.tags && [...given.tags].sort(), [...saved.tags].sort(), 'none'],
    ['--trials', given.trials, saved.trials, 'from the files'],
    ['--retries', given.retries, saved.retries, '0'],
    ['--max-in-flight', given.maxInFlight, saved.maxInFlight, 'none'],
    ['--max-runs', given.maxRuns, saved.maxRuns, 'none'],
    [
      '--shard',
      given.shard && `${given.shard.index}/${given.shard.total}`,
      saved.shard && `${saved.shard.index}/${saved.shard.total}`,
      'none',
    ],
    ['--all-trials', given.allTrials, saved.allTrials === true, 'not given'],
    // How it is judged, where the state kept it (older states did not).
    ...(saved.judging === undefined
      ? []
      : ([
          ['--min-pass-rate', given.judging?.minPassRate, saved.judging.minPassRate, 'not given'],
          ['--max-errors', given.judging?.maxErrors, saved.judging.maxErrors, 'not given'],
          [
            '--fail-on-regression',
            given.judging?.failOnRegression,
            saved.judging.failOnRegression,
            'not given',
          ],
          ['--no-quarantine', given.judging?.noQuarantine, saved.judging.noQuarantine, 'not given'],
          ['--baseline', given.judging?.baseline, saved.judging.baseline, 'not given'],
        ] as Array<[string, unknown, unknown, string]>)),
  ];
  for (const [flag, asked, had, none] of checks) {
    if (asked === undefined || same(asked, had)) continue;
    return `${flag} ${show(asked, none)} is not what the interrupted run used (${show(had, none)})`;
  }
  if (given.against !== undefined) {
    const had = saved.against;
    const match =
      had !== undefined &&
      (given.against === 'main' ? had.label === 'main' : given.against === had.versionId);
    if (!match)
      return `--against ${given.against} is not what the interrupted run used (${had?.label ?? 'none'})`;
  }
  return undefined;
}

/**
 * Every attempt of a state ended and none is left to send, nor to retry (ledger retriesDue,
 * without the rubric: the note may then say less than is sent, never more): a resume would only
 * repeat its report.
 */
const nothingLeft = (state: RunState): boolean =>
  state.finishedAt !== undefined &&
  state.work.every(
    (w) => !isInFlight(w) && w.status !== 'queued' && w.status !== 'not_started' && w.status !== 'timeout',
  ) &&
  retriesDue(state, state.settings.retries).length === 0;

export async function runSuites(input: RunInput, deps: RunDeps): Promise<RunReport> {
  const clock = deps.clock ?? systemClock;
  const random = deps.random ?? Math.random;
  const { io, api, signal } = deps;
  const startedMs = clock.now();
  const startedAt = new Date(startedMs).toISOString();

  let state: RunState;
  let selection: SelectedTest[];
  let o = input.options;
  if (o.resume) {
    state = readState(o.outDir);
    const conflict = o.resumeFlags && resumeConflict(state.settings, o.resumeFlags);
    if (conflict) {
      throw new UsageError(
        `--resume: ${conflict}; a resumed run keeps the settings it started with. Drop the flag, or run again without --resume`,
      );
    }
    // What the loop takes from the options, from the state: the tool's own hint to resume
    // (`rubric-gate run --resume --out-dir ...`) passes none of them.
    o = {
      ...o,
      retries: state.settings.retries,
      maxInFlight: state.settings.maxInFlight,
      maxRuns: state.settings.maxRuns,
    };
    if (state.apiHost && deps.apiHost && state.apiHost !== deps.apiHost) {
      throw new UsageError(
        `--resume: the runs in ${statePath(o.outDir)} were started on ${state.apiHost}, not ${deps.apiHost}`,
      );
    }
    if (state.definitions !== undefined && state.definitions !== remoteFingerprint(input.suites)) {
      throw new UsageError(
        `--resume: the suite files changed since the runs in ${statePath(o.outDir)} started (what a test sends the API: its instructions, rubric, destination...); those runs tested the old definitions. Run again without --resume`,
      );
    }
    selection = selectionFor(input.suites, state.settings);
    const moved = selectionChange(state, selection);
    if (moved) {
      throw new UsageError(
        `--resume: the suite files now select other tests than the runs in ${statePath(o.outDir)} did (${moved}; a tag or name edit changes what --tag and --grep select), so their report would leave out runs or judge tests that never ran. Run again without --resume`,
      );
    }
    // A finished run is judged again (a gate edited since counts: README), but its results are
    // of the assistant as it was then, which the main version may have moved on from: said plainly.
    const finished = nothingLeft(state) ? state.finishedAt : undefined;
    reviveForResume(state, startedMs);
    if (finished !== undefined) {
      io.stdout(
        `Every run in ${statePath(o.outDir)} had ended (finished ${finished}): nothing is sent, its results are judged again as they are, results of ${state.settings.versionId === undefined ? "the assistant's main version" : `version ${state.settings.versionId}`} as it was then. For new results, run without --resume.\n`,
      );
    }
    io.stdout(`${resumeSummary(state)}\n`);
  } else {
    const settings = settingsOf(o);
    selection = selectionFor(input.suites, settings);
    const { testIds, remoteSuiteTests } = indexRemote(input.remote);
    const schedules = scheduleSuites(selection, { maxInFlight: o.maxInFlight, testIds, remoteSuiteTests });
    const cost = estimate(selection, o.retries, schedules, estimateOptions(o));
    checkMaxRuns(cost, o.maxRuns);
    checkMaxCallMinutes(cost, o.maxCallMinutes);
    const versionName =
      o.versionId !== undefined && o.assistantId !== undefined
        ? await checkVersion(api, o, signal)
        : undefined;
    io.stdout(`${formatEstimate(cost, o.retries)}\n`);
    state = initialState({
      nonce: randomBytes(8).toString('hex'),
      startedAt,
      apiHost: deps.apiHost,
      settings,
      schedules,
      testIds,
      against: settings.against !== undefined,
      sequential: settings.allTrials !== true,
    });
    if (versionName) state.versionName = versionName;
    state.definitions = remoteFingerprint(input.suites);
    if (o.candidate !== undefined) state.candidate = o.candidate;
  }
  // The nonce (and so every Idempotency-Key) is on disk before the first trigger.
  writeState(o.outDir, state);

  const selectedByKey = new Map(selection.map((s) => [pairKey(s.suite.name, s.test.name), s]));
  const infoOf = (w: Work) => selectedByKey.get(pairKey(w.suite, w.test));
  const progress = createProgress(io, {
    startedMs,
    trialsOf: (c) => infoOf(c.work)?.trials ?? 1,
    rubricOf: (w) => infoOf(w)?.test.rubric ?? [],
  });
  const writer = stateWriter(() => writeState(o.outDir, state));
  const loop = new Loop(state, o, {
    api,
    clock,
    random,
    signal,
    progress,
    infoOf,
    persist: writer.mark,
    flush: writer.flush,
  });
  const end = await loop.run(startedMs);
  progress.done(state, clock.now());

  state.finishedAt = new Date(clock.now()).toISOString();
  const stillRunning = state.work.filter(isInFlight);
  const results = assembleResults({
    state,
    selection,
    startedAt: state.startedAt, // on --resume: when the runs were first triggered
    finishedAt: state.finishedAt,
    shard: state.settings.shard,
    stopReason: end.reason,
    gateOverrides: o.gateOverrides,
  });
  return {
    results,
    state,
    stillRunning,
    saveState: () => writeState(o.outDir, state),
    ...(end.stopped ? { stopped: end.stopped } : {}),
    ...(end.error === undefined ? {} : { error: end.error }),
  };
}

/** With the assistant known, a wrong version is refused before anything is triggered. */
/** With the assistant known, a wrong version is refused before anything is triggered; its name. */
async function checkVersion(
  api: RunApi,
  o: RunOptions,
  signal: AbortSignal | undefined,
): Promise<string | undefined> {
  try {
    const v = await api.getVersion(o.assistantId ?? '', o.versionId ?? '', signal ? { signal } : {});
    return v.version_name ?? v.name;
  } catch (err) {
    if (isNotFound(err)) {
      throw new UsageError(
        `--version ${o.versionId}: assistant ${o.assistantId} has no such version. Nothing was triggered.`,
      );
    }
    throw err;
  }
}

interface LoopDeps {
  api: RunApi;
  clock: Clock;
  random: () => number;
  signal?: AbortSignal | undefined;
  progress: ReturnType<typeof createProgress>;
  infoOf: (w: Work) => SelectedTest | undefined;
  /** A change to persist (throttled, see stateWriter). */
  persist: () => void;
  /** Write what is pending now (after a round of triggers, or new work items). */
  flush: () => void;
}

interface LoopEnd {
  stopped?: 'cancelled' | 'timeout' | 'error';
  reason?: string;
  error?: unknown;
}

class Loop {
  private readonly version: { id?: string | undefined; confirmed: boolean };
  /** `--against`: the baseline side's version, resolved before the run (so known to exist). */
  private readonly baselineVersion: { id?: string | undefined; confirmed: boolean };
  private readonly poll: PollPolicy;
  private readonly graceMs: number;
  private readonly limit = pLimit(TRIGGER_CONCURRENCY);
  private lastProgressMs = 0;
  /** The last poll: how many runs it saw finish, and how long after the one before it. */
  private lastPoll: { intervalMs: number; finished: number } | undefined;
  private lastPollAt: number | undefined;
  /** When the last poll's answers were in: the cadence counts from there (see nextPollMs). */
  private lastPollEndAt: number | undefined;
  /** The last round of triggers stopped at the cadence with triggers left to send. */
  private sliced = false;
  /** Polls in a row that met problems (backoff). */
  private failures = 0;
  /** When the polls started failing without a break (see PollPolicy.outageMs). */
  private failingSince: number | undefined;
  private readonly poller: Poller;

  constructor(
    private readonly state: RunState,
    private readonly o: RunOptions,
    private readonly d: LoopDeps,
  ) {
    // On resume, a run already triggered proves the version exists.
    const confirmed = state.work.some((w) => w.runId !== undefined);
    this.version = { id: state.settings.versionId, confirmed };
    this.baselineVersion = { id: state.settings.against?.versionId, confirmed: true };
    this.poll = o.poll ?? DEFAULT_POLL_POLICY;
    this.graceMs = o.graceMs ?? DEFAULT_GRACE_MS;
    this.poller = new Poller({ api: d.api, now: this.now, signal: d.signal }, this.poll);
  }

  private now = (): number => this.d.clock.now();

  private report(changes: readonly Change[], problems: readonly string[] = []): void {
    for (const p of problems) this.d.progress.note(`warning: ${p}`);
    if (changes.length > 0) this.lastProgressMs = this.now();
    this.d.progress.update(this.state, changes, this.now());
  }

  private maxDurationSeconds = (w: Work): number =>
    this.d.infoOf(w)?.test.maxDurationSeconds ?? ASSUMED_MAX_DURATION_SECONDS;

  /** Anything left to do: a trigger to send or a run to wait for. */
  private busy(): boolean {
    return (
      this.state.batches.some((b) => b.status === 'queued') ||
      this.state.work.some((w) => isInFlight(w) || (w.status === 'queued' && w.via === 'test'))
    );
  }

  /** --timeout is not checked here: it aborts the signal (deadline.ts), like a cancel. */
  async run(startedMs: number): Promise<LoopEnd> {
    this.lastProgressMs = startedMs;
    try {
      for (;;) {
        if (this.d.signal?.aborted) return this.cancel();
        this.retry();
        this.release();
        await this.triggerReady();
        if (this.d.signal?.aborted) return this.cancel();
        this.retry(); // triggers given up just now may be retried
        this.release();
        if (!this.busy()) return {};

        // A round of triggers cut at the cadence: poll now, then trigger the rest.
        const wait = this.sliced ? 0 : this.nextPollMs();
        await this.d.clock.sleep(wait, this.d.signal);
        if (this.d.signal?.aborted) return this.cancel();
        if (!this.state.work.some(isInFlight)) continue;

        const polledAt = this.now();
        const polled = await this.poller.poll(this.state);
        this.lastPoll = {
          intervalMs: this.lastPollAt === undefined ? 0 : polledAt - this.lastPollAt,
          finished: polled.changes.filter((c) => isFinal(c.to)).length,
        };
        this.lastPollAt = polledAt;
        this.lastPollEndAt = this.now();
        if (this.d.signal?.aborted) return this.cancel();
        if (polled.fatal !== undefined) throw polled.fatal;
        const timedOut = dueTimeouts(this.state, this.now(), {
          graceMs: this.graceMs,
          maxDurationSeconds: this.maxDurationSeconds,
          lastProgressMs: this.lastProgressMs,
        });
        const changes = [...polled.changes, ...timedOut];
        for (const n of polled.notes) this.d.progress.note(`note: ${n}`);
        this.report(changes, polled.problems.length > 0 ? [`poll: ${polled.problems[0]}`] : []);
        if (changes.length > 0) this.d.persist();
        // Back off while the API struggles; the steady cadence otherwise.
        this.failures = polled.problems.length > 0 ? this.failures + 1 : 0;
        // An outage: polls with problems and no answer at all. One read that keeps failing while
        // others are answered is not one (its runs are waited for until the others are done).
        if (polled.problems.length === 0 || polled.answered > 0) this.failingSince = undefined;
        else this.failingSince ??= polledAt;
        const outageMs = this.poll.outageMs ?? DEFAULT_OUTAGE_MS;
        if (this.failingSince !== undefined && this.now() - this.failingSince >= outageMs) {
          const reason = `stopped: the API answered no poll for ${formatElapsed(outageMs)} (last: ${polled.problems[0]})`;
          this.report(stopAll(this.state, { queued: 'not triggered: the API stopped answering polls' }));
          this.d.progress.note(`error: ${reason}`);
          return { stopped: 'error', reason, error: new Error(reason) };
        }
      }
    } catch (err) {
      // A wrong key or missing permission is the same for every test: the command stops with
      // that one message (exit 3), not one error per test. The state file keeps what was
      // triggered, for --resume once the key is fixed.
      if (err instanceof UsageError || isFatal(err)) throw err;
      if (this.d.signal?.aborted) return this.cancel();
      const reason = `stopped by an error: ${err instanceof Error ? err.message : String(err)}`;
      this.report(stopAll(this.state, { queued: 'not triggered: the run stopped on an error' }));
      this.d.progress.note(`error: ${reason}`);
      return { stopped: 'error', reason, error: err };
    }
  }

  /**
   * Ms until the next poll: the cadence (shorter for the last few runs, see cadenceShare; longer
   * while polls fail), but with --history never before a run can be expected to be done, and
   * right when every run left is expected to be done if that comes sooner.
   */
  private nextPollMs(): number {
    const cadence = Math.round(
      (this.failures > 0 ? 1 : this.poller.cadenceShare(this.state)) *
        pollDelay(this.failures, this.poll, this.d.random),
    );
    const now = this.now();
    const inFlight = this.state.work.filter(isInFlight).length;
    const pace =
      this.failures > 0 || !this.lastPoll
        ? undefined
        : untilPaceDoneMs(inFlight, this.lastPoll.finished, this.lastPoll.intervalMs);
    // The end of a batch that finishes steadily: no sooner than a quarter of the cadence.
    const step = pace !== undefined && pace < cadence ? Math.max(pace, cadence / 4) : cadence;
    const paced = fromLastPollMs(step, now, this.lastPollEndAt);
    const expected = this.o.expectedMs;
    if (!expected) return this.beforeDeadline(paced);
    const of = (w: Work) => expected.get(pairKey(w.suite, w.test));
    const allDone = this.failures > 0 ? undefined : untilAllExpectedMs(this.state, now, of);
    const next =
      allDone !== undefined && allDone >= 0 && allDone < paced
        ? allDone + (this.poll.endSlackMs ?? DEFAULT_END_SLACK_MS)
        : paced;
    return this.beforeDeadline(Math.max(next, untilUsefulMs(this.state, now, of)));
  }

  /**
   * A wait that would run past --timeout's deadline becomes one that polls shortly before it
   * (when that is still a quarter of the cadence away), so the partial reports hold what the
   * API had then, not what it had a whole cadence earlier.
   */
  private beforeDeadline(waitMs: number): number {
    const at = this.o.deadlineAtMs;
    if (at === undefined) return waitMs;
    const remaining = at - this.now();
    const early = remaining - Math.min(DEADLINE_MARGIN_MS, remaining / 4);
    return waitMs > remaining && early >= this.poll.startMs / 4 ? early : waitMs;
  }

  private async triggerReady(): Promise<void> {
    const inFlight = this.state.work.filter(isInFlight).length;
    const capacity =
      this.o.maxInFlight === undefined ? Number.POSITIVE_INFINITY : this.o.maxInFlight - inFlight;
    const common = {
      api: this.d.api,
      state: this.state,
      now: this.now,
      signal: this.d.signal,
      persist: this.d.persist,
      ...(this.o.resume ? { unsentSince: this.state.startedAt } : {}),
    };
    // Each side triggers its own version (--against: the baseline's, resolved before the run).
    const ctx = { ...common, version: this.version };
    const baseCtx = { ...common, version: this.baselineVersion };
    // A round of thousands of per-test triggers takes longer than the cadence, and runs started
    // early in it finish meanwhile: triggers not begun within one cadence wait for the next
    // round, after a poll (they stay queued, so nothing is lost or sent twice).
    const sliceEnd = this.now() + this.poll.startMs;
    this.sliced = false;
    const timed = (job: () => Promise<TriggerOutcome>) => (): Promise<TriggerOutcome> => {
      if (this.now() <= sliceEnd) return job();
      this.sliced = true;
      return Promise.resolve(noOutcome());
    };
    // A job that throws (the state file cannot be written, say) stops the round: jobs not begun
    // yet send nothing, and the round ends once those in flight have, so no trigger goes out
    // after the run has stopped and reported them "not triggered".
    let thrown: { err: unknown } | undefined;
    const guarded = (job: () => Promise<TriggerOutcome>) => async (): Promise<TriggerOutcome> => {
      if (thrown) return noOutcome();
      try {
        return await job();
      } catch (err) {
        thrown ??= { err };
        return noOutcome();
      }
    };
    const settled = async (js: Array<() => Promise<TriggerOutcome>>): Promise<TriggerOutcome[]> => {
      const all = await Promise.all(js.map((j) => this.limit(guarded(j))));
      if (thrown) throw thrown.err;
      return all;
    };
    const jobsOf = (wave: Wave) => [
      ...wave.batches.map((b) => () => triggerBatch(b, b.side === 'baseline' ? baseCtx : ctx)),
      ...wave.work.map((w) => timed(() => triggerWork(w, w.side === 'baseline' ? baseCtx : ctx))),
    ];
    // One per-test trigger per test (and side) at a time: two in flight for one test look alike
    // in the test's run history, which a trigger resumed past its key's replay window reads.
    const busyTests = new Set<string>();
    const queued = this.state.work.filter((w) => {
      if (w.status !== 'queued' || w.via !== 'test' || w.held) return false;
      const k = tupleKey(w.suite, w.test, w.side ?? 'candidate');
      if (busyTests.has(k)) return false;
      busyTests.add(k);
      return true;
    });
    const ready: Wave = {
      batches: this.state.batches.filter((b) => b.status === 'queued' && !b.held),
      work: queued.slice(0, Math.max(0, capacity)),
    };
    // A baseline trigger never shares a wave with the candidate's trigger of the same test.
    const { now, later } = splitWave(this.state, ready);
    const jobs = jobsOf(now);
    if (jobs.length === 0 && later.batches.length + later.work.length === 0) return;

    // With --version, one trigger goes first: if the API refuses the version, nothing else is sent.
    const first = this.version.id !== undefined && !this.version.confirmed ? jobs.shift() : undefined;
    const outcomes = first ? [await first()] : [];
    // Loops, not push(...xs): a spread of 120k+ items overflows the stack.
    if (!this.d.signal?.aborted) for (const o of await settled(jobs)) outcomes.push(o);
    if (!this.d.signal?.aborted) {
      // The baseline triggers that waited, once the candidate's have resolved (sides.ts).
      for (const o of await settled(jobsOf(splitWave(this.state, later).now))) outcomes.push(o);
    }
    const changes = outcomes.flatMap((x) => x.changes);
    const problems = outcomes.flatMap((x) => x.problems);
    const extra = outcomes.reduce((n, x) => n + x.extraRuns, 0);
    if (extra > 0)
      problems.push(`a suite trigger also started ${extra} run(s) of remote tests not in the suite files`);
    this.report(changes, problems.slice(0, 3));
    this.d.flush();
    if (problems.length > 0) this.failures++;
  }

  /** Sequential trials: trigger the held trials tests need now, drop the ones decided without them. */
  private release(): void {
    const ruleOf = (w: Work): TrialRule | undefined => {
      const s = this.d.infoOf(w);
      if (!s) return undefined;
      return { trials: s.trials, minPasses: s.minPasses, rubric: s.test.rubric };
    };
    const r = releaseTrials(this.state, ruleOf);
    if (r.released > 0 || r.dropped > 0) {
      this.d.persist();
      this.d.flush();
    }
  }

  private retry(): void {
    const added = spawnRetries(this.state, {
      retries: this.o.retries,
      maxRuns: this.o.maxRuns,
      rubricOf: (w) => this.d.infoOf(w)?.test.rubric ?? [],
    });
    if (added.length > 0) {
      this.d.persist();
      this.d.flush();
    }
  }

  private cancel(): LoopEnd {
    if (isDeadline(this.d.signal)) return this.timeout();
    const reason = reasonText(this.d.signal);
    const changes = stopAll(this.state, { queued: `not triggered: ${reason}` });
    this.report(changes);
    return { stopped: 'cancelled', reason };
  }

  private timeout(): LoopEnd {
    const reached = deadlineMessage(this.d.signal) ?? '--timeout reached';
    // Runs still in progress stay so, as after a cancel: no verdict yet (not "timed out", an
    // error a gate would count as failing), listed with their ids for --resume.
    const changes = stopAll(this.state, { queued: `not triggered: ${reached} first` });
    this.report(changes);
    return { stopped: 'timeout', reason: reached };
  }
}
