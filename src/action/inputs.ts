// Action inputs → the same typed options the CLI builds (parseRunFlags / parsePromoteFlags),
// so the Action and the CLI run one pipeline with one set of checks. Raw strings are checked
// with zod here; ranges and combinations by the CLI's parsers, whose "--flag" wording is
// translated back to input names. Pure apart from the injected getter and warn callback.
import { z } from 'zod';
import { DEFAULT_OUT_DIR, parseReporters, REPORTERS, type ReporterName } from '../../reporters/index.js';
import { type PromoteCommandOptions, parsePromoteFlags } from '../commands/promote.js';
import { type GateFlags, gateOverridesFromFlags } from '../commands/report.js';
import { parseRunFlags, type RunCommandOptions, type RunFlags } from '../commands/run.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { CommentScope } from './comment.js';

/** Every input action.yml declares; a test keeps the two in step. */
export const INPUTS = [
  'command',
  'api-key',
  'suites',
  'version-id',
  'sync',
  'prune',
  'grep',
  'tags',
  'trials',
  'retries',
  'max-in-flight',
  'max-runs',
  'max-call-minutes',
  'against',
  'assistant-id',
  'all-trials',
  'timeout',
  'shard',
  'pass-with-no-tests',
  'changed-since',
  'history',
  'history-limit',
  'quarantine',
  'merge-results',
  'baseline',
  'min-pass-rate',
  'max-errors',
  'fail-on-regression',
  'out-dir',
  'reporter',
  'base-url',
  'promote-assistant-id',
  'promote-canary-weight',
  'promote-dry-run',
  'resume',
  'comment',
  'github-token',
] as const;
export type InputName = (typeof INPUTS)[number];

/**
 * action.yml's defaults. The runner fills them in; they apply here too when an input comes
 * back empty (a local harness), and tell a default apart from a choice. A test keeps them in
 * step with action.yml.
 */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = {
  command: 'run',
  suites: 'suites',
  sync: 'true',
  prune: 'false',
  'pass-with-no-tests': 'false',
  'all-trials': 'false',
  quarantine: 'true',
  'promote-dry-run': 'false',
  resume: 'false',
  retries: '0',
  'out-dir': DEFAULT_OUT_DIR,
  comment: 'false',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow expression action.yml declares
  'github-token': '${{ github.token }}',
};

/** Reads one input: trimmed, '' when unset (as @actions/core getInput). */
export type GetInput = (name: InputName) => string;

export interface MergePlan {
  mode: 'merge';
  /** Globs or paths of shard results.json files, one per line, relative to the working directory. */
  patterns: string[];
  outDir: string;
  baseline?: string;
  gateFlags: GateFlags;
  reporters?: ReporterName[];
}

/** The CLI commands the `command` input runs besides `run` (promote and merge have their inputs). */
export const COMMANDS = ['run', 'validate', 'plan', 'sync'] as const;

/** validate, plan or sync: the suites, and for plan and sync the API and --prune. */
export interface SuitesPlan {
  mode: 'validate' | 'plan' | 'sync';
  options: { paths: string[]; apiKey?: string; baseUrl?: string; prune: boolean };
}

export type ActionPlan =
  | { mode: 'run'; options: RunCommandOptions }
  | { mode: 'promote'; options: PromoteCommandOptions }
  | MergePlan
  | SuitesPlan;

// YAML 1.2 core-schema booleans, exactly what core.getBooleanInput accepts.
const bool = (name: InputName) =>
  z
    .string()
    .refine((v) => /^(true|True|TRUE|false|False|FALSE)?$/.test(v), {
      message: `input "${name}" must be true or false`,
    })
    .transform((v) => (v === '' ? undefined : v.toLowerCase() === 'true'));

const num = (name: InputName) =>
  z
    .string()
    .refine((v) => v === '' || Number.isFinite(Number(v)), { message: `input "${name}" must be a number` })
    .transform((v) => (v === '' ? undefined : Number(v)));

const text = z.string().transform((v) => (v === '' ? undefined : v));

