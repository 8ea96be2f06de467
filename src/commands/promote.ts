import { plainText } from '../../reporters/format.js';
import { isRetryableStatus } from '../api/backoff.js';
import type { Assistant, CanaryDeployBody } from '../api/schemas.js';
import { ApiError, type ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import {
  actionSentence,
  decideAction,
  describeAction,
  gateBlocks,
  type PromoteAction,
  parseCanaryWeight,
} from '../promote.js';
import type { Promotion, Results } from '../results.js';
import { resolveAgainst } from '../run/against.js';
import { canonical } from '../run/select.js';
import { type RunSettings, readState } from '../run/state.js';
import type { Evaluation } from '../verdict.js';
import { reportError } from './plan.js';
import {
  executeRun,
  parseRunFlags,
  type RunCommandDeps,
  type RunCommandOptions,
  type RunFlags,
  type RunHooks,
  withStopSignals,
} from './run.js';
import { type AssistantSnapshot, readAssistant, type VersionsApi, versionIdOf } from './versions.js';

export interface PromoteFlags extends RunFlags {
  canary?: string | number | undefined;
  dryRun?: boolean | undefined;
}

export interface PromoteCommandOptions extends RunCommandOptions {
  assistantId: string;
  versionId: string;
  canaryWeight?: number | undefined;
  dryRun: boolean;
}

/** The writes promotion needs; TelnyxClient satisfies it. */
export interface PromoteApi extends VersionsApi {
  promoteVersion(assistantId: string, versionId: string, opts?: Call): Promise<unknown>;
  createCanary(assistantId: string, body: CanaryDeployBody, opts?: Call): Promise<unknown>;
  updateCanary(assistantId: string, body: CanaryDeployBody, opts?: Call): Promise<unknown>;
}
type Call = { signal?: AbortSignal };

/** Validate every flag up front: a bad one is exit 2 before anything is read or sent. */
export function parsePromoteFlags(
  paths: readonly string[],
  flags: PromoteFlags,
  io: Io,
): PromoteCommandOptions {
  if (flags.assistant === undefined || flags.assistant.trim() === '') {
    throw new UsageError('promote needs --assistant <id> (the assistant whose version is promoted)');
  }
  if (flags.version === undefined || flags.version.trim() === '') {
    throw new UsageError('promote needs --version <id> (the version to test and promote)');
  }
  if (flags.shard !== undefined) {
    throw new UsageError(
      '--shard: promote gates on every selected test; run the shards with `run`, merge them, then promote',
    );
  }
  if (flags.changedSince !== undefined) {
    throw new UsageError('--changed-since: promote gates on every selected test, not only the changed ones');
  }
  if (flags.passWithNoTests === true) {
    throw new UsageError('--pass-with-no-tests: a promotion needs a test that ran');
  }
  const opts = parseRunFlags(paths, flags, io);
  // promote --against: promoted only when no test regressed against that version in this run.
  // Judging too: it is what the state keeps, and what a --resume is judged by (judgedAsBefore).
  if (opts.against !== undefined) {
    opts.gateFlags = { ...opts.gateFlags, failOnRegression: true };
    opts.judging = { ...opts.judging, failOnRegression: true };
    if (opts.resumeFlags) opts.resumeFlags.judging = opts.judging;
  }
  const canaryWeight = parseCanaryWeight(flags.canary);
  return {
    ...opts,
    assistantId: flags.assistant,
    versionId: flags.version,
    ...(canaryWeight === undefined ? {} : { canaryWeight }),
    dryRun: flags.dryRun === true,
  };
}

export async function promoteCommand(
  paths: readonly string[],
  flags: PromoteFlags,
  io: Io,
  deps: RunCommandDeps = {},
): Promise<ExitCode> {
  let opts: PromoteCommandOptions;
  try {
    opts = parsePromoteFlags(paths, flags, io);
  } catch (err) {
    return reportError(err, io, flags.apiKey);
  }
  // As in `run`, an interrupt writes partial reports; the run is then incomplete, so nothing is promoted.
  return withStopSignals(io, 'nothing will be promoted; writing partial results', deps, (d) =>
    executePromote(opts, io, d),
  );
}

/** The version must exist and must not be main already. Pure over the snapshot. */
export function checkCandidate(snap: AssistantSnapshot, versionId: string): void {
  const found = snap.versions.some((v) => versionIdOf(v) === versionId);
  if (!found) {
    const known = snap.versions
      .slice(0, 10)
      .map((v) => `${versionIdOf(v)} ${JSON.stringify(plainText(v.version_name ?? v.name))}`);
    const more = snap.versions.length > 10 ? [`... and ${snap.versions.length - 10} more`] : [];
    throw new UsageError(
      `--version ${versionId}: assistant ${snap.assistantId} has no such version${
        known.length > 0 ? ` (it has: ${[...known, ...more].join(', ')})` : ' (it lists none)'
      }. Nothing was triggered; see \`rubric-gate versions --assistant ${snap.assistantId}\`.`,
    );
  }
  if (snap.mainVersionId === versionId) {
    throw new UsageError(
      `--version ${versionId} is already the main version of assistant ${snap.assistantId}: nothing to promote. Nothing was triggered.`,
    );
  }
}

/** The plan printed before the run: what happens if every gate holds. Pure. */
export function renderPromotePlan(snap: AssistantSnapshot, action: PromoteAction, dryRun: boolean): string {
  const nameOf = (id: string) => {
    const v = snap.versions.find((x) => versionIdOf(x) === id);
    return v ? ` (${JSON.stringify(plainText(v.version_name ?? v.name))})` : '';
  };
  const lines = [
    `Promote: assistant ${plainText(snap.assistantId)}, version ${plainText(action.versionId)}${nameOf(action.versionId)}`,
    snap.mainVersionId === undefined
      ? '  main now: unknown (the versions list does not say which version is main)'
      : `  main now: ${plainText(snap.mainVersionId)}${nameOf(snap.mainVersionId)}`,
    '  if every gate holds:',
    ...describeAction(action).map((l) => `    ${plainText(l)}`),
    dryRun
      ? '  --dry-run: the tests run; nothing is promoted and the canary config is not written'
      : '  on a failed gate or an unfinished run nothing is changed',
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * The run pipeline (src/commands/run.ts) with two steps added: before anything is synced or
 * triggered, read the assistant, refuse a bad candidate and print the plan; after the gate,
 * promote or write the canary (promoteAfterGate), so the reports record what was done.
 */
export async function executePromote(
  opts: PromoteCommandOptions,
  io: Io,
  deps: RunCommandDeps = {},
): Promise<ExitCode> {
  const call = deps.signal ? { signal: deps.signal } : {};
  // No assistantId for the run itself: beforeRun has read the version already (and --against).
  const runOpts: RunCommandOptions = {
    ...opts,
    assistantId: undefined,
    promotion: true,
    versionOf: opts.assistantId,
  };
  // The candidate as read before its tests ran (beforeRun), compared again before any write.
  let tested: string | undefined;
  let againstMain: string | undefined;
  const hooks: RunHooks = {
    beforeRun: async (client) => {
      let savedCandidate: string | undefined;
      if (opts.resume) {
        const state = readState(opts.outDir);
        const saved = state.settings;
        savedCandidate = state.candidate;
        if (saved.against?.label === 'main') againstMain = saved.against.versionId;
        if (saved.versionId !== opts.versionId) {
          throw new UsageError(
            `--resume: the runs in ${opts.outDir} were against ${saved.versionId ?? 'the main version'}, not --version ${opts.versionId}`,
          );
        }
        const narrower = resumedSelectionProblem(saved, opts);
        if (narrower) throw new UsageError(`--resume: ${narrower}; promote gates on what it is asked to`);
        if (savedCandidate === undefined)
          throw new UsageError(
            `--resume: the runs in ${opts.outDir} did not record version ${opts.versionId} as it was when they started (\`run\` started them, or an older rubric-gate), so an edit since cannot be ruled out; run promote without --resume`,
          );
      }
      const snap = await readAssistant(client, opts.assistantId, call);
      const now = versionPrint(snap.versions.find((v) => versionIdOf(v) === opts.versionId));
      // A resumed promote whose own write went through before the cut finds its candidate main
      // already, as it was tested: the gate and the write (read back as landed) finish the job.
      const landedBefore =
        savedCandidate !== undefined && savedCandidate === now && snap.mainVersionId === opts.versionId;
      if (!landedBefore) checkCandidate(snap, opts.versionId);
      if (savedCandidate !== undefined && savedCandidate !== now)
        throw new UsageError(
          `--resume: version ${opts.versionId} changed since the runs in ${opts.outDir} started, so they tested what it was then; run promote without --resume. Nothing was triggered`,
        );
      // What was tested: as read before the first run (before this process, on --resume).
      tested = savedCandidate ?? now;
      runOpts.candidate = tested;
      const action = decideAction({
        versionId: opts.versionId,
        canaryWeight: opts.canaryWeight,
        canary: snap.canary,
      });
      io.stdout(renderPromotePlan(snap, action, opts.dryRun));
      if (opts.against !== undefined && !opts.resume) {
        const base = await resolveAgainst(client, opts as typeof opts & { against: string }, call);
        runOpts.againstVersionId = base.versionId;
        if (base.label === 'main') againstMain = base.versionId;
        io.stdout(
          `Against ${base.label === 'main' ? `main (version ${base.versionId})` : `version ${base.versionId}`}: promoted only if no test regresses against it in this run\n`,
        );
      }
    },
    afterGate: async (client, results, evaluation) => {
      const promotion = await promoteAfterGate(
        {
          client,
          assistantId: opts.assistantId,
          versionId: opts.versionId,
          canaryWeight: opts.canaryWeight,
          dryRun: opts.dryRun,
          tested,
          againstMain,
          ...call,
        },
        { results, evaluation },
      );
      return { ...results, promotion };
    },
  };
  // No assistantId for the run itself: beforeRun has read the version already.
  return executeRun(runOpts, io, deps, hooks);
}

export interface PromoteRequest {
  client: PromoteApi;
  assistantId: string;
  versionId: string;
  /** Route this share to the version instead of promoting it. Validated as --canary is. */
  canaryWeight?: number | undefined;
  dryRun?: boolean | undefined;
  signal?: AbortSignal | undefined;
  /**
   * versionPrint of the version as it was read before the tests ran: promoted only if it still
   * reads the same (an edit while the suites ran would promote what was not tested).
   */
  tested?: string | undefined;
  /**
   * With `--against main`: the main version the run compared with. Promoted only if it is still
   * main: a promotion of another version meanwhile replaced what the comparison was about.
   */
  againstMain?: string | undefined;
}

/** The version as the API describes it (every field it returns), one text whatever the key order. */
export const versionPrint = (v: Assistant | undefined): string | undefined =>
  v === undefined ? undefined : canonical(v);

/**
 * After the gate: promote, or write the canary rules, only when the run targeted this version,
 * finished, and every gate held. Reads the canary config again first (it may have changed while
 * the suites ran). Never throws: a failure is a Promotion with status 'failed'.
 */
export async function promoteAfterGate(
  req: PromoteRequest,
  gate: {
    results: Pick<Results, 'versionId'>;
    evaluation: Pick<Evaluation, 'passed' | 'complete' | 'gating'>;
  },
): Promise<Promotion> {
  const { client, assistantId, versionId, canaryWeight } = req;
  const base: Pick<Promotion, 'assistantId' | 'versionId' | 'action' | 'canaryWeight'> = {
    assistantId,
    versionId,
    action: canaryWeight === undefined ? 'promote' : 'canary',
    ...(canaryWeight === undefined ? {} : { canaryWeight }),
  };
  const blocked = gateBlocks(versionId, { ...gate.evaluation, testedVersionId: gate.results.versionId });
  if (blocked)
    return { ...base, status: 'skipped', message: req.dryRun ? `${blocked} (--dry-run)` : blocked };

  const call = req.signal ? { signal: req.signal } : {};
  let writing: PromoteAction | undefined;
  try {
    if (req.tested !== undefined) {
      const now = (await client.listVersions(assistantId, call)).find((v) => versionIdOf(v) === versionId);
      if (versionPrint(now) !== req.tested) {
        return {
          ...base,
          status: 'failed',
          message: `not promoted: version ${versionId} changed while its tests ran (it no longer reads as it did when they started); run promote again to test what it is now`,
        };
      }
    }
    if (req.againstMain !== undefined) {
      const main = client.getAssistant
        ? (await client.getAssistant(assistantId, call)).version_id
        : undefined;
      if (main !== req.againstMain) {
        return {
          ...base,
          status: 'failed',
          message: `not promoted: main changed while the tests ran (they were compared with ${req.againstMain}, main is now ${main ?? 'not said by the API'}), so "no regression against main" no longer holds; run promote again`,
        };
      }
    }
    const canary = await client.getCanary(assistantId, call);
    const action = decideAction({ versionId, canaryWeight, canary });
    if (req.dryRun) {
      return {
        ...base,
        status: 'dry-run',
        message: `every gate held; --dry-run: would ${actionSentence(action)}`,
      };
    }
    writing = action;
    return { ...base, status: 'done', message: await apply(client, assistantId, action, call) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    if (writing === undefined) return { ...base, status: 'failed', message: `not promoted: ${why}` };
    // A write whose answer failed (a 5xx after the API acted, a lost connection) may have landed:
    // what the API holds now says, not the error.
    const landed = await writeLanded(client, assistantId, writing, call).catch(() => undefined);
    if (landed === true) {
      return {
        ...base,
        status: 'done',
        message: `${actionSentence(writing)}: its answer failed (${why}), but the assistant now reads as written`,
      };
    }
    const refused = err instanceof ApiError && isRefusal(err.details.status);
    const message =
      landed === false && refused
        ? `not promoted: ${why}`
        : `the write failed (${why}); ${landed === false ? 'the assistant does not read as written now, but a write may show late' : 'reading the assistant back failed too'}, so it may or may not have been applied; check with \`rubric-gate versions --assistant ${assistantId}\``;
    return { ...base, status: 'failed', message };
  }
}

/** A 4xx the API answers before acting (not 408/409/429, which may follow an applied write). */
const isRefusal = (status: number | undefined): boolean =>
  status !== undefined && status >= 400 && status < 500 && !isRetryableStatus(status);

/** Whether the assistant now reads as `action` would leave it (main, or the canary rules). */
async function writeLanded(client: PromoteApi, assistantId: string, action: PromoteAction, call: Call) {
  if (action.kind === 'promote') {
    if (!client.getAssistant) return undefined;
    if ((await client.getAssistant(assistantId, call)).version_id !== action.versionId) return false;
    // Promotion deletes the canary config too: landed only if that is gone as well.
    return action.canary === undefined || (await client.getCanary(assistantId, call)) === undefined;
  }
  const canary = await client.getCanary(assistantId, call);
  return canonical(canary?.rules ?? []) === canonical(action.change.rules);
}

async function apply(
  client: PromoteApi,
  assistantId: string,
  action: PromoteAction,
  call: Call,
): Promise<string> {
  if (action.kind === 'promote') {
    await client.promoteVersion(assistantId, action.versionId, call);
    const n = action.canary?.rules.length ?? 0;
    return `promoted ${action.versionId} to main${
      action.canary ? `; the canary config (${n} rule${n === 1 ? '' : 's'}) was deleted with it` : ''
    }`;
  }
  const { change, weight, versionId } = action;
  const where = `rule ${change.index + 1}`;
  if (change.mode === 'unchanged') {
    return `the canary config already routes ${weight}% to ${versionId} (${where}); nothing was written`;
  }
  if (change.mode === 'create') {
    await client.createCanary(assistantId, { rules: change.rules }, call);
    return `routed ${weight}% to ${versionId}: created the canary config (${where})`;
  }
  await client.updateCanary(assistantId, { rules: change.rules }, call);
  const was = change.previousWeight === undefined ? '' : `, was ${change.previousWeight}%`;
  const kept = change.rules.length - 1;
  return `routed ${weight}% to ${versionId}: updated the canary config (${where}${was}; ${kept} other rule${kept === 1 ? '' : 's'} kept)`;
}

/**
 * Why a resumed run cannot stand for this promote: it ran a narrower selection (a shard, another
 * --grep/--tag/--trials), or not the --against comparison asked for (the saved run's settings
 * decide what a resume runs, whatever the flags say). Undefined when it can.
 */
export function resumedSelectionProblem(
  saved: RunSettings,
  asked: Pick<RunCommandOptions, 'grep' | 'tags' | 'trials' | 'against'>,
): string | undefined {
  if (saved.shard)
    return `the saved run is shard ${saved.shard.index}/${saved.shard.total}, not every selected test`;
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(saved.grep, asked.grep))
    return `the saved run selected --grep ${saved.grep ?? '(none)'}, not ${asked.grep ?? '(none)'}`;
  if (!same([...saved.tags].sort(), [...asked.tags].sort()))
    return `the saved run selected --tag ${saved.tags.join(',') || '(none)'}, not ${asked.tags.join(',') || '(none)'}`;
  if (!same(saved.trials, asked.trials))
    return `the saved run used --trials ${saved.trials ?? '(from the files)'}, not ${asked.trials ?? '(from the files)'}`;
  if (asked.against !== undefined) {
    if (saved.against === undefined)
      return `the saved run has no --against side, so no regression was checked`;
    const match =
      asked.against === 'main' ? saved.against.label === 'main' : asked.against === saved.against.versionId;
    if (!match) return `the saved run compared against ${saved.against.label}, not ${asked.against}`;
  }
  return undefined;
}
