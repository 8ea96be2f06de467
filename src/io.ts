// The process seam: commands write through this, so tests can capture output and
// provide env/cwd/TTY without touching the real process.
import { fstatSync, writeSync } from 'node:fs';
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
 * A process stream written with write(2) on its descriptor, for a short command that must start
 * fast: process.stdout and process.stderr load node:stream (and node:net for a pipe), ~8 ms of
 * Node 20's start that `validate` needs for nothing else. The rules are sink's: a reader gone
 * away (EPIPE) ends the output silently, any other failure is said once on stderr. A descriptor
 * a parent made non-blocking answers EAGAIN while its reader is behind: the rest is written as
 * it drains, as a blocking write would.
 */
export function fdSink(
  fd: number,
  name: string,
  write: (fd: number, bytes: Uint8Array, at: number, length: number) => number = writeSync,
): (text: string) => void {
  let failed = false;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  return (text) => {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; !failed && at < bytes.length; ) {
      try {
        at += write(fd, bytes, at, bytes.length - at);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, 1);
          continue;
        }
        failed = true;
        if (code !== 'EPIPE' && fd !== 2)
          fdSink(
            2,
            'stderr',
            write,
          )(
            `rubric-gate: writing to ${name} failed (${code ?? String(err)}); the rest of its output is dropped\n`,
          );
      }
    }
  };
}

/** The Io of the process's two output streams, however they are written. */
function outputIo(o: {
  out: (text: string) => void;
  err: (text: string) => void;
  outTTY: boolean;
  errTTY: boolean;
}): Io {
  const stream = (tty: boolean) => outputGuard({ tty, colour: colorEnabled(process.env, tty) });
  const out = guardedStream(o.out, stream(o.outTTY));
  const err = stream(o.errTTY);
  // The CLI run as a workflow step: its long logs fold. (The Action has its own Io.)
  const actionsLog = process.env.GITHUB_ACTIONS === 'true' && !o.outTTY;
  return {
    stdout: (t) => void out.text(t),
    stderr: (t) => o.err(err(t)),
    env: process.env,
    cwd: process.cwd(),
    isTTY: o.outTTY && !process.env.CI && process.env.NO_COLOR === undefined,
    ...(actionsLog ? { fold: (title: string, body: string) => foldIn(out, title, body) } : {}),
  };
}

/**
 * The process's own streams, each behind the sink guard (sanitize.ts): whatever a command prints,
 * nothing reaches the terminal or the CI log as an escape sequence (but colour where colour is
 * on), a control character or a line the runner would take as a workflow command.
 */
export function processIo(): Io {
  return outputIo({
    out: sink(process.stdout, 'stdout'),
    err: sink(process.stderr, 'stderr'),
    outTTY: Boolean(process.stdout.isTTY),
    errTTY: Boolean(process.stderr.isTTY),
  });
}

/**
 * processIo written with fdSink, for `validate`'s direct start (src/validate-cli.ts). A terminal
 * is told by fstat, not isatty (node:tty loads node:net): any character device counts, so
 * /dev/null is one too, which only lets styling through to where nothing is shown.
 */
export function fdIo(): Io {
  const charDevice = (fd: number) => {
    try {
      return fstatSync(fd).isCharacterDevice();
    } catch {
      return false;
    }
  };
  return outputIo({
    out: fdSink(1, 'stdout'),
    err: fdSink(2, 'stderr'),
    outTTY: charDevice(1),
    errTTY: charDevice(2),
  });
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
