// The poller reads finished runs through the undocumented `status=completed` filter. Whatever
// the API makes of that filter (honours it, ignores it, matches nothing, returns only runs in
// progress) and whatever it does to pages (reorders, repeats, drops items), the poller must:
// never record a status the API did not show for that run at that time; see every run final
// within a bounded number of polls once reads stop dropping it; and, with an API that honours
// the filter, read fewer pages than a poller that lists every run each time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestRun, TestStatus } from '../../src/api/schemas.js';
import { pairKey } from '../../src/keys.js';
import { initialState, isInFlight, observe } from '../../src/run/ledger.js';
import { FINISHED_FILTER, Poller, type RunApi } from '../../src/run/poll.js';
import { scheduleSuites } from '../../src/run/schedule.js';
import { selectTests } from '../../src/run/select.js';
import type { RunState } from '../../src/run/state.js';
import { makeSuite } from './run-fixtures.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const STEP = 1_000;
const VERIFY = 3 * STEP;

type FilterMode = 'honour' | 'ignore' | 'nothing' | 'inverted';

interface World {
  /** Per run: the poll index from which it is final, and its final status. */
  ends: { at: number; status: TestStatus }[];
  filter: FilterMode;
  /** Per read (by list call index): reverse the order, repeat the first item, drop items at these indexes. */
  reverse: boolean[];
  repeat: boolean[];
  drops: number[][];
}

function batchState(n: number): RunState {
  const names = Array.from({ length: n }, (_, i) => `t${String(i).padStart(4, '0')}`);
  const suite = makeSuite('big', names);
  const ids = new Map(names.map((t) => [pairKey('big', t), `id-${t}`]));
  const state = initialState({
    nonce: 'n',
    startedAt: 'x',
    settings: { tags: [], retries: 0 },
    schedules: scheduleSuites(selectTests([suite], {}), {
      testIds: ids,
      remoteSuiteTests: new Map([['big', [...ids.values()]]]),
    }),
    testIds: ids,
  });
  state.work.forEach((w, i) => {
    observe(
      w,
      {
        run_id: `run-${i}`,
        test_id: w.testId ?? '',
        status: 'pending',
        triggered_by: 'api',
        created_at: new Date(T0).toISOString(),
        test_suite_run_id: 'tsr',
      },
      T0,
    );
  });
  return state;
}

/** A fake API over the world: status by the current poll index; pages of 100; counts pages. */
function worldApi(world: World, clock: { poll: number }) {
  const stats = { pages: 0, reads: 0, gets: 0 };
  const statusOf = (i: number): TestStatus => {
    const end = world.ends[i];
    if (!end) throw new Error('no such run');
    return clock.poll >= end.at ? end.status : 'running';
  };
  const render = (i: number): TestRun => ({
    run_id: `run-${i}`,
    test_id: `id-t${String(i).padStart(4, '0')}`,
    status: statusOf(i),
    triggered_by: 'api',
    created_at: new Date(T0).toISOString(),
    test_suite_run_id: 'tsr',
    detail_status: [],
  });
  const api: RunApi = {
    triggerSuite: async () => [],
    triggerTest: async () => render(0),
    getVersion: async () => ({ id: 'a', name: 'a', created_at: 'x', model: 'm', instructions: 'i' }),
    listTestRuns: () => (async function* () {})(),
    getRun: async (_testId, runId) => {
      stats.gets++;
      return render(Number(runId.slice(4)));
    },
    listSuiteRuns: (_suite, filter) => {
      const read = stats.reads++;
      let ids = world.ends.map((_, i) => i);
      const final = (i: number) => statusOf(i) !== 'running';
      if (filter?.status === FINISHED_FILTER) {
        if (world.filter === 'honour') ids = ids.filter(final);
        if (world.filter === 'nothing') ids = [];
        if (world.filter === 'inverted') ids = ids.filter((i) => !final(i));
      }
      if (world.reverse[read % world.reverse.length]) ids.reverse();
      if (world.repeat[read % world.repeat.length] && ids.length > 0) ids.unshift(ids[0] as number);
      const drop = new Set(world.drops[read % world.drops.length] ?? []);
      ids = ids.filter((_, k) => !drop.has(k));
      return (async function* () {
        for (let p = 0; p === 0 || p * 100 < ids.length; p++) {
          stats.pages++;
          for (const i of ids.slice(p * 100, p * 100 + 100)) yield render(i);
        }
      })();
    },
  };
  return { api, stats };
}

