#!/usr/bin/env node
import * as __rgModule from 'node:module';
import { accessSync as __rgAccess, constants as __rgFs } from 'node:fs';
import { isAbsolute as __rgIsAbsolute } from 'node:path';
const __rgAnswer = process.argv.length !== 3 ? undefined : ["--version","-V"].includes(process.argv[2]) ? "0.1.0\n" : ["--help","-h"].includes(process.argv[2]) && !process.stdout.isTTY ? "Usage: rubric-gate [options] [command]\n\nTelnyx AI-assistant tests as code: sync, run, gate, report.\n\nOptions:\n  -V, --version                  output the version number\n  -h, --help                     display help for command\n\nCommands:\n  validate [options] [paths...]  check suite files offline; every problem with\n                                 file:line:col (exit 2 on any)\n  plan [options] [paths...]      read-only diff of local suites against the\n                                 account, Terraform-style\n  sync [options] [paths...]      apply the plan: create and update tests (delete\n                                 with --prune)\n  run [options] [paths...]       sync, trigger the suites, wait for verdicts,\n                                 write reports, gate\n  promote [options] [paths...]   run the suites against a version; promote it\n                                 (or route a canary share) only if every gate\n                                 holds\n  versions [options]             an assistant's versions, newest first, with\n                                 main and canary routing\n  report [options]               re-render reports and re-evaluate gates from a\n                                 results.json, offline\n  merge [options] <files...>     combine shard results.json files into one\n                                 report and one verdict\n  simulate [options]             serve the local Telnyx simulator on 127.0.0.1\n                                 until interrupted\n  demo [options] [paths...]      start the simulator and run the example suites\n                                 end to end (no API key needed)\n  init [options]                 scaffold suites/example.yaml, a PR-check\n                                 workflow and .gitignore; never overwrites\n  pull [options]                 import the account's tests into suite files,\n                                 one per suite (reads only)\n  help [command]                 display help for command\n\nEnvironment:\n  TELNYX_API_KEY   API key for commands that call the API (--api-key overrides it)\n  TELNYX_BASE_URL  API base URL (default https://api.telnyx.com/v2; --base-url overrides it)\n\nExit codes:\n  0  every gate held (or the command succeeded)\n  1  a gate failed: the assistant's behaviour is the problem\n  2  usage error or invalid suite files: nothing was sent\n  3  could not finish: API/network error, timeout, cancelled. Partial reports are written, except\n     when the API refuses the key (401/403) or reading the assistant or a version fails: none\n" : undefined;
if (__rgAnswer !== undefined) {
  process.stdout.on("error", () => {});
  process.stdout.write(__rgAnswer);
} else {
  if (["run","promote","demo","sync"].includes(process.argv[2])) {
    const { setFlagsFromString: __rgSetV8Flags } = await import('node:v8');
    const mode = (function v8Mode(f) {
  if (f.v8Major < 12) return 'v8-11';
  const given = [...f.execArgv, ...f.nodeOptions.split(/\s+/)];
  if (given.some((a) => /^--max[-_]semi[-_]space[-_]size=/.test(a))) return 'bounded';
  if (
    given.some((a) =>
      /^(-r|--require|--import|--loader|--experimental-loader|--inspect(-brk|-wait)?)(=|$)/.test(a),
    )
  )
    return 'unbounded';
  if (!f.hasExecve || f.platform === 'win32' || f.platform === 'os400' || !f.absoluteExecPath)
    return 'unbounded';
  return f.mayExec() ? 'exec' : 'unbounded';
})({
      v8Major: Number.parseInt(process.versions.v8, 10),
      execArgv: process.execArgv,
      nodeOptions: process.env.NODE_OPTIONS ?? '',
      hasExecve: typeof process.execve === 'function',
      platform: process.platform,
      absoluteExecPath: __rgIsAbsolute(process.execPath),
      mayExec: () => { try { __rgAccess(process.execPath, __rgFs.X_OK); return process.permission?.has('child') ?? true; } catch { return false; } },
    });
    if (mode === 'exec') try { process.execve(process.execPath, [process.execPath, ...["--max-semi-space-size=8","--heap-growing-percent=20","--liftoff-only"], ...process.execArgv, ...process.argv.slice(1)]); } catch {}
    for (const f of {"v8-11":["--heap-growing-percent=20"],"bounded":["--heap-growing-percent=20","--liftoff-only"],"unbounded":["--optimize-for-size","--liftoff-only"]}[mode === 'exec' ? 'unbounded' : mode]) __rgSetV8Flags(f);
  }
  __rgModule.enableCompileCache?.();
  await import('./chunks/cli.js');
}