const RawInputs = z.object({
  command: z.enum(COMMANDS, { error: `input "command" must be one of ${COMMANDS.join(', ')}` }),
  sync: bool('sync'),
  prune: bool('prune'),
  'pass-with-no-tests': bool('pass-with-no-tests'),
  'fail-on-regression': bool('fail-on-regression'),
  'all-trials': bool('all-trials'),
  quarantine: bool('quarantine'),
  'promote-dry-run': bool('promote-dry-run'),
  resume: bool('resume'),
  against: text,
  'min-pass-rate': num('min-pass-rate'),
  'max-errors': num('max-errors'),
  'merge-results': text,
  baseline: text,
  'changed-since': text,
  history: text,
});
type Parsed = z.infer<typeof RawInputs>;

export interface CommentSettings {
  /** Keep one sticky comment on the pull request up to date. */
  enabled: boolean;
  /** The workflow token (github-token); '' when the runner gave none. */
  token: string;
}

/** The `comment` and `github-token` inputs, read apart from the run plan: they act after it. */
export function readCommentInputs(get: GetInput): CommentSettings {
  const enabled = bool('comment').safeParse(get('comment') || INPUT_DEFAULTS.comment);
  if (!enabled.success) throw new UsageError(enabled.error.issues.map((i) => i.message).join('; '));
  // The default is an expression only the runner expands; unexpanded it is no token.
  const token = get('github-token');
  return { enabled: enabled.data === true, token: token.startsWith('${{') ? '' : token };
}

/**
 * What tells this step's comment apart from another leg's of the same matrix job: shard,
 * version-id, suites (when not the default), tags and grep, as the user wrote them.
 */
export function readCommentScope(get: GetInput): CommentScope {
  const suites = splitList(get('suites')).join('\n');
  const tags = splitList(get('tags')).join('\n');
  return {
    ...(get('shard') ? { shard: get('shard') } : {}),
    ...(get('version-id') ? { versionId: get('version-id') } : {}),
    ...(suites && suites !== INPUT_DEFAULTS.suites ? { suites } : {}),
    ...(tags ? { tags } : {}),
    ...(get('grep') ? { grep: get('grep') } : {}),
  };
}

/** "a, b\nc" → ['a', 'b', 'c']: inputs take newline or comma lists. */
export const splitList = (v: string): string[] =>
  v
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

// The CLI's parsers speak in flags; the Action user wrote inputs. `--assistant` is
// assistant-id for a run (a PR check) and promote-assistant-id only when promoting.
const FLAG_TO_INPUT: Record<string, InputName> = {
  '--version': 'version-id',
  '--tag': 'tags',
  '--canary': 'promote-canary-weight',
  '--no-quarantine': 'quarantine',
  '--no-sync': 'sync',
};
const inputOf = (flag: string, mode: 'run' | 'promote'): string =>
  flag === '--assistant'
    ? mode === 'promote'
      ? 'promote-assistant-id'
      : 'assistant-id'
    : (FLAG_TO_INPUT[flag] ?? flag.slice(2));

/** The CLI flags of run and promote that have an input (the rest, e.g. --dry-run of sync, do not). */
const FLAGS_WITH_INPUTS = new Set<string>([
  ...Object.keys(FLAG_TO_INPUT),
  '--assistant',
  '--dry-run',
  ...INPUTS.map((n) => `--${n}`),
]);

/**
 * Text from the shared pipeline in the Action's words: `--max-in-flight` → `input "max-in-flight"`.
 * Only flags that have an input, and never inside a quoted value: a --grep of "--tag(" is the
 * user's pattern, shown as written.
 */
export function inputWording(text: string, mode: 'run' | 'promote' = 'run'): string {
  const input = (flag: string) =>
    flag === '--dry-run' ? (mode === 'promote' ? 'promote-dry-run' : undefined) : inputOf(flag, mode);
  return text
    .split(/("(?:[^"\\\n]|\\.)*")/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/e\.g\. (--[a-z][a-z-]*) /g, (whole, flag: string) => {
              const name = FLAGS_WITH_INPUTS.has(flag) ? input(flag) : undefined;
              return name === undefined ? whole : `e.g. ${name}: `;
            })
            .replace(/(?<![\w-])--[a-z][a-z-]*/g, (flag) => {
              const name = FLAGS_WITH_INPUTS.has(flag) ? input(flag) : undefined;
              return name === undefined ? flag : `input "${name}"`;
            }),
    )
    .join('');
}

/** A CLI UsageError reworded for the Action (inputWording). */
export function asInputError(err: unknown, mode: 'run' | 'promote' = 'run'): unknown {
  if (!(err instanceof UsageError)) return err;
  return new UsageError(inputWording(err.message, mode));
}

