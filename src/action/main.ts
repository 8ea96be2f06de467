// The GitHub Action: inputs → the CLI's own pipeline (run, promote or merge) → outputs, the job
// summary, annotations on the suite files, and the step status. The exit code decides the
// status, as for the CLI: gate failure and "could not finish" both fail the step, with
// different messages.
import { appendFile, readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { glob } from 'tinyglobby';
import { REPORT_FILES } from '../../reporters/index.js';
import { readResultsFile } from '../baseline.js';
import { mergeCommand } from '../commands/merge.js';
import { executePromote } from '../commands/promote.js';
import { executeRun, withStopSignals } from '../commands/run.js';
import { EXIT, type ExitCode, exitCodeForError, redact, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { type Evaluation, evaluate } from '../verdict.js';
import { formatAnnotation, limitAnnotations, rankAnnotations } from './annotations.js';
import { type ActionPlan, type InputName, readInputs } from './inputs.js';

/** Every output action.yml declares; a test keeps the two in step. */
export const OUTPUTS = [
  'result',
  'pass-rate',
  'passed',
  'failed',
  'errors',
  'junit-path',
  'markdown-path',
  'results-path',
] as const;
type OutputName = (typeof OUTPUTS)[number];
const setOutput = (name: OutputName, value: string | number) => core.setOutput(name, value);

export async function run(): Promise<void> {
  // Mask the key before anything can print it (the runner masks it in logs from here on).
  const apiKey = core.getInput('api-key');
  if (apiKey) core.setSecret(apiKey);
  // Defaults first, so a step that fails early still has every output.
  setOutput('result', 'incomplete');
  for (const n of [
    'pass-rate',
    'passed',
    'failed',
    'errors',
    'junit-path',
    'markdown-path',
    'results-path',
  ] as const) {
    setOutput(n, '');
  }
  const io: Io = {
    stdout: (t) => void process.stdout.write(redact(t, apiKey)),
    stderr: (t) => void process.stderr.write(redact(t, apiKey)),
    env: process.env,
    cwd: process.cwd(),
    isTTY: false,
  };

  let plan: ActionPlan;
  try {
    plan = readInputs(
      (name: InputName) => core.getInput(name),
      io,
      (m) => core.warning(m),
    );
  } catch (err) {
    core.setFailed(`rubric-gate: ${redact(err instanceof Error ? err.message : String(err), apiKey)}`);
    return;
  }

  let code: ExitCode;
  try {
    code = await withStopSignals(io, 'writing partial results', {}, (deps) => execute(plan, io, deps.signal));
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    code = exitCodeForError(err);
  }
  await publish(plan, code, io);
}

async function execute(plan: ActionPlan, io: Io, signal: AbortSignal | undefined): Promise<ExitCode> {
  const deps = signal ? { signal } : {};
  if (plan.mode === 'run') return executeRun(plan.options, io, deps);
  if (plan.mode === 'promote') return executePromote(plan.options, io, deps);
  const files = (await glob(plan.pattern, { cwd: io.cwd })).sort();
  if (files.length === 0) throw new UsageError(`input "merge-results": no file matches ${plan.pattern}`);
  io.stdout(`merging ${files.length} results file${files.length === 1 ? '' : 's'}: ${files.join(', ')}\n`);
  return mergeCommand(
    files,
    { outDir: plan.outDir, ...plan.gateFlags, ...(plan.baseline ? { baseline: plan.baseline } : {}) },
    io,
  );
}

const outDirOf = (plan: ActionPlan): string => (plan.mode === 'merge' ? plan.outDir : plan.options.outDir);
const baselineOf = (plan: ActionPlan): string | undefined =>
  plan.mode === 'merge' ? plan.baseline : plan.options.baseline;

/** Outputs, job summary, annotations and the step status, from the reports the run wrote. */
async function publish(plan: ActionPlan, code: ExitCode, io: Io): Promise<void> {
  const outDir = resolve(io.cwd, outDirOf(plan));
  const paths = {
    junit: resolve(outDir, REPORT_FILES.junit),
    markdown: resolve(outDir, REPORT_FILES.markdown),
    results: resolve(outDir, REPORT_FILES.json),
  };
  const ev = await readEvaluation(paths.results, baselineOf(plan), io);
  setOutput('result', code === EXIT.ok ? 'passed' : code === EXIT.gateFailed ? 'failed' : 'incomplete');
  if (ev) {
    const shown = (p: string) => relative(io.cwd, p) || '.';
    setOutput('pass-rate', ev.passRate === null ? '' : String(Number(ev.passRate.toFixed(4))));
    setOutput('passed', ev.totals.passed + ev.totals.flaky);
    setOutput('failed', ev.totals.failed);
    setOutput('errors', ev.totals.error);
    setOutput('junit-path', shown(paths.junit));
    setOutput('markdown-path', shown(paths.markdown));
    setOutput('results-path', shown(paths.results));
    for (const a of limitAnnotations(rankAnnotations(ev))) io.stdout(`${formatAnnotation(a)}\n`);
  }
  await appendStepSummary(paths.markdown, io);

  if (code === EXIT.gateFailed) {
    const reasons = ev?.reasons ?? [];
    core.setFailed(
      `rubric gate failed: ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? ` (and ${reasons.length - 3} more in the job summary)` : ''}`,
    );
  } else if (code === EXIT.usage) {
    core.setFailed(
      'rubric-gate could not start: invalid input or suite files (see the errors above); nothing was run',
    );
  } else if (code === EXIT.incomplete) {
    core.setFailed(
      `rubric-gate could not finish${ev ? ` (${ev.reasons.filter((r) => /incomplete|timed out|cancel/i.test(r))[0] ?? 'see the log'})` : ': see the errors above'}; partial reports were written where possible`,
    );
  }
}

/** The evaluation behind the reports, recomputed from results.json (pure, so it matches them). */
async function readEvaluation(
  path: string,
  baseline: string | undefined,
  io: Io,
): Promise<Evaluation | undefined> {
  try {
    const results = await readResultsFile(path);
    const base = baseline ? await readResultsFile(resolve(io.cwd, baseline), baseline) : undefined;
    return evaluate(results, base ? { baseline: base } : {});
  } catch {
    return undefined; // nothing ran (bad input), or the run died before writing results
  }
}

/** summary.md is already capped under GitHub's 1 MiB step-summary limit by the renderer. */
async function appendStepSummary(markdownPath: string, io: Io): Promise<void> {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return; // a local run: nothing to do
  let text: string;
  try {
    text = await readFile(markdownPath, 'utf8');
  } catch {
    return;
  }
  await appendFile(target, `${text}\n`, 'utf8');
}
