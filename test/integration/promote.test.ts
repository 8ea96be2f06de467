// `promote` and `versions` against the simulator: the gate decides whether the version becomes
// main or gets a canary share, and the request counts prove what was (not) written.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type PromoteFlags, promoteCommand } from '../../src/commands/promote.js';
import { runCommand } from '../../src/commands/run.js';
import { versionsCommand } from '../../src/commands/versions.js';
import { count, deps, EP, type Harness, harness, KEY, readResults, withMethod } from './run-helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const A = 'assistant-1';
const EPV = {
  promote: 'POST /ai/assistants/{assistant_id}/versions/{version_id}/promote',
  canaryCreate: 'POST /ai/assistants/{assistant_id}/canary-deploys',
  canaryUpdate: 'PUT /ai/assistants/{assistant_id}/canary-deploys',
  canaryDelete: 'DELETE /ai/assistants/{assistant_id}/canary-deploys',
  versionUpdate: 'POST /ai/assistants/{assistant_id}/versions/{version_id}',
  versionDelete: 'DELETE /ai/assistants/{assistant_id}/versions/{version_id}',
  createTest: 'POST /ai/assistants/tests',
} as const;

/** Requests that change versions or the canary config. */
const writes = (hh: Harness): number =>
  [
    EPV.promote,
    EPV.canaryCreate,
    EPV.canaryUpdate,
    EPV.canaryDelete,
    EPV.versionUpdate,
    EPV.versionDelete,
  ].reduce((n, k) => n + count(hh.sim, k), 0);

const triggers = (hh: Harness): number => count(hh.sim, EP.suiteTrigger) + count(hh.sim, EP.testTrigger);

/** A suite whose "Policy" criterion is required; the failing candidate fails only on it. */
const REFUNDS = {
  suite: 'refunds',
  defaults: { channel: 'web_chat', destination: 'support-assistant' },
  tests: ['Damaged item', 'Late delivery'].map((name) => ({
    name,
    instructions: `Act as a customer: ${name}`,
    rubric: [
      { name: 'Policy', criteria: 'States the refund policy', required: true },
      { name: 'Tone', criteria: 'Is polite' },
    ],
  })),
};

type Canary = { rules: unknown[] };
const scenario = (canary?: Canary, tests: unknown = { '*': { outcome: 'pass', duration_seconds: 30 } }) => ({
  tests,
  assistants: [
    {
      id: A,
      versions: [
        { id: 'v-main', name: 'April prompt', main: true },
        { id: 'v-good', name: 'Warmer tone' },
        { id: 'v-other', name: 'Experiment' },
        { id: 'v-bad', name: 'Shorter answers', tests: { 'refunds/*': { criteria: { Policy: 'fail' } } } },
      ],
      ...(canary ? { canary } : {}),
    },
  ],
});

async function setup(canary?: Canary, tests?: unknown): Promise<Harness> {
  const hh = await harness({ suites: [], scenario: scenario(canary, tests) });
  writeFileSync(join(hh.dir, 'refunds.yaml'), stringify(REFUNDS));
  return hh;
}

const promote = (hh: Harness, flags: Partial<PromoteFlags>) =>
  promoteCommand(['.'], { outDir: hh.outDir, assistant: A, ...flags }, hh.io, deps(hh));

const out = (hh: Harness) => hh.io.out.join('');
const err = (hh: Harness) => hh.io.err.join('');
const mainOf = (hh: Harness) => hh.sim.state.assistants.get(A)?.mainVersionId;
const rulesOf = (hh: Harness) => hh.sim.state.canaries.get(A)?.rules;

