// The process seam: commands write through this, so tests can capture output and
// provide env/cwd/TTY without touching the real process.
import { colorEnabled } from '../reporters/style.js';
import { outputGuard } from './sanitize.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stdout is a terminal: live progress lines and colour are allowed. */
  isTTY: boolean;
}

/**
 * The process's own streams, each behind the sink guard (sanitize.ts): whatever a command prints,
 * nothing reaches the terminal or the CI log as an escape sequence (but colour where colour is
 * on), a control character or a line the runner would take as a workflow command.
 */
export function processIo(): Io {
  const isTTY = Boolean(process.stdout.isTTY) && !process.env.CI && process.env.NO_COLOR === undefined;
  const stream = (tty: boolean) => outputGuard({ tty, colour: colorEnabled(process.env, tty) });
  const out = stream(Boolean(process.stdout.isTTY));
  const err = stream(Boolean(process.stderr.isTTY));
  return {
    stdout: (t) => void process.stdout.write(out(t)),
    stderr: (t) => void process.stderr.write(err(t)),
    env: process.env,
    cwd: process.cwd(),
    isTTY,
  };
}

/** An Io that records everything, for tests. */
export function memoryIo(
  opts: Partial<Pick<Io, 'env' | 'cwd' | 'isTTY'>> = {},
): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    isTTY: opts.isTTY ?? false,
  };
}
