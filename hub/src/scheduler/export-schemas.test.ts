import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { renderedSchemas, SCHEMA_DIR } from './export-schemas.ts';

describe('docs/schemas', () => {
  it('holds the current JSON Schemas of the task API', () => {
    for (const [file, text] of Object.entries(renderedSchemas())) {
      let stored = '';
      try {
        stored = readFileSync(join(SCHEMA_DIR, file), 'utf8');
      } catch {}
      assert.deepEqual(
        stored ? JSON.parse(stored) : undefined,
        JSON.parse(text),
        `docs/schemas/${file} is stale: run node --import tsx hub/src/scheduler/export-schemas.ts`,
      );
    }
  });
});
