#!/usr/bin/env node
import * as __rgModule from 'node:module';
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
if (["run","promote","demo","sync"].includes(process.argv[2])) {
  const v8At12 = Number.parseInt(process.versions.v8, 10) >= 12;
  const bounded = process.execArgv.some((a) => /^--max[-_]semi[-_]space[-_]size=/.test(a));
  if (v8At12 && !bounded && typeof process.execve === 'function') {
    try { process.execve(process.execPath, [process.execPath, ...["--max-semi-space-size=8","--heap-growing-percent=20","--liftoff-only"], ...process.execArgv, ...process.argv.slice(1)]); } catch {}
  }
  for (const f of !v8At12 ? ["--heap-growing-percent=20"] : bounded ? ["--heap-growing-percent=20","--liftoff-only"] : ["--optimize-for-size","--liftoff-only"]) __rgSetV8Flags(f);
}
__rgModule.enableCompileCache?.();
await import('./chunks/cli.js');
