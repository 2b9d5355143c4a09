import type { RelationRef, Touched } from './guard.ts';
import type { Row, TruncatedBy } from './rows.ts';

export type SqlParam = string | number | boolean | null;

export interface Statement {
  sql: string;
  params: readonly SqlParam[];
}

export interface Field {
  name: string;
  /** The type as Postgres names it (format_type), e.g. `integer`, `text`, `timestamp with time zone`. */
  type: string;
}

export interface RunOptions {
  /** read: a read-only transaction, always rolled back. write: a transaction that commits. */
  mode: 'read' | 'write';
  maxRows: number;
  maxBytes: number;
  timeoutMs: number;
  /**
   * Called with the relations the statement touches, before it runs; throws to refuse it. When
   * given, a statement whose relations cannot be determined is refused.
   */
  checkRelations?: (touched: Touched) => void;
  signal?: AbortSignal;
}

export interface RunResult {
  /** The command tag: SELECT, INSERT, UPDATE, … */
  command: string;
  fields: Field[];
  rows: Row[];
  /** Rows the statement affected or returned, when the database reported it (not when the result was cut). */
  rowCount: number | null;
  truncatedBy?: TruncatedBy;
}

export interface ExplainResult {
  /** The plan as the backend describes it (PostgreSQL: the `EXPLAIN (FORMAT JSON)` document). */
  plan: unknown[];
  relations: RelationRef[];
}

export interface TableInfo {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized view' | 'foreign table' | 'partitioned table';
}

export interface ColumnInfo {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}

export interface TableDescription extends TableInfo {
  columns: ColumnInfo[];
  primaryKey: string[];
}

/**
 * The port every sql tool works through. Read-only mode, one statement per call, the timeout and
 * the limits are the backend's to enforce (the real one leaves them to PostgreSQL); the allowlist
 * decision is the caller's, through `checkRelations`.
 */
export interface SqlBackend {
  readonly kind: 'postgres' | 'pg-mem';
  run(statement: Statement, options: RunOptions): Promise<RunResult>;
  explain(
    statement: Statement,
    options: { analyze: boolean; timeoutMs: number; checkRelations?: RunOptions['checkRelations']; signal?: AbortSignal },
  ): Promise<ExplainResult>;
  listSchemas(): Promise<string[]>;
  listTables(schema?: string): Promise<TableInfo[]>;
  describeTable(schema: string, table: string): Promise<TableDescription | undefined>;
  close(): Promise<void>;
}
