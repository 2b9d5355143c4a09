import { createHash } from 'node:crypto';
import pg from 'pg';
import type { TaskEvent, TaskRecord } from '../task-model.ts';
import { freshParams } from './postgres-fresh.ts';
import { decodeClaimAndComplete } from './postgres-rows.ts';
import { CLAIM_AND_COMPLETE, CLAIM_AND_COMPLETE_FUNCTION, INSERT_FRESH } from './postgres-sql.ts';
import { taskSchemaSql } from './sql-schema.ts';
import { type Row, type SqlConn, type SqlDialect, sqlReads, sqlTx } from './sql-store.ts';
import type {
  ClaimAndCompleteResult,
  ClaimRequest,
  ClaimResult,
  FinalCompletion,
  FinalOutcome,
  ListFilter,
  StoreTx,
  TaskStore,
} from './types.ts';

const dialect: SqlDialect = {
  forUpdate: ' FOR UPDATE',
  seq: 'seq',
  select: '*',
  principalId: "(principal::jsonb ->> 'id')",
  isUniqueViolation: (error) => (error as { code?: string }).code === '23505',
};

const numbered = new Map<string, string>();
/** `?` → `$1, $2, …` (the statements here never contain a literal `?`). */
function toPg(sql: string): string {
  let converted = numbered.get(sql);
  if (converted === undefined) {
    let n = 0;
    converted = sql.replace(/\?/g, () => `$${++n}`);
    numbered.set(sql, converted);
  }
  return converted;
}

const names = new Map<string, string | undefined>();
/**
 * Statements of fixed text get a name, so each connection parses and plans them once (the hot ones
 * are large CTEs). Texts that vary with a list's length stay unnamed, so the cache stays small.
 */
