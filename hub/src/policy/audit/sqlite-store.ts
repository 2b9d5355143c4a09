import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_AUDIT_LIMIT } from './filter.ts';
import { AUDIT_COLUMNS, type AuditRow, finishColumns, recordOfRow, rowOf, whereOf } from './sql-rows.ts';
import type { AuditFinish, AuditQuery, AuditRecord, AuditStart, AuditStore } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_log (
  id TEXT PRIMARY KEY,
  instance TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  principal TEXT NOT NULL,
  role TEXT NOT NULL,
  on_behalf_of TEXT,
  tool TEXT NOT NULL,
  args_digest TEXT NOT NULL,
  arg_keys TEXT NOT NULL,
  outcome TEXT NOT NULL,
  error_code TEXT,
  rule TEXT,
  duration_ms REAL,
  bytes INTEGER,
  correlation_id TEXT NOT NULL,
  depth INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_started_at ON audit_log (started_at);
CREATE INDEX IF NOT EXISTS audit_log_principal ON audit_log (principal, started_at);
`;

/**
 * The embedded default: one SQLite file (WAL). Writes are synchronous, so when `begin` returns the
 * row is in the file and survives the hub being killed; several hub processes may share the file.
 */
export class SqliteAuditStore implements AuditStore {
  readonly kind = 'sqlite';
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    chmodSync(file, 0o600); // who called what is nobody else's business on a shared machine
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // durable across a process kill; fsync per commit would cost a call's latency
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare(
      `INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES (@id, @instance, @started_at, @finished_at, @principal, @role, @on_behalf_of, @tool, @args_digest, @arg_keys, @outcome, @error_code, @rule, @duration_ms, @bytes, @correlation_id, @depth)`,
    );
    this.update = this.db.prepare(
      'UPDATE audit_log SET finished_at = @finished_at, outcome = @outcome, error_code = @error_code, rule = @rule, duration_ms = @duration_ms, bytes = @bytes WHERE id = @id',
    );
  }

  async begin(start: AuditStart): Promise<void> {
    this.insert.run(rowOf(start, undefined));
  }

  async finish(id: string, finish: AuditFinish): Promise<void> {
    this.update.run({ id, ...finishColumns(finish) });
  }

  async record(start: AuditStart, finish: AuditFinish): Promise<void> {
    this.insert.run(rowOf(start, finish));
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    const { where, params } = whereOf(query, () => '?', { sql: (p) => `tool GLOB ${p}`, value: (glob) => glob });
    const rows = this.db
      .prepare(`SELECT ${AUDIT_COLUMNS} FROM audit_log ${where} ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?`)
      .all(...params, query.limit ?? DEFAULT_AUDIT_LIMIT, query.offset ?? 0) as AuditRow[];
    return rows.map(recordOfRow);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
