import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  loadScenario,
  startSimulator
} from "./chunk-7EY5FFWV.js";
import {
  runCommand
} from "./chunk-TQ7KX33E.js";
import "./chunk-5KHM2P4Y.js";
import "./chunk-EGNYDXSP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-7B25DCRM.js";
import {
  displayPath
} from "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7BFOF2IB.js";
import "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/demo.ts
import { existsSync as existsSync2 } from "node:fs";
import { join as join2, resolve } from "node:path";

// src/package-files.ts
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
var PACKAGE_NAME = "rubric-gate";
function packageRoot(from = dirname(fileURLToPath(import.meta.url))) {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && isOurs(manifest)) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${from}; reinstall rubric-gate`);
}
function isOurs(manifest) {
  try {
    return JSON.parse(readFileSync(manifest, "utf8")).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}
var exampleSuitesDir = () => join(packageRoot(), "suites");

// src/commands/demo.ts
var DEMO_SCENARIO = "suites/demo.scenario.yaml";
var SCENARIO_NAME = "demo.scenario.yaml";
function demoInputs(paths, opts, io) {
  const local = (p) => existsSync2(resolve(io.cwd, p));
  if (paths.length > 0 || local("suites")) {
    const scenario = opts.scenario ?? (local(DEMO_SCENARIO) ? DEMO_SCENARIO : void 0);
    return {
      paths: paths.length > 0 ? [...paths] : ["suites"],
      shipped: false,
      ...scenario ? { scenario } : {}
    };
  }
  const examples = opts.examplesDir ?? exampleSuitesDir();
  const shown = displayPath(io.cwd, examples);
  return {
    paths: [shown],
    scenario: opts.scenario ?? displayPath(io.cwd, join2(examples, SCENARIO_NAME)),
    shipped: true
  };
}
async function demoCommand(paths, opts, io) {
  const input = demoInputs(paths, opts, io);
  const scenario = input.scenario ? await loadScenario(resolve(io.cwd, input.scenario)) : void 0;
  if (input.shipped) {
    io.stdout(
      `demo: no suites/ in this folder, so running the example suites shipped with rubric-gate (${input.paths[0]}).
      \`rubric-gate init\` writes a suites/ folder of your own.
`
    );
  }
  const sim = await startSimulator({ ...scenario ? { scenario } : {} });
  try {
    io.stdout(
      `demo: Telnyx simulator on ${sim.url}${input.scenario ? ` with ${input.scenario}` : ""} (no API key needed)
`
    );
    const demoIo = { ...io, env: { ...io.env, TELNYX_API_KEY: sim.apiKey, TELNYX_BASE_URL: sim.url } };
    return await runCommand(input.paths, { ...opts.outDir ? { outDir: opts.outDir } : {} }, demoIo);
  } finally {
    await sim.close();
  }
}
export {
  DEMO_SCENARIO,
  demoCommand,
  demoInputs
};
