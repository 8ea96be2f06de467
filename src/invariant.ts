// The gate's promise, written once: exit 0 only when every selected test has final runs carrying
// rubric results that decide its trials/min_passes, every suite gate holds on those results, no
// required criterion failed, and nothing the selection promised is missing.
//
// This is the specification, derived straight from the raw facts in results.json and kept
// independent of outcome.ts/gate.ts/verdict.ts on purpose: the property tests check that every
// green verdict those modules reach satisfies it (test/unit/verdict-invariant.test.ts). Pure.

import { pairKey } from './keys.js';
import type { Attempt, Results, TestResult } from './results.js';

const FINAL_ERROR = new Set<Attempt['status']>(['error', 'timeout']);

/** What one trial's deciding (latest) attempt proves. */
type Evidence = 'pass' | 'fail' | 'error' | 'none';

function evidence(test: TestResult, trial: number): { kind: Evidence; last?: Attempt } {
  // The latest retry decides (of two with one number, the one recorded last).
  const mine = test.attempts.filter((a) => a.trial === trial);
  const last = mine.reduce<Attempt | undefined>(
    (x, a) => (x === undefined || a.retry >= x.retry ? a : x),
    undefined,
  );
  if (!last || last.undocumented !== undefined) return last ? { kind: 'none', last } : { kind: 'none' };
  if (FINAL_ERROR.has(last.status)) return { kind: 'error', last };
  if (last.criteria.length === 0) return { kind: 'none', last };
  const judged = (name: string) =>
    last.criteria.some((c) => c.name === name && (c.status === 'passed' || c.status === 'failed'));
  if (last.status === 'failed') return { kind: 'fail', last };
  if (last.status === 'passed') {
    // The API promises a result for every criterion of the rubric: a pass missing one is no pass.
    const complete = test.criteria.every((c) => judged(c.name));
    if (!complete) return { kind: 'none', last };
    // Whatever the API's status says, a failed required criterion fails the trial.
    const requiredFailed = test.criteria.some(
      (c) => c.required && last.criteria.some((k) => k.name === c.name && k.status === 'failed'),
    );
    return { kind: requiredFailed ? 'fail' : 'pass', last };
  }
  return { kind: 'none', last }; // pending, starting, running, not_started
}

/** Every way `results` falls short of the promise; empty when exit 0 is allowed. */
export function greenViolations(results: Results): string[] {
  const out: string[] = [];
  if (!results.complete) out.push(`the run did not finish: ${results.incompleteReason ?? 'no reason given'}`);
  const selected = results.suites.flatMap((s) => s.tests.filter((t) => !t.skipped));
  if (selected.length === 0 && !results.passWithNoTests && !((results.shard?.candidates ?? 0) > 0)) {
    out.push('no test was selected');
  }
  const before = new Map(
    (results.baseline?.tests ?? []).map((t) => [pairKey(t.suite, t.test), t.outcome] as const),
  );
  const o = results.gateOverrides ?? {};
  for (const s of results.suites) {
    const minPassRate = Math.max(s.gate.minPassRate, o.minPassRate ?? 0);
    const maxErrors = Math.min(s.gate.maxErrors, o.maxErrors ?? Number.POSITIVE_INFINITY);
    const failOnRegression = s.gate.failOnRegression || o.failOnRegression === true;
    let ran = 0;
    let passing = 0;
    let errors = 0;
    for (const t of s.tests) {
      if (t.skipped) continue;
      ran++;
      const trials = Array.from({ length: t.trials }, (_, i) => evidence(t, i + 1));
      const passes = trials.filter((x) => x.kind === 'pass').length;
      const fails = trials.filter((x) => x.kind === 'fail').length;
      const unknown = trials.filter((x) => x.kind === 'none').length;
      const where = `${s.name} › ${t.name}`;
      if (passes >= t.minPasses) {
        passing++;
        continue;
      }
      if (t.trials - fails >= t.minPasses) {
        // Neither passed nor out of reach: an error, or no verdict at all.
        if (unknown > 0) out.push(`${where}: no verdict`);
        else errors++;
        continue;
      }
      // Failed: its required criteria must have passed in every failing trial.
      for (const x of trials) {
        if (x.kind !== 'fail') continue;
        for (const c of t.criteria) {
          if (!c.required) continue;
          const r = x.last?.criteria.find(
            (k) => k.name === c.name && (k.status === 'passed' || k.status === 'failed'),
          );
          if (r?.status !== 'passed') out.push(`${where}: required criterion ${c.name} failed`);
        }
      }
      const was = before.get(pairKey(s.name, t.name));
      if (failOnRegression && (was === 'passed' || was === 'flaky')) out.push(`${where}: regression`);
    }
    if (ran > 0 && passing / ran < minPassRate) out.push(`${s.name}: pass rate ${passing}/${ran}`);
    if (errors > maxErrors) out.push(`${s.name}: ${errors} errors`);
  }
  return out;
}
