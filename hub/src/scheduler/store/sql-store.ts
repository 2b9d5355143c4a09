import type { NewTaskEvent, TaskEvent, TaskRecord, TaskState } from '../task-model.ts';
import {
  chunk,
  EVENT_COLUMNS,
  eventToRow,
  MUTABLE_COLUMNS,
  mutableRow,
  placeholders,
  rowToEvent,
  rowToTask,
  TASK_COLUMNS,
  taskToRow,
} from './sql-rows.ts';
import { DuplicateKeyError, type ListFilter, type StoreTx } from './types.ts';

export type Row = Record<string, unknown>;

/** One connection (or transaction) that runs `?`-placeholder SQL and returns rows. */
export interface SqlConn {
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** What differs between SQLite and Postgres in the statements this store uses. */
export interface SqlDialect {
  /** ' FOR UPDATE' on Postgres; SQLite locks the whole database for a write transaction. */
  forUpdate: string;
  /** Insertion order column: `rowid` (SQLite) or `seq` (Postgres). */
  seq: string;
  /** Columns to select for a task: adds `seq` where it is not a real column. */
  select: string;
  isUniqueViolation(error: unknown): boolean;
  /** The submitter's id from the `principal` JSON column. */
  principalId: string;
}

const inList = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;
const ROWS_PER_INSERT = 500;

/** The StoreTx operations in SQL common to SQLite and Postgres. */
export function sqlTx(conn: SqlConn, dialect: SqlDialect): StoreTx {
  const getTasks = async (ids: readonly string[], lock = false): Promise<TaskRecord[]> => {
    if (ids.length === 0) return [];
    const unique = [...new Set(ids)].sort();
    const out: TaskRecord[] = [];
    for (const part of chunk(unique, 1000)) {
      const rows = await conn.query(
        `SELECT ${dialect.select} FROM tasks WHERE id IN ${inList(part.length)} ORDER BY id${lock ? dialect.forUpdate : ''}`,
        part,
      );
      out.push(...rows.map(rowToTask));
    }
    return out;
  };
  return {
    async insertTasks(tasks) {
      try {
        for (const part of chunk(tasks, ROWS_PER_INSERT)) {
          await conn.query(
            `INSERT INTO tasks (${TASK_COLUMNS.join(', ')}) VALUES ${part.map(() => placeholders(TASK_COLUMNS.length)).join(', ')}`,
            part.flatMap(taskToRow),
          );
        }
      } catch (error) {
        if (dialect.isUniqueViolation(error)) throw new DuplicateKeyError('idempotency key already used');
        throw error;
      }
      const deps = tasks.flatMap((t) => [...new Set(t.dependsOn)].map((dep) => [t.id, dep]));
      for (const part of chunk(deps, ROWS_PER_INSERT)) {
        await conn.query(`INSERT INTO task_deps (task_id, depends_on) VALUES ${part.map(() => '(?, ?)').join(', ')}`, part.flat());
      }
    },
    getTasks,
    async findByIdempotencyKey(scope, key) {
      const rows = await conn.query(`SELECT ${dialect.select} FROM tasks WHERE idem_scope = ? AND idem_key = ?`, [scope, key]);
      return rows[0] ? rowToTask(rows[0]) : undefined;
    },
    async statesOf(ids) {
      const states = new Map<string, TaskState>();
      for (const part of chunk([...new Set(ids)], 1000)) {
        for (const row of await conn.query(`SELECT id, state FROM tasks WHERE id IN ${inList(part.length)}`, part))
          states.set(String(row.id), row.state as TaskState);
      }
      return states;
    },
    async updateTasks(tasks) {
      for (const part of chunk(tasks, ROWS_PER_INSERT)) {
        const sets = MUTABLE_COLUMNS.map((col, i) => {
          const value = `v.column${i + 2}`;
          const numeric = ['attempts', 'run_at', 'lease_until', 'updated_at', 'started_at', 'finished_at'].includes(col);
          return `${col} = ${numeric ? `CAST(${value} AS BIGINT)` : value}`;
        });
        await conn.query(
          `UPDATE tasks SET ${sets.join(', ')} FROM (VALUES ${part.map(() => placeholders(MUTABLE_COLUMNS.length + 1)).join(', ')}) AS v WHERE tasks.id = v.column1`,
          part.flatMap((t) => [t.id, ...mutableRow(t)]),
        );
      }
    },
    async appendEvents(events) {
      return appendEvents(conn, events);
    },
    async dependantsOf(ids) {
      if (ids.length === 0) return [];
      const rows = await conn.query(`SELECT DISTINCT task_id FROM task_deps WHERE depends_on IN ${inList(ids.length)}`, ids);
      return getTasks(
        rows.map((r) => String(r.task_id)),
        true,
      );
    },
    async allocateFairSeq(role, count) {
      // One statement. The floor is the head of the queue, or the highest position handed out when it is empty.
      const floor = `COALESCE((SELECT MIN(fair_seq) FROM tasks WHERE state = 'queued' AND kind = 'task'), (SELECT MAX(last) FROM role_clock), 1)`;
      const [row] = await conn.query(
        `INSERT INTO role_clock (role, last) VALUES (?, ${floor} + ? - 1) ON CONFLICT (role) DO UPDATE SET last =
           (CASE WHEN role_clock.last + 1 > ${floor} THEN role_clock.last + 1 ELSE ${floor} END) + ? - 1 RETURNING last`,
        [role, count, count],
      );
      return Number(row?.last) - count + 1;
    },
  };
}

export async function appendEvents(conn: SqlConn, events: readonly NewTaskEvent[]): Promise<TaskEvent[]> {
  const stored: TaskEvent[] = [];
  for (const part of chunk(events, ROWS_PER_INSERT)) {
    const rows = await conn.query(
      `INSERT INTO task_events (${EVENT_COLUMNS.join(', ')}) VALUES ${part.map(() => placeholders(EVENT_COLUMNS.length)).join(', ')} RETURNING id`,
      part.flatMap(eventToRow),
    );
    const ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    part.forEach((event, i) => {
      stored.push({ ...event, id: ids[i] as number });
    });
  }
  return stored;
}

/** The read-side queries shared by both SQL stores. */
export const sqlReads = {
  async ids(conn: SqlConn, sql: string, params: unknown[]): Promise<string[]> {
    return (await conn.query(sql, params)).map((r) => String(r.id));
  },
  overdue: (conn: SqlConn, now: number, limit: number) =>
    sqlReads.ids(
      conn,
      `SELECT id FROM tasks WHERE deadline IS NOT NULL AND deadline <= ? AND kind = 'task' AND state IN ('blocked', 'queued', 'running') LIMIT ?`,
      [now, limit],
    ),
  expiredLeases: (conn: SqlConn, now: number, limit: number) =>
    sqlReads.ids(conn, `SELECT id FROM tasks WHERE state = 'running' AND lease_until < ? LIMIT ?`, [now, limit]),
  unblockable: (conn: SqlConn, limit: number) =>
    sqlReads.ids(
      conn,
      `SELECT t.id FROM tasks t WHERE t.state = 'blocked' AND NOT EXISTS (
         SELECT 1 FROM task_deps d JOIN tasks dep ON dep.id = d.depends_on WHERE d.task_id = t.id AND dep.state <> 'succeeded') LIMIT ?`,
      [limit],
    ),
  settledGroups: (conn: SqlConn, limit: number) =>
    sqlReads.ids(
      conn,
      // Also a group still queued while a member runs: a claim skips a group row another writer holds.
      `SELECT g.id FROM tasks g WHERE g.kind <> 'task' AND g.state IN ('queued', 'running') AND (
         NOT EXISTS (SELECT 1 FROM tasks m WHERE m.parent_id = g.id AND m.state IN ('blocked', 'queued', 'running'))
         OR (g.state = 'queued' AND EXISTS (
           SELECT 1 FROM tasks m WHERE m.parent_id = g.id AND m.state IN ('blocked', 'queued', 'running') AND m.state = 'running'))) LIMIT ?`,
      [limit],
    ),
  async queueDepth(conn: SqlConn): Promise<Record<string, number>> {
    const rows = await conn.query(`SELECT role, COUNT(*) AS n FROM tasks WHERE state = 'queued' AND kind = 'task' GROUP BY role`, []);
    return Object.fromEntries(rows.map((r) => [String(r.role), Number(r.n)]));
  },
  async list(conn: SqlConn, dialect: SqlDialect, filter: ListFilter): Promise<{ tasks: TaskRecord[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.state !== undefined) where.push('state = ?') && params.push(filter.state);
    if (filter.role !== undefined) where.push('role = ?') && params.push(filter.role);
    if (filter.kind !== undefined) where.push('kind = ?') && params.push(filter.kind);
    if (filter.topLevel) where.push('parent_id IS NULL');
    if (filter.principalId !== undefined) where.push(`${dialect.principalId} = ?`) && params.push(filter.principalId);
    if (filter.cursor !== undefined) where.push(`${dialect.seq} < ?`) && params.push(Number(filter.cursor));
    if (filter.createdFrom !== undefined) where.push('created_at >= ?') && params.push(filter.createdFrom);
    if (filter.createdTo !== undefined) where.push('created_at <= ?') && params.push(filter.createdTo);
    const rows = await conn.query(
      `SELECT ${dialect.select} FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${dialect.seq} DESC LIMIT ?`,
      [...params, filter.limit + 1],
    );
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return { tasks: page.map(rowToTask), nextCursor: rows.length > filter.limit && last ? String(last.seq) : null };
  },
  async events(conn: SqlConn, taskIds: readonly string[], afterId: number, limit: number): Promise<TaskEvent[]> {
    if (taskIds.length === 0) return [];
    const rows = await conn.query(`SELECT * FROM task_events WHERE task_id IN ${inList(taskIds.length)} AND id > ? ORDER BY id LIMIT ?`, [
      ...taskIds,
      afterId,
      limit,
    ]);
    return rows.map(rowToEvent);
  },
};
