// Run a program to completion and capture what it printed, for the end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn, collect stdout/stderr, and kill it if it outlives `timeoutMs` (a test must end). */
export function runProcess(
  bin: string,
  args: readonly string[],
  opts: {
    cwd: string;
    env: Record<string, string>;
    timeoutMs?: number;
    /** Called once the process is spawned (to signal it); returns a clean-up for when it ends. */
    onStart?: (child: ChildProcess) => () => void;
  },
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], { cwd: opts.cwd, env: opts.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    const stop = opts.onStart?.(child);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      stop?.();
      resolve({ code, stdout, stderr });
    });
  });
}

/** A running process's arguments after argv0, from /proc (Linux, as CI and the Actions runner are). */
export const commandLine = (pid: number | undefined): string[] =>
  readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    .split('\0')
    .filter((a) => a !== '')
    .slice(1);

/**
 * An `onStart` for runProcess: once `ready()` holds, hand the process's command line to `seen`
 * and send it `signal` (polled every 25 ms, until then or until it ends).
 */
export function signalWhen(
  ready: () => boolean,
  signal: NodeJS.Signals,
  seen: (cmdline: string[]) => void,
): (child: ChildProcess) => () => void {
  return (child) => {
    const poll = setInterval(() => {
      if (!ready()) return;
      clearInterval(poll);
      seen(commandLine(child.pid));
      child.kill(signal);
    }, 25);
    return () => clearInterval(poll);
  };
}
