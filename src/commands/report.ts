// `rubric-gate report --from results.json`: re-evaluate gates and re-render reports offline.
// Also the shared tail of `merge`: tighten gates from flags, compare with a baseline,
// evaluate, write the reports, print the verdict, and return the exit code.
import { isAbsolute, relative, resolve } from 'node:path';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { shownVerdict } from '../../reporters/format.js';
import { DEFAULT_OUT_DIR, type ReporterName, type ReportPaths, writeReports } from '../../reporters/index.js';
import { colorEnabled } from '../../reporters/style.js';
import { baselineSnapshot, combineBaselines } from '../baseline.js';
import { EXIT, type ExitCode, exitCodeForVerdict, UsageError } from '../errors.js';
import { type GateOverrides, tightenOverrides } from '../gate.js';
import type { Io } from '../io.js';
import type { Results } from '../results.js';
import { readResultsFile } from '../results-file.js';
import { type Evaluation, evaluate } from '../verdict.js';

export interface GateFlags {
  /** 0..1; may only tighten each suite's min_pass_rate. */
  minPassRate?: number;
  /** >= 0; may only tighten each suite's max_errors. */
  maxErrors?: number;
  failOnRegression?: boolean;
}

/**
 * Runs after the gate is evaluated and before reports are written; what it returns is what the
 * reports show (promote uses it to act on the verdict and record what it did).
 */
export type AfterGate = (results: Results, evaluation: Evaluation) => Promise<Results>;

/** What a command ended with: the final results, their evaluation and the files written. */
export interface Reported {
  results: Results;
  evaluation: Evaluation;
  paths: ReportPaths;
}

export interface ReportOutputOptions extends GateFlags {
  afterGate?: AfterGate;
  /** Told what was written, so an embedder (the Action) need not read the reports back. */
  onReported?: (reported: Reported) => void;
  outDir?: string;
  reporters?: readonly ReporterName[];
  /**
   * A previous results.json to compare with (regressions, fixes, new tests): a path, or
   * results already read with readResultsFile (so `run` can fail fast before triggering).
   */
  baseline?: string | Results;
}

export interface ReportOptions extends ReportOutputOptions {
  from: string;
}

/** Flag values as gate overrides, validated (the CLI parses strings; this checks ranges). */
export function gateOverridesFromFlags(flags: GateFlags): GateOverrides | undefined {
  const o: GateOverrides = {};
  if (flags.minPassRate !== undefined) {
    if (!Number.isFinite(flags.minPassRate) || flags.minPassRate < 0 || flags.minPassRate > 1) {
      throw new UsageError(
        `--min-pass-rate must be a number from 0 to 1 (e.g. 0.9), got ${flags.minPassRate}`,
      );
    }
    o.minPassRate = flags.minPassRate;
  }
  if (flags.maxErrors !== undefined) {
    if (!Number.isInteger(flags.maxErrors) || flags.maxErrors < 0) {
      throw new UsageError(`--max-errors must be a whole number >= 0, got ${flags.maxErrors}`);
    }
    o.maxErrors = flags.maxErrors;
  }
  if (flags.failOnRegression !== undefined) o.failOnRegression = flags.failOnRegression;
  return Object.keys(o).length > 0 ? o : undefined;
}

/** A path as the user would type it: relative inside the working directory, absolute outside. */
const shown = (io: Io, path: string): string => {
  const rel = relative(io.cwd, path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
};

/**
 * The results to write and their verdict: flag overrides and the baseline are folded into the
 * results (both may only tighten what the results already record), so `report --from` of what
 * is written reproduces this verdict and exit code exactly. Pure.
 */
export function decide(
  results: Results,
  flags: GateFlags = {},
  baseline?: { results: Results; source?: string | undefined },
): { gated: Results; evaluation: Evaluation } {
  const gateOverrides = tightenOverrides(results.gateOverrides, gateOverridesFromFlags(flags));
  const snapshot = combineBaselines(
    results.baseline,
    baseline && baselineSnapshot(baseline.results, baseline.source),
  );
  const gated: Results = {
    ...results,
    ...(gateOverrides ? { gateOverrides } : {}),
    ...(snapshot ? { baseline: snapshot } : {}),
  };
  return { gated, evaluation: evaluate(gated) };
}

/** The exit code for a decided verdict and what was done on it. */
export function exitCodeOf(results: Results, evaluation: Evaluation): ExitCode {
  const code = exitCodeForVerdict(evaluation);
  // The gate held but an action taken on it (a promotion) did not land: could not finish.
  return code === EXIT.ok && shownVerdict(evaluation, results) === 'incomplete' ? EXIT.incomplete : code;
}

/** Evaluate results (with flag overrides and an optional baseline), write reports, print the verdict. */
export async function gateAndReport(results: Results, opts: ReportOutputOptions, io: Io): Promise<ExitCode> {
  const baseline =
    typeof opts.baseline === 'string'
      ? {
          results: await readResultsFile(resolve(io.cwd, opts.baseline), opts.baseline),
          source: opts.baseline,
        }
      : opts.baseline && { results: opts.baseline };
  const { gated, evaluation } = decide(results, opts, baseline);
  const final = opts.afterGate ? await opts.afterGate(gated, evaluation) : gated;
  const outDir = resolve(io.cwd, opts.outDir ?? DEFAULT_OUT_DIR);
  // A report that cannot be written fails the command (exit 3), but only after the verdict and
  // what was done on it (a promotion already applied) are printed: nothing else would say so.
  let written: Awaited<ReturnType<typeof writeReports>> = {};
  let unwritten: { err: unknown } | undefined;
  try {
    written = await writeReports(final, evaluation, {
      outDir,
      ...(opts.reporters ? { reporters: opts.reporters } : {}),
    });
  } catch (err) {
    unwritten = { err };
  }
  const paths = {
    ...(written.junitPath ? { junitPath: shown(io, written.junitPath) } : {}),
    ...(written.markdownPath ? { markdownPath: shown(io, written.markdownPath) } : {}),
    ...(written.resultsPath ? { resultsPath: shown(io, written.resultsPath) } : {}),
    ...(written.htmlPath ? { htmlPath: shown(io, written.htmlPath) } : {}),
  };
  if (!unwritten) opts.onReported?.({ results: final, evaluation, paths: written });
  io.stdout(
    renderConsoleSummary(evaluation, {
      paths,
      promotion: final.promotion,
      color: colorEnabled(io.env, io.isTTY),
    }),
  );
  if (unwritten) throw unwritten.err;
  return exitCodeOf(final, evaluation);
}

export async function reportCommand(opts: ReportOptions, io: Io): Promise<ExitCode> {
  if (!opts.from) throw new UsageError('report needs --from <results.json>');
  const results = await readResultsFile(resolve(io.cwd, opts.from), opts.from);
  return gateAndReport(results, opts, io);
}
