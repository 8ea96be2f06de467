// `rubric-gate plan [paths]`: a read-only diff of the local suites against the account. Also
// home of preparePlan, the "load + read remote + plan" step shared by sync and run.
import { TelnyxClient } from '../api/client.js';
import type { AssistantTest } from '../api/schemas.js';
import { resolveApiConfig } from '../config.js';
import { EXIT, type ExitCode, exitCodeForError, redact } from '../errors.js';
import type { Io } from '../io.js';
import { countPlan, type Plan } from '../plan.js';
import { renderPlan } from '../render-plan.js';
import { loadSuitesOrThrow } from '../suite/load.js';
import type { SuiteDef } from '../suite/model.js';
import { readAndPlan } from '../sync.js';

export interface ApiFlags {
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
}

export interface PrepareOptions extends ApiFlags {
  /** Parallel remote list calls (one per managed suite). Default 4. */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Use this client instead of one built from apiKey/baseUrl (the caller keeps closing it). */
  client?: TelnyxClient | undefined;
}

export interface Prepared {
  suites: SuiteDef[];
  remote: Map<string, AssistantTest[]>;
  plan: Plan;
  /** The client passed in, or a new one the caller must close(). */
  client: TelnyxClient;
  apiKey: string | undefined;
}

/**
 * Load and validate the suite files (any problem → SuiteFileError before anything is sent),
 * then read the remote tests of each managed suite, in parallel, and plan.
 */
export async function preparePlan(paths: readonly string[], opts: PrepareOptions, io: Io): Promise<Prepared> {
  const suites = await loadSuitesOrThrow(paths, { cwd: io.cwd, env: io.env });
  let client = opts.client;
  let apiKey: string | undefined;
  if (!client) {
    const config = resolveApiConfig({ apiKey: opts.apiKey, baseUrl: opts.baseUrl }, io.env);
    apiKey = config.apiKey;
    client = new TelnyxClient({ ...config, ...(opts.signal ? { signal: opts.signal } : {}) });
  }
  try {
    const { remote, plan } = await readAndPlan(client, suites, {
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    return { suites, remote, plan, client, apiKey };
  } catch (err) {
    if (!opts.client) await client.close();
    throw err;
  }
}

/** Print an error thrown out of a command (never the API key) and map it to its exit code. */
export function reportError(err: unknown, io: Io, apiKey: string | undefined): ExitCode {
  const key = apiKey ?? io.env.TELNYX_API_KEY;
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`${redact(message, key)}\n`);
  return exitCodeForError(err);
}

export function conflictHint(plan: Plan): string {
  return `sync is blocked: ${plan.conflicts.length} test name(s) used by several remote tests (ids listed above). Delete the extra ones, then re-run.\n`;
}

/** The plan for scripts (`plan --json`): what changes, field by field, without the parsed files. */
export function planJson(plan: Plan) {
  return {
    suites: plan.suites,
    counts: countPlan(plan),
    changes: plan.changes.map((c) =>
      c.kind === 'update'
        ? {
            kind: c.kind,
            suite: c.suite,
            name: c.name,
            testId: c.testId,
            ...(c.renamedFrom === undefined ? {} : { renamedFrom: c.renamedFrom }),
            fields: c.changes,
          }
        : c.kind === 'create'
          ? { kind: c.kind, suite: c.suite, name: c.name, body: c.body }
          : { kind: c.kind, suite: c.suite, name: c.name, testId: c.testId },
    ),
    unchanged: plan.unchanged,
    conflicts: plan.conflicts,
    /** Listed without their suite: never deleted. */
    unowned: plan.unowned,
  };
}

export async function planCommand(
  paths: readonly string[],
  opts: ApiFlags & { prune?: boolean; concurrency?: number; signal?: AbortSignal; json?: boolean },
  io: Io,
): Promise<ExitCode> {
  let prepared: Prepared | undefined;
  try {
    prepared = await preparePlan(paths, opts, io);
    const { plan } = prepared;
    if (opts.json === true) io.stdout(`${JSON.stringify(planJson(plan), null, 2)}\n`);
    else io.stdout(renderPlan(plan, { prune: opts.prune ?? false, color: io.isTTY }));
    if (plan.conflicts.length > 0) {
      io.stderr(conflictHint(plan));
      return EXIT.usage;
    }
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io, opts.apiKey);
  } finally {
    await prepared?.client.close();
  }
}
