#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
for (const f of Number.parseInt(process.versions.v8, 10) >= 12 ? ["--optimize-for-size","--liftoff-only"] : ["--heap-growing-percent=20"]) __rgSetV8Flags(f);
await import('./chunks/cli.js');
