import pg from 'pg';
import { DEFAULT_AUDIT_LIMIT, globToLike } from './filter.ts';
import { AUDIT_COLUMNS, type AuditRow, finishColumns, recordOfRow, rowOf, whereOf } from './sql-rows.ts';
import type { AuditFinish, AuditQuery, AuditRecord, AuditStart, AuditStore } from './types.ts';

const COLUMN_NAMES = AUDIT_COLUMNS.split(', ') as (keyof AuditRow)[];

/** `ops.audit` → `"ops"."audit"`; the config schema already allows only plain identifiers. */
function quoteTable(table: string): { qualified: string; schema: string | undefined; bare: string } {
  const [first, second] = table.split('.') as [string, string | undefined];
  const schema = second === undefined ? undefined : first;
  const bare = second ?? first;
  return { qualified: schema === undefined ? `"${bare}"` : `"${schema}"."${bare}"`, schema, bare };
}

/**
 * Audit records in Postgres (`audit.store: postgres`), for hubs that share one log or ship it to
 * analysis. `begin` resolves after the INSERT commits, before the call runs.
 */
export class PostgresAuditStore implements AuditStore {
  readonly kind = 'postgres';
  private readonly table: string;

  private constructor(
    private readonly pool: pg.Pool,
    table: string,
  ) {
    this.table = table;
  }

  /** Connects and creates the table if needed; a connection failure names the host, never the password. */
  static async open(url: string, table: string): Promise<PostgresAuditStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
    pool.on('error', () => {}); // an idle client dropping is not fatal; the next query reconnects
    const { qualified, schema, bare } = quoteTable(table);
    try {
      if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await pool.query(`CREATE TABLE IF NOT EXISTS ${qualified} (
        id TEXT PRIMARY KEY, instance TEXT NOT NULL, started_at BIGINT NOT NULL, finished_at BIGINT,
        principal TEXT NOT NULL, role TEXT NOT NULL, on_behalf_of TEXT, tool TEXT NOT NULL,
        args_digest TEXT NOT NULL, arg_keys TEXT NOT NULL, outcome TEXT NOT NULL, error_code TEXT, rule TEXT,
        duration_ms DOUBLE PRECISION, bytes BIGINT, correlation_id TEXT NOT NULL, depth INTEGER NOT NULL)`);
      await pool.query(`CREATE INDEX IF NOT EXISTS "${bare}_started_at" ON ${qualified} (started_at)`);
    } catch (error) {
      await pool.end().catch(() => {});
      const where = safeLocation(url);
      throw new Error(`audit store: cannot use Postgres at ${where}: ${(error as Error).message}`);
    }
    return new PostgresAuditStore(pool, qualified);
  }

  async begin(start: AuditStart): Promise<void> {
    await this.insert(rowOf(start, undefined));
  }

  async finish(id: string, finish: AuditFinish): Promise<void> {
    const c = finishColumns(finish);
    await this.pool.query(
      `UPDATE ${this.table} SET finished_at = $2, outcome = $3, error_code = $4, rule = $5, duration_ms = $6, bytes = $7 WHERE id = $1`,
      [id, c.finished_at, c.outcome, c.error_code, c.rule, c.duration_ms, c.bytes],
    );
  }

  async record(start: AuditStart, finish: AuditFinish): Promise<void> {
    await this.insert(rowOf(start, finish));
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const { where, params } = whereOf(query, (n) => `$${n}`, { sql: (p) => `tool LIKE ${p} ESCAPE '\\'`, value: globToLike });
    const n = params.length;
    const sql = `SELECT ${AUDIT_COLUMNS} FROM ${this.table} ${where} ORDER BY started_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`;
    const { rows } = await this.pool.query<AuditRow>(sql, [...params, query.limit ?? DEFAULT_AUDIT_LIMIT, query.offset ?? 0]);
    return rows.map(recordOfRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async insert(row: AuditRow): Promise<void> {
    const placeholders = COLUMN_NAMES.map((_, i) => `$${i + 1}`).join(', ');
    await this.pool.query(
      `INSERT INTO ${this.table} (${AUDIT_COLUMNS}) VALUES (${placeholders})`,
      COLUMN_NAMES.map((name) => row[name]),
    );
  }
}

/** `host:port/db` of a connection URL, for error messages (never the user or password). */
export function safeLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
