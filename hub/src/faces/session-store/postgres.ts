import pg from 'pg';
import type { SessionRecord, SessionStore } from './types.ts';

const SWEEP_MS = 60_000;

/**
 * Sessions in Postgres: `<schema>.mcp_sessions (id, record jsonb, expires_at)`, created on first
 * use. Any replica on the same database serves any session; expired rows are swept every minute
 * (and never served meanwhile).
 */
export class PostgresSessionStore implements SessionStore {
  readonly kind = 'postgres';
  private readonly sweeper: NodeJS.Timeout;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
  ) {
    this.sweeper = setInterval(() => {
      pool.query(`DELETE FROM ${table} WHERE expires_at < now()`).catch(() => {});
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  static async open(url: string, schema: string): Promise<PostgresSessionStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => {}); // an idle client lost; the next query reports it
    const table = `"${schema}".mcp_sessions`;
    const ddl = `CREATE SCHEMA IF NOT EXISTS "${schema}";
      CREATE TABLE IF NOT EXISTS ${table} (id text PRIMARY KEY, record jsonb NOT NULL, expires_at timestamptz NOT NULL);
      CREATE INDEX IF NOT EXISTS mcp_sessions_expires ON ${table} (expires_at);`;
    try {
      await pool.query(ddl);
    } catch (error) {
      // Two replicas creating the schema at once: one loses the race on the catalog; the second try sees it.
      if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P07') {
        await pool.end().catch(() => {});
        throw error;
      }
      await pool.query(ddl);
    }
    return new PostgresSessionStore(pool, table);
  }

  async create(record: SessionRecord, ttlMs: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.table} (id, record, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, expires_at = EXCLUDED.expires_at`,
      [record.id, JSON.stringify(record), ttlMs],
    );
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.pool.query<{ record: SessionRecord }>(
      `SELECT record FROM ${this.table} WHERE id = $1 AND expires_at > now()`,
      [id],
    );
    return rows[0]?.record;
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET expires_at = now() + $2 * interval '1 millisecond' WHERE id = $1 AND expires_at > now()`,
      [id, ttlMs],
    );
    return rowCount === 1;
  }

  async update(id: string, patch: Partial<Pick<SessionRecord, 'logLevel'>>): Promise<void> {
    await this.pool.query(`UPDATE ${this.table} SET record = record || $2::jsonb WHERE id = $1`, [id, JSON.stringify(patch)]);
  }

  async delete(id: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.table} WHERE id = $1`, [id]);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await this.pool.end();
  }
}
