import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);
import {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
} from "./chunk-OUEGBMD7.js";
import "./chunk-PROD4AK6.js";
import "./chunk-WMK44IXT.js";
import "./chunk-UEAVEBNJ.js";
import "./chunk-64LQNCJ7.js";
import "./chunk-WRUJUDGY.js";
import "./chunk-5PGSD6OO.js";
import "./chunk-43E6CWML.js";
import "./chunk-KQ6DQJHD.js";
import "./chunk-WAXOGSXT.js";
import "./chunk-C5SV5F42.js";
import "./chunk-LE46KEQD.js";
export {
  executeRun,
  parseRunFlags,
  runCommand,
  withStopSignals
};
