import type { NewTaskEvent, TaskEvent, TaskRecord } from '../task-model.ts';

// Row ↔ record mapping shared by the SQLite and Postgres stores. JSON goes in TEXT columns in both, and
// times are epoch milliseconds (BIGINT), so one mapper serves both drivers.

export const TASK_COLUMNS = [
  'id',
  'kind',
  'parent_id',
  'step_id',
  'target',
  'input',
  'role',
  'state',
  'priority',
  'fair_seq',
  'attempts',
  'max_attempts',
  'backoff',
  'deadline',
  'run_at',
  'depends_on',
  'members',
  'idem_scope',
  'idem_key',
  'fingerprint',
  'result',
  'error',
  'principal',
  'correlation_id',
  'lease_owner',
  'lease_until',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

/** What updateTasks writes; everything else is fixed at insert. */
export const MUTABLE_COLUMNS = [
  'state',
  'attempts',
  'run_at',
  'result',
  'error',
  'lease_owner',
  'lease_until',
  'updated_at',
  'started_at',
  'finished_at',
] as const;

export const EVENT_COLUMNS = ['task_id', 'parent_id', 'step_id', 'state', 'from_state', 'attempt', 'at', 'error', 'run_at'] as const;

type Row = Record<string, unknown>;
const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
export const parse = <T>(value: unknown): T => (value === null || value === undefined ? (null as T) : (JSON.parse(String(value)) as T));
const num = (value: unknown) => Number(value);
const optNum = (value: unknown) => (value === null || value === undefined ? null : Number(value));
export const optStr = (value: unknown) => (value === null || value === undefined ? null : String(value));

export function taskToRow(task: TaskRecord): unknown[] {
  return [
    task.id,
    task.kind,
    task.parentId,
    task.stepId,
    task.target,
    json(task.input),
    task.role,
    task.state,
    task.priority,
    task.fairSeq,
    task.attempts,
    task.maxAttempts,
    json(task.backoff),
    task.deadline,
    task.runAt,
    json(task.dependsOn),
    json(task.members),
    task.idempotencyScope,
    task.idempotencyKey,
    task.fingerprint,
    json(task.result),
    json(task.error),
    json(task.principal),
    task.correlationId,
    task.leaseOwner,
    task.leaseUntil,
    task.createdAt,
    task.updatedAt,
    task.startedAt,
    task.finishedAt,
  ];
}

export function mutableRow(task: TaskRecord): unknown[] {
  return [
    task.state,
    task.attempts,
    task.runAt,
    json(task.result),
    json(task.error),
    task.leaseOwner,
    task.leaseUntil,
    task.updatedAt,
    task.startedAt,
    task.finishedAt,
  ];
}

export function rowToTask(row: Row): TaskRecord {
  return {
    id: String(row.id),
    kind: row.kind as TaskRecord['kind'],
    parentId: optStr(row.parent_id),
    stepId: optStr(row.step_id),
    target: String(row.target),
    input: parse(row.input) ?? {},
    role: String(row.role),
    state: row.state as TaskRecord['state'],
    priority: num(row.priority),
    fairSeq: num(row.fair_seq),
    attempts: num(row.attempts),
    maxAttempts: num(row.max_attempts),
    backoff: parse(row.backoff),
    deadline: optNum(row.deadline),
    runAt: num(row.run_at),
    dependsOn: parse(row.depends_on) ?? [],
    members: parse(row.members) ?? [],
    idempotencyScope: optStr(row.idem_scope),
    idempotencyKey: optStr(row.idem_key),
    fingerprint: optStr(row.fingerprint),
    result: parse(row.result),
    error: parse(row.error),
    principal: parse(row.principal),
    correlationId: String(row.correlation_id),
    leaseOwner: optStr(row.lease_owner),
    leaseUntil: optNum(row.lease_until),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
    startedAt: optNum(row.started_at),
    finishedAt: optNum(row.finished_at),
  };
}

export function eventToRow(event: NewTaskEvent): unknown[] {
  return [event.taskId, event.parentId, event.stepId, event.state, event.from, event.attempt, event.at, json(event.error), event.runAt];
}

export function rowToEvent(row: Row): TaskEvent {
  return {
    id: num(row.id),
    taskId: String(row.task_id),
    parentId: optStr(row.parent_id),
    stepId: optStr(row.step_id),
    state: row.state as TaskEvent['state'],
    from: (row.from_state ?? null) as TaskEvent['from'],
    attempt: num(row.attempt),
    at: num(row.at),
    error: parse(row.error),
    runAt: optNum(row.run_at),
  };
}

/** `(?, ?, …)` for one row of n values. */
export const placeholders = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;

/** Splits rows so one statement stays under the driver's parameter limit. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
