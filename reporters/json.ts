// results.json: the Results facts plus the derived evaluation, for consumers that do not run
// our code. `report`, `merge` and `--baseline` read it back and recompute the evaluation.
import type { Results } from '../src/results.js';
import type { Evaluation } from '../src/verdict.js';

export function renderJson(results: Results, evaluation: Evaluation): string {
  return `${JSON.stringify({ ...results, evaluation }, null, 2)}\n`;
}
