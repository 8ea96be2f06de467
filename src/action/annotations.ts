// GitHub annotations from an evaluation: one error per failing test at its suite file and line,
// warnings for flaky tests and criterion regressions. GitHub keeps only 10 per type per step
// and drops the rest silently, so the most important come first and a notice counts the rest.
// A quarantined test that gates nothing is only ever a warning, after every other.
// Pure; the workflow-command text is built here too (as vitest's github-actions reporter does)
// so the escaping that keeps API content from injecting a command is tested in one place.
import type { Problem } from '../errors.js';
import { cleanLine, cleanText, neutraliseCommands } from '../sanitize.js';
import { type Evaluation, type TestEvaluation, testGates } from '../verdict.js';

export type Level = 'error' | 'warning' | 'notice';

export interface Annotation {
  level: Level;
  title: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

/** GitHub's per-step limit for each annotation level. */
export const PER_LEVEL = 10;

interface Ranked extends Annotation {
  rank: number;
}

const where = (t: TestEvaluation) => ({ file: t.file, line: t.line });
const title = (t: TestEvaluation) => `${t.suite} › ${t.test}`;

function criteriaText(t: TestEvaluation): string {
  return t.failedCriteria
    .map(
      (c) =>
        `${c.name}${c.required ? ' (required)' : ''}${c.trials > 1 ? ` (${c.failedTrials}/${c.trials})` : ''}`,
    )
    .join(', ');
}

/** Ranks past every gating annotation's: a quarantined test never takes a real failure's slot. */
const QUARANTINED_RANK = 10;

/**
 * A quarantined test that gates nothing (no --no-quarantine): its annotations become warnings
 * marked "(quarantined)" and rank last, so a known-bad test cannot hide the failure that did
 * fail the gate in GitHub's 10 error slots.
 */
function demoted(a: Ranked, reason: string): Ranked {
  return {
    ...a,
    level: a.level === 'error' ? 'warning' : a.level,
    rank: a.rank + QUARANTINED_RANK,
    title: `${a.title} (quarantined)`,
    message: `${a.message} (quarantined${reason ? `: ${reason}` : ''}; it gates nothing)`,
  };
}

/** Every annotation the evaluation calls for, most important first within each level. */
export function rankAnnotations(ev: Evaluation): Annotation[] {
  const out: Ranked[] = [];
  // The same rule as the gate (verdict.ts): quarantined tests gate only with --no-quarantine.
  const gatesNothing = (t: TestEvaluation) => !testGates(t, ev.quarantine?.gating === true);
  for (const suite of ev.suites) {
    for (const t of suite.tests) {
      const own = testAnnotations(t);
      out.push(...(gatesNothing(t) ? own.map((a) => demoted(a, t.quarantine ?? '')) : own));
    }
  }
  // Stable sort: within a rank, suite-file order.
  return out.sort((a, b) => a.rank - b.rank).map(({ rank: _, ...a }) => a);
}

/** One test's annotations, ranked as if it gates. */
function testAnnotations(t: TestEvaluation): Ranked[] {
  const out: Ranked[] = [];
  const regressed = t.change === 'regression';
  if (t.outcome === 'failed') {
    const required = t.failedCriteria.some((c) => c.required);
    // Required-criterion failures fail the gate outright; regressions next; then the rest.
    const rank = required ? 0 : regressed ? 1 : 2;
    const failed = criteriaText(t);
    out.push({
      level: 'error',
      rank,
      title: `${title(t)}${regressed ? ' (regression)' : ''}`,
      message: `failed${failed ? `: ${failed}` : ''}${regressed ? '; it passed in the baseline' : ''}`,
      ...where(t),
    });
  } else if (t.outcome === 'error') {
    out.push({
      level: 'error',
      rank: 3,
      title: title(t),
      message: `error: ${t.message ?? t.errorKind ?? 'the run did not produce a result'}`,
      ...where(t),
    });
  } else if (t.outcome === 'flaky') {
    out.push({
      level: 'warning',
      rank: 1,
      title: `${title(t)} (flaky)`,
      message: t.message ?? 'passed only after a retry',
      ...where(t),
    });
  }
  // A criterion that passed in the baseline and fails now in a test that still passes.
  const slipped = (t.criteriaChanges ?? []).filter((c) => c.change === 'regression');
  if (slipped.length > 0 && (t.outcome === 'passed' || t.outcome === 'flaky')) {
    out.push({
      level: 'warning',
      rank: 0,
      title: `${title(t)} (criterion regression)`,
      message: `passed in the baseline, failing now: ${slipped.map((c) => c.name).join(', ')}`,
      ...where(t),
    });
  }
  return out;
}

/** Invalid suite files: one error at each problem's file, line and column. */
export function problemAnnotations(problems: readonly Problem[]): Annotation[] {
  return problems.map((p) => ({
    level: 'error',
    title: 'invalid suite file',
    message: p.message,
    file: p.file,
    line: p.line,
    col: p.col,
  }));
}

export interface LimitOptions {
  perLevel?: number;
  /** Error slots kept free for messages issued after these (the step's own failure message). */
  reserveErrors?: number;
  /** Warning slots already taken (the step's own warnings about inputs, the summary, the comment). */
  reserveWarnings?: number;
  /** What the overflowing errors are, for the notice: "failing tests", "suite file problems". */
  errorsAre?: string;
  /** Where the rest are listed. Default: the job summary. */
  listedIn?: string;
}

/** At most PER_LEVEL per level (fewer where some are reserved), plus a notice per overflow. */
export function limitAnnotations(all: readonly Annotation[], opts: LimitOptions = {}): Annotation[] {
  const perLevel = opts.perLevel ?? PER_LEVEL;
  const kept: Annotation[] = [];
  const overflow: Annotation[] = [];
  for (const level of ['error', 'warning'] as const) {
    const room = perLevel - ((level === 'error' ? opts.reserveErrors : opts.reserveWarnings) ?? 0);
    const of = all.filter((a) => a.level === level);
    kept.push(...of.slice(0, Math.max(0, room)));
    const more = of.length - Math.max(0, room);
    if (more > 0) {
      const what = level === 'error' ? (opts.errorsAre ?? 'failing tests') : 'warnings';
      overflow.push({
        level: 'notice',
        title: 'rubric-gate',
        message: `${more} more ${what} (GitHub shows ${perLevel} annotations of a kind per step): see ${opts.listedIn ?? 'the job summary'}`,
      });
    }
  }
  const notices = [...overflow, ...all.filter((a) => a.level === 'notice')].slice(0, perLevel);
  return [...kept, ...notices];
}

// Workflow-command escaping (actions/toolkit command.ts): data escapes % CR LF; property values
// also escape : and , . With CR/LF escaped, nothing from the API can start a new command line.
export const escapeData = (s: string): string =>
  s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * One annotation command line. Its text is sanitised first (sanitize.ts: no control character
 * or escape sequence reaches a title, the message keeps its lines), then escaped; the line is
 * scanned as mid-line text so a "##[" formed anywhere in it is broken too, ours "::" untouched.
 */
export function formatAnnotation(a: Annotation): string {
  const props = [
    a.file === undefined ? undefined : `file=${escapeProperty(cleanLine(a.file))}`,
    a.line === undefined ? undefined : `line=${a.line}`,
    a.col === undefined ? undefined : `col=${a.col}`,
    `title=${escapeProperty(cleanLine(a.title))}`,
  ].filter(Boolean);
  const line = `::${a.level} ${props.join(',')}::${escapeData(cleanText(a.message))}`;
  return neutraliseCommands(line, { lead: 'text', hashes: 0 });
}
