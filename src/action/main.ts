// The GitHub Action: inputs → the CLI's own pipeline (run, promote or merge) → outputs, the job
// summary, annotations on the suite files, and the step status. The exit code decides the
// status, as for the CLI: gate failure and "could not finish" both fail the step, with
// different messages.
import { randomUUID } from 'node:crypto';
import { appendFile, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import * as core from '@actions/core';
import { plainText } from '../../reporters/format.js';
import { escapeMarkdown, renderMarkdown, STEP_SUMMARY_LIMIT } from '../../reporters/markdown.js';
import { colorEnabled } from '../../reporters/style.js';
import { expandResultsFiles, mergeCommand } from '../commands/merge.js';
import { planCommand } from '../commands/plan.js';
import { executePromote } from '../commands/promote.js';
import type { Reported } from '../commands/report.js';
import { executeRun, type RunCommandDeps, withStopSignals } from '../commands/run.js';
import { syncCommand } from '../commands/sync.js';
import { validateCommand } from '../commands/validate.js';
import { EXIT, type ExitCode, exitCodeForError, type Problem, redact, UsageError } from '../errors.js';
import { roundBelowOne } from '../gate.js';
import { foldIn, guardedStream, type Io, sink } from '../io.js';
import { outputGuard } from '../sanitize.js';
import { loadSuites } from '../suite/load.js';
import {
  type Annotation,
  formatAnnotation,
  limitAnnotations,
  problemAnnotations,
  rankAnnotations,
} from './annotations.js';
import {
  type CommentScope,
  commentBody,
  commentMarker,
  commentTarget,
  type NoReport,
  upsertComment,
} from './comment.js';
import { gitHubClient } from './github.js';
import {
  type ActionPlan,
  type CommentSettings,
  type InputName,
  inputWording,
  type MergePlan,
  readCommentInputs,
  readCommentScope,
  readInputs,
} from './inputs.js';

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

/** What the step prints while the pipeline runs, and the last error it printed. */
interface StepIo extends Io {
  lastError(): string | undefined;
  /** One of our own workflow commands (an annotation): the only line that skips the sink guard. */
  command(line: string): void;
  /** Workflow commands off until `resumeCommands` (stop-commands, with an unguessable token). */
  stopCommands(): void;
  resumeCommands(): void;
  fold(title: string, body: string): void;
  /** A warning annotation, counted: GitHub shows 10 per step, the step's own and the tests' together. */
  warn(message: string): void;
  warnings(): number;
}

function stepIo(apiKey: string): StepIo {
  let last: string | undefined;
  // The sink guard (sanitize.ts): nothing the pipeline prints is a workflow command, also after
  // commands resume, nor carries an escape sequence (but colour) or a control character.
  const colour = colorEnabled(process.env, false); // FORCE_COLOR only: a log is no terminal
  const out = guardedStream(sink(process.stdout, 'stdout'), outputGuard({ tty: false, colour }));
  const errSink = sink(process.stderr, 'stderr');
  const err = outputGuard({ tty: false, colour });
  let token: string | undefined;
  let warnings = 0;
  const stopCommands = () => {
    token = `rubric-gate-${randomUUID()}`;
    out.command(`::stop-commands::${token}`);
  };
  const resumeCommands = () => {
    if (token !== undefined) out.command(`::${token}::`);
    token = undefined;
  };
  return {
    stdout: (t) => void out.text(redact(t, apiKey)),
    stderr: (t) => {
      const shown = err(redact(t, apiKey));
      if (shown.trim()) last = shown;
      errSink(shown);
    },
    command: (line) => out.command(redact(line, apiKey)),
    stopCommands,
    resumeCommands,
    // Commands resume for the group's two lines only, each time under a fresh token.
    fold: (title, body) => {
      const stopped = token !== undefined;
      const command = (line: string) => {
        if (stopped) resumeCommands();
        out.command(line);
        if (stopped) stopCommands();
      };
      foldIn({ command, text: (t) => out.text(redact(t, apiKey)) }, redact(title, apiKey), body);
    },
    warn: (message) => {
      warnings++;
      core.warning(message);
    },
    warnings: () => warnings,
    env: process.env,
    cwd: process.cwd(),
    isTTY: false,
    action: true,
    lastError: () => last,
  };
}

export async function run(): Promise<void> {
  // Mask the key before anything can print it (the runner masks it in logs from here on).
  const apiKey = core.getInput('api-key');
  if (apiKey) core.setSecret(apiKey);
  // Defaults first, so a step that fails early still has every output.
  setOutput('result', 'incomplete');
  for (const n of OUTPUTS) if (n !== 'result') setOutput(n, '');
  const io = stepIo(apiKey);

  let plan: ActionPlan;
  let comment: CommentSettings;
  const getInput = (name: InputName) => core.getInput(name);
  try {
    comment = readCommentInputs(getInput);
    if (comment.token) core.setSecret(comment.token);
  } catch (err) {
    core.setFailed(`rubric-gate: ${redact(err instanceof Error ? err.message : String(err), apiKey)}`);
    return;
  }
  try {
    plan = readInputs(getInput, io, io.warn);
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err), apiKey);
    // A bad input is a run with no report too: the comment a green run left must not stay.
    if (comment.enabled) {
      await publishComment(comment, readCommentScope(getInput), noReport(EXIT.usage, plainText(message)), io);
    }
    core.setFailed(`rubric-gate: ${message}`);
    return;
  }

  // Everything the pipeline prints may carry text from the API or suite files. The runner
  // treats any line starting with "::" and any "##[cmd]" anywhere in a line as a workflow
  // command, so command processing is off (stop-commands, with an unguessable token) until
  // the pipeline is done; our own annotations and the step status come after it.
  io.stopCommands();
  let reported: Reported | undefined;
  const onReported = (r: Reported) => {
    reported = r;
  };
  let code: ExitCode;
  try {
    code = await withStopSignals(io, 'writing partial results', { onReported }, (deps) =>
      execute(plan, io, deps),
    );
  } catch (err) {
    io.stderr(`${err instanceof Error ? err.message : String(err)}\n`);
    code = exitCodeForError(err);
  } finally {
    io.resumeCommands();
  }
  await publish(plan, code, io, reported, comment, readCommentScope(getInput));
}

