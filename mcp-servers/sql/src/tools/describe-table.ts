import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { describeAllowlist, isRelationAllowed } from '../guard.ts';
import { tableInfo } from './list-tables.ts';
import { guarded } from './shared.ts';

export function describeTableTool(deps: SqlDeps) {
  const { backend, allowlist, scope } = deps;
  return defineTool({
    name: 'describe_table',
    title: 'Describe a table',
    description: `Columns (name, type, nullability, default) and primary key of one table or view. ${scope}`,
    input: z.strictObject({
      table: z.string().min(1).max(63).describe('the table name as the catalogue stores it (unquoted names are lower case)'),
      schema: z.string().min(1).max(63).default('public').describe('its schema (default public)'),
    }),
    output: tableInfo.extend({
      columns: z.array(z.object({ name: z.string(), type: z.string(), nullable: z.boolean(), default: z.string().nullable() })),
      primaryKey: z.array(z.string()),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ table, schema }) {
      if (!isRelationAllowed(allowlist, { schema, name: table }))
        throw new ToolError(
          'ACL_DENIED',
          `${schema}.${table} is outside this server's allowlist (${describeAllowlist(allowlist)})`,
          'table',
        );
      const found = await guarded(deps, 'describe_table', () => backend.describeTable(schema, table));
      if (found === undefined)
        throw new ToolError('NOT_FOUND', `table ${schema}.${table} does not exist; list_tables shows what does`, 'table');
      const columns = found.columns.map(
        (c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}${c.default === null ? '' : ` DEFAULT ${c.default}`}`,
      );
      const key = found.primaryKey.length > 0 ? `\nPRIMARY KEY (${found.primaryKey.join(', ')})` : '';
      return { structured: found, text: `${found.schema}.${found.name} (${found.kind})\n${columns.join('\n')}${key}` };
    },
  });
}
