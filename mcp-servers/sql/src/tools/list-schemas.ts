import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { isSchemaAllowed } from '../guard.ts';
import { guarded } from './shared.ts';

export function listSchemasTool(deps: SqlDeps) {
  const { backend, allowlist, scope } = deps;
  return defineTool({
    name: 'list_schemas',
    title: 'List schemas',
    description: `Lists the database schemas this server may touch (system schemas left out). ${scope}`,
    input: z.strictObject({}),
    output: z.object({ schemas: z.array(z.object({ name: z.string() })) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run() {
      const names = await guarded(deps, 'list_schemas', () => backend.listSchemas());
      const schemas = names.filter((name) => isSchemaAllowed(allowlist, name)).map((name) => ({ name }));
      return { structured: { schemas }, text: schemas.map((schema) => schema.name).join('\n') || '(no schemas)' };
    },
  });
}
