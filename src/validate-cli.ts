// `validate` started directly, without the CLI program: dist/cli.js loads this file alone for
// `rubric-gate validate` (dist/chunks/validate.cjs, CommonJS so Node 20 can keep its compiled
// code; see scripts/build.mjs), and the program's own `validate` runs the same validateCommand
// from it. Only the forms commander reads as plain paths and --json run here; any other
// (--help, another option, `--`) returns undefined and the stub hands it to the program, so the
// CLI's flags are still parsed in one place and every answer is the program's.
import { validateCommand } from './commands/validate.js';
import { type ExitCode, reportError } from './errors.js';
import { fdIo, type Io } from './io.js';

export { validateCommand };

/** What commander makes of `validate <argv>` when every argument is --json or a path; else undefined. */
export function plainValidateArgs(argv: readonly string[]): { paths: string[]; json: boolean } | undefined {
  const paths: string[] = [];
  let json = false;
  for (const arg of argv) {
    if (arg === '--json') json = true;
    else if (arg.startsWith('-')) return undefined;
    else paths.push(arg);
  }
  return { paths: paths.length > 0 ? paths : ['suites'], json };
}

/** `validate <argv>` to its exit code (never rejects), or undefined when the program must read argv. */
export function runValidate(argv: readonly string[], io: () => Io = fdIo): Promise<ExitCode> | undefined {
  const args = plainValidateArgs(argv);
  if (args === undefined) return undefined;
  const out = io();
  return validateCommand(args.paths, out, { json: args.json }).catch((err: unknown) => reportError(err, out));
}