// With merge-results nothing runs: these inputs would change the gate or ask for an action, so
// ignoring them would turn the step green without doing what was asked.
const MERGE_REFUSED: readonly {
  input: InputName;
  set: (raw: Record<InputName, string>, p: Parsed) => boolean;
  why: string;
}[] = [
  {
    input: 'quarantine',
    set: (_, p) => p.quarantine === false,
    why: 'quarantine: false cannot apply to a merge, which gates on what the shards recorded; set it on the shard jobs instead (one shard run with it makes the merged gate count quarantined tests)',
  },
  {
    input: 'against',
    set: (_, p) => p.against !== undefined,
    why: 'against runs a baseline version alongside, and a merge runs nothing; set it on the shard jobs (their comparison is merged), or pass baseline: a results.json to compare with',
  },
  {
    input: 'version-id',
    set: (raw) => raw['version-id'] !== '',
    why: 'version-id picks the version the tests run against, and a merge runs nothing; set it on the shard jobs',
  },
  {
    input: 'promote-assistant-id',
    set: (raw) => raw['promote-assistant-id'] !== '',
    why: 'a merge promotes nothing; a promotion needs one unsharded job (promote-assistant-id with version-id, no shard), e.g. after the merged gate holds',
  },
  {
    input: 'promote-canary-weight',
    set: (raw) => raw['promote-canary-weight'] !== '',
    why: 'a merge starts no canary; a promotion needs one unsharded job (promote-assistant-id with version-id, no shard), e.g. after the merged gate holds',
  },
  {
    input: 'resume',
    set: (_, p) => p.resume === true,
    why: 'resume picks up the runs of an interrupted run, and a merge runs nothing; set it on the shard job that was interrupted',
  },
  {
    input: 'promote-dry-run',
    set: (_, p) => p['promote-dry-run'] === true,
    why: 'a merge rehearses no promotion; a promotion needs one unsharded job (promote-assistant-id with version-id, no shard)',
  },
];

/** Run inputs a merge ignores without changing the gate (it gates on every merged test). */
const MERGE_IGNORED = [
  'suites',
  'sync',
  'prune',
  'base-url',
  'grep',
  'tags',
  'trials',
  'retries',
  'max-in-flight',
  'max-runs',
  'max-call-minutes',
  'assistant-id',
  'all-trials',
  'timeout',
  'shard',
  'pass-with-no-tests',
  'changed-since',
  'history',
  'history-limit',
] as const satisfies readonly InputName[];

/** Inputs that ask for what validate, plan and sync do not do: refused, not ignored. */
const SUITES_REFUSED = [
  'merge-results',
  'promote-assistant-id',
  'promote-canary-weight',
  'promote-dry-run',
  'resume',
  'comment',
] as const satisfies readonly InputName[];

/** Run inputs validate, plan and sync have no use for (sync and prune count for plan and sync). */
const SUITES_IGNORED = INPUTS.filter(
  (n) =>
    !['command', 'api-key', 'suites', 'base-url', 'sync', 'prune', 'out-dir', 'github-token'].includes(n) &&
    !(SUITES_REFUSED as readonly string[]).includes(n),
);

/** command: validate, plan or sync, with the inputs they take (the CLI's validate, plan, sync). */
function suitesPlan(
  command: 'validate' | 'plan' | 'sync',
  raw: Record<InputName, string>,
  p: Parsed,
  chosen: (n: InputName) => boolean,
  warn: (message: string) => void,
): SuitesPlan {
  const given = (n: (typeof SUITES_REFUSED)[number]): boolean =>
    n === 'comment'
      ? raw.comment.toLowerCase() === 'true'
      : n === 'resume' || n === 'promote-dry-run'
        ? p[n] === true
        : raw[n] !== '';
  const refused: string[] = SUITES_REFUSED.filter(given);
  if (command === 'sync' && p.sync === false) refused.push('sync');
  if (refused.length > 0) {
    throw new UsageError(
      `command: ${command} runs no tests, so ${refused.map((n) => `input "${n}"`).join(', ')} cannot apply; drop ${refused.length === 1 ? 'it' : 'them'}, or use command: run`,
    );
  }
  const ignored = SUITES_IGNORED.filter((n) => chosen(n) || (n === 'fail-on-regression' && p[n] === true));
  if (command === 'validate') ignored.unshift(...(['base-url', 'prune'] as const).filter(chosen));
  if (ignored.length > 0) warn(`command: ${command} ignores these inputs: ${ignored.join(', ')}`);
  const paths = splitList(raw.suites);
  if (command === 'validate') return { mode: command, options: { paths, prune: false } };
  if (!raw['api-key']) {
    throw new UsageError(
      `input "api-key" is required for command: ${command}: pass a secret, e.g. api-key: \${{ secrets.TELNYX_API_KEY }} (command: validate needs none)`,
    );
  }
  return {
    mode: command,
    options: {
      paths,
      apiKey: raw['api-key'],
      ...(raw['base-url'] ? { baseUrl: raw['base-url'] } : {}),
      prune: p.prune === true,
    },
  };
}

