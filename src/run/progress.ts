// Console progress. On a TTY: one live line of counts by state and elapsed time, rewritten in
// place, with each run that fails named on its own line above it as it happens. Otherwise (CI logs): one line per state change worth reading, e.g.
// "refunds › Damaged product refund: running → passed (42 s)". A successful trigger (queued →
// pending) and the brief `starting` state are not logged, so a CI log stays short.
import { colorEnabled, painter } from '../../reporters/style.js';
import type { Io } from '../io.js';
import { attemptVerdict, type Rubric } from '../outcome.js';
import { cleanLine } from '../sanitize.js';
import type { Change } from './ledger.js';
import type { RunState, Work, WorkStatus } from './state.js';

const ORDER: readonly WorkStatus[] = [
  'queued',
  'pending',
  'starting',
  'running',
  'passed',
  'failed',
  'error',
  'timeout',
  'not_started',
];
const LABEL: Readonly<Record<WorkStatus, string>> = {
  queued: 'queued',
  pending: 'pending',
  starting: 'starting',
  running: 'running',
  passed: 'passed',
  failed: 'failed',
  error: 'error',
  timeout: 'timed out',
  not_started: 'not started',
};

export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** A work item's test rubric (outcome.ts Rubric); unknown: none, so only the API's status counts. */
export type RubricOf = (w: Work) => Rubric;
const noRubric: RubricOf = () => [];

/**
 * The status to show for an attempt: a final `passed`/`failed` without rubric results (or a pass
 * without a final result for each criterion) is an error, exactly as the reports will call it
 * (outcome.ts decides, for both).
 */
export function shownStatus(w: Pick<Work, 'criteria'>, status: WorkStatus, rubric: Rubric = []): WorkStatus {
  if (status !== 'passed' && status !== 'failed') return status;
  return attemptVerdict({ status, criteria: w.criteria }, rubric).status;
}

const NO_CRITERIA = 'the run ended without the rubric results a verdict needs';

export function countByStatus(state: RunState, rubricOf: RubricOf = noRubric): Map<WorkStatus, number> {
  const counts = new Map<WorkStatus, number>();
  for (const w of state.work) {
    const s = shownStatus(w, w.status, rubricOf(w));
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return counts;
}

/** "3 pending · 5 running · 10 passed · 1 failed  1m 05s": non-zero states only. */
export function formatLiveLine(counts: ReadonlyMap<WorkStatus, number>, elapsedMs: number): string {
  const parts = ORDER.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => `${counts.get(s)} ${LABEL[s]}`);
  return `${parts.join(' · ') || 'nothing to run'}  ${formatElapsed(elapsedMs)}`;
}

const FAILURES = new Set<WorkStatus>(['failed', 'error', 'timeout', 'not_started']);

/** A run that just ended without passing: the live line names it on a line of its own. */
export const isFailureChange = (c: Change, rubricOf: RubricOf = noRubric): boolean =>
  c.from !== c.to && FAILURES.has(shownStatus(c.work, c.to, rubricOf(c.work)));

const OUTCOMES = new Set<WorkStatus>(['passed', 'failed', 'error', 'timeout', 'not_started']);

/** Whether a change gets its own line in a CI log: an attempt's outcome, not the steps to it. */
export const isLogged = (c: Change): boolean => c.from !== c.to && OUTCOMES.has(c.to);

/** Above this many attempts a CI log names only what did not pass, plus a digest per 10% done. */
export const DIGEST_ABOVE = 100;

