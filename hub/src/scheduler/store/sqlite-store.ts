import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { NewTaskEvent, TaskEvent, TaskRecord } from '../task-model.ts';
import { GroupCommit } from './group-commit.ts';
import { chunk, EVENT_COLUMNS, eventToRow, optStr, parse, placeholders, TASK_COLUMNS, taskToRow } from './sql-rows.ts';
import { taskSchemaSql } from './sql-schema.ts';
import { type Row, type SqlConn, type SqlDialect, sqlReads, sqlTx } from './sql-store.ts';
import { BACKSTOP_PAGES, SqliteCheckpointer } from './sqlite-checkpointer.ts';
import {
  type ClaimAndCompleteResult,
  type ClaimedTask,
  type ClaimRequest,
  type ClaimResult,
  DuplicateKeyError,
  type FinalCompletion,
  type FinalOutcome,
  type ListFilter,
  type StoreTx,
  type TaskStore,
} from './types.ts';

const dialect: SqlDialect = {
  forUpdate: '',
  seq: 'rowid',
  select: '*, rowid AS seq',
  principalId: "json_extract(principal, '$.id')",
  isUniqueViolation: (error) => (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE',
};

/** A claimed row (the claim's RETURNING list) as a worker gets it. */
function rowToClaimed(row: Row): ClaimedTask {
  return {
    id: String(row.id),
    parentId: optStr(row.parent_id),
    stepId: optStr(row.step_id),
    target: String(row.target),
    input: parse(row.input) ?? {},
    role: String(row.role),
    priority: Number(row.priority),
    fairSeq: Number(row.fair_seq),
    attempts: Number(row.attempts),
    deadline: row.deadline === null ? null : Number(row.deadline),
    principal: parse(row.principal),
    correlationId: String(row.correlation_id),
  };
}

const runningEvent = (taskId: string, parentId: string | null, stepId: string | null, attempt: number, at: number): NewTaskEvent => ({
  taskId,
  parentId,
  stepId,
  state: 'running',
  from: 'queued',
  attempt,
  at,
  error: null,
  runAt: null,
});

/**
 * The embedded default: one SQLite file (WAL) per hub. better-sqlite3 is synchronous, so every
 * statement runs to completion at once; GroupCommit keeps one caller at a time on the connection and
 * commits queued transactions together.
 * Several processes may share the file (BEGIN IMMEDIATE + busy timeout), one writer at a time.
 */
export class SqliteTaskStore implements TaskStore {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly mutex: GroupCommit;
  private readonly conn: SqlConn;
  private readonly tx: StoreTx;
  /** WAL checkpoints on a thread of their own (sqlite-checkpointer.ts); none for an in-memory database. */
  readonly checkpointer: SqliteCheckpointer | undefined;

  constructor(
    readonly file: string,
    options: { checkpointEveryMs?: number } = {},
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    for (const sql of taskSchemaSql('sqlite')) this.db.exec(sql);
    if (file !== ':memory:') {
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.checkpointer = new SqliteCheckpointer(file, options.checkpointEveryMs ?? 200, () => {
        if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    this.mutex = new GroupCommit(this.db);
    this.conn = { query: async (sql, params = []) => this.run(sql, params) };
    this.tx = {
      ...sqlTx(this.conn, dialect),
      insertTasks: async (tasks) => this.insertTasks(tasks),
      appendEvents: async (events) => this.appendEvents(events),
    };
  }

  private prepared(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private run(sql: string, params: readonly unknown[]): Row[] {
    const statement = this.prepared(sql);
    if (statement.reader) return statement.all(...params) as Row[];
    statement.run(...params);
    return [];
  }

  /**
   * One prepared single-row insert per row (cheaper than multi-row VALUES here, like appendEvents), all
   * or none: a savepoint undoes the rows before one that breaks a unique key.
   */
  private insertTasks(tasks: readonly TaskRecord[]): void {
    const insert = this.prepared(`INSERT INTO tasks (${TASK_COLUMNS.join(', ')}) VALUES ${placeholders(TASK_COLUMNS.length)}`);
    const edge = this.prepared('INSERT INTO task_deps (task_id, depends_on) VALUES (?, ?)');
    this.db.exec('SAVEPOINT insert_tasks');
    try {
      for (const task of tasks) insert.run(...taskToRow(task));
      for (const task of tasks) for (const dep of new Set(task.dependsOn)) edge.run(task.id, dep);
    } catch (error) {
      this.db.exec('ROLLBACK TO insert_tasks');
      this.db.exec('RELEASE insert_tasks');
      if (dialect.isUniqueViolation(error)) throw new DuplicateKeyError('idempotency key already used');
      throw error;
    }
    this.db.exec('RELEASE insert_tasks');
  }

  /**
   * One prepared single-row insert per event: measured, SQLite inserts about twice as fast so as through
   * one multi-row INSERT … RETURNING; the rowid is the event id, and no statement per list length is kept.
   */
  private appendEvents(events: readonly NewTaskEvent[]): TaskEvent[] {
    const insert = this.prepared(`INSERT INTO task_events (${EVENT_COLUMNS.join(', ')}) VALUES ${placeholders(EVENT_COLUMNS.length)}`);
    const stored = new Array<TaskEvent>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i] as NewTaskEvent;
      stored[i] = { ...event, id: Number(insert.run(...eventToRow(event)).lastInsertRowid) };
    }
    return stored;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.mutex.write(() => fn(this.tx));
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.transaction(() => this.claimIn(request));
  }

  /** Both in one transaction (and one commit): the worker's finished batch, then its next claim. */
  claimAndComplete(request: ClaimRequest, outcomes: readonly FinalOutcome[], now: number): Promise<ClaimAndCompleteResult> {
    return this.transaction(async () => {
      const completed = await this.completeIn(outcomes, now);
      return { ...(await this.claimIn(request)), completed };
    });
  }

  private async claimIn(request: ClaimRequest): Promise<ClaimResult> {
    const excluded = request.excludeRoles.length ? `AND role NOT IN (${request.excludeRoles.map(() => '?').join(', ')})` : '';
    // By rowid (no lookup through the id index), and only what a worker needs: whole rows would cost
    // every column's value and a JSON parse of each JSON column.
    const rows = this.run(
      `UPDATE tasks SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?,
         started_at = COALESCE(started_at, ?), updated_at = ?
       WHERE rowid IN (SELECT rowid FROM tasks WHERE state = 'queued' AND kind = 'task' AND run_at <= ?
                      AND (deadline IS NULL OR deadline > ?) ${excluded}
                    ORDER BY priority DESC, fair_seq, rowid LIMIT ?)
       RETURNING id, parent_id, step_id, target, input, role, priority, fair_seq, rowid AS seq, attempts, deadline, principal,
         correlation_id`,
      [
        request.owner,
        request.now + request.leaseMs,
        request.now,
        request.now,
        request.now,
        request.now,
        ...request.excludeRoles,
        request.limit,
      ],
    );
    rows.sort(
      (a, b) => Number(b.priority) - Number(a.priority) || Number(a.fair_seq) - Number(b.fair_seq) || Number(a.seq) - Number(b.seq),
    );
    const tasks: ClaimedTask[] = rows.map(rowToClaimed);
    const parents = [...new Set(tasks.map((t) => t.parentId).filter((id): id is string => id !== null))];
    const groups = parents.length
      ? this.run(
          `UPDATE tasks SET state = 'running', started_at = ?, updated_at = ? WHERE state = 'queued' AND id IN (${parents.map(() => '?').join(', ')}) RETURNING id, parent_id, step_id, attempts`,
          [request.now, request.now, ...parents],
        )
      : [];
    const events: TaskEvent[] = this.appendEvents([
      ...tasks.map((t) => runningEvent(t.id, t.parentId, t.stepId, t.attempts, request.now)),
      ...groups.map((g) => runningEvent(String(g.id), optStr(g.parent_id), optStr(g.step_id), Number(g.attempts), request.now)),
    ]);
    return { tasks, events };
  }

  /** Final outcomes without loading whole rows: a fenced update, the events, then what needs the general rules. */
  completeFinal(outcomes: readonly FinalOutcome[], now: number): Promise<FinalCompletion> {
    return this.transaction(() => this.completeIn(outcomes, now));
  }

  private async completeIn(outcomes: readonly FinalOutcome[], now: number): Promise<FinalCompletion> {
    const done: Row[] = [];
    // One statement per 500 outcomes: here SQLite runs one UPDATE … FROM (VALUES …) faster than a
    // prepared single-row UPDATE … RETURNING per outcome.
    for (const part of chunk(outcomes, 500)) {
      done.push(
        ...this.run(
          `UPDATE tasks SET state = v.column2, result = v.column3, error = v.column4, lease_owner = NULL, lease_until = NULL,
             updated_at = ?, finished_at = ?
           FROM (VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}) AS v
           WHERE tasks.id = v.column1 AND tasks.state = 'running' AND tasks.lease_owner = v.column5 AND tasks.attempts = v.column6
           RETURNING tasks.id, tasks.parent_id, tasks.step_id, tasks.state, tasks.attempts, tasks.error`,
          [
            now,
            now,
            ...part.flatMap((o) => [
              o.taskId,
              o.state,
              o.result === null ? null : JSON.stringify(o.result),
              o.error === null ? null : JSON.stringify(o.error),
              o.owner,
              o.attempt,
            ]),
          ],
        ),
      );
    }
    const events = this.appendEvents(
      done.map((row) => ({
        taskId: String(row.id),
        parentId: row.parent_id === null ? null : String(row.parent_id),
        stepId: row.step_id === null ? null : String(row.step_id),
        state: row.state as TaskEvent['state'],
        from: 'running' as const,
        attempt: Number(row.attempts),
        at: now,
        error: row.error === null ? null : JSON.parse(String(row.error)),
        runAt: null,
      })),
    );
    const ids = done.map((row) => String(row.id));
    const withDependants = ids.length
      ? this.run(`SELECT DISTINCT depends_on FROM task_deps WHERE depends_on IN (${ids.map(() => '?').join(', ')})`, ids).map((r) =>
          String(r.depends_on),
        )
      : [];
    // This connection sees its own writes: a group none of whose members is still open may have finished.
    const parents = [
      ...new Set(
        done
          .map((row) => row.parent_id)
          .filter((id) => id !== null)
          .map(String),
      ),
    ];
    const groups = parents.filter(
      (parent) =>
        Number(
          this.run(`SELECT COUNT(*) AS n FROM tasks WHERE parent_id = ? AND state IN ('blocked', 'queued', 'running')`, [parent])[0]?.n,
        ) === 0,
    );
    return { events, withDependants, groups };
  }

  async renewLeases(owner: string, ids: readonly string[], until: number, now: number): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.mutex.write(async () =>
      this.run(
        `UPDATE tasks SET lease_until = ?, updated_at = ? WHERE state = 'running' AND lease_owner = ? AND id IN (${ids.map(() => '?').join(', ')}) RETURNING id`,
        [until, now, owner, ...ids],
      ).map((r) => String(r.id)),
    );
  }

  overdue(now: number, limit: number): Promise<string[]> {
    return this.mutex.read(() => sqlReads.overdue(this.conn, now, limit));
  }

  expiredLeases(now: number, limit: number): Promise<string[]> {
    return this.mutex.read(() => sqlReads.expiredLeases(this.conn, now, limit));
  }

  unblockable(limit: number): Promise<string[]> {
    return this.mutex.read(() => sqlReads.unblockable(this.conn, limit));
  }

  settledGroups(limit: number): Promise<string[]> {
    return this.mutex.read(() => sqlReads.settledGroups(this.conn, limit));
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    return (await this.getTasks([id]))[0];
  }

  getTasks(ids: readonly string[]): Promise<TaskRecord[]> {
    return this.mutex.read(() => this.tx.getTasks(ids));
  }

  listTasks(filter: ListFilter): Promise<{ tasks: TaskRecord[]; nextCursor: string | null }> {
    return this.mutex.read(() => sqlReads.list(this.conn, dialect, filter));
  }

  readEvents(taskIds: readonly string[], afterId: number, limit: number): Promise<TaskEvent[]> {
    return this.mutex.read(() => sqlReads.events(this.conn, taskIds, afterId, limit));
  }

  queueDepth(): Promise<Record<string, number>> {
    return this.mutex.read(() => sqlReads.queueDepth(this.conn));
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    await this.mutex.read(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
