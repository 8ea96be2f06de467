// `--against`: the two sides of a run trigger the same tests, and a run does not say which
// version it ran on. Runs are only ever taken from answers to our own keys (trigger.ts), but a
// trigger resumed past the key's replay window looks the run history over first (reconcile.ts),
// where the other side's runs of the same tests would make it give up. So a trigger waits while the other side has an
// overlapping trigger in the same wave (the baseline goes second) or one that failed and is not
// resolved yet. Each trigger resolves within MAX_TRIGGER_ROUNDS, so nothing waits for ever. Pure.
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
function unresolved(state: RunState): Item[] {
  return [
    ...state.batches.filter((b) => b.status === 'queued' && b.failures > 0),
    ...state.work.filter((w) => w.status === 'queued' && w.failures > 0),
  ].map(itemOf);
}

/** What of a wave may be sent now, and what waits for the other side. */
export function splitWave(state: RunState, wave: Wave): { now: Wave; later: Wave } {
  const pending = unresolved(state);
  const candidates = [...wave.batches, ...wave.work].filter((x) => x.side === undefined).map(itemOf);
  const waits = (x: Batch | Work): boolean => {
    const me = itemOf(x);
    if (pending.some((p) => p.side !== me.side && overlaps(p, me))) return true;
    return me.side === 'baseline' && candidates.some((c) => overlaps(c, me));
  };
  const now: Wave = { batches: [], work: [] };
  const later: Wave = { batches: [], work: [] };
  for (const b of wave.batches) (waits(b) ? later : now).batches.push(b);
  for (const w of wave.work) (waits(w) ? later : now).work.push(w);
  return { now, later };
}
