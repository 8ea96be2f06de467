// `rubric-gate run [paths] [--version ID] [--no-sync] [--grep RE] [--tag T] [--trials N]
// [--retries N] [--max-in-flight N] [--max-runs N] [--timeout DUR] [--shard I/N] [--resume]
// [--out-dir DIR] [--reporter ...] [--baseline FILE] [gate flags]`
//
// The shell around run/run.ts: flags → RunOptions, load suites (problems → exit 2, nothing sent),
// --max-runs (exit 2, nothing sent), sync (unless --no-sync or --resume), run, then gate and
// report. SIGINT/SIGTERM stop polling at once; partial reports are written and the runs still in
// progress remotely are listed (the API cannot cancel them), exit 3.
import { resolve } from 'node:path';
import { DEFAULT_OUT_DIR, parseReporters, REPORTERS, type ReporterName } from '../../reporters/index.js';
import { TelnyxClient } from '../api/client.js';
import type { AssistantTest } from '../api/schemas.js';
import { resolveApiConfig } from '../config.js';
import { parseDuration } from '../duration.js';
import { type ExitCode, redact, SuiteFileError, UsageError } from '../errors.js';
import { HISTORY_LIMIT_MAX } from '../history.js';
import type { Io } from '../io.js';
import { hasWrites } from '../plan.js';
import { planSummary, renderSyncReport } from '../render-plan.js';
import type { Results } from '../results.js';
import { readResultsFile } from '../results-file.js';
import { checkAgainstFlags, resolveAgainst } from '../run/against.js';
import { notStartedResults } from '../run/assemble.js';
import { type Clock, systemClock } from '../run/clock.js';
import { deadlineMessage, startDeadline } from '../run/deadline.js';
import { isFatal, type PollPolicy } from '../run/poll.js';
import {
  preflight,
  type RunOptions,
  type RunReport,
  runSuites,
  selectionFor,
  settingsOf,
} from '../run/run.js';
import {
  assertSelection,
  compileGrep,
  definitionsFingerprint,
  fingerprintsBefore,
  parseShard,
  shardInfo,
  versionTargetProblem,
} from '../run/select.js';
import { mayHaveStarted, type RunSettings, type RunState, readState } from '../run/state.js';
import { loadSuites } from '../suite/load.js';
import type { SuiteDef } from '../suite/model.js';
import { TRIALS_MAX } from '../suite/schema.js';
import { assertNoConflicts, fetchRemote, readAndPlan, syncPlan, throwIfFailed } from '../sync.js';
import type { Evaluation } from '../verdict.js';
import { prepareMemory } from './memory.js';
import type { ApiFlags } from './plan.js';
import { reportError } from './plan.js';
import { type GateFlags, gateAndReport, gateOverridesFromFlags, type ReportOutputOptions } from './report.js';

/** Flags as commander gives them (numbers may still be strings). */
export interface RunFlags extends ApiFlags, GateFlags {
  version?: string | undefined;
  /** With --version: check the version exists on this assistant before triggering. */
  assistant?: string | undefined;
  /** commander's --no-sync sets this to false. */
  sync?: boolean | undefined;
  /** Sync also deletes remote tests of managed suites that the files no longer declare. */
  prune?: boolean | undefined;
  grep?: string | undefined;
  tag?: string | string[] | undefined;
  trials?: string | number | undefined;
  retries?: string | number | undefined;
  maxInFlight?: string | number | undefined;
  maxRuns?: string | number | undefined;
  timeout?: string | undefined;
  shard?: string | undefined;
  resume?: boolean | undefined;
  /** `--against <version-id|main>`: also run every selected test on this baseline version. */
  against?: string | undefined;
  /** Every trial runs, even once a test is decided. */
  allTrials?: boolean | undefined;
  maxCallMinutes?: string | number | undefined;
  /** An empty selection passes instead of being a usage error. */
  passWithNoTests?: boolean | undefined;
  outDir?: string | undefined;
  reporter?: string | string[] | undefined;
  baseline?: string | undefined;
  /** A JSONL file of earlier runs: read, then this run appended (bounded to --history-limit). */
  history?: string | undefined;
  historyLimit?: string | number | undefined;
  /** commander's --no-quarantine sets this to false: quarantined tests gate too. */
  quarantine?: boolean | undefined;
  /** A git ref: only tests whose definition changed since then (or that are new) run. */
  changedSince?: string | undefined;
}