/** Poll until every run is seen final or `limit` polls; checks every change against the API. */
async function pollAll(world: World, limit: number) {
  const state = batchState(world.ends.length);
  const clock = { poll: 0 };
  const { api, stats } = worldApi(world, clock);
  const poller = new Poller(
    { api, now: () => T0 + clock.poll * STEP },
    { startMs: STEP, capMs: STEP, verifyMs: VERIFY },
  );
  const seenFinalAt = new Map<number, number>();
  const notes: string[] = [];
  for (clock.poll = 1; clock.poll <= limit && state.work.some(isInFlight); clock.poll++) {
    const res = await poller.poll(state);
    notes.push(...res.notes);
    for (const c of res.changes) {
      const i = Number(c.work.runId?.slice(4));
      const end = world.ends[i];
      // Never a status the API did not show: final only once final there, and the same status.
      expect(end).toBeDefined();
      if (end && clock.poll >= end.at) expect(c.to).toBe(end.status);
      else expect(c.to).toBe('running');
      if (c.to !== 'running') seenFinalAt.set(i, clock.poll);
    }
  }
  return { state, stats, seenFinalAt, notes, polls: clock.poll - 1 };
}

const statusArb = fc.constantFrom<TestStatus>('passed', 'failed', 'error');

describe('Poller and the status filter', () => {
  it('never records a status the API did not show, and sees every run final within a bound, whatever the filter does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          // Up to three pages of runs (fast-check's default size would keep arrays short).
          ends: fc.array(fc.record({ at: fc.integer({ min: 1, max: 12 }), status: statusArb }), {
            minLength: 1,
            maxLength: 260,
            size: 'max',
          }),
          filter: fc.constantFrom<FilterMode>('honour', 'ignore', 'nothing', 'inverted'),
          reverse: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
          repeat: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
          // Reads with an even index drop nothing: drops are never permanent.
          drops: fc
            .array(fc.array(fc.nat({ max: 300 }), { maxLength: 20 }), { minLength: 1, maxLength: 4 })
            .map((d) => d.flatMap((x) => [x, []])),
        }),
        async (world) => {
          const lastEnd = Math.max(...world.ends.map((e) => e.at));
          // Every run is final from lastEnd; an unfiltered read comes within VERIFY, one not
          // dropping comes within a few more; the filter may have to be found out first.
          const bound = lastEnd + 4 * (VERIFY / STEP) + 6;
          const { state, seenFinalAt } = await pollAll(world, bound + 5);
          expect(state.work.filter(isInFlight)).toEqual([]);
          expect(Math.max(...seenFinalAt.values())).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('sets a filter aside that matches nothing or lists runs in progress, and says so', async () => {
    const ends = Array.from({ length: 150 }, (_, i) => ({ at: 1 + (i % 8), status: 'passed' as const }));
    for (const filter of ['nothing', 'inverted'] as const) {
      const { notes } = await pollAll({ ends, filter, reverse: [false], repeat: [false], drops: [[]] }, 40);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/status=completed filter (left out|listed runs still in progress)/);
    }
    const honoured = await pollAll(
      { ends, filter: 'honour', reverse: [true, false], repeat: [true], drops: [[]] },
      40,
    );
    expect(honoured.notes).toEqual([]);
  });

  it('with a filter the API honours, reads fewer pages than listing every run each poll', async () => {
    // 1,000 runs ending evenly over 60 polls, as a batch does, but for 3 stragglers.
    const ends = Array.from({ length: 1000 }, (_, i) => ({
      at: i < 3 ? 70 : 1 + (((i * 7919) % 1000) % 60),
      status: 'passed' as const,
    }));
    const world: World = { ends, filter: 'honour', reverse: [false], repeat: [false], drops: [[]] };
    const { stats, polls } = await pollAll(world, 100);
    const everyRunEachPoll = polls * 10;
    expect(polls).toBe(70);
    // The 3 stragglers cost a GET each per poll (10 polls), not the 10 pages that list them.
    expect(stats.gets).toBe(3 * 10);
    // Finished runs only (half the batch on average) plus an unfiltered read every VERIFY.
    expect(stats.pages + stats.gets).toBeLessThan(0.75 * everyRunEachPoll);
    const ignored = await pollAll({ ...world, filter: 'ignore' }, 100);
    // An API that ignores the filter is found out at once and costs what listing every run costs.
    expect(ignored.stats.pages + ignored.stats.gets).toBeLessThanOrEqual(everyRunEachPoll + 10);
  });
});
