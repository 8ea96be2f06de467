// The job summary stays under GitHub's 1 MiB step limit; paths are shown as workflows use them.
import { describe, expect, it } from 'vitest';
import { STEP_SUMMARY_LIMIT } from '../../reporters/markdown.js';
import { fitStepSummary, problemSummary, shownPath } from '../../src/action/main.js';

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

describe('problemSummary', () => {
  it('lists every suite-file problem in a table, escaped', () => {
    const text = problemSummary([
      { file: 'suites/a.yaml', line: 3, col: 5, message: 'tests[0]: missing "rubric" | <b>' },
      { file: 'suites/b.yaml', line: 1, col: 1, message: 'the file is empty' },
    ]);
    expect(text).toMatch(/^## rubric-gate: invalid suite files, nothing was run\n\n2 problems in 2 files\./);
    expect(text).toContain(
      '| suites/a\\.yaml | 3 | 5 | tests\\[0\\]\\: missing &quot;rubric&quot; \\| &lt;b&gt; |',
    );
    expect(text).toContain('| suites/b\\.yaml | 1 | 1 | the file is empty |');
  });

  it('stays far under the step-summary limit when a file is all problems', () => {
    const many = Array.from({ length: 40_000 }, (_, i) => ({
      file: 'suites/huge.yaml',
      line: i + 1,
      col: 1,
      message: 'x'.repeat(40),
    }));
    const text = problemSummary(many);
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThan(STEP_SUMMARY_LIMIT / 2);
    expect(text).toMatch(/\(and \d+ more in the log\)\n$/);
  });
});