/** Test and embedding seams. */
export interface RunCommandDeps {
  /** Told the final results, evaluation and report paths (see gateAndReport). */
  onReported?: ReportOutputOptions['onReported'];
  /** Cancels the run; when given, no process signal handlers are installed. */
  signal?: AbortSignal;
  clock?: Clock;
  client?: TelnyxClient;
  poll?: PollPolicy;
  graceMs?: number;
  random?: () => number;
}

export interface RunCommandOptions extends RunOptions {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  reporters?: ReporterName[] | undefined;
  baseline?: string | undefined;
  prune?: boolean | undefined;
  passWithNoTests?: boolean | undefined;
  history?: string | undefined;
  historyLimit?: number | undefined;
  noQuarantine?: boolean | undefined;
  changedSince?: string | undefined;
  gateFlags: GateFlags;
  /** Set by promote, whose run refuses --pass-with-no-tests (see assertSelection). */
  promotion?: boolean | undefined;
  /** The assistant --version belongs to, when promote knows it (its run has no assistantId). */
  versionOf?: string | undefined;
}

function intFlag(
  name: string,
  v: string | number | undefined,
  min: number,
  max?: number,
): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : /^\s*\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${name} must be a whole number ${range} (got ${JSON.stringify(v)})`);
  }
  return n;
}

const list = (v: string | string[] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v])
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);

/** Validate every flag up front: a bad one is exit 2 before any file is read or request sent. */
export function parseRunFlags(paths: readonly string[], flags: RunFlags, io: Io): RunCommandOptions {
  if (flags.grep !== undefined) compileGrep(flags.grep);
  const reporters = flags.reporter === undefined ? undefined : parseReporters(flags.reporter);
  if (reporters && reporters.unknown.length > 0) {
    throw new UsageError(`--reporter: unknown ${reporters.unknown.join(', ')} (use ${REPORTERS.join(', ')})`);
  }
  // An empty --version (a CI variable that was never set) is no "main": the API might take ""
  // as not given and run main, and the results would call main's verdict the candidate's.
  if (flags.version !== undefined && flags.version.trim() === '') {
    throw new UsageError(
      '--version is empty: pass a version id, or leave --version out to run the main version',
    );
  }
  if (flags.assistant !== undefined && flags.assistant.trim() === '') {
    throw new UsageError('--assistant is empty: pass an assistant id, or leave --assistant out');
  }
  if (flags.assistant !== undefined && flags.version === undefined && flags.against === undefined) {
    throw new UsageError(
      '--assistant is only used to check --version (and find --against main); pass --version too',
    );
  }
  if (flags.against !== undefined) {
    checkAgainstFlags({ against: flags.against, assistantId: flags.assistant, versionId: flags.version });
  }
  const o: RunCommandOptions = {
    paths: [...paths],
    versionId: flags.version,
    assistantId: flags.assistant,
    sync: flags.sync !== false,
    prune: flags.prune === true,
    grep: flags.grep,
    tags: list(flags.tag),
    trials: intFlag('--trials', flags.trials, 1, TRIALS_MAX),
    retries: intFlag('--retries', flags.retries, 0, 10) ?? 0,
    maxInFlight: intFlag('--max-in-flight', flags.maxInFlight, 1),
    maxRuns: intFlag('--max-runs', flags.maxRuns, 1),
    maxCallMinutes: intFlag('--max-call-minutes', flags.maxCallMinutes, 1),
    ...(flags.against === undefined ? {} : { against: flags.against }),
    ...(flags.allTrials === true ? { allTrials: true } : {}),
    timeoutMs: flags.timeout === undefined ? undefined : parseDuration(flags.timeout, '--timeout'),
    shard: flags.shard === undefined ? undefined : parseShard(flags.shard),
    resume: flags.resume === true,
    passWithNoTests: flags.passWithNoTests === true,
    outDir: resolve(io.cwd, flags.outDir ?? DEFAULT_OUT_DIR),
    apiKey: flags.apiKey,
    baseUrl: flags.baseUrl,
    reporters: reporters?.reporters,
    baseline: flags.baseline,
    history: flags.history,
    historyLimit: intFlag('--history-limit', flags.historyLimit, 1, HISTORY_LIMIT_MAX),
    noQuarantine: flags.quarantine === false,
    changedSince: flags.changedSince,
    gateFlags: {
      ...(flags.minPassRate === undefined ? {} : { minPassRate: Number(flags.minPassRate) }),
      ...(flags.maxErrors === undefined ? {} : { maxErrors: Number(flags.maxErrors) }),
      ...(flags.failOnRegression === undefined ? {} : { failOnRegression: flags.failOnRegression }),
    },
  };
  if (o.resume) {
    // What was given, to hold against the interrupted run's settings (runSuites resumeConflict).
    o.resumeFlags = {
      versionId: o.versionId,
      grep: o.grep,
      ...(flags.tag === undefined ? {} : { tags: o.tags }),
      trials: o.trials,
      ...(flags.retries === undefined ? {} : { retries: o.retries }),
      maxInFlight: o.maxInFlight,
      maxRuns: o.maxRuns,
      shard: o.shard,
      against: o.against,
      ...(o.allTrials ? { allTrials: true } : {}),
    };
  }
  o.judging = {
    ...o.gateFlags,
    ...(o.noQuarantine ? { noQuarantine: true } : {}),
    ...(o.baseline === undefined ? {} : { baseline: o.baseline }),
  };
  if (o.resumeFlags) o.resumeFlags.judging = o.judging;
  if (o.timeoutMs !== undefined && o.timeoutMs <= 0) throw new UsageError('--timeout must be more than 0');
  if (o.historyLimit !== undefined && o.history === undefined) {
    throw new UsageError('--history-limit bounds the --history file; pass --history FILE too');
  }
  gateOverridesFromFlags(o.gateFlags); // range checks now, not after every run has finished
  return o;
}

export async function runCommand(
  paths: readonly string[],
  flags: RunFlags,
  io: Io,
  deps: RunCommandDeps = {},
): Promise<ExitCode> {
  let opts: RunCommandOptions;
  try {
    opts = parseRunFlags(paths, flags, io);
  } catch (err) {
    return reportError(err, io, flags.apiKey);
  }
  return withStopSignals(io, 'writing partial results', deps, (d) => executeRun(opts, io, d));
}

/**
 * Run fn with a signal that the first SIGINT/SIGTERM aborts (polling stops, partial reports are
 * written); a second one kills the process as usual, since the handlers are `once`. When the
 * caller brings its own signal (tests, the Action), no process handlers are installed.
 */
export async function withStopSignals<T>(
  io: Io,
  what: string,
  deps: RunCommandDeps,
  fn: (deps: RunCommandDeps) => Promise<T>,
): Promise<T> {
  if (deps.signal) return fn(deps);
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    io.stderr(`\n${sig}: stopping; ${what} (press again to quit at once)\n`);
    controller.abort(`cancelled (${sig})`);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn({ ...deps, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A resumed run is judged as the run it resumes was: the gate flags, --no-quarantine and
 * --baseline it was given apply (the printed hint, `run --resume --out-dir DIR`, gives none: a
 * --min-pass-rate 1 run passed on resume at the files' 0.5). One given that differs is refused
 * with the other flags, by runSuites (resumeConflict). A state from before they were kept
 * judges by the flags given.
 */
type Judging = NonNullable<RunSettings['judging']>;

export function judgedAsBefore(opts: RunCommandOptions, state: RunState): RunCommandOptions {
  const recorded: Judging | undefined = state.settings.judging;
  // A promotion that ran --against promotes only without a regression, whatever the resume
  // command line says (a state from before judging kept it has it from here).
  const saved: Judging | undefined =
    opts.promotion === true && state.settings.against !== undefined
      ? { ...recorded, failOnRegression: true }
      : recorded;
  if (saved === undefined) return opts;
  const gateFlags: GateFlags = {
    ...(saved.minPassRate === undefined ? {} : { minPassRate: saved.minPassRate }),
    ...(saved.maxErrors === undefined ? {} : { maxErrors: saved.maxErrors }),
    ...(saved.failOnRegression === undefined ? {} : { failOnRegression: saved.failOnRegression }),
  };
  return {
    ...opts,
    gateFlags,
    noQuarantine: saved.noQuarantine === true,
    ...(saved.baseline === undefined ? {} : { baseline: saved.baseline }),
    judging: { ...saved },
  };
}

/** Steps another command (promote) adds to the run pipeline. */
export interface RunHooks {
  /** With the client, before anything is synced or triggered: reads and refusals only. */
  beforeRun?: (client: TelnyxClient) => Promise<void>;
  /** After the gate is evaluated, before the reports are written (see gateAndReport). */
  afterGate?: (client: TelnyxClient, results: Results, evaluation: Evaluation) => Promise<Results>;
}

/** The whole `run` pipeline for parsed options; the Action calls this too. */
export async function executeRun(
  opts: RunCommandOptions,
  io: Io,
  deps: RunCommandDeps = {},
  hooks: RunHooks = {},
): Promise<ExitCode> {
  // --timeout bounds the whole command, sync included: every request and wait listens to it.
  const clock = deps.clock ?? systemClock;
  const deadlineAtMs = opts.timeoutMs === undefined ? undefined : clock.now() + opts.timeoutMs;
  const deadline = startDeadline(deps.signal, opts.timeoutMs, clock);
  deps = { ...deps, ...(deadline.signal ? { signal: deadline.signal } : {}) };
  let client = deps.client;
  let apiKey = opts.apiKey;
  const owned = !client;
  try {
    if (opts.resume) opts = judgedAsBefore(opts, readState(opts.outDir));
    // Read the baseline first: a missing or broken file must fail before any run is started.
    const baseline = opts.baseline
      ? await readResultsFile(resolve(io.cwd, opts.baseline), `--baseline ${opts.baseline}`)
      : undefined;
    const { suites: loaded, problems } = await loadSuites(opts.paths, { cwd: io.cwd, env: io.env });
    if (problems.length > 0) throw new SuiteFileError(problems);
    // --history is read and --changed-since narrows what runs here, before anything is sent.
    const memory = await prepareMemory(loaded, opts, io);
    // Hashed now, not while the verdict waits: the results' fingerprint, and history's per test.
    fingerprintsBefore(loaded, opts.history !== undefined);
    const suites = memory.suites;
    if (!opts.resume) {
      // --max-runs and an empty selection refuse here: nothing sent yet.
      const { selection } = preflight(suites, opts);
      assertSelection(suites, selection, opts);
      const wrong =
        opts.versionId === undefined
          ? undefined
          : versionTargetProblem(selection, opts.versionId, opts.assistantId ?? opts.versionOf);
      if (wrong !== undefined) throw new UsageError(wrong);
    }
    // What merge and report need to know about the selection (fingerprint, shard, empty allowed).
    const recordSelection = (r: Results, settings: RunSettings): Results => {
      const shard = shardInfo(suites, selectionFor(suites, settings), settings);
      if (shard && memory.filters) shard.filters = [shard.filters, memory.filters].filter(Boolean).join(' ');
      return memory.finish({
        ...r,
        fingerprint: definitionsFingerprint(loaded),
        ...(shard ? { shard } : {}),
        ...(opts.passWithNoTests ? { passWithNoTests: true } : {}),
      });
    };
    const gateReportRemember = async (r: Results): Promise<ExitCode> => {
      const code = await gateAndReport(r, reportOptions, io);
      await memory.save();
      return code;
    };

    const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
    apiKey = config.apiKey;
    client ??= new TelnyxClient({ ...config, ...(deps.signal ? { signal: deps.signal } : {}) });
    const api = client;
    await hooks.beforeRun?.(api);
    if (opts.against !== undefined && opts.againstVersionId === undefined && !opts.resume) {
      // Resolved once (main → its id), before anything is synced or triggered: see against.ts.
      const base = await resolveAgainst(
        api,
        { against: opts.against, assistantId: opts.assistantId, versionId: opts.versionId },
        deps.signal ? { signal: deps.signal } : {},
      );
      opts = { ...opts, againstVersionId: base.versionId };
      io.stdout(
        `Against ${base.label === 'main' ? `main (version ${base.versionId})` : `version ${base.versionId}`}: every selected test also runs there, in the same run\n`,
      );
    }
    const reportOptions = {
      ...opts.gateFlags,
      outDir: opts.outDir,
      ...(opts.reporters ? { reporters: opts.reporters } : {}),
      ...(baseline ? { baseline } : {}),
      ...(hooks.afterGate ? { afterGate: (r: Results, e: Evaluation) => hooks.afterGate!(api, r, e) } : {}),
      ...(deps.onReported ? { onReported: deps.onReported } : {}),
    };
    const startedAt = new Date().toISOString();
    let remote: Map<string, AssistantTest[]>;
    try {
      // Sync every loaded suite: --changed-since narrows what runs, never what is managed.
      remote = opts.resume ? new Map() : await syncFirst(client, loaded, opts, io, deps);
    } catch (err) {
      // A name conflict (nothing was written), or a key the API refuses (401/403: the same for
      // every test, so one message and exit 3, not a report with one error per test).
      if (err instanceof UsageError || isFatal(err)) throw err;
      // Nothing was triggered, but a CI job still gets reports that say what is missing and why.
      const timedOut = deadlineMessage(deps.signal);
      const reason = timedOut
        ? `nothing was run: ${timedOut} during the sync before the run`
        : `nothing was run: the sync before the run failed: ${redact(err instanceof Error ? err.message : String(err), apiKey)}`;
      if (timedOut) io.stderr(`${reason}\n`);
      else reportError(err, io, apiKey);
      const results = notStartedResults({
        selection: preflight(suites, opts).selection,
        startedAt,
        finishedAt: new Date().toISOString(),
        reason,
        versionId: opts.versionId,
        shard: opts.shard,
      });
      return await gateReportRemember(recordSelection(results, settingsOf(opts)));
    }

    const report = await runSuites(
      {
        suites,
        remote,
        options: {
          ...opts,
          ...(deps.poll ? { poll: deps.poll } : {}),
          ...(memory.expectedMs.size > 0 ? { expectedMs: memory.expectedMs } : {}),
          ...(deadlineAtMs === undefined ? {} : { deadlineAtMs }),
          ...(deps.graceMs === undefined ? {} : { graceMs: deps.graceMs }),
        },
      },
      {
        api: client,
        io,
        clock: deps.clock,
        signal: deps.signal,
        random: deps.random,
        apiHost: new URL(config.baseUrl).host,
      },
    );
    printStillRunning(report, resumeHint(io, opts.outDir, hooks.afterGate ? 'promote' : 'run'), io);
    try {
      return await gateReportRemember(recordSelection(report.results, report.state.settings));
    } finally {
      report.saveState();
    }
  } catch (err) {
    return reportError(err, io, apiKey);
  } finally {
    deadline.dispose();
    if (owned) await client?.close();
  }
}

/**
 * Read the managed suites, sync them unless --no-sync, and return the remote tests the run
 * triggers (read again after writes, so every test id is current).
 */
async function syncFirst(
  client: TelnyxClient,
  suites: readonly SuiteDef[],
  opts: RunCommandOptions,
  io: Io,
  deps: RunCommandDeps,
): Promise<Map<string, AssistantTest[]>> {
  const call = deps.signal ? { signal: deps.signal } : {};
  const names = suites.map((s) => s.name);
  // --no-sync writes nothing: its plan is only the warning below, so it is not confirmed.
  const { remote, plan } = await readAndPlan(client, suites, { ...call, confirm: opts.sync });
  if (!opts.sync) {
    if (hasWrites(plan, false)) {
      io.stderr(
        `warning: --no-sync: the account differs from the suite files (${planSummary(plan, false)}); tests missing remotely are not run\n`,
      );
    }
    return remote;
  }
  assertNoConflicts(plan);
  const prune = opts.prune === true;
  if (!hasWrites(plan, prune)) return remote;
  io.stdout(`${planSummary(plan, prune)}\n`);
  const report = await syncPlan(client, plan, { prune, ...call });
  io.stdout(renderSyncReport(report, { color: io.isTTY }));
  throwIfFailed(report);
  return fetchRemote(client, names, call);
}

/** How to pick up runs left in progress, in the words of the surface the user is on. */
export function resumeHint(io: Io, outDir: string, command: 'run' | 'promote'): string {
  return io.action
    ? `re-run this step with the input resume: true and out-dir ${outDir} restored (actions/cache or an artifact of it)`
    : `rubric-gate ${command} --resume --out-dir ${outDir}`;
}

function printStillRunning(report: RunReport, hint: string, io: Io): void {
  const { stillRunning } = report;
  // Triggers that got no answer: their runs may exist though no id is known. A run again
  // without --resume would send them under new keys: a second run of each.
  const maybe = report.state.work.filter(mayHaveStarted).length;
  if (stillRunning.length === 0) {
    if (maybe > 0) {
      io.stdout(
        `${maybe} trigger${maybe === 1 ? '' : 's'} got no answer, so ${maybe === 1 ? 'its run' : 'their runs'} may have started remotely.\nPick them up with: ${hint}\n`,
      );
    }
    return;
  }
  const lines = stillRunning
    .slice(0, 50)
    .map(
      (w) =>
        `  ${w.suite} › ${w.test} [trial ${w.trial}${w.retry ? `, retry ${w.retry}` : ''}]: run ${w.runId} (${w.status})`,
    );
  const more = stillRunning.length > 50 ? [`  ... and ${stillRunning.length - 50} more`] : [];
  io.stdout(
    `${[
      `${stillRunning.length} run${stillRunning.length === 1 ? ' is' : 's are'} still in progress remotely (the API cannot cancel runs):`,
      ...lines,
      ...more,
      `Pick them up with: ${hint}`,
    ].join('\n')}\n`,
  );
}
