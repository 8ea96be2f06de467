// Terraform-style text for a plan (and a sync report's summary). Pure: returns strings.
// Colour only when asked (a TTY); CI logs get plain text with no escape codes.
import type { RubricItem } from './api/schemas.js';
import type { FieldChange, FieldValue, Plan, PlanChange } from './plan.js';
import { countPlan } from './plan.js';
import type { SyncReport } from './sync.js';

export interface RenderOptions {
  /** Deletes are applied (sync --prune); otherwise they are listed as "would delete". */
  prune: boolean;
  color: boolean;
  /** Longest excerpt of a string value before it is cut around the first difference. */
  width?: number;
}

type Paint = (s: string) => string;
interface Palette {
  green: Paint;
  yellow: Paint;
  red: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
}

const sgr =
  (open: number, close: number): Paint =>
  (s) =>
    `\u001b[${open}m${s}\u001b[${close}m`;
const plain: Paint = (s) => s;
const palette = (color: boolean): Palette =>
  color
    ? {
        green: sgr(32, 39),
        yellow: sgr(33, 39),
        red: sgr(31, 39),
        cyan: sgr(36, 39),
        dim: sgr(2, 22),
        bold: sgr(1, 22),
      }
    : { green: plain, yellow: plain, red: plain, cyan: plain, dim: plain, bold: plain };

const DEFAULT_WIDTH = 72;

/**
 * Quote a before/after pair, cutting long strings to a window that starts a little before the
 * first character where they differ, so the change itself stays visible.
 */
export function excerptPair(before: string, after: string, width = DEFAULT_WIDTH): [string, string] {
  if (before.length <= width && after.length <= width) return [JSON.stringify(before), JSON.stringify(after)];
  let p = 0;
  while (p < before.length && p < after.length && before[p] === after[p]) p++;
  const start = Math.max(0, p - Math.floor(width / 4));
  return [cut(before, start, width), cut(after, start, width)];
}

function cut(s: string, start: number, width: number): string {
  const body = JSON.stringify(s.slice(start, start + width));
  const head = start > 0 ? '…' : '';
  const rest = s.length - start - width;
  const tail = rest > 0 ? `…(+${rest} chars)` : '';
  return `${head}${body}${tail}`;
}

const show = (v: string | number | undefined): string =>
  v === undefined ? '(none)' : typeof v === 'number' ? String(v) : JSON.stringify(v);

function fieldLines(ch: FieldChange, p: Palette, width: number): string[] {
  if (ch.field === 'rubric') return rubricLines(asRubric(ch.before), asRubric(ch.after), p, width);
  const before = scalar(ch.before);
  const after = scalar(ch.after);
  if (typeof before === 'string' && typeof after === 'string') {
    const [b, a] = excerptPair(before, after, width);
    return [`${p.yellow('~')} ${ch.field}: ${b} -> ${a}`];
  }
  return [`${p.yellow('~')} ${ch.field}: ${show(before)} -> ${show(after)}`];
}

const scalar = (v: FieldValue): string | number | undefined => (Array.isArray(v) ? undefined : v);
const asRubric = (v: FieldValue): RubricItem[] => (Array.isArray(v) ? v : []);

/** Rubric changes per criterion, matched by name; a pure reorder says so. */
function rubricLines(before: RubricItem[], after: RubricItem[], p: Palette, width: number): string[] {
  const lines = [`${p.yellow('~')} rubric:`];
  const old = new Map(before.map((r) => [r.name, r.criteria]));
  const now = new Map(after.map((r) => [r.name, r.criteria]));
  for (const r of before) {
    if (!now.has(r.name)) lines.push(`    ${p.red('-')} ${JSON.stringify(r.name)}`);
  }
  for (const r of after) {
    const was = old.get(r.name);
    if (was === undefined) {
      const [, a] = excerptPair('', r.criteria, width);
      lines.push(`    ${p.green('+')} ${JSON.stringify(r.name)}: ${a}`);
    } else if (was !== r.criteria) {
      const [b, a] = excerptPair(was, r.criteria, width);
      lines.push(`    ${p.yellow('~')} ${JSON.stringify(r.name)}: ${b} -> ${a}`);
    }
  }
  const keptBefore = before.filter((r) => now.has(r.name)).map((r) => r.name);
  const keptAfter = after.filter((r) => old.has(r.name)).map((r) => r.name);
  if (JSON.stringify(keptBefore) !== JSON.stringify(keptAfter)) {
    lines.push(`    ${p.yellow('~')} order: ${keptBefore.join(', ')} -> ${keptAfter.join(', ')}`);
  }
  return lines;
}

function changeLines(ch: PlanChange, opts: RenderOptions, p: Palette): string[] {
  const width = opts.width ?? DEFAULT_WIDTH;
  const id = (testId: string) => p.dim(`(${testId})`);
  switch (ch.kind) {
    case 'create':
      return [`  ${p.green('+ create')} ${ch.name}`];
    case 'update': {
      const head =
        ch.renamedFrom === undefined
          ? `  ${p.yellow('~ update')} ${ch.name} ${id(ch.testId)}`
          : `  ${p.cyan('→ rename')} ${JSON.stringify(ch.renamedFrom)} -> ${JSON.stringify(ch.name)} ${id(ch.testId)}`;
      return [head, ...ch.changes.flatMap((c) => fieldLines(c, p, width).map((l) => `      ${l}`))];
    }
    case 'delete':
      return opts.prune
        ? [`  ${p.red('- delete')} ${ch.name} ${id(ch.testId)}`]
        : [`  ${p.dim('- would delete')} ${ch.name} ${id(ch.testId)} ${p.dim('(pass --prune)')}`];
  }
}