async function execute(plan: ActionPlan, io: Io, deps: RunCommandDeps): Promise<ExitCode> {
  if (plan.mode === 'run') return executeRun(plan.options, io, deps);
  if (plan.mode === 'promote') return executePromote(plan.options, io, deps);
  if (plan.mode === 'merge') return executeMerge(plan, io, deps);
  const { paths, apiKey, baseUrl, prune } = plan.options;
  if (plan.mode === 'validate') return validateCommand(paths, io);
  const api = { apiKey, baseUrl, prune, ...(deps.signal ? { signal: deps.signal } : {}) };
  if (plan.mode === 'plan') return planCommand(paths, api, io);
  return syncCommand(paths, { ...api, dryRun: false }, io);
}

async function executeMerge(plan: MergePlan, io: Io, deps: RunCommandDeps): Promise<ExitCode> {
  // The merge command's own expansion, with the message naming the Action input.
  const files = await expandResultsFiles(plan.patterns, io.cwd).catch((err: unknown) => {
    if (!(err instanceof UsageError)) throw err;
    throw new UsageError(
      `input "merge-results": ${err.message.replace(/^merge: /, '')}; did the shard artifacts download there?`,
    );
  });
  io.stdout(`merging ${files.length} results file${files.length === 1 ? '' : 's'}: ${files.join(', ')}\n`);
  return mergeCommand(
    files,
    {
      outDir: plan.outDir,
      ...plan.gateFlags,
      ...(plan.baseline ? { baseline: plan.baseline } : {}),
      ...(plan.reporters ? { reporters: plan.reporters } : {}),
      ...(deps.onReported ? { onReported: deps.onReported } : {}),
    },
    io,
  );
}

/** A path as a workflow would use it: relative inside `base`, absolute outside, with / separators. */
export function shownPath(base: string, path: string): string {
  const rel = relative(base, path);
  if (rel === '') return '.';
  return core.toPosixPath(rel.startsWith('..') || isAbsolute(rel) ? path : rel);
}

