import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { type Clock, systemClock } from './clock.ts';
import type { TaskEventView, TaskView } from './contracts.ts';
import { TaskApiError } from './errors.ts';
import type { TaskExecutor } from './executor.ts';
import { type Changes, finalOutcome, Lifecycle, type Outcome } from './lifecycle.ts';
import { RetryBudget, type RetryBudgetOptions } from './retry-budget.ts';
import { DuplicateKeyError, type FinalCompletion, type StoreTx, type TaskStore } from './store/types.ts';
import { parseSubmission, planSubmission, type SubmitContext } from './submission.ts';
import { insertSubmission } from './submit-tx.ts';
import { isFinal, type TaskEvent, type TaskPrincipal, type TaskRecord, type TaskState } from './task-model.ts';
import { eventView, taskView } from './views.ts';
import { ownerFilter, type TaskViewer, visibleTo } from './visibility.ts';
import { WorkerPool } from './worker-pool.ts';

export interface SchedulerOptions {
  store: TaskStore;
  executor: TaskExecutor;
  clock?: Clock;
  random?: () => number;
  /** Claim loops in this process (0: accept and serve tasks, run none). Default 1. */
  workers?: number;
  /** Calls running at once in this process. Default 16. */
  concurrency?: number;
  /** Per-role caps in this process, e.g. { coder: 2, default: 8 }. */
  roleConcurrency?: Record<string, number>;
  leaseMs?: number;
  pollMs?: number;
  /** How often to look for deadlines passed, leases run out and stuck dependants. */
  sweepMs?: number;
  claimBatch?: number;
  /**
   * Claim statements in flight at once (default 2); more loops wanting to claim share the next one
   * (see WorkerPoolOptions). 0 or Infinity: one per loop.
   */
  claimsInFlight?: number;
  /** This process's name in leases. */
  owner?: string;
  checkTarget?: SubmitContext['checkTarget'];
  /** Retries of failures allowed in this process (default DEFAULT_RETRY_BUDGET); false: no cap but maxAttempts. */
  retryBudget?: RetryBudgetOptions | false;
  onError?: (error: unknown, where: string) => void;
}

export interface CallerContext {
  principal?: TaskPrincipal | null;
  correlationId?: string;
}

export type EventListener = (event: TaskEvent) => void;

/**
 * The task service: accepts submissions (stored before anything runs), answers views, cancels, streams
 * events, and runs tasks through a WorkerPool. Every state change goes through Lifecycle in a store
 * transaction; events are published to local listeners after commit.
 */
export class Scheduler {
  readonly store: TaskStore;
  readonly clock: Clock;
  readonly owner: string;
  private readonly lifecycle: Lifecycle;
  private readonly pool: WorkerPool;
  private readonly listeners = new Map<string, Set<EventListener>>();
  /** Listeners of every event of this process (metrics). */
  private readonly watchers = new Set<EventListener>();
  private cancelSweep: (() => void) | undefined;
  private started = false;

  constructor(private readonly options: SchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const budget = options.retryBudget === false ? undefined : new RetryBudget(options.retryBudget);
    this.lifecycle = new Lifecycle(options.random, budget);
    this.pool = new WorkerPool(
      this.store,
      options.executor,
      this.clock,
      {
        owner: this.owner,
        workers: options.workers ?? 1,
        concurrency: options.concurrency ?? 16,
        roleConcurrency: options.roleConcurrency ?? {},
        leaseMs: options.leaseMs ?? 30_000,
        pollMs: options.pollMs ?? 500,
        claimBatch: options.claimBatch ?? 32,
        claimsInFlight: options.claimsInFlight ?? 2,
      },
      {
        complete: (outcomes) => this.complete(outcomes),
        claimed: (tasks, events) => {
          // First attempts earn the retry budget its share.
          let firsts = 0;
          for (const task of tasks) if (task.attempts === 1) firsts++;
          if (firsts > 0) budget?.deposit(this.clock.now(), firsts);
          this.publish(events);
        },
        finished: (done, now) => this.finished(done, now),
        recheck: async (ids) => {
          if (this.store.recheckGroups) this.publish(await this.store.recheckGroups(ids, this.clock.now()));
        },
        onError: (error, where) => this.reportError(error, where),
      },
    );
  }

  /** Starts the workers and the sweeper; tasks left by a previous run are picked up from the store. */
  start(): this {
    if (this.started) return this;
    this.started = true;
    if ((this.options.workers ?? 1) > 0) this.pool.start();
    this.scheduleSweep();
    return this;
  }

