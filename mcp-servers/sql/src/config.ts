import { z } from 'zod';
import { type Allowlist, parseTableEntry } from './guard.ts';

const MiB = 1024 * 1024;

/** A schema or table name as the catalogue stores it (unquoted names are folded to lower case there). */
const name = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[^\s,."]+$/, 'a bare name without spaces, commas, dots or quotes');
const tableEntry = z
  .string()
  .min(1)
  .regex(/^[^\s,."]+(\.[^\s,."]+)?$/, 'table or schema.table');

export const SqlConfigSchema = z
  .object({
    url: z.string().optional().describe('postgres:// connection URL (else DATABASE_URL); not used with mock'),
    mock: z.boolean().default(false).describe('in-memory pg-mem database instead of PostgreSQL'),
    seed: z.string().optional().describe('mock only: a SQL file run once at start (tables and rows for cases)'),
    allowWrites: z.boolean().default(false).describe('enable the execute tool (writes commit); query stays read-only'),
    schemas: z.array(name).default([]).describe('schemas the statements may touch; empty = every schema'),
    tables: z.array(tableEntry).default([]).describe('tables (schema.table, or table in an allowed schema) the statements may touch'),
    maxRows: z.number().int().positive().max(100_000).default(1000),
    maxBytes: z
      .number()
      .int()
      .positive()
      .max(64 * MiB)
      .default(MiB),
    statementTimeoutMs: z.number().int().positive().max(3_600_000).default(15_000),
    allowSuperuser: z.boolean().default(false).describe('accept a role that can read server files or run programs'),
    poolSize: z.number().int().positive().max(100).default(4),
  })
  .superRefine((config, ctx) => {
    if (!config.mock && config.url === undefined)
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'a PostgreSQL URL is required (--url or DATABASE_URL), or --mock' });
    if (config.url !== undefined && !/^postgres(ql)?:\/\//.test(config.url))
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'must start with postgres:// or postgresql://' });
    if (config.seed !== undefined && !config.mock) ctx.addIssue({ code: 'custom', path: ['seed'], message: 'works only with --mock' });
    for (const entry of config.tables) {
      const table = parseTableEntry(entry);
      if (table.schema !== undefined && config.schemas.length > 0 && !config.schemas.includes(table.schema))
        ctx.addIssue({ code: 'custom', path: ['tables'], message: `'${entry}' is outside --schemas (${config.schemas.join(', ')})` });
    }
  });
export type SqlConfig = z.infer<typeof SqlConfigSchema>;

export function allowlistOf(config: Pick<SqlConfig, 'schemas' | 'tables'>): Allowlist {
  return { schemas: config.schemas, tables: config.tables.map(parseTableEntry) };
}

/** How tool descriptions state the scope and limits, so a model does not waste calls on refused statements. */
export function scopeText(config: SqlConfig): string {
  const parts = [
    config.schemas.length > 0 ? `Schemas: ${config.schemas.join(', ')}.` : 'Schemas: any the database role may read.',
    ...(config.tables.length > 0 ? [`Tables: only ${config.tables.join(', ')}.`] : []),
    config.allowWrites ? 'Writes: allowed through execute.' : 'Writes: refused (read-only server).',
    `Results: at most ${config.maxRows} rows and ${config.maxBytes} bytes (a cut result says truncated: true); statements time out after ${config.statementTimeoutMs} ms.`,
  ];
  return parts.join(' ');
}

/** The URL with any password masked, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
