// Writes schema/suite.schema.json from the zod suite-file definitions (src/suite/schema.ts).
// Run: npx tsx scripts/gen-schema.ts   (test/unit/suite-schema.test.ts fails when the file is stale)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSuiteJsonSchema } from '../src/suite/schema.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../schema/suite.schema.json', import.meta.url));
export { renderSuiteJsonSchema };

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_PATH, renderSuiteJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}
