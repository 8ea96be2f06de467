// Preloaded (--import) into a CLI child by the e2e tests: when the process exits, it writes its
// own CPU time and peak memory to $RG_USAGE_FILE. CPU time, unlike wall time, does not grow when
// the machine is busy, so a bound on it is a bound on the work a command does.
import { writeFileSync } from 'node:fs';

const file = process.env.RG_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS }),
    );
  });
}
