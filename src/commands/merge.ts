// `rubric-gate merge a.json b.json ...`: combine shard results (one per CI matrix job) into
// one report and one verdict.
import { resolve } from 'node:path';
import { type ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { mergeResults } from '../merge.js';
import { readResultsFile } from '../results-file.js';
import { gateAndReport, type ReportOutputOptions } from './report.js';

export type MergeOptions = ReportOutputOptions;

export async function mergeCommand(files: readonly string[], opts: MergeOptions, io: Io): Promise<ExitCode> {
  if (files.length === 0)
    throw new UsageError('merge needs at least one results file: rubric-gate merge a.json b.json ...');
  const shards = await Promise.all(
    files.map(async (file) => ({
      source: file,
      results: await readResultsFile(resolve(io.cwd, file), file),
    })),
  );
  return gateAndReport(mergeResults(shards), opts, io);
}