  async submit(body: unknown, caller: CallerContext = {}): Promise<{ task: TaskView; created: boolean }> {
    const now = this.clock.now();
    const parsed = parseSubmission(body);
    const ctx: SubmitContext = {
      principal: caller.principal ?? null,
      correlationId: caller.correlationId ?? randomUUID(),
      now,
      ...(this.options.checkTarget ? { checkTarget: this.options.checkTarget } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      const plan = planSubmission(parsed, ctx);
      if (this.store.insertFresh && plan.root.idempotencyKey === null && plan.memberKeys.length === 0 && plan.externalDeps.length === 0) {
        for (const row of plan.rows) if (row.kind === 'task' && row.dependsOn.length > 0) row.state = 'blocked';
        this.publish(await this.store.insertFresh(plan.rows, now));
        return { task: taskView(plan.root, plan.rows), created: true };
      }
      try {
        const inserted = await this.write((tx) => insertSubmission(tx, plan, this.lifecycle, now));
        this.pool.wake();
        // A new submission's rows are known here; reading them back would only cost a round trip.
        const fresh = inserted.created && plan.memberKeys.length === 0;
        return { task: fresh ? taskView(inserted.root, plan.rows) : await this.viewOf(inserted.root), created: inserted.created };
      } catch (error) {
        // Two identical keyed submissions raced: the loser retries and finds the winner's task.
        if (error instanceof DuplicateKeyError && attempt < 3) continue;
        throw error;
      }
    }
  }

  /** The task as `viewer` may see it (visibility.ts): someone else's task is no task at all. */
  async get(id: string, viewer?: TaskViewer | null): Promise<TaskView | undefined> {
    const task = await this.store.getTask(id);
    return task && visibleTo(task, viewer) ? this.viewOf(task) : undefined;
  }

  async require(id: string, viewer?: TaskViewer | null): Promise<TaskView> {
    const view = await this.get(id, viewer);
    if (!view) throw new TaskApiError('NOT_FOUND', `no task '${id}'`, 'id');
    return view;
  }

  async list(
    filter: { state?: TaskState; role?: string; limit?: number; cursor?: string; since?: string; until?: string } = {},
    viewer?: TaskViewer | null,
  ) {
    const { since, until, ...rest } = filter;
    const { tasks, nextCursor } = await this.store.listTasks({
      ...rest,
      ...ownerFilter(viewer),
      limit: filter.limit ?? 50,
      topLevel: filter.role === undefined,
      ...(since !== undefined ? { createdFrom: Date.parse(since) } : {}),
      ...(until !== undefined ? { createdTo: Date.parse(until) } : {}),
    });
    return { tasks: await Promise.all(tasks.map((t) => this.viewOf(t))), nextCursor };
  }

  /** Cancels a task or group and, transitively, its dependants. A finished task answers CONFLICT. */
  async cancel(id: string, viewer?: TaskViewer | null): Promise<TaskView> {
    const task = await this.store.getTask(id);
    if (!task || !visibleTo(task, viewer)) throw new TaskApiError('NOT_FOUND', `no task '${id}'`, 'id');
    const view = await this.viewOf(task);
    if (isFinal(view.state as TaskState) && view.state !== 'cancelled')
      throw new TaskApiError('CONFLICT', `task '${id}' already ${view.state}; only unfinished tasks can be cancelled`, 'id');
    await this.write((tx) => this.lifecycle.cancel(tx, [id], this.clock.now()).then((changes) => ({ changes })));
    return this.require(id);
  }

  /** Stored events of a task (a group: its own and its members'), after `afterId`. */
  async events(id: string, afterId = 0, limit = 500, viewer?: TaskViewer | null): Promise<TaskEventView[]> {
    const task = await this.store.getTask(id);
    if (!task || !visibleTo(task, viewer)) throw new TaskApiError('NOT_FOUND', `no task '${id}'`, 'id');
    return (await this.store.readEvents([id, ...task.members], afterId, limit)).map(eventView);
  }

  /** Live events of these task ids in this process (events from other hubs arrive by polling the store). */
  subscribe(ids: readonly string[], listener: EventListener): () => void {
    for (const id of ids) {
      const set = this.listeners.get(id) ?? new Set();
      set.add(listener);
      this.listeners.set(id, set);
    }
    return () => {
      for (const id of ids) {
        const set = this.listeners.get(id);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(id);
      }
    };
  }

  /** Every event this process publishes, after its transaction committed (metrics); returns the unsubscribe. */
  watchAll(listener: EventListener): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Resolves with the view once the task (or group) is final. */
  async waitFor(id: string, timeoutMs = 60_000): Promise<TaskView> {
    const task = await this.store.getTask(id);
    if (!task) throw new TaskApiError('NOT_FOUND', `no task '${id}'`, 'id');
    return new Promise<TaskView>((resolve, reject) => {
      let done = false;
      const check = async () => {
        const view = await this.get(id);
        if (!done && view && isFinal(view.state as TaskState)) {
          done = true;
          finish();
          resolve(view);
        }
      };
      const unsubscribe = this.subscribe([id, ...task.members], () => void check().catch(reject));
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`task ${id} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const finish = () => {
        unsubscribe();
        clearTimeout(timer);
      };
      void check().catch(reject);
    });
  }

  /** Waits until nothing runs or waits to be recorded in this process (tests). */
  drained(): Promise<void> {
    return this.pool.drained();
  }

  /** One pass of the sweeper: deadlines, lost leases, stuck dependants. Public so tests can drive it. */
  async sweep(): Promise<void> {
    const now = this.clock.now();
    const overdue = await this.store.overdue(now, 500);
    if (overdue.length) await this.write((tx) => this.lifecycle.expire(tx, overdue, now).then((changes) => ({ changes })));
    const expired = await this.store.expiredLeases(now, 500);
    if (expired.length) await this.write((tx) => this.lifecycle.recoverLeases(tx, expired, now).then((changes) => ({ changes })));
    const stuck = await this.store.unblockable(500);
    if (stuck.length) await this.write((tx) => this.lifecycle.unblock(tx, stuck, now).then((changes) => ({ changes })));
    const settled = await this.store.settledGroups(500);
    if (settled.length) await this.write((tx) => this.lifecycle.settleGroups(tx, settled, now).then((changes) => ({ changes })));
  }

  /** First step of a graceful shutdown: claim nothing more; running tasks go on until close(). */
  stopClaiming(): Promise<void> {
    return this.pool.stopClaiming();
  }

  /** Aborts what still runs here and hands those tasks back to the queue at once (not after their lease). */
  async close(): Promise<void> {
    this.cancelSweep?.();
    this.started = false;
    const interrupted = await this.pool.stop();
    if (interrupted.length === 0) return;
    const now = this.clock.now();
    try {
      await this.write((tx) => this.lifecycle.recoverLeases(tx, interrupted, now, this.owner).then((changes) => ({ changes })));
    } catch (error) {
      // Not fatal: the leases run out and another worker takes the tasks then.
      this.reportError(error, 'release leases');
    }
  }

  private async complete(outcomes: Outcome[]): Promise<void> {
    const now = this.clock.now();
    const fast = this.store.completeFinal?.bind(this.store);
    const final = fast ? outcomes.flatMap((o) => finalOutcome(o) ?? []) : [];
    const general = fast ? outcomes.filter((o) => finalOutcome(o) === undefined) : outcomes;
    if (fast && final.length > 0) await this.finished(await fast(final, now), now);
    if (general.length > 0) await this.write((tx) => this.lifecycle.complete(tx, general, now).then((changes) => ({ changes })));
  }

  /** After the fast path recorded final outcomes: publish, then the general rules for dependants and groups it left. */
  private async finished(done: FinalCompletion, now: number): Promise<void> {
    this.publish(done.events);
    // A worker's next claim takes these along (or, when none comes soon, a statement of their own).
    if (done.recheck?.length && this.store.recheckGroups) this.pool.recheck(done.recheck);
    if (done.withDependants.length)
      await this.write((tx) => this.lifecycle.afterFinal(tx, done.withDependants, now).then((changes) => ({ changes })));
    if (done.groups.length) await this.write((tx) => this.lifecycle.settleGroups(tx, done.groups, now).then((changes) => ({ changes })));
  }

  /** Runs a transaction that returns Changes, stores their events, then publishes and aborts after commit. */
  private async write<T extends { changes: Changes }>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    let stored: TaskEvent[] = [];
    let result: T;
    for (let attempt = 1; ; attempt++) {
      try {
        result = await this.store.transaction(async (tx) => {
          const out = await fn(tx);
          stored = await tx.appendEvents(out.changes.events);
          return out;
        });
        break;
      } catch (error) {
        // Two transactions locked the same rows in opposite orders (e.g. a cancel against a completion): redo.
        if (attempt >= 5 || !isTransient(error)) throw error;
      }
    }
    this.publish(stored);
    for (const aborted of result.changes.aborted) {
      if (aborted.owner !== this.owner) continue;
      this.pool.abort([aborted.id], aborted.state === 'timed_out' ? 'deadline' : 'cancelled');
    }
    return result;
  }

  private publish(events: readonly TaskEvent[]): void {
    if (events.length === 0) return;
    const now = this.clock.now();
    const { listeners, watchers } = this;
    for (const event of events) {
      if (event.state === 'queued') {
        if (event.runAt !== null && event.runAt > now) this.pool.wakeAt(event.runAt);
        else this.pool.wake();
      }
      // The task's own listeners, then its group's (two lookups, no array per event).
      if (listeners.size > 0) {
        const own = listeners.get(event.taskId);
        if (own !== undefined) for (const listener of own) listener(event);
        const group = event.parentId === null ? undefined : listeners.get(event.parentId);
        if (group !== undefined) for (const listener of group) listener(event);
      }
      if (watchers.size > 0) for (const watcher of watchers) watcher(event);
    }
  }

  private async viewOf(task: TaskRecord): Promise<TaskView> {
    return taskView(task, task.members.length ? await this.store.getTasks(task.members) : []);
  }

  private scheduleSweep(): void {
    if (!this.started) return;
    this.cancelSweep = this.clock.setTimer(() => {
      void this.sweep()
        .catch((error) => this.reportError(error, 'sweep'))
        .finally(() => this.scheduleSweep());
    }, this.options.sweepMs ?? 1000);
  }

  private reportError(error: unknown, where: string): void {
    this.options.onError?.(error, where);
  }
}

/** Deadlock / serialization failure (Postgres) or a busy database (SQLite): safe to run again. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY';
}
