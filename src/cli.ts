// The CLI shell: commander turns argv into typed options for the command functions in
// src/commands/, which return exit codes. Errors escaping a command are mapped to exit codes
// here, in one place (errors.ts), and printed without the API key.
import { Command, CommanderError } from 'commander';
import { EXIT, type ExitCode, reportError, UsageError } from './errors.js';
import { type Io, processIo } from './io.js';
import { VERSION } from './version.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

const number = (flag: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`${flag} expects a number, got "${value}"`);
  return n;
};

const apiOptions = (cmd: Command): Command =>
  cmd
    .option(
      '--api-key <key>',
      'Telnyx API key (default: $TELNYX_API_KEY; prefer the variable: flags show in ps)',
    )
    .option('--base-url <url>', 'API base URL (default: $TELNYX_BASE_URL or https://api.telnyx.com/v2)');

const gateOptions = (cmd: Command): Command =>
  cmd
    .option('--min-pass-rate <rate>', "tighten every suite's min_pass_rate (0-1)", number('--min-pass-rate'))
    .option('--max-errors <n>', "tighten every suite's max_errors", number('--max-errors'))
    .option('--fail-on-regression', 'fail a suite when a test that passed in the baseline fails now')
    .option('--baseline <file>', 'results.json of an earlier run, to mark regressions, fixes and new tests')
    .option('--out-dir <dir>', 'where reports are written (default: rubric-gate-report)')
    .option('--reporter <names>', 'reports to write: junit,markdown,json,html (default: all)', collect);

