// Promotion decisions, pure: which action `promote` takes, the canary rules it writes, and the
// words it prints and records. The API facts (CONTRACT.md 5.2): rules are evaluated in order and
// the first match wins, so a rule without `match` (a catch-all) ends the list in practice; a
// rollout's weights must sum to less than 100, the rest going to the main version; promoting a
// version deletes the whole canary config.
import type { Assistant, CanaryDeploy, Rule } from './api/schemas.js';
import { UsageError } from './errors.js';

/** --canary: a share of traffic in (0, 100); 0 routes nothing and 100 would leave main nothing. */
export function parseCanaryWeight(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n =
    typeof value === 'number' ? value : /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n >= 100) {
    throw new UsageError(
      `--canary must be a percentage above 0 and below 100, e.g. --canary 10 (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

/** Avoids 0.1 + 0.2 noise in sums and messages; weights are percentages. */
const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/** A percentage for a message: six decimals, but a sliver never reads as 0 or 100. */
const pct = (n: number): string =>
  n > 0 && round(n) === 0 ? '<0.000001' : n < 100 && round(n) === 100 ? '>99.999999' : String(round(n));

export const isCatchAll = (rule: Rule): boolean => rule.match === undefined || rule.match.length === 0;

export interface CanaryChange {
  /** create: no config yet (POST); update: replace the rules (PUT); unchanged: nothing to write. */
  mode: 'create' | 'update' | 'unchanged';
  /** The full rule list to send: every existing rule kept, only the catch-all rollout changed. */
  rules: Rule[];
  /** Index of the catch-all rule routing the version (in `rules`). */
  index: number;
  /** That rule before the change; absent when it is new. */
  before?: Rule;
  /** The version's weight in it before; absent when it had no slot. */
  previousWeight?: number;
}

/**
 * The rules that route `weight`% of the calls no targeted rule matches to `versionId`: the
 * first catch-all rule's rollout gets (or updates) the version's slot, other slots and rules are
 * kept; with no catch-all rule one is appended after the targeted rules (which keep priority).
 * Throws a UsageError when that cannot be done without changing someone else's routing.
 */
export function planCanary(
  existing: CanaryDeploy | undefined,
  versionId: string,
  weight: number,
): CanaryChange {
  const slot = { version_id: versionId, weight };
  const rules = existing?.rules ?? [];
  const index = rules.findIndex(isCatchAll);
  if (index === -1) {
    return {
      mode: existing ? 'update' : 'create',
      rules: [...rules, { serve: { rollout: [slot] } }],
      index: rules.length,
    };
  }
  const before = rules[index] as Rule;
  const { rollout, version_id: pinned } = before.serve;
  if (rollout === undefined || pinned !== undefined) {
    throw new UsageError(
      `the canary config's rule ${index + 1} sends every call no earlier rule matches to version ${pinned ?? '(none)'}, not a percentage split; rubric-gate will not change that. Edit or delete the canary config first.`,
    );
  }
  const others = rollout.filter((s) => s.version_id !== versionId);
  const previous = rollout.find((s) => s.version_id === versionId);
  const othersSum = others.reduce((sum, s) => sum + s.weight, 0);
  // Unrounded (rounding hid 99.99999949 + 0.00000051 = 100), and a hair under 100 counts as 100:
  // a share the API refuses must be refused here, before the suites run, not after.
  if (othersSum + weight >= 100 - 1e-9) {
    const list = others.map((s) => `${s.version_id} ${s.weight}%`).join(', ');
    const room = Math.floor((100 - othersSum) * 1e6) / 1e6; // down: a hint that fits
    throw new UsageError(
      `--canary ${weight}: rule ${index + 1} of the canary config already routes ${pct(othersSum)}% to other versions (${list}); with ${weight}% more the rollout would total ${pct(othersSum + weight)}%, and rollout weights must sum to less than 100 (the rest goes to main). ${room > 0 ? `Use --canary below ${room}, or edit the canary config` : 'There is no room for another share: edit the canary config'}.`,
    );
  }
  const duplicates = rollout.filter((s) => s.version_id === versionId).length;
  if (previous !== undefined && previous.weight === weight && duplicates === 1) {
    return { mode: 'unchanged', rules: [...rules], index, before, previousWeight: weight };
  }
  // The version's slot stays where it was (one slot: duplicates collapse into it).
  const updated: Rule['serve']['rollout'] = previous
    ? rollout.flatMap((s) => (s === previous ? [{ ...s, weight }] : s.version_id === versionId ? [] : [s]))
    : [...rollout, slot];
  const rule: Rule = { ...before, serve: { ...before.serve, rollout: updated } };
  return {
    mode: 'update',
    rules: rules.map((r, i) => (i === index ? rule : r)),
    index,
    before,
    ...(previous ? { previousWeight: previous.weight } : {}),
  };
}

// --- words ---------------------------------------------------------------------------------

/** "everything else", or the rule's clauses ANDed: `caller_number in [+1555…]`. */
export function describeMatch(rule: Rule): string {
  if (isCatchAll(rule)) return 'every other call';
  return (rule.match ?? [])
    .map((c) => `${c.attribute} ${c.operator.replace('_', ' ')} [${c.values.join(', ')}]`)
    .join(' and ');
}

/** "v-2 10%, v-3 5%, main 85%" or "v-2". */
export function describeServe(rule: Rule): string {
  const { rollout, version_id: pinned } = rule.serve;
  if (rollout !== undefined) {
    const rest = 100 - rollout.reduce((sum, s) => sum + s.weight, 0);
    return [...rollout.map((s) => `${s.version_id} ${s.weight}%`), `main ${pct(rest)}%`].join(', ');
  }
  return pinned ?? '(nothing)';
}

