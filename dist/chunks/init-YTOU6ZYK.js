import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  GITIGNORE_PATH,
  INSTALLED_SCHEMA,
  planInit,
  schemaRef
} from "./chunk-Q3J35J64.js";
import "./chunk-7B25DCRM.js";
import {
  VERSION
} from "./chunk-WRUJUDGY.js";
import {
  EXIT
} from "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";

// src/commands/init.ts
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
async function initCommand(opts, io) {
  const at = (p) => resolve(io.cwd, p);
  const installed = existsSync(at(INSTALLED_SCHEMA));
  const gitignore = existsSync(at(GITIGNORE_PATH)) ? await readFile(at(GITIGNORE_PATH), "utf8") : void 0;
  const plan = planInit({
    exists: (p) => existsSync(at(p)),
    gitignore,
    schema: schemaRef(installed, VERSION)
  });
  if (plan.existing.length > 0 && opts.force !== true) {
    io.stderr(
      [
        "init: these files exist already, so nothing was written:",
        ...plan.existing.map((p) => `  ${p}`),
        "Move them away, or re-run with --force to overwrite them.",
        ""
      ].join("\n")
    );
    return EXIT.usage;
  }
  const lines = [];
  for (const f of plan.write) {
    await mkdir(dirname(at(f.path)), { recursive: true });
    await writeFile(at(f.path), f.text);
    lines.push(`  ${plan.existing.includes(f.path) ? "overwrote" : "created  "} ${f.path}`);
  }
  if (plan.gitignore !== void 0) {
    await writeFile(at(GITIGNORE_PATH), plan.gitignore);
    lines.push(`  ${gitignore === void 0 ? "created  " : "appended "} ${GITIGNORE_PATH} (report folder)`);
  }
  io.stdout(
    [
      "rubric-gate init:",
      ...lines,
      "",
      "Next:",
      "  rubric-gate validate          # check suites/ offline",
      "  rubric-gate demo              # try it against the local simulator, no account needed",
      "  export TELNYX_API_KEY=KEY_...",
      "  rubric-gate plan              # what sync would change in your account",
      "Add the TELNYX_API_KEY secret to the repository for the workflow.",
      ""
    ].join("\n")
  );
  return EXIT.ok;
}
export {
  initCommand
};
