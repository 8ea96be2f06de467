// results.json: the Results facts plus the derived evaluation, for consumers that do not run
// our code. `report`, `merge` and `--baseline` read it back and recompute the evaluation.
import { jsonChunks } from '../src/json-chunks.js';
import type { Results } from '../src/results.js';
import type { Evaluation } from '../src/verdict.js';

export function renderJson(results: Results, evaluation: Evaluation): string {
  return [...resultsJsonChunks(results, evaluation)].join('');
}

/**
 * results.json in pieces (renderJson's text: JSON.stringify with 2-space indent, then a
 * newline). At 10,000 tests the file is over 20 MB: written piece by piece, it never exists
 * as one string (nor as one buffer) beside the results it renders.
 */
export function* resultsJsonChunks(results: Results, evaluation: Evaluation): Generator<string> {
  // A few KB a piece, and no finer: a test's fields (suites → tests → fields), the evaluation's
  // tests and the history's entries whole. Not a generator step per attempt field or history
  // field (5,000 tests: ~100 ms instead of ~250; a 100-test file ~10x faster).
  yield* jsonChunks({ ...results, evaluation }, 2, 5, { suites: 4, evaluation: 4, history: 2 });
  yield '\n';
}
