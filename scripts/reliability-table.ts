// Generates docs/reliability.md from what the fault matrix (test/integration/faults.test.ts)
// observed, so the table is never typed by hand.
//   npx tsx scripts/reliability-table.ts                 run the matrix, then write the doc
//   npx tsx scripts/reliability-table.ts --from FILE     render a saved observations file
//   --out FILE                                           default docs/reliability.md
// The matrix writes its observations to the file named by RELIABILITY_OUT; this script sets it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MATRIX = 'test/integration/faults.test.ts';
export const DOC_PATH = join(ROOT, 'docs', 'reliability.md');

/** One scenario as the matrix observed it. */
export const Observation = z.object({
  id: z.string(),
  group: z.string(),
  /** What was injected, for humans. */
  fault: z.string(),
  /**
   * What the matrix requires: complete reports, exit 3 with the missing tests listed, or (the
   * sync failed first) exit 3 with nothing triggered.
   */
  expected: z.enum(['complete', 'partial', 'nothing triggered']),
  exitCode: z.number().int().nullable(),
  verdict: z.string(),
  complete: z.boolean(),
  incompleteReason: z.string().optional(),
  tests: z.number().int(),
  /** Runs the simulator created for the suite's tests. */
  runs: z.number().int(),
  maxRunsPerTest: z.number().int(),
  /** Tests the simulator holds for the suite (more than `tests` = a duplicate was created). */
  remoteTests: z.number().int(),
  /** Requests the simulator received, every kind, faults included. */
  requests: z.number().int(),
  triggerRequests: z.number().int(),
  pollRequests: z.number().int(),
  /** Retries our client made, by how it waited (absent for a spawned CLI). */
  retryWaits: z.record(z.string(), z.number()).optional(),
  outcomes: z.record(z.string(), z.number()),
  /** Tests the reports list without a verdict, with why. */
  missing: z.array(z.string()),
  /** Runs the API holds for the suite that the report does not. */
  unreportedRuns: z.number().int(),
  /** results.json, junit.xml and summary.md were all written. */
  reportsWritten: z.boolean(),
  /** The invariants the scenario broke; empty when it held them all. */
  violations: z.array(z.string()),
  /** Set when the violations are a known gap, with what would fix it. */
  knownGap: z.string().optional(),
  /** What the next invocation (a re-run or --resume) achieved, when the scenario has one. */
  recovery: z.string().optional(),
  notes: z.string().optional(),
  wallMs: z.number(),
});
export type Observation = z.infer<typeof Observation>;

export const ReliabilityReport = z.object({
  schema: z.literal('rubric-gate/reliability@1'),
  generatedAt: z.string(),
  node: z.string(),
  scenarios: z.array(Observation).min(1),
});
export type ReliabilityReport = z.infer<typeof ReliabilityReport>;