describe('promote', () => {
  it('a passing version becomes main, and the canary config is deleted', async () => {
    h = await setup({ rules: [{ serve: { rollout: [{ version_id: 'v-good', weight: 10 }] } }] });
    const code = await promote(h, { version: 'v-good' });
    expect(err(h)).toBe('');
    expect(code).toBe(0);
    expect(mainOf(h)).toBe('v-good');
    expect(h.sim.state.canaries.has(A)).toBe(false);
    expect(count(h.sim, EPV.promote)).toBe(1);
    // Every run targeted the candidate.
    const runs = [...h.sim.state.runs.values()];
    expect(runs).toHaveLength(2);
    expect(runs.every((r) => r.destination_version_id === 'v-good')).toBe(true);
    // The plan came first, naming what promotion deletes; the result is recorded.
    expect(out(h)).toMatch(
      /promote v-good to main\n\s+this deletes the current canary config \(1 rule\):\n\s+1\. every other call → v-good 10%, main 90%/,
    );
    expect(out(h).indexOf('if every gate holds')).toBeLessThan(out(h).indexOf('rubric-gate: PASSED'));
    expect(out(h)).toMatch(
      /promotion: done: promoted v-good to main; the canary config \(1 rule\) was deleted/,
    );
    const results = readResults(h.outDir);
    expect(results.versionId).toBe('v-good');
    expect(results.promotion).toMatchObject({
      assistantId: A,
      versionId: 'v-good',
      action: 'promote',
      status: 'done',
    });
  });

  it('a version failing a required criterion is not promoted: no write to versions or canary', async () => {
    h = await setup({ rules: [{ serve: { rollout: [{ version_id: 'v-bad', weight: 5 }] } }] });
    const code = await promote(h, { version: 'v-bad' });
    expect(code).toBe(1);
    expect(writes(h)).toBe(0);
    expect(mainOf(h)).toBe('v-main');
    expect(rulesOf(h)).toEqual([{ serve: { rollout: [{ version_id: 'v-bad', weight: 5 }] } }]);
    expect(readResults(h.outDir).promotion).toMatchObject({
      action: 'promote',
      status: 'skipped',
      message: 'not promoted: a gate failed',
    });
    expect(out(h)).toMatch(/promotion: skipped: not promoted: a gate failed/);
  });

  it('--canary 10 creates a rollout rule; --canary 25 updates it', async () => {
    h = await setup();
    expect(await promote(h, { version: 'v-good', canary: '10' })).toBe(0);
    expect(count(h.sim, EPV.canaryCreate)).toBe(1);
    expect(rulesOf(h)).toEqual([{ serve: { rollout: [{ version_id: 'v-good', weight: 10 }] } }]);
    expect(readResults(h.outDir).promotion).toMatchObject({
      action: 'canary',
      canaryWeight: 10,
      status: 'done',
    });

    expect(await promote(h, { version: 'v-good', canary: '25' })).toBe(0);
    expect(count(h.sim, EPV.canaryCreate)).toBe(1);
    expect(count(h.sim, EPV.canaryUpdate)).toBe(1);
    expect(rulesOf(h)).toEqual([{ serve: { rollout: [{ version_id: 'v-good', weight: 25 }] } }]);
    expect(out(h)).toMatch(
      /routed 25% to v-good: updated the canary config \(rule 1, was 10%; 0 other rules kept\)/,
    );
    expect(count(h.sim, EPV.promote)).toBe(0);
    expect(mainOf(h)).toBe('v-main');
  });

  it('--canary keeps unrelated rules and other versions’ slots', async () => {
    const pinned = {
      match: [{ attribute: 'caller_number', operator: 'in', values: ['+15550001111'] }],
      serve: { version_id: 'v-other' },
    };
    h = await setup({
      rules: [
        pinned,
        {
          serve: {
            rollout: [
              { version_id: 'v-other', weight: 5 },
              { version_id: 'v-good', weight: 10 },
            ],
          },
        },
      ],
    });
    expect(await promote(h, { version: 'v-good', canary: 25 })).toBe(0);
    expect(rulesOf(h)).toEqual([
      pinned,
      {
        serve: {
          rollout: [
            { version_id: 'v-other', weight: 5 },
            { version_id: 'v-good', weight: 25 },
          ],
        },
      },
    ]);
    expect(out(h)).toMatch(/now: {3}2\. every other call → v-other 5%, v-good 10%, main 85%/);
    expect(out(h)).toMatch(/after: 2\. every other call → v-other 5%, v-good 25%, main 70%/);
  });

  it('a canary share that would reach 100% is refused before anything runs', async () => {
    h = await setup({ rules: [{ serve: { rollout: [{ version_id: 'v-other', weight: 80 }] } }] });
    expect(await promote(h, { version: 'v-good', canary: '25' })).toBe(2);
    expect(err(h)).toMatch(/would total 105%.*less than 100.*--canary below 20/);
    expect(triggers(h) + count(h.sim, EPV.createTest) + writes(h)).toBe(0);
  });

  it('an unknown version is an error before any test is triggered', async () => {
    h = await setup();
    expect(await promote(h, { version: 'v-nope' })).toBe(2);
    expect(err(h)).toMatch(
      /--version v-nope: assistant assistant-1 has no such version \(it has: .*v-good "Warmer tone"/,
    );
    expect(triggers(h)).toBe(0);
    expect(count(h.sim, EPV.createTest)).toBe(0); // not even synced
    expect(writes(h)).toBe(0);
  });

  it('the current main version is refused before any test is triggered', async () => {
    h = await setup();
    expect(await promote(h, { version: 'v-main' })).toBe(2);
    expect(err(h)).toMatch(/v-main.*already.*main/i);
    expect(triggers(h)).toBe(0);
    expect(writes(h)).toBe(0);
  });

  it('an unknown assistant is an error before anything runs', async () => {
    h = await setup();
    const code = await promoteCommand(
      ['.'],
      { outDir: h.outDir, assistant: 'nobody', version: 'v-good' },
      h.io,
      deps(h),
    );
    expect(code).toBe(2);
    expect(err(h)).toMatch(/--assistant nobody: no such assistant/);
    expect(triggers(h) + writes(h)).toBe(0);
  });

  it('--dry-run runs the tests and never writes to versions or canary', async () => {
    h = await setup({ rules: [{ serve: { rollout: [{ version_id: 'v-other', weight: 5 }] } }] });
    expect(await promote(h, { version: 'v-good', dryRun: true })).toBe(0);
    expect(await promote(h, { version: 'v-good', dryRun: true, canary: '10' })).toBe(0);
    expect(triggers(h)).toBeGreaterThan(0);
    expect(writes(h)).toBe(0);
    expect(mainOf(h)).toBe('v-main');
    expect(rulesOf(h)).toEqual([{ serve: { rollout: [{ version_id: 'v-other', weight: 5 }] } }]);
    expect(readResults(h.outDir).promotion).toMatchObject({
      status: 'dry-run',
      message: 'every gate held; --dry-run: would route 10% to v-good (update the canary config)',
    });
  });

  it('an unfinished run changes nothing and exits 3', async () => {
    h = await setup(undefined, { '*': { outcome: 'hang' } });
    expect(await promote(h, { version: 'v-good', timeout: '10m' })).toBe(3);
    expect(writes(h)).toBe(0);
    expect(readResults(h.outDir).promotion).toMatchObject({ status: 'skipped' });
    expect(readResults(h.outDir).promotion?.message).toMatch(/did not finish/);
  });

  it('refuses --shard and a missing --version with exit 2', async () => {
    h = await setup();
    expect(await promote(h, { version: 'v-good', shard: '1/2' })).toBe(2);
    expect(await promote(h, {})).toBe(2);
    expect(await promote(h, { version: 'v-good', canary: '100' })).toBe(2);
    expect(err(h)).toMatch(/--shard/);
    expect(err(h)).toMatch(/promote needs --version/);
    expect(err(h)).toMatch(/--canary must be a percentage above 0 and below 100/);
    expect(h.sim.counts().total).toBe(0);
  });
});

describe('versions', () => {
  it('lists versions newest first with the canary routing', async () => {
    h = await setup({ rules: [{ serve: { rollout: [{ version_id: 'v-good', weight: 10 }] } }] });
    expect(await versionsCommand({ assistant: A }, h.io, { client: h.client })).toBe(0);
    const text = out(h);
    const order = ['v-bad', 'v-other', 'v-good', 'v-main'].map((id) => text.indexOf(id));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toMatch(/VERSION ID\s+NAME\s+CREATED\s+STATUS/);
    expect(text).toMatch(/v-good\s+Warmer tone\s+\S+Z\s+canary 10%/);
    expect(text).toMatch(/v-main\s+April prompt\s+\S+Z\s+main/); // from GET /ai/assistants/{id}
    expect(count(h.sim, 'GET /ai/assistants/{assistant_id}/versions')).toBe(1);
    expect(writes(h)).toBe(0);
  });

  it('an unknown assistant is exit 2', async () => {
    h = await setup();
    expect(await versionsCommand({ assistant: 'nobody' }, h.io, { client: h.client })).toBe(2);
    expect(err(h)).toMatch(/no such assistant/);
  });
});

describe('promote of a version edited while its tests ran', () => {
  it('promotes nothing (exit 3): what would be promoted is not what was tested', async () => {
    h = await setup();
    const hx = h;
    let edited = false;
    // Someone edits the candidate right after its tests start.
    const client = withMethod(
      hx.client,
      'triggerSuite',
      (target) =>
        async (...args: Parameters<typeof target.triggerSuite>) => {
          const r = await target.triggerSuite(...args);
          if (!edited) {
            edited = true;
            await fetch(`${hx.sim.url}/ai/assistants/${A}/versions/v-good`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ instructions: 'Promise every caller a full refund.' }),
            });
          }
          return r;
        },
    );
    const code = await promoteCommand(['.'], { outDir: hx.outDir, assistant: A, version: 'v-good' }, hx.io, {
      ...deps(hx),
      client,
    });
    expect(edited).toBe(true);
    expect(mainOf(hx)).toBe('v-main');
    expect(count(hx.sim, EPV.promote)).toBe(0);
    expect(readResults(hx.outDir).promotion?.message).toMatch(/changed while its tests ran/);
    expect(code).toBe(3);
    // Every report's first line says so: "all gates held" alone reads as promoted.
    const note = 'all gates held, but the promotion failed (see Promotion)';
    expect(readFileSync(join(hx.outDir, 'summary.md'), 'utf8').split('\n')[0]).toMatch(
      /^## ⚠️ rubric-gate: all gates held, but the promotion failed \\\(see Promotion\\\)$/,
    );
    expect(readFileSync(join(hx.outDir, 'report.html'), 'utf8')).toContain(
      `<title>rubric-gate: ${note}</title>`,
    );
    expect(out(hx)).toMatch(
      /rubric-gate: INCOMPLETE: all gates held, but the promotion failed \(see Promotion\)\n/,
    );
  });
});

