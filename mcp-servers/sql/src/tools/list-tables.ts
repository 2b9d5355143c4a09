import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { describeAllowlist, isRelationAllowed, isSchemaAllowed } from '../guard.ts';
import { guarded } from './shared.ts';

export const tableInfo = z.object({
  schema: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'view', 'materialized view', 'foreign table', 'partitioned table']),
});

export function listTablesTool(deps: SqlDeps) {
  const { backend, allowlist, scope } = deps;
  return defineTool({
    name: 'list_tables',
    title: 'List tables',
    description: `Lists tables, views and other relations this server may touch, optionally in one schema. ${scope}`,
    input: z.strictObject({
      schema: z.string().min(1).max(63).optional().describe('only this schema (default: every allowed schema)'),
      limit: z.number().int().positive().max(10_000).default(1000).describe('at most this many entries'),
    }),
    output: z.object({ tables: z.array(tableInfo), truncated: z.boolean() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ schema, limit }) {
      if (schema !== undefined && !isSchemaAllowed(allowlist, schema))
        throw new ToolError(
          'ACL_DENIED',
          `schema '${schema}' is outside this server's allowlist (${describeAllowlist(allowlist)})`,
          'schema',
        );
      const all = await guarded(deps, 'list_tables', () => backend.listTables(schema));
      const allowed = all.filter((table) => isRelationAllowed(allowlist, table));
      const tables = allowed.slice(0, limit);
      const truncated = allowed.length > tables.length;
      const text = tables.map((table) => `${table.schema}.${table.name} (${table.kind})`).join('\n') || '(no tables)';
      return { structured: { tables, truncated }, text: truncated ? `${text}\n… truncated at ${limit}` : text };
    },
  });
}