function nameOf(sql: string): string | undefined {
  if (!names.has(sql)) names.set(sql, /IN \(\?/.test(sql) ? undefined : `sb_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`);
  return names.get(sql);
}

const connOf = (client: pg.Pool | pg.PoolClient): SqlConn => ({
  query: async (sql, params = []) => {
    const name = nameOf(sql);
    const text = toPg(sql);
    const result = await (name ? client.query({ name, text, values: params as unknown[] }) : client.query(text, params as unknown[]));
    return result.rows as Row[];
  },
});

const ignore = () => {};

const json = JSON.stringify;
/** Printable ASCII without `"` or `\\`: its JSON is itself in quotes (ids, owners, states), no call into JSON.stringify. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const str = (value: string) => (PLAIN.test(value) ? `"${value}"` : json(value));
/**
 * The completions of CLAIM_AND_COMPLETE as the JSON its `jsonb_to_recordset` reads, written directly:
 * the same text as JSON.stringify of one object per outcome (result and error are JSON strings, the
 * columns are text), without those objects.
 */
export function outcomesJson(outcomes: readonly FinalOutcome[]): string {
  let text = '[';
  for (let ord = 0; ord < outcomes.length; ord++) {
    const o = outcomes[ord] as FinalOutcome;
    text += `${ord === 0 ? '' : ','}{"id":${str(o.taskId)},"owner":${str(o.owner)},"attempt":${json(o.attempt)},"state":${str(o.state)},"result":${o.result === null ? 'null' : json(json(o.result))},"error":${o.error === null ? 'null' : json(json(o.error))},"ord":${ord}}`;
  }
  return `${text}]`;
}
const CLAIM_NAME = nameOf(CLAIM_AND_COMPLETE) as string;

export interface PostgresStoreOptions {
  url: string;
  /** Tables live in this schema (created when missing); tests use a random one. */
  schema?: string;
  /** Pool size; each worker loop needs one connection at a time, plus the API. */
  poolSize?: number;
}

/**
 * Tasks in PostgreSQL, shared by any number of hub processes: workers claim with
 * `FOR UPDATE SKIP LOCKED` under a lease; a lease that runs out (its hub died) returns the task to
 * the queue. Times come from the hubs' clocks, so keep them in sync (NTP) and leases ≫ skew.
 */
export class PostgresTaskStore implements TaskStore {
  readonly kind = 'postgres' as const;
  private readonly conn: SqlConn;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.conn = connOf(pool);
  }

  static async open(options: PostgresStoreOptions): Promise<PostgresTaskStore> {
    const schema = options.schema ?? 'switchboard';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`store.schema '${schema}' must be a lower-case SQL identifier`);
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema}`,
      connectionTimeoutMillis: 10_000,
    });
    pool.on('error', () => {}); // an idle client dropped by the server: the next query reconnects
    try {
      const client = await pool.connect();
      client.on('error', ignore); // the awaited queries below reject with the same error
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`switchboard-tasks:${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        for (const sql of taskSchemaSql('postgres')) await client.query(sql);
        await client.query(CLAIM_AND_COMPLETE_FUNCTION);
        // A table made by an earlier version: new pages get the free space too (existing ones as they fill).
        const { rows } = await client.query(`SELECT reloptions FROM pg_class WHERE oid = 'tasks'::regclass`);
        if (!String(rows[0]?.reloptions ?? '').includes('fillfactor')) await client.query('ALTER TABLE tasks SET (fillfactor = 50)');
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`switchboard-tasks:${schema}`]);
      } finally {
        client.off('error', ignore);
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return new PostgresTaskStore(pool, schema);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection reset mid-transaction rejects the query (handled below) and also emits 'error' on
    // the checked-out client, which would crash the process without a listener (F4 in docs/reliability.md).
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(sqlTx(connOf(client), dialect));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      // A connection that cannot even roll back is dead: destroy it rather than return it to the pool.
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    } finally {
      client.off('error', ignore);
      client.release(broken);
    }
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.claimAndComplete(request, [], request.now);
  }

  /** One statement: fenced update, events, settled groups, and what needs the general rules afterwards. */
  async completeFinal(outcomes: readonly FinalOutcome[], now: number): Promise<FinalCompletion> {
    if (outcomes.length === 0) return { events: [], withDependants: [], groups: [] };
    const { completed } = await this.claimAndComplete({ owner: '', now, leaseMs: 0, limit: 0, excludeRoles: [] }, outcomes, now);
    return completed;
  }

  async claimAndComplete(request: ClaimRequest, outcomes: readonly FinalOutcome[], now: number): Promise<ClaimAndCompleteResult> {
    // The claim and the completion share one `now`: the later of the two, so neither goes back in time.
    const at = Math.max(now, request.now);
    return decodeClaimAndComplete(
      await this.claimRows([
        outcomesJson(outcomes),
        at,
        request.excludeRoles,
        request.limit,
        request.owner,
        at + request.leaseMs,
        request.recheck ?? [],
      ]),
      at,
    );
  }

  /** Runs CLAIM_AND_COMPLETE; its rows come back as arrays (cheaper to read than an object per row). */
  private async claimRows(values: unknown[]): Promise<unknown[][]> {
    const result = await this.pool.query<unknown[]>({ name: CLAIM_NAME, text: CLAIM_AND_COMPLETE, values, rowMode: 'array' });
    return result.rows;
  }

  /** Looks again at groups a completion left (FinalCompletion.recheck): now that it committed, this statement sees both. */
  async recheckGroups(groups: readonly string[], now: number): Promise<TaskEvent[]> {
    let ids = groups;
    const events: TaskEvent[] = [];
    // A group another statement holds is skipped (it may be settling it): look again shortly, a few times.
    for (let pass = 0; pass < 3 && ids.length > 0; pass++) {
      if (pass > 0) await new Promise((resolve) => setTimeout(resolve, 5 * pass));
      const { completed } = decodeClaimAndComplete(await this.claimRows(['[]', now, [], 0, '', 0, ids]), now);
      events.push(...completed.events);
      ids = completed.recheck ?? [];
    }
    return events;
  }

  async insertFresh(rows: readonly TaskRecord[], now: number): Promise<TaskEvent[]> {
    const [row] = await this.conn.query(INSERT_FRESH, freshParams(rows, now));
    // The events were inserted in row order, so their ids ascend in it.
    const ids = (row?.ids ?? []) as string[];
    if (ids.length !== rows.length) throw new Error(`insertFresh: ${ids.length} events for ${rows.length} rows`);
    return rows.map((task, i) => ({
      id: Number(ids[i]),
      taskId: task.id,
      parentId: task.parentId,
      stepId: task.stepId,
      state: task.state,
      from: null,
      attempt: 0,
      at: now,
      error: null,
      runAt: null,
    }));
  }

  async renewLeases(owner: string, ids: readonly string[], until: number, now: number): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.conn.query(
      `UPDATE tasks SET lease_until = ?, updated_at = ? WHERE state = 'running' AND lease_owner = ? AND id IN (${ids.map(() => '?').join(', ')}) RETURNING id`,
      [until, now, owner, ...ids],
    );
    return rows.map((r) => String(r.id));
  }

  overdue(now: number, limit: number): Promise<string[]> {
    return sqlReads.overdue(this.conn, now, limit);
  }

  expiredLeases(now: number, limit: number): Promise<string[]> {
    return sqlReads.expiredLeases(this.conn, now, limit);
  }

  unblockable(limit: number): Promise<string[]> {
    return sqlReads.unblockable(this.conn, limit);
  }

  settledGroups(limit: number): Promise<string[]> {
    return sqlReads.settledGroups(this.conn, limit);
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    return (await this.getTasks([id]))[0];
  }

  getTasks(ids: readonly string[]): Promise<TaskRecord[]> {
    return sqlTx(this.conn, { ...dialect, forUpdate: '' }).getTasks(ids);
  }

  listTasks(filter: ListFilter): Promise<{ tasks: TaskRecord[]; nextCursor: string | null }> {
    return sqlReads.list(this.conn, dialect, filter);
  }

  readEvents(taskIds: readonly string[], afterId: number, limit: number): Promise<TaskEvent[]> {
    return sqlReads.events(this.conn, taskIds, afterId, limit);
  }

  queueDepth(): Promise<Record<string, number>> {
    return sqlReads.queueDepth(this.conn);
  }

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the schema and everything in it: tests and benchmarks clean up with this. */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
