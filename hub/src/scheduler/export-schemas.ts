// Writes the task API's JSON Schemas to docs/schemas/*.json (the same documents /v1/schema serves).
// Usage: node --import tsx hub/src/scheduler/export-schemas.ts     (the test export-schemas.test.ts checks they are current)
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskJsonSchemas } from './contracts.ts';

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'docs', 'schemas');

export function renderedSchemas(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(taskJsonSchemas()).map(([name, schema]) => [`${name}.json`, `${JSON.stringify(schema, null, 2)}\n`]),
  );
}

if (process.argv[1] === import.meta.filename) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, text] of Object.entries(renderedSchemas())) writeFileSync(join(SCHEMA_DIR, file), text);
  // The repository's formatter owns the layout; the test compares content, not whitespace.
  execFileSync('npx', ['biome', 'format', '--write', SCHEMA_DIR], { stdio: 'ignore' });
  process.stdout.write(`wrote ${Object.keys(renderedSchemas()).length} schemas to ${SCHEMA_DIR}\n`);
}
