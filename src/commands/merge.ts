// `rubric-gate merge a.json b.json ...` or `merge 'shards/*/results.json'`: combine shard
// results (one per CI matrix job) into one report and one verdict.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { type ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { mergeResults } from '../merge.js';
import { readResultsFile } from '../results-file.js';
import { gateAndReport, type ReportOutputOptions } from './report.js';

export type MergeOptions = ReportOutputOptions;

/**
 * The files the arguments name. A quoted glob (the shell left it alone, or a CI input passed it
 * through) is expanded here, sorted; a pattern that matches nothing is a usage error, since a
 * merge of fewer files than meant would gate on less than was run. A file named twice counts once.
 */
export async function expandResultsFiles(args: readonly string[], cwd: string): Promise<string[]> {
  const files: string[] = [];
  for (const arg of args) {
    if (!existsSync(resolve(cwd, arg)) && isDynamicPattern(arg)) {
      const found = (await glob(arg, { cwd, onlyFiles: true })).sort();
      if (found.length === 0) {
        throw new UsageError(`merge: no file matches ${arg} (relative to ${cwd})`);
      }
      for (const f of found) files.push(f);
    } else files.push(arg);
  }
  const seen = new Set<string>();
  return files.filter((f) => {
    const abs = resolve(cwd, f);
    if (seen.has(abs)) return false;
    seen.add(abs);
    return true;
  });
}

export async function mergeCommand(args: readonly string[], opts: MergeOptions, io: Io): Promise<ExitCode> {
  if (args.length === 0)
    throw new UsageError('merge needs at least one results file: rubric-gate merge a.json b.json ...');
  const files = await expandResultsFiles(args, io.cwd);
  const shards = await Promise.all(
    files.map(async (file) => ({
      source: file,
      results: await readResultsFile(resolve(io.cwd, file), file),
    })),
  );
  return gateAndReport(mergeResults(shards), opts, io);
}
