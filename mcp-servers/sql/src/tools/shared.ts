import { z } from 'zod';
import type { RunResult } from '../backend.ts';
import type { SqlDeps } from '../deps.ts';
import { toSqlToolError } from '../errors.ts';
import { checkRelations, isRestricted, type Touched } from '../guard.ts';

const MAX_SQL_CHARS = 100_000;

export function sqlField(scope: string) {
  return z
    .string()
    .min(1)
    .max(MAX_SQL_CHARS)
    .describe(`exactly one SQL statement; use $1, $2 … for values and pass them in params. ${scope}`);
}

export const paramsField = z
  .array(z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .max(1000)
  .default([])
  .describe('values for $1, $2 … in order (strings, numbers, booleans, null); never spliced into the SQL text');

export function limitField(maxRows: number) {
  return z.number().int().positive().max(maxRows).optional().describe(`return at most this many rows (default and maximum ${maxRows})`);
}

export const fieldSchema = z.object({ name: z.string(), type: z.string() });

export const rowsOutput = z.object({
  command: z.string().describe('SELECT, INSERT, UPDATE, …'),
  rows: z.array(z.record(z.string(), z.unknown())).describe('one object per row, keyed by column name (duplicates get _2, _3 …)'),
  fields: z.array(fieldSchema),
  rowCount: z.number().int().describe('rows returned (queries) or affected (writes; rows returned when the result was cut)'),
  truncated: z.boolean().describe('true when more rows existed than the row or byte limit let through'),
  truncatedBy: z.enum(['rows', 'bytes']).optional(),
});

/** The allowlist check handed to the backend, or none when the server is unrestricted. */
export function relationCheck({ allowlist }: SqlDeps): ((touched: Touched) => void) | undefined {
  return isRestricted(allowlist) ? (touched) => checkRelations(allowlist, touched) : undefined;
}

/** Runs a backend call, turning database and driver errors into domain errors that say what to do. */
export async function guarded<T>({ config }: SqlDeps, tool: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toSqlToolError(error, { tool, allowWrites: config.allowWrites, timeoutMs: config.statementTimeoutMs });
  }
}

export function renderRows(result: RunResult): { structured: z.output<typeof rowsOutput>; text: string } {
  const truncated = result.truncatedBy !== undefined;
  const rowCount = result.rowCount ?? result.rows.length;
  const structured = {
    command: result.command,
    rows: result.rows,
    fields: result.fields,
    rowCount,
    truncated,
    ...(truncated ? { truncatedBy: result.truncatedBy } : {}),
  };
  const count = result.command === 'SELECT' || result.fields.length > 0 ? `${result.rows.length} row(s)` : `${result.command} ${rowCount}`;
  const cut = truncated ? ` (truncated by the ${result.truncatedBy} limit; more rows exist)` : '';
  const body = result.fields.length > 0 ? `\n${JSON.stringify(result.rows)}` : '';
  return { structured, text: `${count}${cut}${body}` };
}
