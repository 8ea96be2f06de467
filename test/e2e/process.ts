// Run a program to completion and capture what it printed, for the end-to-end tests.
import { type ChildProcess, spawn } from 'node:child_process';

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
