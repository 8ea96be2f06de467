import { Command } from 'commander';
import { VERSION } from './version.js';

const program = new Command('rubric-gate')
  .version(VERSION)
  .description('Telnyx AI-assistant test suites as code');
await program.parseAsync(process.argv);
