// `npm run soak`: the seeded chaos soak (test/soak/chaos.ts) over many seeds, one line per seed
// with its invariants, then a total. Bounded: SOAK_SEEDS seeds (default 20) × SOAK_TESTS tests
// (default 30). Exit 1 when any invariant broke.
import { soakSeed } from '../test/soak/chaos.js';

const seeds = Number(process.env.SOAK_SEEDS ?? 20);
const tests = Number(process.env.SOAK_TESTS ?? 30);
const first = Number(process.env.SOAK_FIRST_SEED ?? 1);
let broken = 0;
let runs = 0;
let requests = 0;
let faults = 0;
const exits: Record<string, number> = {};
const started = Date.now();
for (let seed = first; seed < first + seeds; seed++) {
  const r = await soakSeed(seed, tests);
  runs += r.runs;
  requests += r.requests;
  faults += r.faultsInjected;
  exits[r.exit] = (exits[r.exit] ?? 0) + 1;
  const outcomes = Object.entries(r.outcomes)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  const ok = r.violations.length === 0;
  if (!ok) broken++;
  console.log(
    `seed ${String(seed).padStart(3)}  ${r.mode.padEnd(8)} retries ${r.retries}  exit ${r.exit} (fault-free ${r.cleanExit})  ${r.runs} runs, ${r.requests} requests, ${r.faultsInjected} faults  ${outcomes}  ${ok ? 'invariants hold' : `BROKEN: ${r.violations.join('; ')}`}`,
  );
}
console.log(
  `\n${seeds} seeds × ${tests} tests in ${((Date.now() - started) / 1000).toFixed(1)} s: ${requests} requests, ${faults} injected faults, ${runs} runs; exits ${Object.entries(
    exits,
  )
    .map(([k, n]) => `${k}×${n}`)
    .join(
      ', ',
    )}; ${broken === 0 ? 'every invariant held on every seed' : `${broken} seed(s) broke an invariant`}`,
);
process.exitCode = broken === 0 ? 0 : 1;
