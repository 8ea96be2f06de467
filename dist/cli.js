#!/usr/bin/env node
import * as __rgModule from 'node:module';
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
const __rgV8At12 = Number.parseInt(process.versions.v8, 10) >= 12;
const __rgBounded = process.execArgv.some((a) => /^--max[-_]semi[-_]space[-_]size=/.test(a));
if (__rgV8At12 && !__rgBounded && typeof process.execve === 'function' && (["run","promote","demo","sync"].includes(process.argv[2]))) {
  try { process.execve(process.execPath, [process.execPath, ...["--max-semi-space-size=8","--heap-growing-percent=20","--liftoff-only"], ...process.execArgv, ...process.argv.slice(1)]); } catch {}
}
for (const f of !__rgV8At12 ? ["--heap-growing-percent=20"] : __rgBounded ? ["--heap-growing-percent=20","--liftoff-only"] : ["--optimize-for-size","--liftoff-only"]) __rgSetV8Flags(f);
__rgModule.enableCompileCache?.();
await import('./chunks/cli.js');
