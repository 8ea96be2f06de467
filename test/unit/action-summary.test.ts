// The job summary stays under GitHub's 1 MiB step limit; paths are shown as workflows use them.
import { describe, expect, it } from 'vitest';
import { fitStepSummary, shownPath } from '../../src/action/main.js';

describe('fitStepSummary', () => {
  const render = (maxBytes: number) => `shorter (${maxBytes})`;

  it('appends summary.md as written when it fits', () => {
    expect(fitStepSummary(0, 'report', render, 100)).toBe('report');
    expect(fitStepSummary(93, 'report', render, 100)).toBe('report'); // 93 + 6 + newline = 100
  });

  it('renders to the room left when summary.md would overflow the step summary', () => {
    expect(fitStepSummary(94, 'report', render, 100)).toBe('shorter (5)');
    // Multi-byte characters count as bytes, as GitHub counts them.
    expect(fitStepSummary(0, '✅'.repeat(40), render, 100)).toBe('shorter (99)');
  });

  it('adds nothing when the step summary is already full', () => {
    expect(fitStepSummary(99, 'report', render, 100)).toBe('');
  });
});

describe('shownPath', () => {
  it('is relative inside the base, absolute outside, with / separators', () => {
    expect(shownPath('/ws', '/ws/suites/a.yaml')).toBe('suites/a.yaml');
    expect(shownPath('/ws', '/ws')).toBe('.');
    expect(shownPath('/ws', '/tmp/out/junit.xml')).toBe('/tmp/out/junit.xml');
  });
});
