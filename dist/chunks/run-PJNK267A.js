import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  resumeHint,
  runCommand,
  withStopSignals
} from "./chunk-TQ7KX33E.js";
import "./chunk-5KHM2P4Y.js";
import "./chunk-EGNYDXSP.js";
import "./chunk-WMK44IXT.js";
import "./chunk-7B25DCRM.js";
import "./chunk-TIPRGJ5U.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-7BFOF2IB.js";
import "./chunk-5CZ452EX.js";
import "./chunk-WCICWPAT.js";
import "./chunk-IJNY3YTN.js";
import "./chunk-LN4465GO.js";
export {
  executeRun,
  judgedAsBefore,
  parseRunFlags,
  resumeHint,
  runCommand,
  withStopSignals
};
