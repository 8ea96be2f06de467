// Rules that span fields: defaults, E.164 per channel, duplicate names, min_passes <= trials,
// renamed_from conflicts. They read the raw data defensively (so they run even when the schema
// found other problems: every problem at once), then buildSuite turns valid data into the model.
import { CHANNELS } from '../api/limits.js';
import type { Channel } from '../api/schemas.js';
import type { DataPath } from './locate.js';
import { showPath } from './locate.js';
import { clip, type PathProblem } from './messages.js';
import { DEFAULT_GATE, type Located, type SuiteDef, type TestDef } from './model.js';
import { DEFAULT_CHANNEL, E164, PHONE_CHANNELS, type SuiteFile } from './schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const isChannel = (v: unknown): v is Channel => (CHANNELS as readonly unknown[]).includes(v);
const int = (v: unknown): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);

/** Where a path is in the source, for messages that refer to another place ("defined at line 12"). */
export type Locate = (path: DataPath) => { line: number; col: number };

export function checkSuite(data: unknown, locate: Locate): PathProblem[] {
  const problems: PathProblem[] = [];
  const add = (path: DataPath, message: string) =>
    problems.push({ path, at: 'value', message: `${showPath(path)}: ${message}` });
  if (!isObj(data) || !Array.isArray(data.tests)) return problems;
  const defaults = isObj(data.defaults) ? data.defaults : {};

  const testNames = new Map<string, number>();
  const renamedFrom = new Map<string, { test: number; index: number; name: string }>();
  const phoneChecked = new Set<string>();

  data.tests.forEach((test, i) => {
    if (!isObj(test)) return;
    const at = (...rest: PropertyKey[]): DataPath => ['tests', i, ...rest];
    const name = str(test.name);
    if (name !== undefined) {
      const first = testNames.get(name);
      if (first === undefined) testNames.set(name, i);
      else {
        const { line } = locate(['tests', first, 'name']);
        add(at('name'), `test "${clip(name)}" is already defined at line ${line}; rename one of them`);
      }
    }

    if (Array.isArray(test.rubric)) {
      const seen = new Map<string, number>();
      test.rubric.forEach((c, j) => {
        const cname = isObj(c) ? str(c.name) : undefined;
        if (cname === undefined) return;
        const first = seen.get(cname);
        if (first === undefined) seen.set(cname, j);
        else {
          const { line } = locate(at('rubric', first, 'name'));
          add(
            at('rubric', j, 'name'),
            `criterion "${clip(cname)}" is already in this rubric at line ${line}; rename one of them`,
          );
        }
      });
    }

    const trials = test.trials === undefined ? 1 : int(test.trials);
    const minPasses = int(test.min_passes);
    if (trials !== undefined && minPasses !== undefined && minPasses > trials) {
      add(
        at('min_passes'),
        `${minPasses} is more than trials (${trials}); lower min_passes or set trials: ${minPasses} or more`,
      );
    }

    // Resolve channel and destination through defaults, the way the model will.
    const channel =
      test.channel !== undefined
        ? test.channel
        : defaults.channel !== undefined
          ? defaults.channel
          : DEFAULT_CHANNEL;
    const destPath: DataPath | undefined =
      test.destination !== undefined
        ? at('destination')
        : defaults.destination !== undefined
          ? ['defaults', 'destination']
          : undefined;
    if (destPath === undefined) {
      add(at(), 'no destination; add destination: to this test or to defaults');
    } else if (isChannel(channel) && PHONE_CHANNELS.has(channel)) {
      const dest = str(destPath[0] === 'defaults' ? defaults.destination : test.destination);
      const key = showPath(destPath);
      if (dest !== undefined && !E164.test(dest) && !phoneChecked.has(key)) {
        phoneChecked.add(key);
        const user =
          destPath[0] === 'defaults' ? ` (used by test ${name ? `"${clip(name)}"` : `tests[${i}]`})` : '';
        add(
          destPath,
          `"${clip(dest)}" is not an E.164 phone number, which channel ${channel} needs${user}; use E.164 like +15551234567`,
        );
      }
    }

    if (Array.isArray(test.renamed_from)) {
      test.renamed_from.forEach((old, j) => {
        const o = str(old);
        if (o === undefined) return;
        if (o === name) {
          add(at('renamed_from', j), `"${clip(o)}" is this test's own name; remove it`);
          return;
        }
        const claimed = renamedFrom.get(o);
        if (claimed?.test === i) {
          add(at('renamed_from', j), `"${clip(o)}" is listed twice; remove one`);
        } else if (claimed !== undefined) {
          add(
            at('renamed_from', j),
            `"${clip(o)}" is already in renamed_from of test "${clip(claimed.name)}"; only one test can take over a name`,
          );
        } else renamedFrom.set(o, { test: i, index: j, name: name ?? `tests[${i}]` });
      });
    }
  });

  // An old name that is still a current test name makes the rename ambiguous.
  for (const [old, { test, index }] of renamedFrom) {
    const other = testNames.get(old);
    if (other === undefined) continue;
    const { line } = locate(['tests', other, 'name']);
    add(
      ['tests', test, 'renamed_from', index],
      `"${clip(old)}" is still the name of a test at line ${line}; remove it from renamed_from or rename that test`,
    );
  }
  return problems;
}

/** The model for a suite file that passed every check. */
export function buildSuite(f: SuiteFile, file: string, locate: Locate): SuiteDef {
  const where = (path: DataPath): Located => ({ file, ...locate(path) });
  const d = f.defaults ?? {};
  const tests = f.tests.map((t, i): TestDef => {
    const trials = t.trials ?? 1;
    const def: TestDef = {
      suite: f.suite,
      name: t.name,
      instructions: t.instructions,
      // checkSuite reported a problem for a missing destination, so one of these is set.
      destination: t.destination ?? d.destination ?? '',
      channel: t.channel ?? d.channel ?? DEFAULT_CHANNEL,
      rubric: t.rubric.map((c) => ({ name: c.name, criteria: c.criteria, required: c.required ?? false })),
      trials,
      minPasses: t.min_passes ?? trials,
      tags: t.tags ?? [],
      renamedFrom: t.renamed_from ?? [],
      loc: where(['tests', i]),
    };
    if (t.description !== undefined) def.description = t.description;
    if (t.quarantine !== undefined) def.quarantine = t.quarantine;
    const maxDuration = t.max_duration_seconds ?? d.max_duration_seconds;
    if (maxDuration !== undefined) def.maxDurationSeconds = maxDuration;
    return def;
  });
  return {
    name: f.suite,
    file,
    loc: where(['suite']),
    gate: {
      minPassRate: f.gate?.min_pass_rate ?? DEFAULT_GATE.minPassRate,
      maxErrors: f.gate?.max_errors ?? DEFAULT_GATE.maxErrors,
      failOnRegression: f.gate?.fail_on_regression ?? DEFAULT_GATE.failOnRegression,
    },
    tests,
  };
}
