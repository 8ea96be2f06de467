// results.json: the Results facts plus the derived evaluation, for consumers that do not run
// our code. `report`, `merge` and `--baseline` read it back and recompute the evaluation.
import { jsonChunks } from '../src/json-chunks.js';
import type { Results } from '../src/results.js';
import type { Evaluation } from '../src/verdict.js';

export function renderJson(results: Results, evaluation: Evaluation): string {
  return [...resultsJsonChunks(results, evaluation)].join('');
}

/**
 * results.json in pieces (renderJson's text: compact JSON.stringify, then a newline). Compact:
 * a machine file (report, merge, --baseline and other tools read it; people read report.html
 * and summary.md), and indentation was 45% of its bytes (5,000 tests: 12.2 MB against 6.8) and
 * most of the time it took to write. At 10,000 tests it is still over 10 MB: written piece by
 * piece, it never exists as one string (nor as one buffer) beside the results it renders.
 */
export function* resultsJsonChunks(results: Results, evaluation: Evaluation): Generator<string> {
  // A piece per test (suites → suite → tests → test), per evaluated test (one level deeper,
  // under `evaluation`) and per history entry: one JSON.stringify each, no step per field.
  yield* jsonChunks({ ...results, evaluation }, 0, 4, { suites: 3, evaluation: 4, history: 2 });
  yield '\n';
}
