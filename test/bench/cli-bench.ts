// The built CLI as a process: start-up time (`rubric-gate --version`) and the peak memory of a
// whole `run` of a large suite (sync from nothing, trigger, poll, three reports).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  benchSimulator,
  type Durations,
  KEY,
  median,
  ROOT,
  round,
  spreadScenario,
  writeSuite,
} from './harness.js';

export const CLI = join(ROOT, 'dist', 'cli.js');

/** Loaded before the CLI: writes the process's RSS high-water mark (KiB) to $RG_MAXRSS_FILE on exit. */
const MAXRSS_HOOK =
  'data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.RG_MAXRSS_FILE,String(process.resourceUsage().maxRSS)))';

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

export interface Startup {
  runs: number;
  medianMs: number;
  p90Ms: number;
  /** `node -e ""` on the same machine: the floor any Node CLI starts from. */
  nodeMedianMs: number;
}

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (res.status !== 0) throw new Error(`node ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return ms;
}

export function benchStartup(runs: number): Startup {
  assertBuilt();
  timeProcess([CLI, '--version']); // warm the file cache
  const cli = Array.from({ length: runs }, () => timeProcess([CLI, '--version']));
  const node = Array.from({ length: runs }, () => timeProcess(['-e', '']));
  const sorted = [...cli].sort((a, b) => a - b);
  return {
    runs,
    medianMs: round(median(cli), 1),
    p90Ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))] ?? 0, 1),
    nodeMedianMs: round(median(node), 1),
  };
}

export interface PeakMemory {
  tests: number;
  /** V8 flags set at start-up (v8.setFlagsFromString) for this measurement, if any. */
  v8Flags: string[];
  exitCode: number | null;
  /** RSS high-water mark of the CLI process, MiB. */
  maxRssMiB: number;
  seconds: number;
}

/** `rubric-gate run` of an n-test suite against a simulator in this process; the CLI's peak RSS. */
export async function benchPeakMemory(o: {
  tests: number;
  scale: number;
  latencyMs: number;
  durations: Durations;
  /** Set with v8.setFlagsFromString before the CLI loads, as a line at the top of cli.ts would. */
  v8Flags?: string[];
  /** Another build of the CLI (experiments); default dist/cli.js. */
  cli?: string;
}): Promise<PeakMemory> {
  const cli = o.cli ?? CLI;
  const v8Flags = o.v8Flags ?? [];
  const set = v8Flags.map((f) => `setFlagsFromString(${JSON.stringify(f)});`).join('');
  const flagHook = set
    ? ['--import', `data:text/javascript,import{setFlagsFromString}from"node:v8";${set}`]
    : [];
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'rg-bench-mem-'));
  writeSuite(dir, o.tests);
  const sim = await benchSimulator({
    scale: o.scale,
    scenario: spreadScenario(o.tests, o.durations),
    latencyMs: o.latencyMs / o.scale,
  });
  const rssFile = join(dir, 'maxrss');
  try {
    const started = performance.now();
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', MAXRSS_HOOK, ...flagHook, cli, 'run', '.', '--out-dir', 'out'],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '',
            TELNYX_API_KEY: KEY,
            TELNYX_BASE_URL: sim.url,
            RG_MAXRSS_FILE: rssFile,
            CI: 'true',
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      // Bounded: the run takes seconds; a stuck one is killed and reported.
      const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        if (code !== 0) process.stderr.write(stderr);
        resolve(code);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const kib = Number(readFileSync(rssFile, 'utf8'));
    return { tests: o.tests, v8Flags, exitCode, maxRssMiB: round(kib / 1024, 1), seconds: round(seconds, 1) };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