/** "refunds › Damaged product refund [trial 2/3, retry 1]: running → failed (42 s; Empathy)". */
export function formatChange(c: Change, trials: number, rubric: Rubric = []): string {
  const w = c.work;
  const tags = [
    w.side === 'baseline' ? 'baseline' : '',
    trials > 1 ? `trial ${w.trial}/${trials}` : '',
    w.retry > 0 ? `retry ${w.retry}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const failed = w.criteria.filter((x) => x.status === 'failed').map((x) => cleanLine(x.name));
  const to = shownStatus(w, c.to, rubric);
  const noCriteria = to !== c.to;
  const notes = [
    w.durationMs !== undefined && (c.to === 'passed' || c.to === 'failed' || c.to === 'error')
      ? formatElapsed(w.durationMs)
      : '',
    failed.length > 0 && to === 'failed' ? failed.join(', ') : '',
    noCriteria ? `${NO_CRITERIA} (API status ${c.to})` : '',
    (to === 'timeout' || to === 'not_started' || to === 'error') && w.message ? cleanLine(w.message) : '',
  ].filter(Boolean);
  const from = c.from === 'queued' ? 'trigger' : LABEL[shownStatus(w, c.from, rubric)];
  // Names, criteria and messages come from suite files and the API: one clean line each.
  return `${cleanLine(w.suite)} › ${cleanLine(w.test)}${tags ? ` [${tags}]` : ''}: ${from} → ${LABEL[to]}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

export interface Progress {
  /** Report the changes of one step, then the current totals. */
  update(state: RunState, changes: readonly Change[], nowMs: number): void;
  /** A line that must not be overwritten by the live line (warnings, notes). */
  note(text: string): void;
  /** Finish the live line. */
  done(state: RunState, nowMs: number): void;
}

export function createProgress(
  io: Io,
  opts: { startedMs: number; trialsOf: (c: Change) => number; rubricOf?: RubricOf },
): Progress {
  const rubricOf = opts.rubricOf ?? noRubric;
  if (io.isTTY) {
    let shown = false;
    const paint = painter(colorEnabled(io.env, io.isTTY));
    const draw = (state: RunState, nowMs: number) => {
      io.stdout(`\r\x1b[2K${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}`);
      shown = true;
    };
    return {
      // Failures as they happen, above the live line, so they stay on screen.
      update: (state, changes, nowMs) => {
        for (const c of changes.filter((c) => isFailureChange(c, rubricOf))) {
          io.stdout(
            `${shown ? '\r\x1b[2K' : ''}${paint('red', 'x')} ${formatChange(c, opts.trialsOf(c), rubricOf(c.work))}\n`,
          );
          shown = false;
        }
        draw(state, nowMs);
      },
      note: (text) => {
        io.stdout(`${shown ? '\r\x1b[2K' : ''}${text}\n`);
        shown = false;
      },
      done: (state, nowMs) => {
        draw(state, nowMs);
        io.stdout('\n');
        shown = false;
      },
    };
  }
  // Off a TTY (CI logs): one line per outcome while the run is small. A large run would print
  // thousands of lines nobody reads, so it names only what did not pass, and prints the live
  // line's counts each time another tenth of its attempts has finished. In a GitHub Actions log
  // the passes are there too, folded: one group per tenth, just above its counts.
  let digested = 0;
  let passes: string[] = [];
  let folded = 0; // attempts finished as of the last group
  const foldPasses = (finished: number, total: number) => {
    if (!io.fold) return;
    const title = `${passes.length} passed among attempts ${folded + 1}–${finished} of ${total} to finish`;
    if (passes.length > 0) io.fold(title, passes.join(''));
    passes = [];
    folded = finished;
  };
  const finishedOf = (state: RunState) => state.work.filter((w) => OUTCOMES.has(w.status)).length;
  return {
    update: (state, changes, nowMs) => {
      const large = state.work.length > DIGEST_ABOVE;
      for (const c of changes) {
        if (!isLogged(c)) continue;
        const line = `${formatChange(c, opts.trialsOf(c), rubricOf(c.work))}\n`;
        if (!large || isFailureChange(c, rubricOf)) io.stdout(line);
        else if (io.fold) passes.push(line);
      }
      if (!large) return;
      const finished = finishedOf(state);
      const tenth = Math.floor((finished / state.work.length) * 10);
      if (tenth > digested) {
        digested = tenth;
        foldPasses(finished, state.work.length);
        io.stdout(
          `${finished}/${state.work.length} finished: ${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}\n`,
        );
      }
    },
    note: (text) => io.stdout(`${text}\n`),
    done: (state, nowMs) => {
      foldPasses(finishedOf(state), state.work.length);
      io.stdout(`${formatLiveLine(countByStatus(state, rubricOf), nowMs - opts.startedMs)}\n`);
    },
  };
}
