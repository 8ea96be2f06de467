// --timeout as a deadline for the whole command: one signal, aborted when the time is up, that
// every request, backoff wait and poll sleep of the command listens to (sync included). The
// abort reason says it was the deadline, so the run stops as a timeout (partial reports, exit 3)
// and not as a cancel.
import type { Clock } from './clock.js';
import { formatElapsed } from './progress.js';

export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
  constructor(
    readonly timeoutMs: number,
    /** How the user set it, for messages: '--timeout' (CLI) or 'the timeout input' (Action). */
    readonly setting = '--timeout',
  ) {
    super(`${setting} ${formatElapsed(timeoutMs)} reached`);
  }
}

export const isDeadline = (signal: AbortSignal | undefined): boolean =>
  signal?.aborted === true && signal.reason instanceof DeadlineReached;

/** "--timeout 30m reached" when the signal was aborted by its deadline. */
export function deadlineMessage(signal: AbortSignal | undefined): string | undefined {
  const reason: unknown = signal?.aborted ? signal.reason : undefined;
  return reason instanceof DeadlineReached ? reason.message : undefined;
}

export interface Deadline {
  /** Aborts with `parent`'s reason, or with a DeadlineReached when the time is up. */
  signal: AbortSignal | undefined;
  /** Stop the timer (the command finished first). */
  dispose: () => void;
}

/** A signal for `timeoutMs` from now on `clock`, chained to `parent`; no timer without a timeout. */
export function startDeadline(
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined,
  clock: Clock,
): Deadline {
  if (timeoutMs === undefined) return { signal: parent, dispose: () => {} };
  const controller = new AbortController();
  const stop = new AbortController();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  void clock.sleep(timeoutMs, stop.signal).then(() => {
    if (!stop.signal.aborted && !controller.signal.aborted) controller.abort(new DeadlineReached(timeoutMs));
  });
  return {
    signal: controller.signal,
    dispose: () => {
      stop.abort();
      parent?.removeEventListener('abort', onParent);
    },
  };
}
