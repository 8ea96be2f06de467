// The CLI shell: argument wiring and the one place exit codes are decided for thrown errors.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { memoryIo } from '../../src/io.js';
import { VERSION } from '../../src/version.js';

describe('main()', () => {
  it('prints the version with --version and exits 0', async () => {
    const io = memoryIo();
    expect(await main(['--version'], io)).toBe(0);
    expect(io.out.join('')).toBe(`${VERSION}\n`);
  });

  it.each([['run'], ['promote', '--assistant', 'assistant-7f3c9b2e-4d1a-4c8e-9f60-2b5d8e1a7c34']])(
    '%s --version <id> is the assistant version, not the program version',
    async (...cmd) => {
      const io = memoryIo({ env: {} });
      // Reaches the command (which then wants an API key), instead of printing the tool version.
      expect(await main([...cmd, '--version', 'v-123', '--no-sync'], io)).toBe(2);
      expect(io.out.join('')).not.toContain(VERSION);
      expect(io.err.join('')).toMatch(/TELNYX_API_KEY/);
    },
  );

  it('an unknown command or option is a usage error (exit 2)', async () => {
    expect(await main(['bogus'], memoryIo())).toBe(2);
    expect(await main(['run', '--no-such-flag'], memoryIo())).toBe(2);
  });

  it('a bad number is a usage error naming the flag', async () => {
    const io = memoryIo();
    expect(await main(['report', '--from', 'x.json', '--min-pass-rate', 'lots'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--min-pass-rate expects a number/);
  });

  it('never prints the API key, even when a command fails', async () => {
    const key = 'KEY_CLI_CANARY_SECRET_42';
    const io = memoryIo({ env: { TELNYX_API_KEY: key, TELNYX_BASE_URL: 'http://example.com/v2' } });
    expect(await main(['plan', 'suites'], io)).toBe(2); // non-loopback http is refused
    expect([...io.out, ...io.err].join('')).not.toContain(key);
    expect(io.err.join('')).toMatch(/must use https/);
  });
});
