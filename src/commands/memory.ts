// What `run` remembers across runs, as a shell around the pure parts: --changed-since narrows the
// tests the run triggers (changed.ts), quarantine reasons go into the results (quarantine.ts),
// and --history reads the file before anything is sent, then records this run, keeps the file
// bounded and puts what it says into the results every report renders (history.ts).
import { resolve } from 'node:path';
import {
  countChanged,
  diffDefinitions,
  headCommit,
  markUnchanged,
  onlyChanged,
  restoreUnchanged,
  suitesAtRef,
  testsReadingEnv,
} from '../changed.js';
import { UsageError } from '../errors.js';
import {
  appendBounded,
  expectedDurations,
  type HistoryRecord,
  historyRecord,
  readHistoryFile,
  summarizeHistory,
  writeHistoryFile,
} from '../history.js';
import type { Io } from '../io.js';
import { markQuarantine } from '../quarantine.js';
import type { Results, SuiteResult } from '../results.js';
import { notStartedResults } from '../run/assemble.js';
import { type RunOptions, selectionFor, settingsOf } from '../run/run.js';
import { ALLOW_EMPTY, definitionsFingerprint, describeFilters } from '../run/select.js';
import type { SuiteDef } from '../suite/model.js';
import { VERSION } from '../version.js';

export interface MemoryOptions extends Pick<RunOptions, 'paths' | 'grep' | 'tags' | 'trials' | 'retries'> {
  history?: string | undefined;
  historyLimit?: number | undefined;
  noQuarantine?: boolean | undefined;
  changedSince?: string | undefined;
  passWithNoTests?: boolean | undefined;
}

export interface Memory {
  /** The suites the run triggers: all of them, or only the changed tests with --changed-since. */
  suites: SuiteDef[];
  /** Added to the shard's recorded filters, so merge refuses shards of different selections. */
  filters: string;
  /** The run's results with every test back, quarantine reasons and the history snapshot. */
  finish(results: Results): Results;
  /** How long each test's runs took lately (pairKey → ms); empty without --history. */
  expectedMs: ReadonlyMap<string, number>;
  /** Write the history file (after the reports: a broken disk must not cost the verdict). */
  save(): Promise<void>;
}

export async function prepareMemory(
  suites: readonly SuiteDef[],
  opts: MemoryOptions & Omit<RunOptions, 'sync' | 'outDir' | 'resume'>,
  io: Io,
): Promise<Memory> {
  // Read the history now: a broken file stops the run before anything is sent.
  const historyPath = opts.history === undefined ? undefined : resolve(io.cwd, opts.history);
  const past = historyPath ? await readHistoryFile(historyPath, opts.history) : undefined;
  const commit = past ? io.env.GITHUB_SHA || (await headCommit(io.cwd)) : undefined;

  let runSuites: SuiteDef[] = [...suites];
  let skeleton: SuiteResult[] | undefined;
  let filters = '';
  if (opts.changedSince !== undefined) {
    const ref = opts.changedSince;
    const old = await suitesAtRef(ref, opts.paths, { cwd: io.cwd, env: io.env });
    for (const w of old.warnings) io.stderr(`warning: --changed-since: ${w}\n`);
    const changed = diffDefinitions(suites, old.suites);
    for (const key of await testsReadingEnv(suites, opts.paths, { cwd: io.cwd, env: io.env }))
      if (!changed.has(key)) changed.set(key, 'changed');
    // The filters' selection over every shard: --changed-since narrows it, never widens it.
    const { shard: _shard, ...settings } = settingsOf({ ...opts, sync: true, outDir: '', resume: false });
    const selection = selectionFor(suites, settings);
    const n = countChanged(selection, changed);
    const what = describeFilters(opts);
    if (n.changed === 0 && !opts.passWithNoTests) {
      throw new UsageError(
        [
          `--changed-since ${ref} (${old.commit.slice(0, 12)}): none of the ${n.selected} test${n.selected === 1 ? '' : 's'}${what ? ` selected by ${what}` : ''} changed since then. Nothing was sent.`,
          ALLOW_EMPTY,
        ].join('\n'),
      );
    }
    io.stdout(
      `--changed-since ${ref} (${old.commit.slice(0, 12)}): ${n.changed} of ${n.selected} selected test${n.selected === 1 ? '' : 's'} new or changed\n`,
    );
    runSuites = onlyChanged(suites, changed);
    skeleton = notStartedResults({
      selection: markUnchanged(selection, changed, ref),
      startedAt: '',
      finishedAt: '',
      reason: 'not run',
    }).suites;
    filters = `--changed-since ${ref}`;
  }

  let records: HistoryRecord[] | undefined;
  return {
    suites: runSuites,
    filters,
    expectedMs: past ? expectedDurations(past) : new Map(),
    finish(results) {
      let out = skeleton ? restoreUnchanged(results, skeleton) : results;
      out = markQuarantine(out, suites, opts.noQuarantine === true);
      if (!past) return out;
      const record = historyRecord(out, suites, {
        tool: VERSION,
        commit,
        fingerprint: definitionsFingerprint(suites),
      });
      records = appendBounded(past, record, opts.historyLimit);
      // What the history says is read before the oldest runs are dropped from the file.
      const known = appendBounded(past, record, Number.MAX_SAFE_INTEGER);
      return { ...out, history: summarizeHistory(known, suites, { source: opts.history }) };
    },
    async save() {
      if (historyPath && records) writeHistoryFile(historyPath, records);
    },
  };
}