/** Table cells: no pipes or newlines from the data can break a row. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

const sum = (xs: Record<string, number> | undefined): number =>
  Object.values(xs ?? {}).reduce((a, b) => a + b, 0);

function outcomeText(o: Observation): string {
  const order = ['passed', 'failed', 'error', 'flaky', 'skipped'];
  const parts = order.filter((k) => (o.outcomes[k] ?? 0) > 0).map((k) => `${o.outcomes[k]} ${k}`);
  return parts.join(', ');
}

function resultText(o: Observation): string {
  if (o.expected === 'nothing triggered' && o.runs === 0)
    return `sync failed, nothing triggered${o.reportsWritten ? ': partial reports list every test as not started' : ', no report'}`;
  if (!o.reportsWritten) return 'no report written';
  if (o.complete) return `complete: ${outcomeText(o)}`;
  return `partial: ${o.incompleteReason ?? 'incomplete'}`;
}

function heldText(o: Observation): string {
  if (o.violations.length === 0) return '✅';
  return o.knownGap ? '❌ known gap' : '❌';
}

const REQUIRED: Record<Observation['expected'], string> = {
  complete: 'complete',
  partial: 'exit 3, partial',
  'nothing triggered': 'exit 3, no run',
};

/** The whole document, from the observations. Pure. */
export function renderReliabilityTable(report: ReliabilityReport): string {
  const rows = report.scenarios.map((o) =>
    [
      `\`${o.id}\``,
      cell(o.fault),
      REQUIRED[o.expected],
      String(o.exitCode ?? '-'),
      cell(resultText(o)),
      `${o.runs} / ${o.tests}`,
      String(o.maxRunsPerTest),
      `${o.requests} (${o.triggerRequests}, ${o.pollRequests})`,
      o.retryWaits === undefined ? '-' : String(sum(o.retryWaits)),
      heldText(o),
    ].join(' | '),
  );
  const held = report.scenarios.filter((o) => o.violations.length === 0).length;
  const gaps = report.scenarios.filter((o) => o.violations.length > 0);
  const details = report.scenarios.flatMap((o) => {
    const lines = [
      o.missing.length > 0 ? `reports list without a verdict: ${o.missing.join('; ')}` : '',
      o.retryWaits && sum(o.retryWaits) > 0
        ? `client waits before retries: ${Object.entries(o.retryWaits)
            .map(([k, n]) => `${n}× ${k}`)
            .join(', ')}`
        : '',
      o.unreportedRuns > 0 ? `${o.unreportedRuns} runs started remotely are not in this report` : '',
      o.recovery ? `then ${o.recovery}` : '',
      o.notes ?? '',
      o.violations.length > 0 ? `broken: ${o.violations.join('; ')}` : '',
      o.knownGap ? `fix: ${o.knownGap}` : '',
    ]
      .filter(Boolean)
      .map((l) => l.replace(/\.+$/, ''));
    return lines.length > 0 ? [`- \`${o.id}\`: ${lines.join('. ')}.`] : [];
  });

  return [
    '# Reliability: the fault matrix',
    '',
    `<!-- Generated by scripts/reliability-table.ts from a run of ${MATRIX}; do not edit by hand. -->`,
    '',
    'Regenerate (runs the matrix, about 15 s, then rewrites this file):',
    '',
    '```sh',
    'npx tsx scripts/reliability-table.ts',
    '```',
    '',
    `Observed ${report.generatedAt} on Node ${report.node}: ${held} of ${report.scenarios.length} scenarios held every invariant.`,
    '',
    '`rubric-gate run` runs against the simulator (docs/simulator.md) with faults injected on the',
    "endpoints a run uses: the sync's test list and creates, the suite trigger and the poll. The",
    'suite has 6 tests (150 in the pagination scenarios) with known outcomes: one fails a criterion,',
    'one ends in error, the rest pass, so a complete run exits 1 on its gate. Every scenario must',
    'end with either',
    '',
    '- complete, correct reports (every test has the outcome the simulator decided), or',
    '- exit 3 and partial reports (results.json, junit.xml, summary.md) that list exactly the tests',
    '  without a verdict, and the runs still in progress remotely, or',
    '- when the sync before the run fails: exit 3 with nothing triggered, and a re-run that converges,',
    '',
    'and in every case: no test is triggered twice (runs per test from the simulator), no test is',
    'created twice, and every run the API returned is in the report with the verdict the API gave.',
    "The client's retry waits run on the same scaled clock as the run (the simulator's clock runs",
    '600× real time); only the per-request timeout is real time.',
    '',
    'Columns: **Runs / tests** = runs the simulator started / tests in the suite; **Requests** = all',
    'requests the simulator received (trigger requests, poll requests), faults included; **Retries**',
    "= retries made by rubric-gate's client.",
    '',
    '| Scenario | Fault injected | Required | Exit | Result | Runs / tests | Max runs per test | Requests (triggers, polls) | Retries | Held |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
    '## Details',
    '',
    ...details,
    '',
    ...(gaps.length > 0
      ? [
          '## Known gaps',
          '',
          ...gaps.map(
            (o) =>
              `- \`${o.id}\`: ${cell(o.fault)}. Broken: ${o.violations.join('; ')}.${o.knownGap ? ` Fix: ${o.knownGap}.` : ''}`,
          ),
          '',
        ]
      : []),
  ].join('\n');
}

/** Read and validate an observations file; a clear error saying which file and what is wrong. */
export function readReport(file: string): ReliabilityReport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not a readable JSON file (${err instanceof Error ? err.message : err})`);
  }
  const parsed = ReliabilityReport.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `${file}: not a fault-matrix observations file (${first?.path.join('.')}: ${first?.message})`,
    );
  }
  return parsed.data;
}

/** Run the matrix with RELIABILITY_OUT set; returns vitest's exit code and the file. */
function runMatrix(out: string): number {
  const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
  const res = spawnSync(process.execPath, [vitest, 'run', MATRIX], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, RELIABILITY_OUT: out },
  });
  return res.status ?? 1;
}

function main(): number {
  const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' } } });
  const outFile = values.out ?? DOC_PATH;
  let from = values.from;
  let code = 0;
  let tmp: string | undefined;
  if (from === undefined) {
    tmp = mkdtempSync(join(tmpdir(), 'rg-reliability-'));
    from = join(tmp, 'faults.json');
    code = runMatrix(from);
  }
  try {
    writeFileSync(outFile, renderReliabilityTable(readReport(from)));
    process.stdout.write(`wrote ${relative(process.cwd(), outFile)}\n`);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  if (code !== 0)
    process.stderr.write(`the fault matrix failed (vitest exit ${code}); the doc shows what broke\n`);
  return code;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main();
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
}
