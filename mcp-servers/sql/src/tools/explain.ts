import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { SqlDeps } from '../deps.ts';
import { guarded, paramsField, relationCheck, sqlField } from './shared.ts';

export function explainTool(deps: SqlDeps) {
  const { backend, config, scope } = deps;
  return defineTool({
    name: 'explain',
    title: 'Show a query plan',
    description:
      "Shows PostgreSQL's plan for one statement (EXPLAIN, JSON format) and the relations it touches, in a read-only transaction. " +
      'With analyze: true the statement really runs (still read-only and rolled back) and the plan carries timings. ' +
      scope,
    input: z.strictObject({
      sql: sqlField(scope),
      params: paramsField,
      analyze: z.boolean().default(false).describe('run the statement to measure it (read-only, rolled back)'),
    }),
    output: z.object({
      plan: z.array(z.record(z.string(), z.unknown())).describe('the EXPLAIN (FORMAT JSON) document'),
      relations: z.array(z.object({ schema: z.string(), name: z.string() })),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ sql, params, analyze }, ctx) {
      const result = await guarded(deps, 'explain', () =>
        backend.explain(
          { sql, params },
          { analyze, timeoutMs: config.statementTimeoutMs, checkRelations: relationCheck(deps), signal: ctx.signal },
        ),
      );
      const touched = result.relations.map((r) => `${r.schema}.${r.name}`).join(', ') || 'no relations';
      return {
        structured: { plan: result.plan as Record<string, unknown>[], relations: result.relations },
        text: `touches: ${touched}\n${JSON.stringify(result.plan)}`,
      };
    },
  });
}