describe('promote --against main, interrupted, then --resume', () => {
  it.each([
    ['as the printed hint says (no --against)', {}],
    ['with the same flags', { against: 'main', maxErrors: 0 }],
  ])('%s: a regression still blocks the promotion', async (_, again) => {
    h = await harness({
      suites: [],
      scenario: {
        tests: { '*': { outcome: 'pass', duration_seconds: 120 } },
        assistants: [
          {
            id: A,
            versions: [
              { id: 'v-main', main: true },
              // The candidate fails "Late delivery", which passes on main: a regression.
              { id: 'v-cand', tests: { 'refunds/Late delivery': { outcome: 'fail' } } },
            ],
          },
        ],
      },
    });
    const hx = h;
    writeFileSync(
      join(hx.dir, 'refunds.yaml'),
      stringify({
        suite: 'refunds',
        defaults: { channel: 'web_chat', destination: 'support-assistant' },
        gate: { min_pass_rate: 0.5 },
        tests: ['Damaged item', 'Late delivery'].map((name) => ({
          name,
          instructions: `Act as a customer: ${name}`,
          rubric: [{ name: 'Policy', criteria: 'States the refund policy' }],
        })),
      }),
    );
    const first = { outDir: hx.outDir, assistant: A, version: 'v-cand', against: 'main', ...again };
    const stop = new AbortController();
    const cut = promoteCommand(['.'], first, hx.io, deps(hx, { signal: stop.signal }));
    for (let i = 0; i < 500 && hx.sim.state.runs.size < 4; i++) await delay(5);
    stop.abort('cancelled (SIGTERM)');
    expect(await cut).toBe(3);
    const code = await promoteCommand(
      ['.'],
      { outDir: hx.outDir, resume: true, assistant: A, version: 'v-cand', ...again },
      hx.io,
      deps(hx),
    );
    expect(code).toBe(1);
    expect(mainOf(hx)).toBe('v-main');
    expect(readResults(hx.outDir).promotion?.status).toBe('skipped');
  });
});