/** Outputs, job summary, annotations and the step status, from the reports the run wrote. */
async function publish(
  plan: ActionPlan,
  code: ExitCode,
  io: StepIo,
  read: Reported | undefined,
  comment: CommentSettings,
  scope: CommentScope,
): Promise<void> {
  const ev = read?.evaluation;
  // Annotation files are relative to the repository root, where the runner looks them up.
  const root = io.env.GITHUB_WORKSPACE || io.cwd;
  const located = (a: Annotation): Annotation =>
    a.file === undefined ? a : { ...a, file: shownPath(root, resolve(io.cwd, a.file)) };
  setOutput('result', code === EXIT.ok ? 'passed' : code === EXIT.gateFailed ? 'failed' : 'incomplete');
  // The shared pipeline's errors name CLI flags; the user wrote inputs.
  const mode = plan.mode === 'promote' ? 'promote' : 'run';
  const cause = () => {
    const last = io.lastError();
    return last ? inputWording(firstLine(last), mode) : 'see the errors above';
  };
  if (read && ev) {
    setOutput('pass-rate', ev.passRate === null ? '' : String(roundBelowOne(ev.passRate, 4)));
    setOutput('passed', ev.totals.passed + ev.totals.flaky);
    setOutput('failed', ev.totals.failed);
    setOutput('errors', ev.totals.error);
    const { junitPath, markdownPath, resultsPath } = read.paths;
    if (junitPath) setOutput('junit-path', shownPath(io.cwd, junitPath));
    if (markdownPath) setOutput('markdown-path', shownPath(io.cwd, markdownPath));
    if (resultsPath) setOutput('results-path', shownPath(io.cwd, resultsPath));
    // The summary and the comment first: any warning they issue is counted before the tests'.
    if (markdownPath) await appendStepSummary(markdownPath, read, io);
    if (comment.enabled) await publishComment(comment, scope, read, io);
    // One error slot stays free for the step's own failure message, issued last.
    const shown = limitAnnotations(rankAnnotations(ev), {
      reserveErrors: code === EXIT.ok ? 0 : 1,
      reserveWarnings: io.warnings(),
    });
    for (const a of shown) io.command(formatAnnotation(located(a)));
  } else {
    if (code === EXIT.usage && plan.mode !== 'merge')
      await annotateSuiteProblems(plan.options.paths, io, located);
    if (comment.enabled) await publishComment(comment, scope, noReport(code, cause()), io);
  }
  if (code === EXIT.gateFailed) {
    const reasons = (ev?.reasons ?? []).map(plainText);
    core.setFailed(
      `rubric gate failed: ${reasons.slice(0, 3).join('; ') || 'see the job summary'}${reasons.length > 3 ? ` (and ${reasons.length - 3} more in the job summary)` : ''}`,
    );
  } else if (code === EXIT.usage) {
    core.setFailed(`rubric-gate: invalid input or suite files, nothing was run: ${cause()}`);
  } else if (code === EXIT.incomplete) {
    const why = ev?.reasons.find((r) => r.startsWith('incomplete: '))?.slice('incomplete: '.length);
    const promotion = read?.results.promotion;
    const detail =
      why !== undefined
        ? plainText(why)
        : promotion?.status === 'failed'
          ? `every gate held but the promotion failed: ${plainText(promotion.message)}`
          : cause();
    core.setFailed(`rubric-gate could not finish: ${detail}${read ? '; partial reports were written' : ''}`);
  }
}

/** The gist of an error message: its first line, or two when the first only announces a list. */
const firstLine = (text: string): string => {
  const [first = '', second] = text.trim().split('\n');
  const line = plainText(first.endsWith(':') && second ? `${first} ${second.trim()}` : first);
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};

/**
 * Invalid suite files: the pipeline printed every problem; annotate them at their file, line
 * and column too. Loading again is cheap and keeps the typed problems (no parsing of the log).
 */
async function annotateSuiteProblems(
  paths: readonly string[],
  io: StepIo,
  located: (a: Annotation) => Annotation,
): Promise<void> {
  let problems: Problem[];
  try {
    problems = (await loadSuites(paths, { cwd: io.cwd, env: io.env })).problems;
  } catch {
    return;
  }
  // Exit 2 for another reason (a bad input, plan's name conflict): no file to point at.
  if (problems.length === 0) return;
  await appendSummaryText(problemSummary(problems), io);
  const shown = limitAnnotations(problemAnnotations(problems), {
    reserveErrors: 1,
    reserveWarnings: io.warnings(),
    errorsAre: 'suite file problems',
    listedIn: 'the log',
  });
  for (const a of shown) io.command(formatAnnotation(located(a)));
}

