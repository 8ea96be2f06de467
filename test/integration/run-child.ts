// A real `run` process for the kill/resume and SIGTERM tests: runCommand with the process's own
// stdout, env and signal handling. Args: suite dir, out dir, then optional extra flags as JSON.
import { runCommand } from '../../src/commands/run.js';
import { processIo } from '../../src/io.js';

const [dir, outDir, extra] = process.argv.slice(2);
if (!dir || !outDir) throw new Error('usage: run-child.ts <suite dir> <out dir> [flags json]');
const io = { ...processIo(), cwd: dir, isTTY: false };
const code = await runCommand(['.'], { outDir, ...(extra ? JSON.parse(extra) : {}) }, io);
process.exitCode = code;
