// The built CLI as a process: start-up time (`--version`, `--help`, `validate` of the examples,
// each against bare node) and the peak memory and CPU time of a whole `run` of a large suite
// (sync from nothing, trigger, poll, reports), with the bundle's V8 flags and without them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Loaded before the CLI where /proc is missing: writes the process's resource usage (maxRSS in
 * KiB, CPU in µs) to $RG_USAGE_FILE on exit. A preload keeps the bundle from re-executing itself
 * on V8 12+ (scripts/build.mjs v8Mode), so on Linux the usage is read from /proc instead.
 */
const USAGE_HOOK =
  'data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>writeFileSync(process.env.RG_USAGE_FILE,JSON.stringify(process.resourceUsage())))';

const CLOCK_TICKS_PER_S = 100;

/**
 * A running process's peak RSS (VmHWM, KiB) and CPU time (user + system, µs) from /proc, or
 * undefined once it is gone. The peak is the kernel's high-water mark, so a sample misses only
 * what happens after it; CPU is in clock ticks (10 ms).
 */
function procUsage(pid: number): { maxRssKiB: number; cpuUs: number } | undefined {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, so utime and stime (fields 14, 15) are at 11, 12.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!hwm || !Number.isFinite(ticks)) return undefined;
    return { maxRssKiB: Number(hwm[1]), cpuUs: (ticks * 1e6) / CLOCK_TICKS_PER_S };
  } catch {
    return undefined;
  }
}

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

/** One command's start-up: medians over interleaved runs, beside bare node measured alongside. */
export interface StartupRow {
  command: string;
  medianMs: number;
  p90Ms: number;
  /** medianMs ÷ bare node's median. */
  ratio: number;
}

export interface Startup {
  runs: number;
  /** The node binary measured (the benchmark's own). */
  node: string;
  /** `node -e ""` on the same machine: the floor any Node CLI starts from. */
  nodeMedianMs: number;
  /** Unset for every process measured here (STARTUP_ENV_REMOVED). */
  envRemoved: string[];
  rows: StartupRow[];
}

/**
 * Variables that make every Node process, bare or ours, start slower by a fixed amount, so they
 * would flatter the ratios: NODE_EXTRA_CA_CERTS has Node read a certificate bundle at start
 * (~40 ms on the benchmark machine, against a bare start of ~80 ms), NODE_OPTIONS may preload
 * anything. A user's shell or an Actions runner sets neither by default.
 */
export const STARTUP_ENV_REMOVED = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const;
const startupEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  for (const name of STARTUP_ENV_REMOVED) delete env[name];
  return env;
};

