// "Did you mean" suggestions for unknown keys and enum values. Pure.

/** Levenshtein edit distance, stopping early once it exceeds `max` (we only care about close words). */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

// Case, '_' and '-' differences are free: maxDurationSeconds and max-duration-seconds both mean
// max_duration_seconds.
const normalize = (s: string): string => s.toLowerCase().replace(/[_\-\s]/g, '');

/** The closest candidate within `maxDistance` edits (after normalising), or undefined. */
export function closest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  const w = normalize(word);
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c), maxDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** " (did you mean "x"?)" or "". */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined || c === word ? '' : ` (did you mean "${c}"?)`;
}
