import type { CallToolResult } from '@modelcontextprotocol/client';

/** Every state a task can be in; see state-machine.ts for the moves between them. */
export const TASK_STATES = ['blocked', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'cancelled', 'timed_out']);
export const isFinal = (state: TaskState): boolean => FINAL_STATES.has(state);

/** A `task` runs one tool call; a `dag` or `batch` is a group whose state is derived from its members. */
export type TaskKind = 'task' | 'dag' | 'batch';

/** Why a task failed. `code` is a Switchboard error code (ACL_DENIED, TIMEOUT, DEPENDENCY_FAILED, …). */
export interface TaskError {
  code: string;
  message: string;
  field?: string;
  /** For DEPENDENCY_FAILED / CANCELLED cascades: the task whose end caused this one. */
  causeTaskId?: string;
}

export interface BackoffPolicy {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** 0 = no jitter; 1 = full jitter (the delay is drawn from [0, exp]). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, factor: 2, maxMs: 60_000, jitter: 0.5 };
export const DEFAULT_MAX_ATTEMPTS = 3;

/**
 * Who submitted a task. Tasks run under this identity (the seam for the policy layer): the executor
 * receives it with every call. Stored as the JSON the hub gave (other fields, e.g. `kind`, ride along).
 */
export interface TaskPrincipal {
  id: string;
  role?: string;
}

/** One row of the task table: a runnable task or a group (dag / batch). Times are epoch milliseconds. */
export interface TaskRecord {
  id: string;
  kind: TaskKind;
  /** The dag or batch this task belongs to. */
  parentId: string | null;
  /** The step's local id inside its DAG. */
  stepId: string | null;
  /** Tool name (`agent__<role>` or `<server>__<tool>`); '' for groups. */
  target: string;
  input: Record<string, unknown>;
  /** Concurrency and fairness bucket: the agent's role, else the principal's role, else `default`. */
  role: string;
  state: TaskState;
  priority: number;
  /** Fair-queueing position: interleaves roles within a priority (see lifecycle.ts). */
  fairSeq: number;
  attempts: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  deadline: number | null;
  /** Not before: the earliest time a queued task may be claimed (retry backoff). */
  runAt: number;
  dependsOn: string[];
  /** Groups: member task ids in submission order (a DAG's in step order). */
  members: string[];
  idempotencyScope: string | null;
  idempotencyKey: string | null;
  fingerprint: string | null;
  result: CallToolResult | null;
  error: TaskError | null;
  principal: TaskPrincipal | null;
  correlationId: string;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** A state change, as stored (ids are global and increasing: they are SSE event ids). */
export interface TaskEvent {
  id: number;
  taskId: string;
  parentId: string | null;
  stepId: string | null;
  state: TaskState;
  from: TaskState | null;
  attempt: number;
  at: number;
  error: TaskError | null;
  /** For a retry (running → queued): when the next attempt may start. */
  runAt: number | null;
}

export type NewTaskEvent = Omit<TaskEvent, 'id'>;

/** Role bucket of a target: `agent__coder` → coder; anything else runs in its principal's role. */
export function roleOf(target: string, principal: TaskPrincipal | null): string {
  if (target.startsWith('agent__')) return target.slice('agent__'.length);
  return principal?.role ?? 'default';
}
