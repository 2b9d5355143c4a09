import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { guarded, limitField, paramsField, relationCheck, renderRows, rowsOutput, sqlField } from './shared.ts';

export function executeTool(deps: SqlDeps) {
  const { backend, config, scope } = deps;
  const availability = config.allowWrites
    ? 'The statement commits when it succeeds and is rolled back when it fails.'
    : 'This server is read-only: every call is refused (start it with --allow-writes).';
  return defineTool({
    name: 'execute',
    title: 'Run a writing SQL statement',
    description: `Runs one writing SQL statement (INSERT, UPDATE, DELETE …) with $1, $2 … parameters in its own transaction; RETURNING rows come back like query's. ${availability} ${scope}`,
    input: z.strictObject({ sql: sqlField(scope), params: paramsField, limit: limitField(config.maxRows) }),
    output: rowsOutput,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    async run({ sql, params, limit }, ctx) {
      if (!config.allowWrites)
        throw new ToolError('READ_ONLY', 'execute is refused: this sql server is read-only (start it with --allow-writes)');
      const result = await guarded(deps, 'execute', () =>
        backend.run(
          { sql, params },
          {
            mode: 'write',
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
