// Time as a dependency: the orchestrator reads the clock and sleeps only through this, so tests
// can run fast (small delays) or simulate long durations (a scaled clock).
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Epoch milliseconds. Deadlines persist in the state file, so this is wall-clock based. */
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    if (signal?.aborted) return;
    try {
      await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
    } catch {
      // Aborted: the caller checks the signal.
    }
  },
};

/**
 * A clock that runs `scale` times faster than real time, like the simulator's clockScale:
 * deadlines of minutes pass in seconds. For tests and demos.
 */
export function scaledClock(scale: number, base: Clock = systemClock): Clock {
  const t0 = base.now();
  return {
    now: () => t0 + (base.now() - t0) * scale,
    sleep: (ms, signal) => base.sleep(ms / scale, signal),
  };
}