export const describeRule = (rule: Rule, index: number): string =>
  `${index + 1}. ${describeMatch(rule)} → ${describeServe(rule)}`;

export type PromoteAction =
  | { kind: 'promote'; versionId: string; canary?: CanaryDeploy }
  | { kind: 'canary'; versionId: string; weight: number; change: CanaryChange };

/** Decide, before anything runs, what happens if the gate holds. Throws a UsageError otherwise. */
export function decideAction(input: {
  versionId: string;
  canaryWeight?: number | undefined;
  canary: CanaryDeploy | undefined;
}): PromoteAction {
  const { versionId, canary } = input;
  const weight = parseCanaryWeight(input.canaryWeight); // the Action passes numbers unchecked
  if (weight === undefined) return { kind: 'promote', versionId, ...(canary ? { canary } : {}) };
  return { kind: 'canary', versionId, weight, change: planCanary(canary, versionId, weight) };
}

/** What the action will do, as indented lines for the console (before the run). */
export function describeAction(action: PromoteAction): string[] {
  if (action.kind === 'promote') {
    const lines = [`promote ${action.versionId} to main`];
    const rules = action.canary?.rules ?? [];
    if (action.canary) {
      lines.push(
        `this deletes the current canary config (${rules.length} rule${rules.length === 1 ? '' : 's'}):`,
        ...rules.map((r, i) => `  ${describeRule(r, i)}`),
      );
    } else lines.push('(there is no canary config to delete)');
    return lines;
  }
  const { change, weight, versionId } = action;
  const head = `route ${weight}% to ${versionId}`;
  const after = change.rules[change.index] as Rule;
  const kept = change.rules.length - 1;
  if (change.mode === 'unchanged') {
    return [`${head}: the canary config already does (rule ${change.index + 1}); nothing to change`];
  }
  if (change.mode === 'create') {
    return [`${head}: create a canary config:`, `  ${describeRule(after, change.index)}`];
  }
  return [
    `${head}: update the canary config${kept > 0 ? ` (${kept} other rule${kept === 1 ? '' : 's'} kept)` : ''}:`,
    change.before
      ? `  now:   ${describeRule(change.before, change.index)}`
      : `  add:   rule ${change.index + 1}`,
    `  after: ${describeRule(after, change.index)}`,
  ];
}

/** One short sentence for the results and reports. */
export function actionSentence(action: PromoteAction): string {
  if (action.kind === 'promote') {
    return `promote ${action.versionId} to main${action.canary ? ' and delete the canary config' : ''}`;
  }
  const verb = { create: 'create', update: 'update', unchanged: 'keep' }[action.change.mode];
  return `route ${action.weight}% to ${action.versionId} (${verb} the canary config)`;
}

/**
 * Why nothing may be written after the run, or undefined when the gate allows the action.
 * The run must have targeted this very version: a gate on main says nothing about a candidate.
 */
export function gateBlocks(
  versionId: string,
  gate: {
    complete: boolean;
    passed: boolean;
    testedVersionId: string | undefined;
    /** Tests that gate and ran (Evaluation.gating). */
    gating: number;
  },
): string | undefined {
  if (gate.testedVersionId !== versionId) {
    return `not promoted: the tests ran against ${gate.testedVersionId ?? 'the main version'}, not ${versionId}`;
  }
  if (!gate.complete) return 'not promoted: the run did not finish, so the gate is unknown';
  if (!gate.passed) return 'not promoted: a gate failed';
  // --pass-with-no-tests lets an empty selection pass a check; a promotion needs evidence: a
  // test that ran and gates (a quarantined one decides nothing).
  if (gate.gating === 0) return 'not promoted: no test that gates ran';
  return undefined;
}

// --- versions table ------------------------------------------------------------------------

export interface VersionRow {
  id: string;
  name: string;
  created: string;
  /** "main", "canary 10%", "canary rule 2", joined with ", "; "" when none. */
  status: string;
}

/** Where the canary config routes a version: "canary 10%" (catch-all share) or "canary rule 2". */
function canaryRoles(versionId: string, canary: CanaryDeploy | undefined): string[] {
  return (canary?.rules ?? []).flatMap((rule, i) => {
    const slot = rule.serve.rollout?.find((s) => s.version_id === versionId);
    const pinned = rule.serve.version_id === versionId;
    if (!slot && !pinned) return [];
    if (isCatchAll(rule)) return [slot ? `canary ${slot.weight}%` : 'canary (every other call)'];
    return [slot ? `canary ${slot.weight}% of rule ${i + 1}` : `canary rule ${i + 1}`];
  });
}

/** The versions list as table rows, newest first (the API's order, made certain). */
export function versionRows(
  versions: readonly Assistant[],
  mainVersionId: string | undefined,
  canary: CanaryDeploy | undefined,
): VersionRow[] {
  const created = (v: Assistant) => v.version_created_at ?? v.created_at;
  return [...versions]
    .sort((a, b) => Date.parse(created(b)) - Date.parse(created(a)))
    .map((v) => {
      const id = v.version_id ?? v.id;
      const roles = [...(id === mainVersionId ? ['main'] : []), ...canaryRoles(id, canary)];
      return { id, name: v.version_name ?? v.name, created: created(v), status: roles.join(', ') };
    });
}

/** A plain-text table; every cell is already terminal-safe. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
