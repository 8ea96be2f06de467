#!/usr/bin/env node
'use strict';
if (true) {
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
import('./action-main.mjs');