/** The one-line summary, Terraform-style. */
export function planSummary(plan: Plan, prune: boolean): string {
  const c = countPlan(plan);
  const writes = c.create + c.update + c.rename + (prune ? c.delete : 0);
  const parts: string[] = [];
  // A conflict blocks sync: say so first, never "No changes" next to it.
  if (c.conflicts > 0) {
    parts.push(
      `Blocked: ${c.conflicts} conflict${c.conflicts === 1 ? '' : 's'} (several remote tests share one name); sync refuses until resolved.`,
    );
  }
  if (writes === 0) {
    parts.push(
      c.conflicts > 0
        ? 'Apart from that, no changes.'
        : c.delete > 0 || plan.unowned.length > 0
          ? 'No writes: every test in the files matches its remote test.'
          : 'No changes. Remote tests match the suite files.',
    );
  } else {
    const renames = c.rename > 0 ? ` (${c.rename} rename${c.rename === 1 ? '' : 's'})` : '';
    parts.push(
      `Plan: ${c.create} to create, ${c.update + c.rename} to update${renames}, ${prune ? c.delete : 0} to delete, ${c.unchanged} unchanged.`,
    );
  }
  if (!prune && c.delete > 0) {
    parts.push(`${c.delete} remote test${c.delete === 1 ? '' : 's'} would be deleted with --prune.`);
  }
  if (plan.unowned.length > 0) {
    const n = plan.unowned.length;
    parts.push(`${n} remote test${n === 1 ? ' is' : 's are'} left alone: listed without their suite.`);
  }
  return parts.join(' ');
}

/** The full plan text: per suite, each change with its field diff, then conflicts and the summary. */
export function renderPlan(plan: Plan, opts: RenderOptions): string {
  const p = palette(opts.color);
  const out: string[] = [];
  for (const suite of plan.suites) {
    const changes = plan.changes.filter((c) => c.suite === suite);
    const unchanged = plan.unchanged.filter((u) => u.suite === suite).length;
    const conflicts = plan.conflicts.filter((c) => c.suite === suite).length;
    const unowned = plan.unowned.some((u) => u.suite === suite);
    const tail = unchanged > 0 ? p.dim(` (${unchanged} unchanged)`) : '';
    out.push(`${p.bold(`suite ${suite}`)}${tail}`);
    if (changes.length === 0 && conflicts === 0 && !unowned) out.push(p.dim('  no changes'));
    for (const ch of changes) out.push(...changeLines(ch, opts, p));
    for (const u of plan.unowned.filter((x) => x.suite === suite)) {
      out.push(
        `  ${p.dim('? left alone')} ${u.name} ${p.dim(`(${u.testId}): the API listed it without its suite, so it is never deleted`)}`,
      );
    }
  }
  if (plan.conflicts.length > 0) {
    out.push('', p.red(p.bold('Conflicts: several remote tests share one name in a managed suite.')));
    for (const c of plan.conflicts) {
      out.push(`  ${p.red('!')} ${c.suite} / ${JSON.stringify(c.name)}: test ids ${c.testIds.join(', ')}`);
    }
    out.push(
      '  sync will not guess which one is managed: delete the extra ones (keep the one whose run history',
      '  you want) in the Telnyx portal or with DELETE /ai/assistants/tests/{test_id}, then re-run.',
    );
  }
  out.push('', p.bold(planSummary(plan, opts.prune)));
  return `${out.join('\n')}\n`;
}

const describeChange = (ch: PlanChange): string =>
  ch.kind === 'update' && ch.renamedFrom !== undefined
    ? `rename ${JSON.stringify(ch.renamedFrom)} -> ${JSON.stringify(ch.name)}`
    : `${ch.kind} ${ch.suite} / ${JSON.stringify(ch.name)}`;

/** What a sync did: each failed or unattempted write, warnings, then one summary line. */
export function renderSyncReport(report: SyncReport, opts: { color: boolean }): string {
  const p = palette(opts.color);
  const out: string[] = [];
  for (const r of report.results) {
    if (r.status === 'failed')
      out.push(`  ${p.red('✗')} ${describeChange(r.change)}: ${r.error?.message ?? 'failed'}`);
  }
  const notStarted = report.results.filter((r) => r.status === 'not-started');
  if (notStarted.length > 0) {
    out.push(
      `  ${p.yellow('…')} not attempted (cancelled): ${notStarted.map((r) => describeChange(r.change)).join('; ')}`,
    );
  }
  for (const w of report.warnings) out.push(`  ${p.yellow('!')} ${w}`);
  const c = report.counts;
  const done = `Sync: ${c.created} created, ${c.updated} updated, ${c.renamed} renamed, ${c.deleted} deleted`;
  const extra = [
    c.failed > 0 ? p.red(`${c.failed} failed`) : '',
    c.notStarted > 0 ? p.yellow(`${c.notStarted} not attempted`) : '',
    c.skippedDeletes > 0 ? `${c.skippedDeletes} left (pass --prune to delete)` : '',
  ].filter(Boolean);
  const verdict = report.complete ? '.' : '. Re-run sync to finish: it re-plans from the remote state.';
  out.push(p.bold(`${done}${extra.length > 0 ? `, ${extra.join(', ')}` : ''}${verdict}`));
  return `${out.join('\n')}\n`;
}
