// `rubric-gate sync [paths] [--prune] [--dry-run]`: print the plan, then apply it.
import { EXIT, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { hasWrites } from '../plan.js';
import { renderPlan, renderSyncReport } from '../render-plan.js';
import { type SyncResult, syncPlan, throwIfFailed } from '../sync.js';
import { type ApiFlags, conflictHint, type Prepared, preparePlan, reportError } from './plan.js';

export interface SyncCommandOptions extends ApiFlags {
  prune: boolean;
  dryRun: boolean;
  /** Parallel API calls, for reading and for writing. Default 4. */
  concurrency?: number | undefined;
  signal?: AbortSignal | undefined;
}

const VERB = { create: 'created', update: 'updated', delete: 'deleted' } as const;

/** One line per write as it lands, so a CI log shows progress and what a cut-short sync did. */
const progressLine = (r: SyncResult): string | undefined => {
  if (r.status !== 'done') return undefined;
  const c = r.change;
  const what =
    c.kind === 'update' && c.renamedFrom !== undefined
      ? `renamed from ${JSON.stringify(c.renamedFrom)}`
      : VERB[c.kind];
  return `  ${what}: ${c.suite} / ${JSON.stringify(c.name)} (${r.testId ?? ''})\n`;
};

export async function syncCommand(
  paths: readonly string[],
  opts: SyncCommandOptions,
  io: Io,
): Promise<ExitCode> {
  let prepared: Prepared | undefined;
  try {
    prepared = await preparePlan(paths, opts, io);
    const { plan, client } = prepared;
    io.stdout(renderPlan(plan, { prune: opts.prune, color: io.isTTY }));
    if (plan.conflicts.length > 0) {
      io.stderr(conflictHint(plan));
      return EXIT.usage;
    }
    if (opts.dryRun) {
      io.stdout('Dry run: nothing was written.\n');
      return EXIT.ok;
    }
    if (!hasWrites(plan, opts.prune)) return EXIT.ok;
    io.stdout('\nApplying...\n');
    const report = await syncPlan(client, plan, {
      prune: opts.prune,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      ...(opts.signal ? { signal: opts.signal } : {}),
      onResult: (r) => {
        const line = progressLine(r);
        if (line) io.stdout(line);
      },
    });
    io.stdout(renderSyncReport(report, { color: io.isTTY }));
    throwIfFailed(report);
    return EXIT.ok;
  } catch (err) {
    return reportError(err, io, prepared?.apiKey ?? opts.apiKey);
  } finally {
    await prepared?.client.close();
  }
}
