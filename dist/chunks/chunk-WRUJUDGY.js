import * as __rgModule from 'node:module';
const require = __rgModule.createRequire(import.meta.url);

// src/version.ts
var VERSION = true ? "0.1.0" : "0.0.0-dev";

export {
  VERSION
};
