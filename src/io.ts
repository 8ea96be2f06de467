// The process seam: commands write through this, so tests can capture output and
// provide env/cwd/TTY without touching the real process.
import { colorEnabled } from '../reporters/style.js';
import { cleanLine, outputGuard } from './sanitize.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** stdout is a terminal: live progress lines and colour are allowed. */
  isTTY: boolean;
  /**
   * Only where stdout is a GitHub Actions log: `body` (whole lines) folded under `title` by
   * `::group::`, the one workflow command our output gives, written past the sink guard (the
   * body still goes through it, so no line of it is a command).
   */
  fold?(title: string, body: string): void;
  /** The user speaks in Action inputs, not CLI flags (hints say `resume: true`, not `--resume`). */
  action?: boolean;
}

/**
 * A guarded stream (sanitize.ts's outputGuard) that can also write our own workflow commands,
 * each on a line of its own: the only lines that skip the guard.
 */
export function guardedStream(write: (raw: string) => void, guard: (text: string) => string) {
  let midLine = false;
  return {
    /** Untrusted or not, through the guard; what was written. */
    text(t: string): string {
      const shown = guard(t);
      if (shown) midLine = !shown.endsWith('\n');
      write(shown);
      return shown;
    },
    command(line: string): void {
      // The newline goes through the guard too, which then knows the next write starts a line.
      if (midLine) write(guard('\n'));
      midLine = false;
      write(`${line}\n`);
    },
  };
}

/** `::group::` and `::endgroup::` around the guarded body; the title is one clean line. */
export function foldIn(
  stream: Pick<ReturnType<typeof guardedStream>, 'command' | 'text'>,
  title: string,
  body: string,
): void {
  stream.command(`::group::${cleanLine(title)}`);
  stream.text(body);
  stream.command('::endgroup::');
}

/**
 * Writes to one of the process's streams until a write fails, then drops the rest. A reader that
 * went away (`rubric-gate run | head`, EPIPE) ends the output, not the work: without a listener
 * the failed write is an uncaught error that kills a run before its reports and its exit code.
 * Any other failure (a full disk behind `> log`) is said once on stderr.
 */
export function sink(stream: NodeJS.WritableStream, name: string): (text: string) => void {
  let failed = false;
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    if (e.code !== 'EPIPE' && stream !== process.stderr)
      process.stderr.write(
        `rubric-gate: writing to ${name} failed (${e.code ?? e.message}); the rest of its output is dropped\n`,
      );
  });
  return (text) => {
    if (!failed) stream.write(text);
  };
}

/**
 * The process's own streams, each behind the sink guard (sanitize.ts): whatever a command prints,
 * nothing reaches the terminal or the CI log as an escape sequence (but colour where colour is
 * on), a control character or a line the runner would take as a workflow command.
 */
export function processIo(): Io {
  const isTTY = Boolean(process.stdout.isTTY) && !process.env.CI && process.env.NO_COLOR === undefined;
  const stream = (tty: boolean) => outputGuard({ tty, colour: colorEnabled(process.env, tty) });
  const out = guardedStream(sink(process.stdout, 'stdout'), stream(Boolean(process.stdout.isTTY)));
  const err = stream(Boolean(process.stderr.isTTY));
  const errSink = sink(process.stderr, 'stderr');
  // The CLI run as a workflow step: its long logs fold. (The Action has its own Io.)
  const actionsLog = process.env.GITHUB_ACTIONS === 'true' && !process.stdout.isTTY;
  return {
    stdout: (t) => void out.text(t),
    stderr: (t) => errSink(err(t)),
    env: process.env,
    cwd: process.cwd(),
    isTTY,
    ...(actionsLog ? { fold: (title: string, body: string) => foldIn(out, title, body) } : {}),
  };
}

/** An Io that records everything, for tests; `fold: true` records folds as the runner's lines. */
export function memoryIo(
  opts: Partial<Pick<Io, 'env' | 'cwd' | 'isTTY'>> & { fold?: boolean } = {},
): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const stream = guardedStream(
    (t) => void out.push(t),
    (t) => t,
  );
  return {
    out,
    err,
    stdout: (t) => void stream.text(t),
    stderr: (t) => void err.push(t),
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    isTTY: opts.isTTY ?? false,
    ...(opts.fold ? { fold: (title: string, body: string) => foldIn(stream, title, body) } : {}),
  };
}