function timeProcess(args: string[]): number {
  const t0 = performance.now();
  const res = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: startupEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = performance.now() - t0;
  if (res.status !== 0) throw new Error(`node ${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return ms;
}

/** The commands whose start-up the issue targets (within 1.5× of bare node). */
export const STARTUP_COMMANDS: ReadonlyArray<{ command: string; args: string[] }> = [
  { command: 'rubric-gate --version', args: ['--version'] },
  { command: 'rubric-gate --help', args: ['--help'] },
  { command: 'rubric-gate validate suites', args: ['validate', 'suites'] },
];

export function benchStartup(runs: number): Startup {
  assertBuilt();
  // Warm the file cache and the runtime's compile cache (Node 22.1+) once per command.
  for (const c of STARTUP_COMMANDS) timeProcess([CLI, ...c.args]);
  // Interleaved, so load from other processes falls on every command alike.
  const node: number[] = [];
  const times = STARTUP_COMMANDS.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    node.push(timeProcess(['-e', '']));
    STARTUP_COMMANDS.forEach((c, j) => {
      times[j]?.push(timeProcess([CLI, ...c.args]));
    });
  }
  const nodeMedianMs = median(node);
  const p90 = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))] ?? 0;
  return {
    runs,
    node: process.version,
    nodeMedianMs: round(nodeMedianMs, 1),
    envRemoved: STARTUP_ENV_REMOVED.filter((name) => process.env[name] !== undefined),
    rows: STARTUP_COMMANDS.map((c, j) => {
      const xs = times[j] ?? [];
      return {
        command: c.command,
        medianMs: round(median(xs), 1),
        p90Ms: round(p90(xs), 1),
        ratio: round(median(xs) / nodeMedianMs, 2),
      };
    }),
  };
}

/**
 * A copy of the CLI built with other V8 flags (none: `[]`), in a temporary folder; returns its
 * cli.js. The folder gets a package.json saying ESM, as dist/ has from the repository's.
 */
export function buildWithFlags(v8Flags: readonly string[]): { cli: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rg-bench-build-'));
  const res = spawnSync(
    process.execPath,
    [
      join(ROOT, 'scripts', 'build.mjs'),
      '--out-dir',
      join(dir, 'dist'),
      // One argument: parseArgs refuses a separate value that starts with a dash (--liftoff-only).
      `--v8-flags=${v8Flags.length > 0 ? v8Flags.join(',') : 'none'}`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (res.status !== 0) throw new Error(`build with flags ${v8Flags.join(',')} failed: ${res.stderr}`);
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  return { cli: join(dir, 'dist', 'cli.js'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PeakMemory {
  tests: number;
  /** More `run` flags, if any. */
  args?: string[];
  /** The Node version that ran it, e.g. v24.21.0. */
  node?: string;
  /** Which build ran: 'dist' (the bundle's own V8 flags) or a label for another build. */
  build: string;
  /** V8 flags added with --import before the CLI loads, on top of the build's own. */
  v8Flags: string[];
  exitCode: number | null;
  /** RSS high-water mark of the CLI process, MiB. */
  maxRssMiB: number;
  /** CPU time of the CLI process (user + system), seconds: what the V8 flags trade against memory. */
  cpuSeconds: number;
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
  /** Another build of the CLI (see buildWithFlags); default dist/cli.js. */
  cli?: string;
  /** Label of that build, for the table. */
  build?: string;
  /** More `run` flags (the CPU series' per-test mode: --max-in-flight). */
  args?: string[];
  /** The node binary that runs the CLI; default this process's. */
  node?: string;
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
  const usageFile = join(dir, 'usage.json');
  const fromProc = process.platform === 'linux';
  let sampled: { maxRssKiB: number; cpuUs: number } | undefined;
  try {
    const started = performance.now();
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        o.node ?? process.execPath,
        [
          ...(fromProc ? [] : ['--import', USAGE_HOOK]),
          ...flagHook,
          cli,
          'run',
          '.',
          '--out-dir',
          'out',
          ...(o.args ?? []),
        ],
        {
          cwd: dir,
          env: {
            PATH: process.env.PATH ?? '',
            TELNYX_API_KEY: KEY,
            TELNYX_BASE_URL: sim.url,
            RG_USAGE_FILE: usageFile,
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
      const sampler = fromProc
        ? setInterval(() => {
            const u = child.pid === undefined ? undefined : procUsage(child.pid);
            if (u) sampled = { maxRssKiB: Math.max(u.maxRssKiB, sampled?.maxRssKiB ?? 0), cpuUs: u.cpuUs };
          }, 10)
        : undefined;
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        clearInterval(sampler);
        if (code !== 0) process.stderr.write(stderr);
        resolve(code);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    // No usage file: the process died before its exit handler (a V8 abort, a kill).
    if (!fromProc && !existsSync(usageFile))
      throw new Error(`the CLI died (exit ${exitCode}) before reporting its resource usage`);
    const usage = fromProc
      ? {
          maxRSS: sampled?.maxRssKiB ?? Number.NaN,
          userCPUTime: sampled?.cpuUs ?? Number.NaN,
          systemCPUTime: 0,
        }
      : (JSON.parse(readFileSync(usageFile, 'utf8')) as NodeJS.ResourceUsage);
    return {
      tests: o.tests,
      ...(o.args?.length ? { args: o.args } : {}),
      node: o.node ? spawnSync(o.node, ['--version'], { encoding: 'utf8' }).stdout.trim() : process.version,
      build: o.build ?? 'dist',
      v8Flags,
      exitCode,
      maxRssMiB: round(usage.maxRSS / 1024, 1),
      cpuSeconds: round((usage.userCPUTime + usage.systemCPUTime) / 1e6, 1),
      seconds: round(seconds, 1),
    };
  } finally {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
