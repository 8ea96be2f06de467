// An errored run's cause reaches every report: the API gives an errored run no reason, only
// logs, so the last log line is the cause (verdict.ts), shown by summary.md and the terminal.
import { describe, expect, it } from 'vitest';
import { renderConsoleSummary } from '../../reporters/console-summary.js';
import { renderMarkdown } from '../../reporters/markdown.js';
import { causeFromLogs, evaluate } from '../../src/verdict.js';
import { attempt, results, suite, testResult } from './helpers/results.js';

const logs = 'Customer: hi\nAssistant: hello\r\n\nSystem: conversation ended unexpectedly\n  \n';

describe('the cause of an errored run', () => {
  it('is the last non-empty log line, capped', () => {
    expect(causeFromLogs(logs)).toBe('the run ended in error: System: conversation ended unexpectedly');
    expect(causeFromLogs(undefined)).toBeUndefined();
    expect(causeFromLogs(' \n\r\n')).toBeUndefined();
    expect(causeFromLogs('x'.repeat(500))).toHaveLength('the run ended in error: '.length + 200);
  });

  it('shows in the summary.md row and the terminal, and a recorded message still wins', () => {
    const r = results([
      suite('s', [
        testResult('Hang up', [attempt(1, 'error', {}, { logs })]),
        testResult('Upstream', [attempt(1, 'error', {}, { logs, message: 'upstream 503' })]),
      ]),
    ]);
    const ev = evaluate(r);
    expect(ev.suites[0]!.tests.map((t) => t.message)).toEqual([
      'the run ended in error: System: conversation ended unexpectedly',
      'upstream 503',
    ]);
    expect(renderMarkdown(r, ev)).toMatch(
      /\| Hang up \| ⚠️ error \| the run ended in error\\: System\\: conversation ended unexpectedly \|/,
    );
    expect(renderConsoleSummary(ev)).toContain(
      's › Hang up (suites/s.yaml:1): error: the run ended in error: System: conversation ended unexpectedly',
    );
  });
});