describe('promote cut off while its promotion is on the wire, then --resume', () => {
  it('finds its candidate main, as tested, and finishes: exit 0, done', async () => {
    h = await setup();
    const hx = h;
    hx.sim.setFaults([{ kind: 'latency', latencyMs: 400, match: { endpoint: EPV.promote } }]);
    const stop = new AbortController();
    const cut = promoteCommand(
      ['.'],
      { outDir: hx.outDir, assistant: A, version: 'v-good' },
      hx.io,
      deps(hx, { signal: stop.signal }),
    );
    for (let i = 0; i < 2000 && count(hx.sim, EPV.promote) === 0; i++) await delay(5);
    stop.abort('cancelled (SIGTERM)');
    expect(await cut).toBe(3);
    for (let i = 0; i < 200 && mainOf(hx) !== 'v-good'; i++) await delay(5);
    expect(mainOf(hx)).toBe('v-good');
    hx.sim.setFaults([]);
    const code = await promoteCommand(
      ['.'],
      { outDir: hx.outDir, resume: true, assistant: A, version: 'v-good' },
      hx.io,
      deps(hx),
    );
    expect(err(hx)).not.toMatch(/already the main version/);
    expect(code).toBe(0);
    expect(readResults(hx.outDir).promotion?.status).toBe('done');
  });
});

