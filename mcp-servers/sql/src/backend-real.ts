import { ToolError } from '@switchboard/kit';
import pg from 'pg';
import type {
  ExplainResult,
  Field,
  RunOptions,
  RunResult,
  SqlBackend,
  SqlParam,
  Statement,
  TableDescription,
  TableInfo,
} from './backend.ts';
import * as catalog from './catalog-sql.ts';
import { notPlannable } from './errors.ts';
import { relationsInPlan, touchedByPlan } from './guard.ts';
import { RowCollector, rowFromArray, uniqueColumnNames } from './rows.ts';
import { type BatchError, type BatchStep, type StepResult, WireBatch, type WireField } from './wire-batch.ts';

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
function parserFor(oid: number): (text: string) => unknown {
  if (RAW_TEXT.has(oid)) return (text) => text;
  if (oid === 20) return (text) => (Number.isSafeInteger(Number(text)) ? Number(text) : text);
  return pg.types.getTypeParser(oid, 'text') as (text: string) => unknown;
}

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
    const { mode, checkRelations } = options;
    return this.transaction(mode, options.timeoutMs, options.signal, async (send) => {
      // One row past the limit tells a cut result from one that is exactly at it; the byte budget
      // bounds what is kept in memory while the rows arrive.
      const execute: BatchStep = {
        text: statement.sql,
        values: statement.params.map(wireValue),
        describe: true,
        maxRows: options.maxRows + 1,
        maxBytes: options.maxBytes,
      };
      const end: BatchStep[] = mode === 'read' ? [...ROLLBACK] : [{ text: 'COMMIT' }];
      let results: StepResult[];
      if (checkRelations !== undefined) {
        // The plan must be checked before the statement runs: two round trips.
        const [gate] = await send([gateStep(statement)]);
        checkRelations(touchedByPlan(planOf(gate)));
        results = await send([execute, ...end], true);
      } else {
        // Reads still pass the planner gate, in the same batch: after a refusal PostgreSQL skips the rest.
        results = await send([...(mode === 'read' ? [gateStep(statement)] : []), execute, ...end], true);
      }
      return this.collect(results[results.length - 1 - end.length] as StepResult, options);
    });
  }

  async explain(statement: Statement, options: Parameters<SqlBackend['explain']>[1]): Promise<ExplainResult> {
    return this.transaction('read', options.timeoutMs, options.signal, async (send) => {
      const [gate] = await send(options.analyze ? [gateStep(statement)] : [gateStep(statement), ...ROLLBACK], !options.analyze);
      const plan = planOf(gate);
      const relations = relationsInPlan(plan);
      options.checkRelations?.(touchedByPlan(plan));
      if (!options.analyze) return { plan, relations };
      const [analyzed] = await send([gateStep(statement, true), ...ROLLBACK], true);
      return { plan: planOf(analyzed), relations };
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
   * One transaction on one pooled connection. `send` runs steps in one round trip; its first use
   * also opens the transaction: BEGIN [READ ONLY] and the statement timeout, set with set_config()
   * (a SELECT, so the transaction has its snapshot and `SET TRANSACTION READ WRITE` can no longer
   * take effect). A batch sent with `ends` closes the transaction itself (ROLLBACK or COMMIT), so a
   * read costs one round trip. If it did not get that far, the clean-up rolls back; it always
   * releases session-level advisory locks (they survive a rollback), and after a write DISCARD ALL
   * resets the session, so nothing a statement set (SET, SET ROLE, temp tables) outlives its call.
   * The connection goes back to the pool only after that clean-up, which the caller does not wait for.
   */
  private async transaction<T>(
    mode: Mode,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    body: (send: (steps: BatchStep[], ends?: boolean) => Promise<StepResult[]>) => Promise<T>,
  ): Promise<T> {
    await this.verify();
    const client = await this.pool.connect();
    // A connection reset mid-call rejects the batch (answered as an error) and also emits 'error' on the
    // checked-out client, which would crash the server without a listener; cleanUp removes it.
    client.on('error', ignoreClientError);
    let active = true;
    const cancel = () => {
      if (active) void this.cancelBackend(client);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    let opened = false;
    let ended = false;
    const send = async (steps: BatchStep[], ends = false): Promise<StepResult[]> => {
      const opening: BatchStep[] = opened
        ? []
        : [
            { text: mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN' },
            { text: "SELECT set_config('statement_timeout', $1, true)", values: [String(timeoutMs)] },
          ];
      opened = true;
      const batch = new WireBatch([...opening, ...steps]);
      client.query(batch as unknown as pg.QueryConfig);
      try {
        const results = (await batch.done).slice(opening.length);
        ended ||= ends;
        return results;
      } catch (error) {
        throw gateError(error as BatchError, steps, opening.length, mode);
      }
    };
    try {
      return await body(send);
    } finally {
      active = false;
      signal?.removeEventListener('abort', cancel);
      void cleanUp(client, mode, ended);
    }
  }

  /** Parses the kept rows into the answer, applying the exact row and byte limits. */
  private async collect(step: StepResult, options: RunOptions): Promise<RunResult> {
    const collector = new RowCollector(options.maxRows, options.maxBytes);
    const keys = uniqueColumnNames(step.fields.map((field) => field.name));
    const parsers = step.fields.map((field) => parserFor(field.dataTypeID));
    for (const raw of step.rows) {
      const values = raw.map((text, i) => (text === null ? null : (parsers[i] as (text: string) => unknown)(text)));
      if (!collector.add(rowFromArray(keys, values))) break;
    }
    // Rows the batch stopped keeping (memory budget) are rows the caller does not get.
    if (!collector.done && (step.dropped || step.suspended)) collector.truncatedBy = step.dropped ? 'bytes' : 'rows';
    const complete = collector.truncatedBy === undefined;
    return {
      command: step.command ?? (options.mode === 'read' ? 'SELECT' : ''),
      fields: await this.fieldsOf(keys, step.fields),
      rows: collector.rows,
      rowCount: complete ? (step.command === 'SELECT' || step.rowCount === undefined ? collector.rows.length : step.rowCount) : null,
      ...(complete ? {} : { truncatedBy: collector.truncatedBy }),
    };
  }

  private async fieldsOf(keys: string[], fields: WireField[]): Promise<Field[]> {
    const unknown = [...new Set(fields.map((field) => field.dataTypeID).filter((oid) => !this.typeNames.has(oid)))];
    if (unknown.length > 0) {
      const { rows } = await this.pool.query(catalog.TYPE_NAMES, [unknown]);
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

const ROLLBACK: readonly BatchStep[] = [{ text: 'ROLLBACK' }, { text: 'SELECT pg_advisory_unlock_all()' }];

/** Ends the call's transaction if its last batch did not, resets the session, then returns the connection (or closes it). */
const ignoreClientError = () => {};

async function cleanUp(client: pg.PoolClient, mode: Mode, ended: boolean): Promise<void> {
  try {
    if (!ended) await client.query('ROLLBACK; SELECT pg_advisory_unlock_all()');
    if (mode === 'write') await client.query('DISCARD ALL'); // also releases advisory locks
    client.off('error', ignoreClientError);
    client.release();
  } catch (error) {
    client.off('error', ignoreClientError);
    client.release(error as Error);
  }
}

/** The planner gate: EXPLAIN of the caller's statement, which only plannable statements pass. */
function gateStep(statement: Statement, analyze = false): BatchStep {
  return { text: `EXPLAIN (VERBOSE, FORMAT JSON${analyze ? ', ANALYZE' : ''})\n${statement.sql}`, values: statement.params.map(wireValue) };
}

function planOf(step: StepResult | undefined): unknown[] {
  const text = step?.rows[0]?.[0];
  if (typeof text !== 'string') throw new ToolError('INTERNAL', 'the planner gate returned no plan; the statement was not run');
  return JSON.parse(text) as unknown[];
}

/** Parameters as the text protocol sends them: values, never part of the SQL text. */
function wireValue(value: SqlParam): string | null {
  return value === null ? null : String(value);
}

/** A syntax error raised by the gate means the statement is not one the planner takes. */
function gateError(error: BatchError, steps: BatchStep[], offset: number, mode: Mode): unknown {
  const step = error.step === undefined ? undefined : steps[error.step - offset];
  const fromGate = step?.text?.startsWith('EXPLAIN (VERBOSE, FORMAT JSON') === true && error.step !== undefined && error.step >= offset;
  if (!fromGate || error.code !== '42601' || /multiple commands/.test(error.message)) return error;
  return notPlannable(mode, `PostgreSQL said: ${error.message}`);
}