/** The job summary of a step stopped by invalid suite files: every problem, not an empty page. */
export function problemSummary(problems: readonly Problem[]): string {
  const files = new Set(problems.map((p) => p.file)).size;
  const rows = problems.map(
    (p) => `| ${escapeMarkdown(p.file)} | ${p.line} | ${p.col} | ${escapeMarkdown(p.message)} |`,
  );
  const text = [
    '## rubric-gate: invalid suite files, nothing was run',
    '',
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}. Run \`rubric-gate validate\` locally to check them.`,
    '',
    '| File | Line | Column | Problem |',
    '|---|---:|---:|---|',
    ...rows,
    '',
  ].join('\n');
  // Far below GitHub's limit in practice; cut whole rows if a huge file is all problems.
  if (Buffer.byteLength(text, 'utf8') <= STEP_SUMMARY_LIMIT / 2) return text;
  let kept = 0;
  for (let bytes = 0; kept < rows.length; kept++) {
    bytes += Buffer.byteLength(rows[kept] ?? '', 'utf8') + 1;
    if (bytes > STEP_SUMMARY_LIMIT / 4) break;
  }
  return `${text
    .split('\n')
    .slice(0, 6 + kept)
    .join('\n')}\n\n(and ${rows.length - kept} more in the log)\n`;
}

async function appendSummaryText(text: string, io: StepIo): Promise<void> {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    await appendFile(target, text, 'utf8');
  } catch (err) {
    io.warn(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * What to append to a step summary already holding `existingBytes`: summary.md as written when
 * it fits under GitHub's 1 MiB limit, else the same report rendered to the room left (the
 * renderer drops detail in steps, never mid-table). Over the limit GitHub drops the whole summary.
 */
export function fitStepSummary(
  existingBytes: number,
  written: string,
  render: (maxBytes: number) => string,
  limit = STEP_SUMMARY_LIMIT,
): string {
  const room = limit - existingBytes - 1; // the newline that separates it from what follows
  if (room <= 0) return '';
  return Buffer.byteLength(written, 'utf8') <= room ? written : render(room);
}

async function appendStepSummary(markdownPath: string, read: Reported, io: StepIo): Promise<void> {
  const target = io.env.GITHUB_STEP_SUMMARY;
  if (!target) return; // a local run: nothing to do
  let written: string;
  try {
    written = await readFile(markdownPath, 'utf8');
  } catch {
    return; // no markdown report
  }
  const existing = await stat(target).then(
    (s) => s.size,
    () => 0,
  );
  const text = fitStepSummary(existing, written, (maxBytes) =>
    renderMarkdown(read.results, read.evaluation, { maxBytes }),
  );
  if (!text) return;
  try {
    await appendFile(target, `${text}\n`, 'utf8');
  } catch (err) {
    // The summary is a convenience: the reports are on disk and the step status stands.
    io.warn(`could not write the job summary: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * The sticky pull-request comment. A convenience like the job summary: whatever goes wrong is a
 * warning, and the step's status stays the gate's.
 */
/** The comment of a run that wrote no report: never green, with the step's own reason. */
function noReport(code: ExitCode, cause: string): NoReport {
  const why = escapeMarkdown(cause);
  if (code === EXIT.usage)
    return { heading: '❌ rubric-gate: invalid input or suite files, nothing was run', why };
  if (code === EXIT.ok) return { heading: 'rubric-gate: no report was written', why };
  return { heading: '⚠️ rubric-gate could not finish: no report was written', why };
}

async function publishComment(
  settings: CommentSettings,
  scope: CommentScope,
  read: Reported | NoReport,
  io: StepIo,
): Promise<void> {
  const where = await commentTarget(io.env, scope);
  if (!where.ok) {
    core.info(`comment: nothing to comment on: ${where.why}`);
    return;
  }
  const { target } = where;
  if (!settings.token) {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow expression the user should write
    io.warn('comment: no token; pass github-token: ${{ github.token }} (the default)');
    return;
  }
  const client = gitHubClient({
    apiUrl: target.apiUrl,
    token: settings.token,
    repository: target.repository,
  });
  try {
    const body = commentBody(read, target);
    const done = await upsertComment(client, target.issue, body, commentMarker(target.key));
    if (done.action === 'skipped') {
      io.warn(
        `could not comment on pull request #${target.issue}: ${plainText(done.why)}. A pull request from a fork gets a read-only token; otherwise give the job \`permissions: pull-requests: write\``,
      );
    } else {
      core.info(`comment: ${done.action} the comment on pull request #${target.issue} (id ${done.id})`);
    }
  } catch (err) {
    io.warn(
      `could not comment on pull request #${target.issue}: ${plainText(err instanceof Error ? err.message : String(err))}`,
    );
  }
}
