#!/usr/bin/env node
'use strict';
const __rgAnswer = process.argv.length !== 3 ? undefined : ["--version","-V"].includes(process.argv[2]) ? "0.1.0\n" : ["--help","-h"].includes(process.argv[2]) && !process.stdout.isTTY ? "Usage: rubric-gate [options] [command]\n\nTelnyx AI-assistant tests as code: sync, run, gate, report.\n\nOptions:\n  -V, --version                  output the version number\n  -h, --help                     display help for command\n\nCommands:\n  validate [options] [paths...]  check suite files offline; every problem with\n                                 file:line:col (exit 2 on any)\n  plan [options] [paths...]      read-only diff of local suites against the\n                                 account, Terraform-style\n  sync [options] [paths...]      apply the plan: create and update tests (delete\n                                 with --prune)\n  run [options] [paths...]       sync, trigger the suites, wait for verdicts,\n                                 write reports, gate\n  promote [options] [paths...]   run the suites against a version; promote it\n                                 (or route a canary share) only if every gate\n                                 holds\n  versions [options]             an assistant's versions, newest first, with\n                                 main and canary routing\n  report [options]               re-render reports and re-evaluate gates from a\n                                 results.json, offline\n  merge [options] <files...>     combine shard results.json files into one\n                                 report and one verdict\n  simulate [options]             serve the local Telnyx simulator on 127.0.0.1\n                                 until interrupted\n  demo [options] [paths...]      start the simulator and run the example suites\n                                 end to end (no API key needed)\n  init [options]                 scaffold suites/example.yaml, a PR-check\n                                 workflow and .gitignore; never overwrites\n  pull [options]                 import the account's tests into suite files,\n                                 one per suite (reads only)\n  help [command]                 display help for command\n\nEnvironment:\n  TELNYX_API_KEY   API key for commands that call the API (--api-key overrides it)\n  TELNYX_BASE_URL  API base URL (default https://api.telnyx.com/v2; --base-url overrides it)\n\nExit codes:\n  0  every gate held (or the command succeeded)\n  1  a gate failed: the assistant's behaviour is the problem\n  2  usage error or invalid suite files: nothing was sent\n  3  could not finish: API/network error, timeout, cancelled. Partial reports are written, except\n     when the API refuses the key (401/403) or reading the assistant or a version fails: none\n" : undefined;
if (__rgAnswer !== undefined) {
  process.stdout.on("error", () => {});
  process.stdout.write(__rgAnswer);
} else {
  if (["run","promote","demo","sync"].includes(process.argv[2])) {
    const { setFlagsFromString: __rgSetV8Flags } = require('node:v8');
    const { accessSync: __rgAccess, constants: __rgFs } = require('node:fs');
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
      absoluteExecPath: require('node:path').isAbsolute(process.execPath),
      mayExec: () => { try { __rgAccess(process.execPath, __rgFs.X_OK); return process.permission?.has('child') ?? true; } catch { return false; } },
    });
    if (mode === 'exec') try { process.execve(process.execPath, [process.execPath, ...["--max-semi-space-size=8","--heap-growing-percent=20","--liftoff-only"], ...process.execArgv, ...process.argv.slice(1)]); } catch {}
    for (const f of {"v8-11":["--heap-growing-percent=20"],"bounded":["--heap-growing-percent=20","--liftoff-only"],"unbounded":["--optimize-for-size","--liftoff-only"]}[mode === 'exec' ? 'unbounded' : mode]) __rgSetV8Flags(f);
  }
  require('node:module').enableCompileCache?.();
  if (process.argv[2] === "validate") {
    const run = (function requireCompiled(file, key, req) {
    const fs = req('node:fs');
    const path = req('node:path');
    if (req('node:module').enableCompileCache || process.env.NODE_DISABLE_COMPILE_CACHE) return req(file);
    let compiled;
    try {
      const uid = process.getuid?.();
      const dir = path.join(req('node:os').tmpdir(), `rubric-gate-compile-cache${uid === undefined ? '' : `-${uid}`}`);
      // V8 refuses a cache made under other flags: one file per set of them, or two alternating
      // sets would each rewrite the other's.
      let flags = 0;
      for (const c of `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)
        flags = (Math.imul(flags, 31) + c.charCodeAt(0)) | 0;
      const name = `${key}-${process.version}-${process.arch}-${(flags >>> 0).toString(36)}.bin`;
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = fs.lstatSync(dir);
      const ours = st.isDirectory() && (uid === undefined || (st.uid === uid && (st.mode & 0o077) === 0));
      let cached;
      try {
        if (ours) cached = fs.readFileSync(path.join(dir, name));
      } catch {
        cached = undefined;
      }
      const wrapped = `(function (exports, require, module, __filename, __dirname) { ${fs.readFileSync(file, 'utf8')}\n});`;
      const script = new (req('node:vm').Script)(wrapped, { filename: file, cachedData: cached });
      compiled = script.runInThisContext();
      if (ours && (cached === undefined || script.cachedDataRejected)) {
        process.once('exit', () => {
          const tmp = path.join(dir, `${name}.${process.pid}.tmp`);
          try {
            fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
            fs.renameSync(tmp, path.join(dir, name));
          } catch {
            fs.rmSync(tmp, { force: true, maxRetries: 0 });
          }
        });
      }
    } catch {
      return req(file);
    }
    const module = { exports: {} };
    compiled.call(module.exports, module.exports, req, module, file, path.dirname(file));
    return module.exports;
  })(require('node:path').join(__dirname, "chunks/validate.cjs"), "b4a4efb3b1d266e8", require).runValidate(process.argv.slice(3));
    if (run !== undefined) return void run.then((code) => { process.exitCode = code; });
  }
  import('./chunks/cli.js');
}
