#!/usr/bin/env node
import * as __rgModule from 'node:module';
__rgModule.enableCompileCache?.();
import { setFlagsFromString as __rgSetV8Flags } from 'node:v8';
__rgSetV8Flags("--optimize-for-size");
__rgSetV8Flags("--liftoff-only");
await import('./chunks/cli.js');
