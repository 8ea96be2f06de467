// Quarantine (`quarantine: "<reason>"` on a test, local only): the test still runs and is
// reported, but never decides a gate (verdict.ts, the one place) unless --no-quarantine. Pure.

import { pairKey } from './keys.js';
import type { Results } from './results.js';
import type { SuiteDef } from './suite/model.js';

/** The results with each quarantined test's reason from the suite files, and --no-quarantine. */
export function markQuarantine(results: Results, suites: readonly SuiteDef[], gating: boolean): Results {
  const reasons = new Map(
    suites.flatMap((s) =>
      s.tests.flatMap((t) => (t.quarantine === undefined ? [] : [[pairKey(s.name, t.name), t.quarantine]])),
    ),
  );
  const out: Results = {
    ...results,
    suites: results.suites.map((s) => ({
      ...s,
      tests: s.tests.map((t) => {
        const reason = reasons.get(pairKey(s.name, t.name));
        return reason === undefined ? t : { ...t, quarantine: reason };
      }),
    })),
  };
  if (gating && reasons.size > 0) out.noQuarantine = true;
  return out;
}
