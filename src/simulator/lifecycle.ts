// Run lifecycle on the scaled clock, computed lazily from timestamps (no timers): a run is
// pending for the first 10% of its duration, starting until 20%, running until 100%, then
// final. `hang` runs stay running forever.
import type { TestRun, TestStatus } from '../api/schemas.js';
import type { RunRecord } from './state.js';

const PENDING_UNTIL = 0.1;
const STARTING_UNTIL = 0.2;

const FINAL_OF = { pass: 'passed', fail: 'failed', error: 'error' } as const;

export interface RunPhase {
  status: TestStatus;
  /** Real epoch ms the current status began. */
  sinceMs: number;
  final: boolean;
}

export function phaseAt(run: RunRecord, nowMs: number): RunPhase {
  const elapsed = nowMs - run.createdMs;
  const d = run.durationMs;
  const at = (fraction: number) => run.createdMs + Math.round(d * fraction);
  if (elapsed < d * PENDING_UNTIL) return { status: 'pending', sinceMs: run.createdMs, final: false };
  if (elapsed < d * STARTING_UNTIL) return { status: 'starting', sinceMs: at(PENDING_UNTIL), final: false };
  if (run.plan.outcome === 'hang' || elapsed < d) {
    return { status: 'running', sinceMs: at(STARTING_UNTIL), final: false };
  }
  return { status: FINAL_OF[run.plan.outcome], sinceMs: at(1), final: true };
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The run as the API returns it (TestRunResponse) at time nowMs. */
export function renderRun(run: RunRecord, nowMs: number): TestRun {
  const phase = phaseAt(run, nowMs);
  const out: TestRun = {
    run_id: run.run_id,
    test_id: run.test_id,
    status: phase.status,
    triggered_by: run.triggered_by,
    created_at: iso(run.createdMs),
    updated_at: iso(phase.sinceMs),
  };
  if (run.test_suite_run_id) out.test_suite_run_id = run.test_suite_run_id;
  // The conversation exists once the run has started.
  if (phase.status !== 'pending') out.conversation_id = run.conversation_id;
  if (phase.final) {
    out.completed_at = iso(phase.sinceMs);
    if (run.plan.detail) out.detail_status = run.plan.detail.map((d) => ({ ...d }));
    out.logs = logsFor(run);
  } else if (phase.status === 'running') {
    out.logs = `${header(run)}\n(conversation in progress)`;
  }
  return out;
}

const header = (run: RunRecord): string =>
  `[simulator] ${run.channel} conversation with ${run.destination ?? 'the assistant'} for "${run.testName}"` +
  (run.destination_version_id ? ` on version ${run.destination_version_id}` : ' on the main version');

function logsFor(run: RunRecord): string {
  const lines = [header(run)];
  if (run.plan.outcome === 'error') {
    lines.push('error: the conversation ended unexpectedly (simulated infrastructure error)');
  } else {
    lines.push('caller: Hi, I need some help with my account.');
    lines.push('assistant: Of course, I can help with that. Could you tell me a bit more?');
  }
  for (const d of run.plan.detail ?? []) lines.push(`evaluation: ${d.name} ${d.status}`);
  return lines.join('\n');
}