export function buildProgram(io: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command('rubric-gate')
    .version(VERSION)
    .description('Telnyx AI-assistant tests as code: sync, run, gate, report.')
    // An unknown command gets commander's "did you mean" on the same line, not the whole help.
    .showSuggestionAfterError()
    // Without this the program's --version swallows `run --version <id>`.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(oneLineError(text)),
    });
  const done = (code: ExitCode) => setExit(code);

  program
    .command('validate')
    .description('check suite files offline; every problem with file:line:col (exit 2 on any)')
    .argument('[paths...]', 'suite files or folders', ['suites'])
    .option('--json', 'print the suites or the problems as JSON on stdout, for scripts')
    .action(async (paths: string[], o) => {
      const { validateCommand } = await import('./validate-cli.js');
      done(await validateCommand(paths, io, { json: o.json === true }));
    });

  apiOptions(
    program
      .command('plan')
      .description('read-only diff of local suites against the account, Terraform-style')
      .argument('[paths...]', 'suite files or folders', ['suites'])
      .option('--prune', 'show deletions as they would happen with sync --prune')
      .option('--json', 'print the plan as JSON on stdout, for scripts'),
  ).action(async (paths: string[], o) => {
    const { planCommand } = await import('./commands/plan.js');
    done(await planCommand(paths, { ...o, prune: o.prune === true, json: o.json === true }, io));
  });

  apiOptions(
    program
      .command('sync')
      .description('apply the plan: create and update tests (delete with --prune)')
      .argument('[paths...]', 'suite files or folders', ['suites'])
      .option('--prune', 'delete remote tests of managed suites that the files no longer declare')
      .option('--dry-run', 'print the plan and stop'),
  ).action(async (paths: string[], o) => {
    const { syncCommand } = await import('./commands/sync.js');
    done(await syncCommand(paths, { ...o, prune: o.prune === true, dryRun: o.dryRun === true }, io));
  });

  // run's selection and waiting flags, shared with promote (which refuses --shard itself).
  const runOptions = (cmd: Command): Command =>
    cmd
      .option('--no-sync', 'do not sync the suite files first')
      .option('--prune', 'when syncing, delete remote tests of managed suites the files no longer declare')
      .option('--grep <regex>', 'only tests whose "suite/test name" matches')
      .option('--tag <tag>', 'only tests with this tag (repeatable)', collect)
      .option('--trials <n>', 'run each test n times (overrides the files)')
      .option('--retries <n>', 're-run tests whose run ended in error, up to n times')
      .option('--max-in-flight <n>', 'keep at most n runs in progress')
      .option('--max-runs <n>', 'refuse to start more than n runs')
      .option('--max-call-minutes <n>', 'refuse to start a run whose worst case exceeds n call minutes')
      .option(
        '--against <version-id|main>',
        'also run every selected test on this baseline version, in the same run, and compare (main needs --assistant)',
      )
      .option('--all-trials', 'run every trial even once a test is decided (for pass-rate statistics)')
      .option('--timeout <duration>', 'stop waiting after this long, e.g. 30m')
      .option('--resume', 'pick up the runs recorded in --out-dir without triggering them again')
      .option('--pass-with-no-tests', 'pass when the filters select no test (otherwise exit 2)')
      .option('--history <file>', 'JSONL of earlier runs: mark flaky tests, then append this run')
      .option('--history-limit <n>', 'runs the --history file keeps (default 50)')
      .option('--no-quarantine', 'quarantined tests gate like the others');

  gateOptions(
    apiOptions(
      runOptions(
        program
          .command('run')
          .description('sync, trigger the suites, wait for verdicts, write reports, gate')
          .argument('[paths...]', 'suite files or folders', ['suites'])
          .option('--version <id>', 'run against this assistant version (destination_version_id)')
          .option(
            '--assistant <id>',
            'with --version: check the version exists on this assistant first (and find --against main)',
          ),
      )
        .option('--shard <i/n>', 'run slice i of n (for a CI matrix; combine with merge)')
        .option(
          '--changed-since <ref>',
          'only tests whose definition changed since this git ref, and new ones',
        ),
    ),
  ).action(async (paths: string[], o) => {
    const { runCommand } = await import('./commands/run.js');
    done(await runCommand(paths, o, io));
  });

  gateOptions(
    apiOptions(
      runOptions(
        program
          .command('promote')
          .description(
            'run the suites against a version; promote it (or route a canary share) only if every gate holds',
          )
          .argument('[paths...]', 'suite files or folders', ['suites'])
          .requiredOption('--assistant <id>', 'the assistant whose version is promoted')
          .requiredOption('--version <id>', 'the version to test, then promote')
          .option(
            '--canary <weight>',
            'instead of promoting, route this % (0-100, exclusive) of unmatched calls',
          )
          .option('--dry-run', 'run the tests; write nothing to versions or canary'),
      ),
    ),
  ).action(async (paths: string[], o) => {
    const { promoteCommand } = await import('./commands/promote.js');
    done(await promoteCommand(paths, o, io));
  });

  apiOptions(
    program
      .command('versions')
      .description("an assistant's versions, newest first, with main and canary routing")
      .requiredOption('--assistant <id>', 'assistant id')
      .option('--json', 'print the versions, main and canary config as JSON on stdout, for scripts'),
  ).action(async (o) => {
    const { versionsCommand } = await import('./commands/versions.js');
    done(await versionsCommand({ ...o, json: o.json === true }, io));
  });

  gateOptions(
    program
      .command('report')
      .description('re-render reports and re-evaluate gates from a results.json, offline')
      .requiredOption('--from <file>', 'results.json written by run or merge'),
  ).action(async (o) => {
    const { reportCommand } = await import('./commands/report.js');
    done(await reportCommand({ ...o, reporters: await reporterList(o.reporter) }, io));
  });

  gateOptions(
    program
      .command('merge')
      .description('combine shard results.json files into one report and one verdict')
      .argument('<files...>', 'results.json files of the shards'),
  ).action(async (files: string[], o) => {
    const { mergeCommand } = await import('./commands/merge.js');
    done(await mergeCommand(files, { ...o, reporters: await reporterList(o.reporter) }, io));
  });

  program
    .command('simulate')
    .description('serve the local Telnyx simulator on 127.0.0.1 until interrupted')
    .option('--port <n>', 'port on 127.0.0.1; 0 picks a free one', number('--port'), 4010)
    .option(
      '--scenario <file>',
      'seeded outcomes, faults, assistants: see docs/simulator.md in the package; example: suites/demo.scenario.yaml',
    )
    .option('--clock-scale <n>', 'simulated seconds per real second', number('--clock-scale'))
    .option(
      '--rate-limit <rate[/burst]>',
      "answer 429 over this many requests per second (burst: the bucket's size, default the rate), e.g. 50/10",
    )
    .action(async (o) => {
      const { simulateCommand } = await import('./commands/simulate.js');
      done(await simulateCommand(o, io));
    });

  program
    .command('demo')
    .description('start the simulator and run the example suites end to end (no API key needed)')
    .argument(
      '[paths...]',
      "suite files or folders (default: suites, or the package's examples when there is none)",
    )
    .option('--scenario <file>', 'simulator scenario (default: suites/demo.scenario.yaml, if present)')
    .option('--out-dir <dir>', 'where reports are written (default: rubric-gate-report)')
    .action(async (paths: string[], o) => {
      const { demoCommand } = await import('./commands/demo.js');
      done(await demoCommand(paths, o, io));
    });

  program
    .command('init')
    .description('scaffold suites/example.yaml, a PR-check workflow and .gitignore; never overwrites')
    .option('--force', 'overwrite suites/example.yaml and the workflow when they exist')
    .action(async (o) => {
      const { initCommand } = await import('./commands/init.js');
      done(await initCommand({ force: o.force === true }, io));
    });

  apiOptions(
    program
      .command('pull')
      .description("import the account's tests into suite files, one per suite (reads only)")
      .option('--suite <name>', 'pull this suite (repeatable; default: every suite in the account)', collect)
      .option('--dir <dir>', 'folder of the suite files (default: suites)')
      .option('--dry-run', 'show what would be written and write nothing'),
  ).action(async (o) => {
    const { pullCommand } = await import('./commands/pull.js');
    done(await pullCommand({ ...o, dryRun: o.dryRun === true }, io));
  });

  // One footer, on the program's and every command's --help.
  for (const cmd of [program, ...program.commands]) cmd.addHelpText('after', HELP_FOOTER);
  return program;
}

