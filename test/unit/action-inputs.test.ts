// Action inputs become the very options the CLI's parsers build, with errors that name the input.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ActionPlan,
  INPUT_DEFAULTS,
  INPUTS,
  type InputName,
  inputWording,
  readInputs,
  splitList,
} from '../../src/action/inputs.js';
import { parseRunFlags } from '../../src/commands/run.js';
import { UsageError } from '../../src/errors.js';
import { memoryIo } from '../../src/io.js';

const io = memoryIo({ cwd: '/work/repo' });

function read(inputs: Partial<Record<InputName, string>>, defaults: Partial<Record<InputName, string>> = {}) {
  const all = { ...defaults, 'api-key': 'KEY_TEST_1234', ...inputs };
  const asked: string[] = [];
  const warnings: string[] = [];
  const plan = readInputs(
    (name) => {
      asked.push(name);
      return all[name] ?? '';
    },
    io,
    (m) => warnings.push(m),
  );
  return { plan, asked, warnings };
}

const errorOf = (inputs: Partial<Record<InputName, string>>): string => {
  try {
    read(inputs);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
};

const runOptions = (plan: ActionPlan) => {
  if (plan.mode !== 'run') throw new Error(`expected run mode, got ${plan.mode}`);
  return plan.options;
};

describe('readInputs: run mode', () => {
  it('reads every declared input, and with the defaults builds what the CLI builds', () => {
    const { plan, asked, warnings } = read({});
    expect(new Set(asked)).toEqual(new Set(INPUTS));
    expect(warnings).toEqual([]);
    // The runner passes action.yml's defaults; a harness that passes nothing gets the same.
    expect(read({}, INPUT_DEFAULTS).plan).toEqual(plan);
    expect(runOptions(plan)).toEqual(
      parseRunFlags(
        ['suites'],
        { apiKey: 'KEY_TEST_1234', sync: true, prune: false, retries: '0', outDir: 'rubric-gate-report' },
        io,
      ),
    );
  });

  it('maps each input onto its CLI option', () => {
    const o = runOptions(
      read({
        suites: 'suites/refunds.yaml, suites/appointments.yaml\nmore',
        'version-id': 'v-2',
        sync: 'false',
        grep: 'refund',
        tags: 'smoke,\nrefunds',
        trials: '3',
        retries: '2',
        'max-in-flight': '4',
        'max-runs': '50',
        timeout: '30m',
        shard: '2/4',
        baseline: 'base/results.json',
        'min-pass-rate': '0.95',
        'max-errors': '1',
        'fail-on-regression': 'TRUE',
        'out-dir': 'out',
        'base-url': 'http://127.0.0.1:4010/v2',
      }).plan,
    );
    expect(o).toMatchObject({
      paths: ['suites/refunds.yaml', 'suites/appointments.yaml', 'more'],
      versionId: 'v-2',
      sync: false,
      prune: false,
      grep: 'refund',
      tags: ['smoke', 'refunds'],
      trials: 3,
      retries: 2,
      maxInFlight: 4,
      maxRuns: 50,
      timeoutMs: 30 * 60_000,
      shard: { index: 2, total: 4 },
      baseline: 'base/results.json',
      outDir: resolve('/work/repo', 'out'),
      baseUrl: 'http://127.0.0.1:4010/v2',
      apiKey: 'KEY_TEST_1234',
      gateFlags: { minPassRate: 0.95, maxErrors: 1, failOnRegression: true },
    });
  });

  it('quarantine: false and history-limit map onto --no-quarantine and --history-limit', () => {
    const cwd = '/work/repo';
    const { plan } = read({ quarantine: 'false', history: 'h.jsonl', 'history-limit': '7' });
    const cli = parseRunFlags(
      ['suites'],
      {
        apiKey: 'KEY_TEST_1234',
        quarantine: false,
        history: 'h.jsonl',
        historyLimit: '7',
        outDir: resolve(cwd, 'rubric-gate-report'),
      },
      io,
    );
    expect(plan.mode).toBe('run');
    if (plan.mode !== 'run') return;
    expect(plan.options.noQuarantine).toBe(true);
    expect(plan.options.historyLimit).toBe(7);
    expect(plan.options.noQuarantine).toBe(cli.noQuarantine);
    expect(read({}, INPUT_DEFAULTS).plan.mode === 'run' && read({}, INPUT_DEFAULTS).plan).toMatchObject({
      options: { noQuarantine: false },
    });
    expect(errorOf({ quarantine: 'maybe' })).toMatch(/input "quarantine" must be true or false/);
  });

  it('reporter maps onto --reporter, for run and merge alike; an unknown name names the input', () => {
    const { plan } = read({ reporter: 'junit,\njson' });
    expect(plan.mode === 'run' && plan.options.reporters).toEqual(['junit', 'json']);
    const all = read({}).plan;
    expect(all.mode === 'run' && all.options.reporters).toBeUndefined(); // every report
    const merge = read({ 'api-key': '', 'merge-results': 'x/*.json', reporter: 'markdown' }).plan;
    expect(merge).toMatchObject({ mode: 'merge', reporters: ['markdown'] });
    expect(errorOf({ reporter: 'junit,pdf' })).toMatch(
      /^input "reporter": unknown pdf \(use junit, markdown, json, html\)/,
    );
  });

  it('accepts newline and comma lists', () => {
    expect(splitList(' a,b \n\n c ,')).toEqual(['a', 'b', 'c']);
  });

  it('requires api-key, checked in code (the runner does not enforce required inputs)', () => {
    expect(errorOf({ 'api-key': '' })).toMatch(/^input "api-key" is required: pass a secret/);
  });

  it.each([
    [{ sync: 'yes' }, 'input "sync" must be true or false'],
    [{ 'fail-on-regression': '1' }, 'input "fail-on-regression" must be true or false'],
    [{ 'min-pass-rate': 'high' }, 'input "min-pass-rate" must be a number'],
    [{ 'min-pass-rate': '1.5' }, 'input "min-pass-rate" must be a number from 0 to 1'],
    [{ 'max-errors': '-1' }, 'input "max-errors" must be a whole number >= 0'],
    [{ trials: 'many' }, 'input "trials" must be a whole number'],
    [{ 'max-in-flight': '0' }, 'input "max-in-flight" must be a whole number >= 1'],
    [{ shard: '5/4' }, 'input "shard" "5/4" must be I/N with 1 <= I <= N, e.g. shard: 2/3'],
    [{ timeout: 'soon' }, 'input "timeout"'],
    [{ grep: '(' }, 'grep'],
  ] as const)('names the input in a bad value: %o', (inputs, message) => {
    const got = errorOf(inputs);
    expect(got).toContain(message);
    expect(got).not.toMatch(/(^|\s)--[a-z]/); // no CLI flag wording left
  });

  it("passes fail-on-regression only when true: false is the suite files' own setting, not a loosening", () => {
    const off = read({ 'fail-on-regression': 'false', baseline: 'b.json' });
    expect(off.warnings).toEqual([]);
    expect(runOptions(off.plan).gateFlags).toEqual({});
    expect(runOptions(read({ 'fail-on-regression': 'true', baseline: 'b.json' }).plan).gateFlags).toEqual({
      failOnRegression: true,
    });
    const merge = read({ 'api-key': '', 'merge-results': 'x/*.json', 'fail-on-regression': 'False' }).plan;
    expect(merge).toMatchObject({ mode: 'merge', gateFlags: {} });
  });

  it('names assistant-id, not promote-assistant-id, in a run (a PR check is no promotion)', () => {
    const against = errorOf({ against: 'main', 'version-id': 'v-2' });
    expect(against).toMatch(/^input "against" main needs input "assistant-id"/);
    expect(against).not.toContain('promote-assistant-id');
    expect(errorOf({ 'assistant-id': 'a' })).toMatch(
      /^input "assistant-id" is only used to check input "version-id"/,
    );
  });

  it('warns about legal inputs that have no effect', () => {
    expect(read({ sync: 'false', prune: 'true' }).warnings).toEqual(['prune has no effect with sync: false']);
    expect(read({ 'fail-on-regression': 'true' }).warnings).toEqual([
      'fail-on-regression has no effect without baseline (a results.json to compare with) or against (a version to run alongside)',
    ]);
  });
});

describe('readInputs: promote mode', () => {
  it('promote-assistant-id turns the run into promote, with the canary weight', () => {
    const { plan } = read({
      'promote-assistant-id': 'assistant-1',
      'version-id': 'v-2',
      'promote-canary-weight': '10',
    });
    expect(plan.mode).toBe('promote');
    if (plan.mode !== 'promote') return;
    expect(plan.options).toMatchObject({
      assistantId: 'assistant-1',
      versionId: 'v-2',
      canaryWeight: 10,
      dryRun: false,
      paths: ['suites'],
    });
  });

  it('promote-dry-run rehearses it: the tests and the gate run, nothing is promoted (promote --dry-run)', () => {
    const { plan } = read({
      'promote-assistant-id': 'assistant-1',
      'version-id': 'v-2',
      'promote-dry-run': 'true',
    });
    expect(plan.mode).toBe('promote');
    if (plan.mode !== 'promote') return;
    expect(plan.options).toMatchObject({ assistantId: 'assistant-1', versionId: 'v-2', dryRun: true });
    expect(errorOf({ 'version-id': 'v-2', 'promote-dry-run': 'true' })).toMatch(
      /^input "promote-dry-run" needs promote-assistant-id/,
    );
    expect(errorOf({ 'api-key': '', 'merge-results': 'x/*.json', 'promote-dry-run': 'true' })).toContain(
      'input "promote-dry-run": ',
    );
  });

  it('accepts assistant-id equal to promote-assistant-id, and refuses a different one', () => {
    const same = read({
      'promote-assistant-id': 'assistant-1',
      'assistant-id': 'assistant-1',
      'version-id': 'v-2',
    });
    expect(same.plan).toMatchObject({ mode: 'promote', options: { assistantId: 'assistant-1' } });
    expect(
      errorOf({ 'promote-assistant-id': 'assistant-1', 'assistant-id': 'assistant-2', 'version-id': 'v-2' }),
    ).toMatch(
      /^inputs "assistant-id" \(assistant-2\) and "promote-assistant-id" \(assistant-1\) name different assistants/,
    );
  });

  it('refuses shard with a promotion, saying to merge and gate, then promote in one unsharded job', () => {
    const message = errorOf({ 'promote-assistant-id': 'a', 'version-id': 'v', shard: '1/2' });
    expect(message).toContain('gate on them with merge-results');
    expect(message).toContain('a promotion needs one unsharded job');
    expect(message).not.toMatch(/then promote/);
  });

  it.each([
    [{ 'promote-canary-weight': '10' }, /^input "promote-canary-weight" needs promote-assistant-id/],
    [{ 'promote-assistant-id': 'a' }, /^input "promote-assistant-id" needs version-id/],
    [{ 'promote-assistant-id': 'a', 'version-id': 'v', shard: '1/2' }, /cannot be combined/],
    [
      { 'promote-assistant-id': 'a', 'version-id': 'v', 'pass-with-no-tests': 'true' },
      /"pass-with-no-tests" cannot be combined: a promotion needs a test that ran/,
    ],
    [
      { 'promote-assistant-id': 'a', 'version-id': 'v', 'promote-canary-weight': '100' },
      /^input "promote-canary-weight" must be a percentage above 0 and below 100, e.g\. promote-canary-weight: 10/,
    ],
  ] as const)('refuses %o', (inputs, message) => {
    expect(errorOf(inputs)).toMatch(message);
  });
});

describe('readInputs: merge mode', () => {
  it('merges shard results: no api-key needed, run inputs ignored with a warning', () => {
    const { plan, warnings } = read(
      {
        'api-key': '',
        'merge-results': 'shards/*/results.json\n  extra/{a,b}/results.json\n',
        shard: '1/4',
        trials: '3',
        prune: 'true',
        suites: 'other',
        baseline: 'main/results.json',
        'min-pass-rate': '0.9',
      },
      INPUT_DEFAULTS,
    );
    expect(plan).toEqual({
      mode: 'merge',
      patterns: ['shards/*/results.json', 'extra/{a,b}/results.json'],
      outDir: 'rubric-gate-report',
      baseline: 'main/results.json',
      gateFlags: { minPassRate: 0.9 },
    });
    expect(warnings).toEqual([
      'merge-results is set, so nothing runs and these inputs are ignored: suites, prune, trials, shard',
    ]);
  });

  it.each([
    [{ quarantine: 'false' }, 'quarantine', /set it on the shard jobs/],
    [{ against: 'main' }, 'against', /set it on the shard jobs .*or pass baseline/],
    [{ 'version-id': 'v-2' }, 'version-id', /set it on the shard jobs/],
    [{ 'promote-assistant-id': 'a', 'version-id': 'v-2' }, 'promote-assistant-id', /one unsharded job/],
    [{ 'promote-canary-weight': '10' }, 'promote-canary-weight', /one unsharded job/],
    [{ resume: 'true' }, 'resume', /set it on the shard job that was interrupted/],
  ] as const)(
    'refuses %o: it would change the gate or ask for an action a merge cannot take',
    (inputs, input, what) => {
      const message = errorOf({ 'api-key': '', 'merge-results': 'x/*.json', ...inputs });
      expect(message).toMatch(/^merge-results is set, so nothing runs: /);
      expect(message).toContain(`input "${input}": `);
      expect(message).toMatch(what);
    },
  );

  it('fail-on-regression is no "no effect" warning: merged shards carry their own baseline and against', () => {
    const { warnings } = read({ 'api-key': '', 'merge-results': 'x/*.json', 'fail-on-regression': 'true' });
    expect(warnings).toEqual([]);
  });

  it('still checks the gate inputs', () => {
    expect(errorOf({ 'merge-results': 'x/*.json', 'max-errors': '0.5' })).toMatch(/^input "max-errors"/);
  });
});

describe('resume', () => {
  it('is --resume, for a run and for a promotion', () => {
    expect(runOptions(read({ resume: 'true' }).plan).resume).toBe(true);
    expect(runOptions(read({}, INPUT_DEFAULTS).plan).resume).toBe(false);
    const { plan } = read({ resume: 'true', 'promote-assistant-id': 'a', 'version-id': 'v-2' });
    if (plan.mode !== 'promote') throw new Error(plan.mode);
    expect(plan.options.resume).toBe(true);
    expect(errorOf({ resume: 'yes' })).toMatch(/input "resume" must be true or false/);
  });
});

describe("inputWording: the pipeline's flags in the Action's words", () => {
  it('names the input for a flag that has one, in run and promote mode', () => {
    expect(inputWording('more than --max-runs 2: narrow it with --grep, --tag or --shard')).toBe(
      'more than input "max-runs" 2: narrow it with input "grep", input "tags" or input "shard"',
    );
    expect(inputWording('--version v-9 does not exist')).toBe('input "version-id" v-9 does not exist');
    expect(inputWording('--assistant a', 'promote')).toBe('input "promote-assistant-id" a');
    expect(inputWording('--dry-run', 'promote')).toBe('input "promote-dry-run"');
    expect(inputWording('rubric-gate could not finish: --timeout 12 s reached')).toBe(
      'rubric-gate could not finish: input "timeout" 12 s reached',
    );
  });

  it('leaves quoted values, flags without an input, and words with dashes as written', () => {
    expect(inputWording('input "grep" "--dry-run(" is not a valid regular expression')).toBe(
      'input "grep" "--dry-run(" is not a valid regular expression',
    );
    expect(inputWording('sync --dry-run shows it')).toBe('sync --dry-run shows it');
    expect(inputWording('--no-quarantine was given')).toBe('input "quarantine" was given');
    // The engine's message no longer repeats the pattern unquoted.
    expect(errorOf({ grep: '--tag(' })).toMatch(
      /^input "grep" "--tag\(" is not a valid regular expression: Unterminated group$/,
    );
    expect(inputWording('pass --no-such-flag or x--tag')).toBe('pass --no-such-flag or x--tag');
    expect(inputWording('"a \\" --tag" then --tag')).toBe('"a \\" --tag" then input "tags"');
  });
});

describe('command: validate, plan, sync', () => {
  it('validate needs no api-key; plan and sync do, and take base-url and prune', () => {
    expect(read({ command: 'validate', 'api-key': '', suites: 'a, b' }).plan).toEqual({
      mode: 'validate',
      options: { paths: ['a', 'b'], prune: false },
    });
    expect(read({ command: 'plan', 'base-url': 'http://127.0.0.1:1/v2', prune: 'true' }).plan).toEqual({
      mode: 'plan',
      options: { paths: ['suites'], apiKey: 'KEY_TEST_1234', baseUrl: 'http://127.0.0.1:1/v2', prune: true },
    });
    expect(read({ command: 'sync' }, INPUT_DEFAULTS).plan).toMatchObject({
      mode: 'sync',
      options: { prune: false },
    });
    expect(errorOf({ command: 'sync', 'api-key': '' })).toMatch(
      /^input "api-key" is required for command: sync/,
    );
    expect(errorOf({ command: 'test' })).toMatch(/input "command" must be one of run, validate, plan, sync/);
  });

  it('refuses inputs that ask for more than it does, and warns about run-only ones', () => {
    expect(errorOf({ command: 'plan', 'promote-assistant-id': 'a', 'version-id': 'v' })).toMatch(
      /^command: plan runs no tests, so input "promote-assistant-id" cannot apply/,
    );
    expect(errorOf({ command: 'validate', comment: 'true', resume: 'true' })).toMatch(
      /input "resume", input "comment"/,
    );
    const { warnings } = read(
      { command: 'validate', 'api-key': '', trials: '3', prune: 'true' },
      INPUT_DEFAULTS,
    );
    expect(warnings).toEqual(['command: validate ignores these inputs: prune, trials']);
    expect(read({ command: 'sync', prune: 'true' }, INPUT_DEFAULTS).warnings).toEqual([]);
    expect(errorOf({ command: 'sync', sync: 'false' })).toMatch(/input "sync" cannot apply/);
    // Gate inputs are not checked, only ignored, and said once.
    const gate = read({
      command: 'validate',
      'api-key': '',
      'min-pass-rate': '2',
      'fail-on-regression': 'true',
    });
    expect(gate.warnings).toEqual([
      'command: validate ignores these inputs: min-pass-rate, fail-on-regression',
    ]);
  });
});