describe('a promote whose answer fails after the API acted', () => {
  it('is done when the assistant reads as written (a 500 after the promotion): exit 0', async () => {
    h = await setup();
    h.sim.setFaults([{ kind: 'status-after', status: 500, count: 5, match: { endpoint: EPV.promote } }]);
    const code = await promote(h, { version: 'v-good' });
    expect(mainOf(h)).toBe('v-good');
    expect(readResults(h.outDir).promotion).toMatchObject({ status: 'done' });
    expect(readResults(h.outDir).promotion?.message).toMatch(/but the assistant now reads as written/);
    expect(code).toBe(0);
  });
});

describe('promote --against main, with main changed while the tests ran', () => {
  it('promotes nothing (exit 3): the comparison was with a main that is main no more', async () => {
    h = await setup();
    const hx = h;
    let switched = false;
    // Another job promotes v-other right after the tests start.
    const client = withMethod(
      hx.client,
      'triggerSuite',
      (target) =>
        async (...args: Parameters<typeof target.triggerSuite>) => {
          const r = await target.triggerSuite(...args);
          if (!switched) {
            switched = true;
            await fetch(`${hx.sim.url}/ai/assistants/${A}/versions/v-other/promote`, {
              method: 'POST',
              headers: { authorization: `Bearer ${KEY}` },
            });
          }
          return r;
        },
    );
    const code = await promoteCommand(
      ['.'],
      { outDir: hx.outDir, assistant: A, version: 'v-good', against: 'main' },
      hx.io,
      { ...deps(hx), client },
    );
    expect(switched).toBe(true);
    expect(code).toBe(3);
    expect(mainOf(hx)).toBe('v-other');
    expect(count(hx.sim, EPV.promote)).toBe(1); // the other job's, not ours
    expect(readResults(hx.outDir).promotion?.message).toMatch(
      /main changed while the tests ran \(they were compared with v-main, main is now v-other\)/,
    );
  });
});

describe('promote whose reports cannot be written', () => {
  it('still says the version was promoted (exit 3 for the reports)', async () => {
    h = await setup();
    // results.json cannot be written: a folder is in its place.
    mkdirSync(join(h.outDir, 'results.json'), { recursive: true });
    expect(await promote(h, { version: 'v-good' })).toBe(3);
    expect(mainOf(h)).toBe('v-good');
    expect(out(h)).toMatch(/promotion: done: promoted v-good to main/);
    expect(err(h)).toMatch(/results\.json/);
  });
});

describe('promote with nothing selected', () => {
  it('refuses --pass-with-no-tests (exit 2, nothing sent): a promotion needs a test that ran', async () => {
    h = await setup();
    expect(await promote(h, { version: 'v-bad', tag: ['no-such-tag'], passWithNoTests: true })).toBe(2);
    expect(err(h)).toMatch(/--pass-with-no-tests: a promotion needs a test that ran/);
    expect(h.sim.counts().total).toBe(0);
  });
});

