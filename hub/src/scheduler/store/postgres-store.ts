import { createHash } from 'node:crypto';
import pg from 'pg';
import type { TaskEvent, TaskRecord } from '../task-model.ts';
import { rowToTask, TASK_COLUMNS, taskToRow } from './sql-rows.ts';
import { taskSchemaSql } from './sql-schema.ts';
import { type Row, type SqlConn, type SqlDialect, sqlReads, sqlTx } from './sql-store.ts';
import type { ClaimRequest, ClaimResult, FinalCompletion, FinalOutcome, ListFilter, StoreTx, TaskStore } from './types.ts';

const dialect: SqlDialect = {
  forUpdate: ' FOR UPDATE',
  seq: 'seq',
  select: '*',
  isUniqueViolation: (error) => (error as { code?: string }).code === '23505',
};

const NUMERIC_COLUMNS = new Set([
  'priority',
  'attempts',
  'max_attempts',
  'deadline',
  'run_at',
  'lease_until',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
]);

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
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [`switchboard-tasks:${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        for (const sql of taskSchemaSql('postgres')) await client.query(sql);
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`switchboard-tasks:${schema}`]);
      } finally {
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
    try {
      await client.query('BEGIN');
      const result = await fn(sqlTx(connOf(client), dialect));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async claim(request: ClaimRequest): Promise<ClaimResult> {
    const excluded = request.excludeRoles.length ? `AND role NOT IN (${request.excludeRoles.map(() => '?').join(', ')})` : '';
    // One round trip: pick (skipping rows other hubs hold), mark running under our lease, log the events.
    const rows = await this.conn.query(
      `WITH picked AS (
         SELECT id FROM tasks WHERE state = 'queued' AND kind = 'task' AND run_at <= ? ${excluded}
         ORDER BY priority DESC, fair_seq, seq LIMIT ? FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE tasks t SET state = 'running', attempts = t.attempts + 1, lease_owner = ?, lease_until = ?,
           started_at = COALESCE(t.started_at, ?), updated_at = ?
         FROM picked WHERE t.id = picked.id RETURNING t.*),
       logged AS (
         INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at)
         SELECT id, parent_id, step_id, 'running', 'queued', attempts, ? FROM claimed RETURNING id, task_id),
       groups AS (
         UPDATE tasks g SET state = 'running', started_at = ?, updated_at = ?
         FROM (SELECT DISTINCT parent_id FROM claimed WHERE parent_id IS NOT NULL) p
         WHERE g.id = p.parent_id AND g.state = 'queued' RETURNING g.id, g.attempts),
       group_logged AS (
         INSERT INTO task_events (task_id, state, from_state, attempt, at) SELECT id, 'running', 'queued', attempts, ? FROM groups)
       SELECT claimed.*, logged.id AS event_id FROM claimed JOIN logged ON logged.task_id = claimed.id
       ORDER BY claimed.priority DESC, claimed.fair_seq, claimed.seq`,
      [
        request.now,
        ...request.excludeRoles,
        request.limit,
        request.owner,
        request.now + request.leaseMs,
        request.now,
        request.now,
        request.now,
        request.now,
        request.now,
        request.now,
      ],
    );
    const tasks: TaskRecord[] = [];
    const events: TaskEvent[] = [];
    for (const row of rows) {
      const task = rowToTask(row);
      tasks.push(task);
      events.push({
        id: Number(row.event_id),
        taskId: task.id,
        parentId: task.parentId,
        stepId: task.stepId,
        state: 'running',
        from: 'queued',
        attempt: task.attempts,
        at: request.now,
        error: null,
        runAt: null,
      });
    }
    events.sort((a, b) => a.id - b.id);
    return { tasks, events };
  }

  /** One statement: fenced update, events, and what needs the general rules afterwards. */
  async completeFinal(outcomes: readonly FinalOutcome[], now: number): Promise<FinalCompletion> {
    const input = outcomes.map((o) => ({
      id: o.taskId,
      owner: o.owner,
      attempt: o.attempt,
      state: o.state,
      result: o.result === null ? null : JSON.stringify(o.result),
      error: o.error === null ? null : JSON.stringify(o.error),
    }));
    // The subquery over members sees the rows as they were before this statement, so a group may have
    // finished when its unfinished members are all among those finishing here. Two statements racing
    // on one group can both miss it: the sweeper's settledGroups catches that.
    const rows = await this.conn.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset(?::jsonb) AS i(id text, owner text, attempt int, state text, result text, error text)),
       done AS (
         UPDATE tasks t SET state = i.state, result = i.result, error = i.error, lease_owner = NULL, lease_until = NULL,
           updated_at = ?, finished_at = ?
         FROM input i WHERE t.id = i.id AND t.state = 'running' AND t.lease_owner = i.owner AND t.attempts = i.attempt
         RETURNING t.id, t.parent_id, t.step_id, t.state, t.attempts, t.error),
       logged AS (
         INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at, error)
         SELECT id, parent_id, step_id, state, 'running', attempts, ?, error FROM done RETURNING id, task_id),
       finishing AS (SELECT parent_id, count(*) AS n FROM done WHERE parent_id IS NOT NULL GROUP BY parent_id),
       settling AS (
         SELECT f.parent_id FROM finishing f
         WHERE (SELECT count(*) FROM tasks m WHERE m.parent_id = f.parent_id AND m.state IN ('blocked', 'queued', 'running')) <= f.n)
       SELECT done.*, logged.id AS event_id,
         EXISTS (SELECT 1 FROM task_deps d WHERE d.depends_on = done.id) AS has_dependants,
         settling.parent_id IS NOT NULL AS group_may_finish
       FROM done JOIN logged ON logged.task_id = done.id LEFT JOIN settling ON settling.parent_id = done.parent_id ORDER BY logged.id`,
      [JSON.stringify(input), now, now, now],
    );
    return {
      events: rows.map((row) => ({
        id: Number(row.event_id),
        taskId: String(row.id),
        parentId: row.parent_id === null ? null : String(row.parent_id),
        stepId: row.step_id === null ? null : String(row.step_id),
        state: row.state as TaskEvent['state'],
        from: 'running',
        attempt: Number(row.attempts),
        at: now,
        error: row.error === null ? null : JSON.parse(String(row.error)),
        runAt: null,
      })),
      withDependants: rows.filter((row) => row.has_dependants).map((row) => String(row.id)),
      groups: [...new Set(rows.filter((row) => row.group_may_finish).map((row) => String(row.parent_id)))],
    };
  }

  async insertFresh(rows: readonly TaskRecord[], now: number): Promise<TaskEvent[]> {
    const perRole = new Map<string, number>();
    const records = rows.map((task, order) => {
      const values = taskToRow(task);
      const record: Record<string, unknown> = Object.fromEntries(TASK_COLUMNS.map((column, i) => [column, values[i]]));
      record.ord = order;
      if (task.kind === 'task') {
        record.role_index = perRole.get(task.role) ?? 0;
        perRole.set(task.role, (record.role_index as number) + 1);
      }
      return record;
    });
    const deps = rows.flatMap((t) => [...new Set(t.dependsOn)].map((dep) => ({ task_id: t.id, depends_on: dep })));
    const typed = TASK_COLUMNS.map((c) => `${c} ${NUMERIC_COLUMNS.has(c) ? 'bigint' : 'text'}`).join(', ');
    const floor = `COALESCE((SELECT MIN(fair_seq) FROM tasks WHERE state = 'queued' AND kind = 'task'), (SELECT MAX(last) FROM role_clock), 1)`;
    const columns = TASK_COLUMNS.filter((c) => c !== 'fair_seq');
    // One statement: fair positions per role (as allocateFairSeq), the rows, their edges, their first events.
    const result = await this.conn.query(
      `WITH input AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS i(${typed}, ord int, role_index bigint)),
       counts AS (SELECT role, count(*) AS c FROM input WHERE kind = 'task' GROUP BY role),
       clock AS (
         INSERT INTO role_clock (role, last) SELECT role, ${floor} + c - 1 FROM counts
         ON CONFLICT (role) DO UPDATE SET last =
           (CASE WHEN role_clock.last + 1 > ${floor} THEN role_clock.last + 1 ELSE ${floor} END) + (EXCLUDED.last - ${floor})
         RETURNING role, last),
       inserted AS (
         INSERT INTO tasks (${columns.join(', ')}, fair_seq)
         SELECT ${columns.map((c) => `i.${c}`).join(', ')}, CASE WHEN i.kind = 'task' THEN cl.last - n.c + 1 + i.role_index ELSE 0 END
         FROM input i LEFT JOIN clock cl ON cl.role = i.role LEFT JOIN counts n ON n.role = i.role ORDER BY i.ord RETURNING id),
       edges AS (INSERT INTO task_deps (task_id, depends_on) SELECT * FROM jsonb_to_recordset(?::jsonb) AS d(task_id text, depends_on text)),
       logged AS (
         INSERT INTO task_events (task_id, parent_id, step_id, state, from_state, attempt, at)
         SELECT id, parent_id, step_id, state, NULL, 0, ? FROM input ORDER BY ord RETURNING id, task_id)
       SELECT logged.id, logged.task_id FROM logged JOIN inserted ON inserted.id = logged.task_id ORDER BY logged.id`,
      [JSON.stringify(records), JSON.stringify(deps), now],
    );
    const eventIds = new Map(result.map((r) => [String(r.task_id), Number(r.id)]));
    return rows.map((task) => ({
      id: eventIds.get(task.id) as number,
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
