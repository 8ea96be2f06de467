// Injected by the bundler (scripts/build.mjs); falls back when run from source (tests).
declare const __RUBRIC_GATE_VERSION__: string | undefined;
export const VERSION: string =
  typeof __RUBRIC_GATE_VERSION__ === 'string' ? __RUBRIC_GATE_VERSION__ : '0.0.0-dev';