describe('promote --resume', () => {
  /** v-half fails the required criterion on "Damaged item" only. */
  const half = async (): Promise<Harness> => {
    const hh = await harness({
      suites: [],
      scenario: {
        tests: { '*': { outcome: 'pass', duration_seconds: 30 } },
        assistants: [
          {
            id: A,
            versions: [
              { id: 'v-main', main: true },
              { id: 'v-half', tests: { 'refunds/Damaged item': { criteria: { Policy: 'fail' } } } },
            ],
          },
        ],
      },
    });
    writeFileSync(join(hh.dir, 'refunds.yaml'), stringify(REFUNDS));
    return hh;
  };

  it.each([
    ['a shard', { shard: '1/2' }],
    ['a narrower --grep', { grep: 'Late' }],
  ])('never promotes on a saved run of %s: it gates on every selected test', async (_, narrowing) => {
    h = await half();
    // The narrow run passes: "Late delivery" alone holds.
    expect(
      await runCommand(['.'], { outDir: h.outDir, version: 'v-half', ...narrowing }, h.io, deps(h)),
    ).toBe(0);
    expect(await promote(h, { version: 'v-half', resume: true })).toBe(2);
    expect(err(h)).toMatch(/--resume: the saved run/);
    expect(writes(h)).toBe(0);
    expect(mainOf(h)).toBe('v-main');
  });

  it('never promotes with --against on a saved run that had no baseline side', async () => {
    h = await half();
    expect(
      await runCommand(['.'], { outDir: h.outDir, version: 'v-half', grep: 'Late' }, h.io, deps(h)),
    ).toBe(0);
    expect(await promote(h, { version: 'v-half', resume: true, grep: 'Late', against: 'main' })).toBe(2);
    expect(err(h)).toMatch(/no --against side/);
    expect(writes(h)).toBe(0);
  });

  it('refuses to resume once the suite files changed what the tests send the API', async () => {
    h = await half();
    expect(await promote(h, { version: 'v-half', grep: 'Late', dryRun: true })).toBe(0);
    const changed = {
      ...REFUNDS,
      tests: REFUNDS.tests.map((t) => ({ ...t, instructions: `${t.instructions}, and ask twice` })),
    };
    writeFileSync(join(h.dir, 'refunds.yaml'), stringify(changed));
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(2);
    expect(await promote(h, { version: 'v-half', resume: true, grep: 'Late' })).toBe(2);
    expect(err(h)).toMatch(/the suite files changed since the runs/);
    expect(writes(h)).toBe(0);
    // A local-only change (the gate) still resumes: the same runs, judged again.
    writeFileSync(join(h.dir, 'refunds.yaml'), stringify({ ...REFUNDS, gate: { min_pass_rate: 0.5 } }));
    expect(await runCommand(['.'], { outDir: h.outDir, resume: true }, h.io, deps(h))).toBe(0);
  });

  const editVersion = (hh: Harness) =>
    fetch(`${hh.sim.url}/ai/assistants/${A}/versions/v-half`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ instructions: 'Promise every caller a full refund.' }),
    });

  it('promotes on the saved runs when the version still reads as it did when they started', async () => {
    h = await half();
    expect(await promote(h, { version: 'v-half', grep: 'Late', dryRun: true })).toBe(0);
    const sent = triggers(h);
    expect(sent).toBeGreaterThan(0);
    expect(await promote(h, { version: 'v-half', grep: 'Late', resume: true })).toBe(0);
    expect(mainOf(h)).toBe('v-half');
    // The saved runs were used: nothing was triggered again.
    expect(triggers(h)).toBe(sent);
  });

  it('never promotes on saved runs of a version edited since they started (exit 2, nothing sent)', async () => {
    h = await half();
    expect(await promote(h, { version: 'v-half', grep: 'Late', dryRun: true })).toBe(0);
    await editVersion(h);
    const sent = triggers(h);
    expect(await promote(h, { version: 'v-half', grep: 'Late', resume: true })).toBe(2);
    expect(err(h)).toMatch(/--resume: version v-half changed since the runs in .* started/);
    expect(writes(h)).toBe(1); // the edit above
    expect(mainOf(h)).toBe('v-main');
    expect(triggers(h)).toBe(sent);
  });

  it('never promotes on saved runs that did not record the version as it was (started by `run`)', async () => {
    h = await half();
    expect(
      await runCommand(['.'], { outDir: h.outDir, version: 'v-half', grep: 'Late' }, h.io, deps(h)),
    ).toBe(0);
    expect(await promote(h, { version: 'v-half', grep: 'Late', resume: true })).toBe(2);
    expect(err(h)).toMatch(/did not record version v-half as it was when they started/);
    expect(writes(h)).toBe(0);
    expect(mainOf(h)).toBe('v-main');
  });
});