/** Every merge-results conflict at once, each naming its input and what to do instead. */
function refuseMergeConflicts(raw: Record<InputName, string>, p: Parsed): void {
  const refused = MERGE_REFUSED.filter((r) => r.set(raw, p));
  if (refused.length === 0) return;
  throw new UsageError(
    `merge-results is set, so nothing runs: ${refused.map((r) => `input "${r.input}": ${r.why}`).join('; ')}`,
  );
}

/**
 * Validate every input and decide what the step does: run the suites, run then promote, or
 * merge shard results. Throws UsageError naming the input; legal but odd combinations warn.
 */
export function readInputs(get: GetInput, io: Io, warn: (message: string) => void): ActionPlan {
  const raw = Object.fromEntries(INPUTS.map((n) => [n, get(n) || INPUT_DEFAULTS[n] || ''])) as Record<
    InputName,
    string
  >;
  const chosen = (n: InputName): boolean => raw[n] !== '' && raw[n] !== INPUT_DEFAULTS[n];
  const parsed = RawInputs.safeParse(raw);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  const p = parsed.data;
  // validate, plan and sync run no tests: gate and report inputs are ignored (said), not checked.
  if (p.command !== 'run') return suitesPlan(p.command, raw, p, chosen, warn);
  const gateFlags: GateFlags = {
    ...(p['min-pass-rate'] === undefined ? {} : { minPassRate: p['min-pass-rate'] }),
    ...(p['max-errors'] === undefined ? {} : { maxErrors: p['max-errors'] }),
    // The CLI has --fail-on-regression only: false is the suite files' own setting, not a loosening.
    ...(p['fail-on-regression'] ? { failOnRegression: true } : {}),
  };
  try {
    // Ranges now: a bad threshold must not cost a whole run before it is noticed.
    gateOverridesFromFlags(gateFlags);
  } catch (err) {
    throw asInputError(err);
  }
  const outDir = raw['out-dir'];
  // The reports to write, for run, promote and merge alike (the CLI's --reporter).
  const chosenReporters = raw.reporter ? parseReporters(splitList(raw.reporter)) : undefined;
  if (chosenReporters && chosenReporters.unknown.length > 0) {
    throw new UsageError(
      `input "reporter": unknown ${chosenReporters.unknown.join(', ')} (use ${REPORTERS.join(', ')})`,
    );
  }
  const reporters = chosenReporters && { reporters: chosenReporters.reporters };
  // A merge's results carry each shard's own baseline and against, so there it may well apply.
  if (p['fail-on-regression'] && !p.baseline && !p.against && !p['merge-results']) {
    warn(
      'fail-on-regression has no effect without baseline (a results.json to compare with) or against (a version to run alongside)',
    );
  }

  if (p['merge-results']) {
    refuseMergeConflicts(raw, p);
    const ignored = MERGE_IGNORED.filter(chosen);
    if (ignored.length > 0) {
      warn(`merge-results is set, so nothing runs and these inputs are ignored: ${ignored.join(', ')}`);
    }
    return {
      mode: 'merge',
      // One per line, as `merge` takes several: not split on commas, which a glob's {a,b} holds.
      patterns: p['merge-results']
        .split('\n')
        .map((x) => x.trim())
        .filter(Boolean),
      outDir,
      ...(p.baseline ? { baseline: p.baseline } : {}),
      gateFlags,
      ...reporters,
    };
  }

  if (!raw['api-key']) {
    throw new UsageError(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow expression the user should write
      'input "api-key" is required: pass a secret, e.g. api-key: ${{ secrets.TELNYX_API_KEY }}',
    );
  }
  if (p['promote-dry-run'] && !raw['promote-assistant-id']) {
    throw new UsageError('input "promote-dry-run" needs promote-assistant-id (and version-id)');
  }
  if (raw['promote-canary-weight'] && !raw['promote-assistant-id']) {
    throw new UsageError('input "promote-canary-weight" needs promote-assistant-id (and version-id)');
  }
  if (raw['promote-assistant-id'] && !raw['version-id']) {
    throw new UsageError(
      'input "promote-assistant-id" needs version-id: the assistant version to test, then promote',
    );
  }
  if (raw['promote-assistant-id'] && raw.shard) {
    throw new UsageError(
      'inputs "promote-assistant-id" and "shard" cannot be combined: promote gates on every test in one job. Run the shards without promoting and gate on them with merge-results; a promotion needs one unsharded job (promote-assistant-id with version-id, no shard)',
    );
  }
  if (raw['promote-assistant-id'] && p['changed-since']) {
    throw new UsageError(
      'inputs "promote-assistant-id" and "changed-since" cannot be combined: promote gates on every test, not only the changed ones',
    );
  }
  if (raw['promote-assistant-id'] && p['pass-with-no-tests']) {
    throw new UsageError(
      'inputs "promote-assistant-id" and "pass-with-no-tests" cannot be combined: a promotion needs a test that ran',
    );
  }
  if (
    raw['promote-assistant-id'] &&
    raw['assistant-id'] &&
    raw['assistant-id'] !== raw['promote-assistant-id']
  ) {
    throw new UsageError(
      `inputs "assistant-id" (${raw['assistant-id']}) and "promote-assistant-id" (${raw['promote-assistant-id']}) name different assistants: a promotion tests and promotes one; drop assistant-id`,
    );
  }
  if (p.prune && p.sync === false) warn('prune has no effect with sync: false');

  const flags: RunFlags = {
    apiKey: raw['api-key'],
    ...(raw['base-url'] ? { baseUrl: raw['base-url'] } : {}),
    ...(raw['version-id'] ? { version: raw['version-id'] } : {}),
    ...(p.sync === undefined ? {} : { sync: p.sync }),
    ...(p.prune === undefined ? {} : { prune: p.prune }),
    ...(raw.grep ? { grep: raw.grep } : {}),
    ...(raw.tags ? { tag: splitList(raw.tags) } : {}),
    ...(raw.trials ? { trials: raw.trials } : {}),
    ...(raw.retries ? { retries: raw.retries } : {}),
    ...(raw['max-in-flight'] ? { maxInFlight: raw['max-in-flight'] } : {}),
    ...(raw['max-runs'] ? { maxRuns: raw['max-runs'] } : {}),
    ...(raw['max-call-minutes'] ? { maxCallMinutes: raw['max-call-minutes'] } : {}),
    ...(p.against ? { against: p.against } : {}),
    ...(raw['assistant-id'] ? { assistant: raw['assistant-id'] } : {}),
    ...(p['all-trials'] ? { allTrials: true } : {}),
    ...(raw.timeout ? { timeout: raw.timeout } : {}),
    ...(raw.shard ? { shard: raw.shard } : {}),
    ...(p['pass-with-no-tests'] ? { passWithNoTests: true } : {}),
    ...(p.baseline ? { baseline: p.baseline } : {}),
    ...(p['changed-since'] ? { changedSince: p['changed-since'] } : {}),
    ...(p.history ? { history: p.history } : {}),
    ...(raw['history-limit'] ? { historyLimit: raw['history-limit'] } : {}),
    ...(p.quarantine === false ? { quarantine: false } : {}),
    ...(p.resume ? { resume: true } : {}),
    outDir,
    ...(chosenReporters ? { reporter: chosenReporters.reporters } : {}),
    ...gateFlags,
  };
  const paths = splitList(raw.suites);

  const mode = raw['promote-assistant-id'] ? 'promote' : 'run';
  try {
    if (mode === 'promote') {
      return {
        mode: 'promote',
        options: parsePromoteFlags(
          paths,
          {
            ...flags,
            assistant: raw['promote-assistant-id'],
            ...(raw['promote-canary-weight'] ? { canary: raw['promote-canary-weight'] } : {}),
            ...(p['promote-dry-run'] ? { dryRun: true } : {}),
          },
          io,
        ),
      };
    }
    return { mode: 'run', options: parseRunFlags(paths, flags, io) };
  } catch (err) {
    throw asInputError(err, mode);
  }
}
