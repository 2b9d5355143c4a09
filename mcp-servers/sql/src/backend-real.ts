import { ToolError } from '@switchboard/kit';
import pg from 'pg';
import Cursor from 'pg-cursor';
import type { ExplainResult, Field, RunOptions, RunResult, SqlBackend, Statement, TableDescription, TableInfo } from './backend.ts';
import * as catalog from './catalog-sql.ts';
import { notPlannable } from './errors.ts';
import { relationsInPlan } from './guard.ts';
import { OpenTransaction } from './open-transaction.ts';
import { RowCollector, rowFromArray, uniqueColumnNames } from './rows.ts';

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Accept a role that can read server files or run programs (no statement-level defence contains it). */
  allowSuperuser: boolean;
}

type Mode = RunOptions['mode'];

// Temporal, interval, bytea and money values stay in Postgres' own text form (no time-zone shifts,
// no precision loss); bigint becomes a number when it fits exactly, else stays a string.
const RAW_TEXT = new Set([17, 790, 1082, 1083, 1114, 1184, 1186, 1266, 1182, 1183, 1115, 1185, 1187, 1270, 1001]);
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (RAW_TEXT.has(oid)) return (value: string) => value;
    if (oid === 20) return (value: string) => (Number.isSafeInteger(Number(value)) ? Number(value) : value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * PostgreSQL through `pg`. Reads run in `BEGIN READ ONLY`, are always rolled back, and go through
 * the planner first (`EXPLAIN (VERBOSE, FORMAT JSON)`): only plannable statements pass, and the plan
 * lists the relations for the allowlist. Every statement uses the extended protocol, which refuses
 * more than one statement, under a transaction-local statement_timeout.
 */
export class PostgresBackend implements SqlBackend {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private verified: Promise<void> | undefined;
  private readonly typeNames = new Map<number, string>(catalog.BUILTIN_TYPE_NAMES);

  constructor(private readonly options: PostgresOptions) {
    this.pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 10_000,
      application_name: 'switchboard-sql',
    });
    this.pool.on('error', () => {}); // an idle client the server dropped: the pool replaces it
  }

  /** Checks once that the role cannot reach past the database; connection failures are retried on the next call. */
  verify(): Promise<void> {
    this.verified ??= this.checkRole().catch((error: unknown) => {
      if (!(error instanceof ToolError && error.code === 'INVALID_CONFIG')) this.verified = undefined;
      throw error;
    });
    return this.verified;
  }

  private async checkRole(): Promise<void> {
    const { rows } = await this.pool.query(catalog.ROLE_POWERS);
    const power = rows[0] as { role: string; superuser: boolean; file_roles: string[] } | undefined;
    if (power === undefined || this.options.allowSuperuser) return;
    const powers = [...(power.superuser ? ['superuser'] : []), ...power.file_roles];
    if (powers.length > 0)
      throw new ToolError(
        'INVALID_CONFIG',
        `the sql server connects as role '${power.role}' (${powers.join(', ')}), which can read server files or run programs; ` +
          'no statement-level defence contains such a role. Connect as a least-privilege role (see docs/servers/sql.md), ' +
          'or start the server with --allow-superuser to accept that risk',
      );
  }

  async run(statement: Statement, options: RunOptions): Promise<RunResult> {
    const gated = options.mode === 'read' || options.checkRelations !== undefined;
    return this.transaction(options.mode, options.timeoutMs, options.signal, gated ? statement : undefined, async (client, plan) => {
      if (options.checkRelations !== undefined) {
        if (plan === undefined) throw new ToolError('INTERNAL', 'the planner gate returned no plan; the statement was not run');
        options.checkRelations(relationsInPlan(plan));
      }
      return this.fetch(client, statement, options);
    });
  }

  async explain(statement: Statement, options: Parameters<SqlBackend['explain']>[1]): Promise<ExplainResult> {
    return this.transaction('read', options.timeoutMs, options.signal, statement, async (client, plan = []) => {
      const relations = relationsInPlan(plan);
      options.checkRelations?.(relations);
      return { plan: options.analyze ? await this.analyze(client, statement) : plan, relations };
    });
  }

  async listSchemas(): Promise<string[]> {
    await this.verify();
    const { rows } = await this.pool.query(catalog.LIST_SCHEMAS);
    return rows.map((row: { name: string }) => row.name);
  }

  async listTables(schema?: string): Promise<TableInfo[]> {
    await this.verify();
    const { rows } = await this.pool.query(catalog.LIST_TABLES, [schema ?? null]);
    return rows.map((row: { schema: string; name: string; kind: keyof typeof catalog.RELATION_KINDS }) => ({
      schema: row.schema,
      name: row.name,
      kind: catalog.RELATION_KINDS[row.kind],
    }));
  }

  async describeTable(schema: string, table: string): Promise<TableDescription | undefined> {
    await this.verify();
    const found = (await this.pool.query(catalog.FIND_TABLE, [schema, table])).rows[0] as
      | { oid: number; kind: keyof typeof catalog.RELATION_KINDS }
      | undefined;
    if (found === undefined) return undefined;
    const [columns, key] = await Promise.all([
      this.pool.query(catalog.TABLE_COLUMNS, [found.oid]),
      this.pool.query(catalog.PRIMARY_KEY, [found.oid]),
    ]);
    return {
      schema,
      name: table,
      kind: catalog.RELATION_KINDS[found.kind],
      columns: columns.rows as TableDescription['columns'],
      primaryKey: key.rows.map((row: { name: string }) => row.name),
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * One transaction on one pooled connection, opened in one round trip (BEGIN, timeout and, when
   * `gate` is given, the planner gate: see OpenTransaction). Afterwards the transaction is rolled
   * back (a write has committed by then), session-level advisory locks (which survive a rollback)
   * are released, and after a write DISCARD ALL resets the session, so nothing a statement set
   * (SET, SET ROLE, temp tables) outlives its call. That clean-up is queued on the connection ahead
   * of anything its next user sends, so the caller does not wait for it.
   */
  private async transaction<T>(
    mode: Mode,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    gate: Statement | undefined,
    body: (client: pg.PoolClient, plan: unknown[] | undefined) => Promise<T>,
  ): Promise<T> {
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
      throw new ToolError('INVALID_CONFIG', 'statement timeout must be a positive integer');
    await this.verify();
    const client = await this.pool.connect();
    let active = true;
    const cancel = () => {
      if (active) void this.cancelBackend(client);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const opening = new OpenTransaction({ readOnly: mode === 'read', timeoutMs, ...(gate === undefined ? {} : { explain: gate }) });
      client.query(opening as unknown as pg.QueryConfig);
      const { plan } = await opening.done.catch((error: unknown) => {
        throw gateError(error, mode);
      });
      const result = await body(client, plan);
      if (mode === 'write') await client.query('COMMIT');
      return result;
    } finally {
      active = false;
      signal?.removeEventListener('abort', cancel);
      const cleanup = [
        client.query('ROLLBACK; SELECT pg_advisory_unlock_all()'),
        ...(mode === 'write' ? [client.query('DISCARD ALL')] : []),
      ];
      client.release();
      // A failure here means the connection died; the pool drops dead connections by itself.
      void Promise.all(cleanup).catch(() => {});
    }
  }

  /** EXPLAIN ANALYZE: runs the statement (inside the caller's read-only transaction) to time it. */
  private async analyze(client: pg.PoolClient, statement: Statement): Promise<unknown[]> {
    const text = `EXPLAIN (VERBOSE, FORMAT JSON, ANALYZE)\n${statement.sql}`;
    const result = await client.query({ text, values: [...statement.params], queryMode: 'extended' } as pg.QueryConfig);
    return (result.rows[0] as { 'QUERY PLAN': unknown[] })['QUERY PLAN'];
  }

  /** Runs the statement through a cursor, fetching in batches until the row or byte limit says stop. */
  private async fetch(client: pg.PoolClient, statement: Statement, options: RunOptions): Promise<RunResult> {
    const cursor = client.query(new Cursor(statement.sql, [...statement.params], { rowMode: 'array', types }));
    const collector = new RowCollector(options.maxRows, options.maxBytes);
    let keys: string[] | undefined;
    let last: pg.QueryResult | undefined;
    let cursorFailed = false; // after a database error the cursor has already synced; closing it again would hang
    try {
      for (;;) {
        const batch = collector.nextBatch();
        const { rows, result } = await readBatch(cursor, batch).catch((error: unknown) => {
          cursorFailed = true;
          throw error;
        });
        last = result;
        keys ??= uniqueColumnNames(result.fields.map((field) => field.name));
        for (const row of rows) if (!collector.add(rowFromArray(keys, row))) break;
        if (collector.done || rows.length < batch) break;
      }
    } finally {
      if (!cursorFailed) await cursor.close();
    }
    const fields = last === undefined ? [] : await this.fieldsOf(client, keys ?? [], last.fields);
    const complete = collector.truncatedBy === undefined;
    return {
      command: last?.command ?? '',
      fields,
      rows: collector.rows,
      // a SELECT fetched in several batches reports only the last batch's count
      rowCount: complete ? (last?.command === 'SELECT' ? collector.rows.length : (last?.rowCount ?? collector.rows.length)) : null,
      ...(complete ? {} : { truncatedBy: collector.truncatedBy }),
    };
  }

  private async fieldsOf(client: pg.PoolClient, keys: string[], fields: pg.FieldDef[]): Promise<Field[]> {
    const unknown = [...new Set(fields.map((field) => field.dataTypeID).filter((oid) => !this.typeNames.has(oid)))];
    if (unknown.length > 0) {
      const { rows } = await client.query(catalog.TYPE_NAMES, [unknown]);
      for (const row of rows as { oid: number; name: string }[]) this.typeNames.set(row.oid, row.name);
    }
    return fields.map((field, i) => ({
      name: keys[i] ?? field.name,
      type: this.typeNames.get(field.dataTypeID) ?? `oid ${field.dataTypeID}`,
    }));
  }

  /** Cancels the running statement from another connection (MCP cancellation). */
  private async cancelBackend(client: pg.PoolClient): Promise<void> {
    const pid = (client as unknown as { processID?: number }).processID;
    if (typeof pid === 'number') await this.pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => {});
  }
}

function readBatch(cursor: Cursor<unknown[]>, rows: number): Promise<{ rows: unknown[][]; result: pg.QueryResult }> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, batch, result) => (error ? reject(error) : resolve({ rows: batch, result })));
  });
}

/** A statement the planner refused (syntax error inside EXPLAIN) means it is not one we run. */
function gateError(error: unknown, mode: Mode): unknown {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== '42601' || /multiple commands/.test(message ?? '')) return error;
  return notPlannable(mode, `PostgreSQL said: ${message}`);
}
