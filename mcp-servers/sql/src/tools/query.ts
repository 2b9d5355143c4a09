import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { guarded, limitField, paramsField, relationCheck, renderRows, rowsOutput, sqlField } from './shared.ts';

export function queryTool(deps: SqlDeps) {
  const { backend, config, scope } = deps;
  return defineTool({
    name: 'query',
    title: 'Run a read-only SQL query',
    description:
      'Runs one SQL statement (SELECT, VALUES, WITH …) with $1, $2 … parameters in a read-only transaction that is always rolled back, ' +
      'and returns the rows as objects. The database refuses writes; several statements, COPY, SET and other commands are refused. ' +
      scope,
    input: z.strictObject({ sql: sqlField(scope), params: paramsField, limit: limitField(config.maxRows) }),
    output: rowsOutput,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ sql, params, limit }, ctx) {
      const result = await guarded(deps, 'query', () =>
        backend.run(
          { sql, params },
          {
            mode: 'read',
            maxRows: limit ?? config.maxRows,
            maxBytes: config.maxBytes,
            timeoutMs: config.statementTimeoutMs,
            checkRelations: relationCheck(deps),
            signal: ctx.signal,
          },
        ),
      );
      return renderRows(result);
    },
  });
}
