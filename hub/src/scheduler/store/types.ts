import type { NewTaskEvent, TaskEvent, TaskKind, TaskRecord, TaskState } from '../task-model.ts';

/**
 * Primitive, batch-shaped operations inside one transaction. The rules (what may move where, cascades,
 * fairness) live in lifecycle.ts, once, over this interface; stores only read and write rows.
 */
export interface StoreTx {
  insertTasks(tasks: TaskRecord[]): Promise<void>;
  /** Rows by id, in no particular order; `lock` holds them (FOR UPDATE) until the transaction ends. */
  getTasks(ids: readonly string[], lock?: boolean): Promise<TaskRecord[]>;
  findByIdempotencyKey(scope: string, key: string): Promise<TaskRecord | undefined>;
  /** Just the states of these tasks (cheap: for dependency checks and group states). */
  statesOf(ids: readonly string[]): Promise<Map<string, TaskState>>;
  /** Writes the mutable fields (state, attempts, result, error, run/lease/finish times) of each row. */
  updateTasks(tasks: readonly TaskRecord[]): Promise<void>;
  appendEvents(events: readonly NewTaskEvent[]): Promise<TaskEvent[]>;
  /** Tasks that name any of `ids` in dependsOn, locked. */
  dependantsOf(ids: readonly string[]): Promise<TaskRecord[]>;
  /**
   * Reserves `count` consecutive fair-queue positions for `role`: from max(role's last + 1, floor)
   * where floor is the head of the queue (lowest queued position), or the highest position handed out
   * when nothing is queued. Returns the first.
   */
  allocateFairSeq(role: string, count: number): Promise<number>;
}

export interface ClaimRequest {
  owner: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** Roles at their concurrency limit in this process. */
  excludeRoles: readonly string[];
  /**
   * Groups to settle if all their members are final (`FinalCompletion.recheck` of statements that have
   * committed): `claimAndComplete` takes them along instead of a `recheckGroups` round trip of their own.
   */
  recheck?: readonly string[];
}

export interface FinalOutcome {
  taskId: string;
  owner: string;
  attempt: number;
  state: 'succeeded' | 'failed' | 'timed_out';
  result: TaskRecord['result'];
  error: TaskRecord['error'];
}

export interface FinalCompletion {
  /** The tasks' events, and those of groups the store settled itself (oldest first). */
  events: TaskEvent[];
  /** Tasks recorded here that have dependants. */
  withDependants: string[];
  /** Groups all of whose members may now be final, left to the general rules (settleGroups). */
  groups: string[];
  /** Groups another transaction may have finished at the same time: for `recheckGroups` once committed. */
  recheck?: string[];
}

/** What a worker needs of a claimed task to run it (stores may return whole records). */
export type ClaimedTask = Pick<
  TaskRecord,
  | 'id'
  | 'parentId'
  | 'stepId'
  | 'target'
  | 'input'
  | 'role'
  | 'priority'
  | 'fairSeq'
  | 'attempts'
  | 'deadline'
  | 'principal'
  | 'correlationId'
>;

export interface ClaimResult {
  tasks: ClaimedTask[];
  events: TaskEvent[];
}

export interface ClaimAndCompleteResult extends ClaimResult {
  completed: FinalCompletion;
}

export interface ListFilter {
  state?: TaskState;
  role?: string;
  kind?: TaskKind;
  /** Only top-level tasks and groups (not DAG steps or batch members). */
  topLevel?: boolean;
  /** Only tasks this principal submitted (a non-admin caller's listing). */
  principalId?: string;
  limit: number;
  /** Exclusive: rows created before this cursor (newest first). */
  cursor?: string;
  /** Inclusive bounds on createdAt (epoch ms). */
  createdFrom?: number;
  createdTo?: number;
}

export interface TaskStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Atomically moves up to `limit` due queued tasks to running under a lease (priority, then fair
   * order), and their groups from queued to running; `events` has both.
   */
  claim(request: ClaimRequest): Promise<ClaimResult>;
  /** Extends the leases `owner` still holds; returns the ids it holds (others were lost or cancelled). */
  renewLeases(owner: string, ids: readonly string[], until: number, now: number): Promise<string[]>;
  /** Non-final tasks whose deadline has passed. */
  overdue(now: number, limit: number): Promise<string[]>;
  /** Running tasks whose lease ran out (their hub died or hung). */
  expiredLeases(now: number, limit: number): Promise<string[]>;
  /** Blocked tasks whose dependencies have all succeeded (a repair sweep; normally none). */
  unblockable(limit: number): Promise<string[]>;
  /**
   * Unfinished groups whose members have all finished (a repair sweep: two members finishing at once),
   * and groups still queued while a member runs (a claim skipped the group row another writer held).
   */
  settledGroups(limit: number): Promise<string[]>;
  /**
   * Optional fast path: records attempts that end their task (succeeded, or failed / timed out for
   * good) in one round trip, fenced by owner and attempt like `complete`. Reports which of them need
   * the general rules afterwards (dependants to release or fail, a group that may have finished).
   */
  completeFinal?(outcomes: readonly FinalOutcome[], now: number): Promise<FinalCompletion>;
  /**
   * Optional fast path: inserts a new submission's rows (no idempotency key, no dependency outside
   * it) with their fair positions and first events in one round trip. `events` are in row order. The
   * rows are as planSubmission makes them (one parent, principal, correlation id and time, nothing run
   * yet): a store may refuse others.
   */
  insertFresh?(rows: readonly TaskRecord[], now: number): Promise<TaskEvent[]>;
  /**
   * Optional fast path: `completeFinal(outcomes, now)` and then `claim(request)` in one transaction (on
   * Postgres one statement): a worker records the batch it finished while it fetches the next one.
   * `completed.events` come first, then `events` of the claim.
   */
  claimAndComplete?(request: ClaimRequest, outcomes: readonly FinalOutcome[], now: number): Promise<ClaimAndCompleteResult>;
  /** Settles these groups if all their members are final (after `FinalCompletion.recheck`); returns the events. */
  recheckGroups?(ids: readonly string[], now: number): Promise<TaskEvent[]>;
  getTask(id: string): Promise<TaskRecord | undefined>;
  getTasks(ids: readonly string[]): Promise<TaskRecord[]>;
  listTasks(filter: ListFilter): Promise<{ tasks: TaskRecord[]; nextCursor: string | null }>;
  /** Events of these tasks with id > afterId, oldest first. */
  readEvents(taskIds: readonly string[], afterId: number, limit: number): Promise<TaskEvent[]>;
  /** Queued tasks (`kind: task`) per role, for the `switchboard_queue_depth` gauge. */
  queueDepth(): Promise<Record<string, number>>;
  /** True while the store answers (for /ready). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Thrown by insertTasks when (scope, idempotencyKey) already exists (a concurrent submit won). */
export class DuplicateKeyError extends Error {
  override readonly name = 'DuplicateKeyError';
}
