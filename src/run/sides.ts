// `--against`: the two sides of a run trigger the same tests, and a run does not say which
// version it ran on. Runs are only ever taken from answers to our own keys (trigger.ts), but a
// trigger resumed past the key's replay window looks the run history over first (reconcile.ts),
// where the other side's runs of the same tests would make it give up. So a trigger waits while
// the other side has an overlapping trigger in the same wave (the baseline goes second) or one
// that failed and is not resolved yet (splitWave says which side goes first, so they never wait
// for each other). Each trigger resolves within MAX_TRIGGER_ROUNDS. Pure.
import type { Batch, RunState, Work } from './state.js';

export interface Wave {
  batches: Batch[];
  work: Work[];
}

type Item = Pick<Work, 'suite' | 'side'> & { test?: string | undefined };

/** Two items touch a common test: a suite trigger touches every test of its suite. */
const overlaps = (a: Item, b: Item): boolean =>
  a.suite === b.suite && (a.test === undefined || b.test === undefined || a.test === b.test);

const itemOf = (x: Batch | Work): Item =>
  'test' in x ? { suite: x.suite, side: x.side, test: x.test } : { suite: x.suite, side: x.side };

/** Triggers that failed and will be re-sent with the same key: their runs may exist already. */
const isUnresolved = (x: Batch | Work): boolean => x.status === 'queued' && x.failures > 0;

/**
 * What of a wave may be sent now, and what waits for the other side. Never both sides of a test
 * wait for each other (the loop would spin until --timeout): an unresolved candidate trigger is
 * never held, an unresolved baseline trigger waits only for unresolved candidate ones, and a
 * baseline trigger waits only for the candidate triggers that actually go now.
 */
export function splitWave(state: RunState, wave: Wave): { now: Wave; later: Wave } {
  const pending = [...state.batches, ...state.work].filter(isUnresolved).map(itemOf);
  const held = (x: Batch | Work): boolean => {
    const me = itemOf(x);
    if (me.side === undefined && isUnresolved(x)) return false;
    return pending.some((p) => p.side !== me.side && overlaps(p, me));
  };
  const going = [...wave.batches, ...wave.work].filter((x) => x.side === undefined && !held(x)).map(itemOf);
  const waits = (x: Batch | Work): boolean =>
    held(x) || (x.side === 'baseline' && going.some((c) => overlaps(c, itemOf(x))));
  const now: Wave = { batches: [], work: [] };
  const later: Wave = { batches: [], work: [] };
  for (const b of wave.batches) (waits(b) ? later : now).batches.push(b);
  for (const w of wave.work) (waits(w) ? later : now).work.push(w);
  return { now, later };
}