const HELP_FOOTER = `
Environment:
  TELNYX_API_KEY   API key for commands that call the API (--api-key overrides it)
  TELNYX_BASE_URL  API base URL (default https://api.telnyx.com/v2; --base-url overrides it)

Exit codes:
  0  every gate held (or the command succeeded)
  1  a gate failed: the assistant's behaviour is the problem
  2  usage error or invalid suite files: nothing was sent
  3  could not finish: API/network error, timeout, cancelled. Partial reports are written, except
     when the API refuses the key (401/403) or reading the assistant or a version fails: none`;

/** commander puts "(Did you mean x?)" on a second line; one line reads better in a terminal. */
function oneLineError(text: string): string {
  return text.replace(/\n\(Did you mean ([^)]*)\?\)\n?$/, ' (did you mean $1?)\n');
}

async function reporterList(values: string[] | undefined) {
  if (values === undefined) return undefined;
  const { parseReporters, REPORTERS } = await import('../reporters/index.js');
  const { reporters, unknown } = parseReporters(values);
  if (unknown.length > 0)
    throw new UsageError(`--reporter: unknown ${unknown.join(', ')} (use ${REPORTERS.join(', ')})`);
  return reporters;
}

/** Run the CLI; resolves to the exit code (never throws). */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help / --version exit 0; any commander complaint is a usage error (already printed).
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return reportError(err, io);
  }
}

// Entry point when run as a program (the bundle, or `tsx src/cli.ts`), not when imported by tests.
const entry = process.argv[1] ?? '';
if (/(?:^|[\\/])(cli\.(?:ts|js)|rubric-gate)$/.test(entry)) {
  process.exitCode = await main(process.argv.slice(2));
}
