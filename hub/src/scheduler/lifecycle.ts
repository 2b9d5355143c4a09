import type { CallToolResult } from '@modelcontextprotocol/client';
import { backoffDelay } from './backoff.ts';
import type { RetryBudget } from './retry-budget.ts';
import { assertTransition } from './state-machine.ts';
import type { FinalOutcome, StoreTx } from './store/types.ts';
import { isFinal, type NewTaskEvent, type TaskError, type TaskRecord, type TaskState } from './task-model.ts';

/** How one attempt ended, as the worker saw it. `attempt` + `owner` fence off stale reports. */
export type Outcome =
  | { taskId: string; owner: string; attempt: number; kind: 'succeeded'; result: CallToolResult }
  | { taskId: string; owner: string; attempt: number; kind: 'failed'; error: TaskError; retryable: boolean }
  | { taskId: string; owner: string; attempt: number; kind: 'timed_out'; error: TaskError };

/** The store's form of an outcome that ends its task, or undefined for a failure that may be retried. */
export function finalOutcome(outcome: Outcome): FinalOutcome | undefined {
  if (outcome.kind === 'failed' && outcome.retryable) return undefined;
  const { taskId, owner, attempt } = outcome;
  if (outcome.kind === 'succeeded') return { taskId, owner, attempt, state: 'succeeded', result: outcome.result, error: null };
  return { taskId, owner, attempt, state: outcome.kind, result: null, error: outcome.error };
}

/** What a transaction changed: events to publish, running calls to abort. */
export interface Changes {
  events: NewTaskEvent[];
  /** Running tasks that left `running` here: their calls (on whichever hub) must be cancelled. */
  aborted: { id: string; owner: string | null; state: TaskState }[];
}

const emptyChanges = (): Changes => ({ events: [], aborted: [] });

/**
 * The task rules, written once over StoreTx so every store behaves the same: transitions (checked
 * against the state machine), retries with backoff, dependency release and failure cascades, and the
 * derived state of groups. Each method runs inside the caller's transaction.
 */
export class Lifecycle {
  constructor(
    private readonly random: () => number = Math.random,
    /** Caps retries of failures in this process; none: only maxAttempts and the deadline do. */
    private readonly budget?: RetryBudget,
  ) {}

  /** Moves `task` to `to` in memory (throws on an illegal move) and records the event. */
  move(task: TaskRecord, to: TaskState, now: number, changes: Changes, patch: Partial<TaskRecord> = {}): void {
    assertTransition(task.state, to, task.id);
    const from = task.state;
    if (from === 'running' && to !== 'running') {
      changes.aborted.push({ id: task.id, owner: task.leaseOwner, state: to });
      task.leaseOwner = null;
      task.leaseUntil = null;
    }
    Object.assign(task, patch, { state: to, updatedAt: now });
    if (isFinal(to)) task.finishedAt = now;
    changes.events.push({
      taskId: task.id,
      parentId: task.parentId,
      stepId: task.stepId,
      state: to,
      from,
      attempt: task.attempts,
      at: now,
      error: to === 'succeeded' ? null : task.error,
      runAt: to === 'queued' ? task.runAt : null,
    });
  }

  /** Records the end of attempts. Reports whose task moved on (cancelled, lease lost, …) are ignored. */
  async complete(tx: StoreTx, outcomes: readonly Outcome[], now: number): Promise<Changes> {
    const changes = emptyChanges();
    const tasks = new Map(
      (
        await tx.getTasks(
          outcomes.map((o) => o.taskId),
          true,
        )
      ).map((t) => [t.id, t]),
    );
    const changed: TaskRecord[] = [];
    const succeeded: string[] = [];
    const failed: TaskRecord[] = [];
    for (const outcome of outcomes) {
      const task = tasks.get(outcome.taskId);
      if (task?.state !== 'running' || task.leaseOwner !== outcome.owner || task.attempts !== outcome.attempt) continue;
      if (outcome.kind === 'succeeded') {
        this.move(task, 'succeeded', now, changes, { result: outcome.result, error: null });
        succeeded.push(task.id);
      } else if (outcome.kind === 'timed_out') {
        this.move(task, 'timed_out', now, changes, { error: outcome.error });
        failed.push(task);
      } else {
        const runAt = now + backoffDelay(task.backoff, task.attempts, this.random());
        const retry = outcome.retryable && task.attempts < task.maxAttempts && (task.deadline === null || runAt < task.deadline);
        if (retry && this.budget && !this.budget.tryWithdraw(now)) {
          const spent = this.budget.state(now);
          const error = {
            code: 'RETRY_BUDGET_EXHAUSTED',
            message: `not retried: this hub's retry budget is spent (${spent.retries} retries in the last ${this.budget.options.windowMs / 1000} s, ${spent.allowed} allowed); last error ${outcome.error.code}: ${outcome.error.message}`,
          };
          this.move(task, 'failed', now, changes, { error });
          failed.push(task);
        } else if (retry) this.move(task, 'queued', now, changes, { error: outcome.error, runAt });
        else {
          this.move(task, 'failed', now, changes, { error: outcome.error });
          failed.push(task);
        }
      }
      changed.push(task);
    }
    await tx.updateTasks(changed);
    await this.release(tx, succeeded, now, changes);
    await this.cascade(tx, failed, now, changes, 'failed');
    await this.recomputeGroups(tx, changed, now, changes);
    return changes;
  }

  /** Cancels tasks (a group: its unfinished members) and, transitively, everything depending on them. */
  async cancel(tx: StoreTx, ids: readonly string[], now: number, reason = 'cancelled by request'): Promise<Changes> {
    const changes = emptyChanges();
    const found = await tx.getTasks(ids, true);
    const memberIds = found.filter((t) => t.kind !== 'task').flatMap((g) => g.members);
    const targets = [...found.filter((t) => t.kind === 'task'), ...(await tx.getTasks(memberIds, true))];
    const cancelled: TaskRecord[] = [];
    for (const task of targets) {
      if (isFinal(task.state) || cancelled.some((t) => t.id === task.id)) continue;
      this.move(task, 'cancelled', now, changes, { error: { code: 'CANCELLED', message: reason } });
      cancelled.push(task);
    }
    await tx.updateTasks(cancelled);
    await this.cascade(tx, cancelled, now, changes, 'cancelled');
    await this.recomputeGroups(tx, [...cancelled, ...found.filter((t) => t.kind !== 'task')], now, changes);
    return changes;
  }

  /** Times out unfinished tasks whose deadline has passed; their dependants fail. */
  async expire(tx: StoreTx, ids: readonly string[], now: number): Promise<Changes> {
    const changes = emptyChanges();
    const expired: TaskRecord[] = [];
    for (const task of await tx.getTasks(ids, true)) {
      if (isFinal(task.state) || task.kind !== 'task' || task.deadline === null || task.deadline > now) continue;
      const error = { code: 'TIMEOUT', message: `deadline ${new Date(task.deadline).toISOString()} passed while ${task.state}` };
      this.move(task, 'timed_out', now, changes, { error });
      expired.push(task);
    }
    await tx.updateTasks(expired);
    await this.cascade(tx, expired, now, changes, 'failed');
    await this.recomputeGroups(tx, expired, now, changes);
    return changes;
  }

  /**
   * Running tasks whose lease ran out (their hub died): back to the queue, or failed when out of attempts.
   * With `releasedBy`, the leases that worker still holds, expired or not: a hub shutting down hands its
   * interrupted tasks back at once instead of leaving them until their lease runs out.
   */
  async recoverLeases(tx: StoreTx, ids: readonly string[], now: number, releasedBy?: string): Promise<Changes> {
    const changes = emptyChanges();
    const moved: TaskRecord[] = [];
    const failed: TaskRecord[] = [];
    for (const task of await tx.getTasks(ids, true)) {
      if (task.state !== 'running' || task.leaseUntil === null) continue;
      if (releasedBy === undefined ? task.leaseUntil >= now : task.leaseOwner !== releasedBy) continue;
      const error =
        releasedBy === undefined
          ? { code: 'LEASE_EXPIRED', message: `the worker ${task.leaseOwner} stopped renewing its lease during attempt ${task.attempts}` }
          : {
              code: 'LEASE_RELEASED',
              message: `the worker ${releasedBy} shut down during attempt ${task.attempts} and gave the task back`,
            };
      if (task.attempts < task.maxAttempts) this.move(task, 'queued', now, changes, { error, runAt: now });
      else {
        this.move(task, 'failed', now, changes, { error });
        failed.push(task);
      }
      moved.push(task);
    }
    await tx.updateTasks(moved);
    await this.cascade(tx, failed, now, changes, 'failed');
    await this.recomputeGroups(tx, moved, now, changes);
    return changes;
  }

  /** Blocked tasks whose dependencies all succeeded become queued. */
  async unblock(tx: StoreTx, ids: readonly string[], now: number): Promise<Changes> {
    const changes = emptyChanges();
    await this.releaseTasks(tx, await tx.getTasks(ids, true), now, changes);
    return changes;
  }

  /** Re-derives the state of these groups from their members (repair sweep, fast-path follow-up). */
  async settleGroups(tx: StoreTx, groupIds: readonly string[], now: number): Promise<Changes> {
    const changes = emptyChanges();
    const groups = groupIds.map((id) => ({ id, kind: 'dag' }) as TaskRecord);
    await this.recomputeGroups(tx, groups, now, changes, true);
    return changes;
  }

  /** The general rules after the fast path recorded final outcomes: release or fail dependants. */
  async afterFinal(tx: StoreTx, withDependants: readonly string[], now: number): Promise<Changes> {
    const changes = emptyChanges();
    const ended = await tx.getTasks(withDependants);
    await this.release(
      tx,
      ended.filter((t) => t.state === 'succeeded').map((t) => t.id),
      now,
      changes,
    );
    await this.cascade(
      tx,
      ended.filter((t) => t.state === 'failed' || t.state === 'timed_out'),
      now,
      changes,
      'failed',
    );
    return changes;
  }

  private async release(tx: StoreTx, succeededIds: readonly string[], now: number, changes: Changes): Promise<void> {
    if (succeededIds.length === 0) return;
    await this.releaseTasks(tx, await tx.dependantsOf(succeededIds), now, changes);
  }

  private async releaseTasks(tx: StoreTx, candidates: TaskRecord[], now: number, changes: Changes): Promise<void> {
    const blocked = candidates.filter((t) => t.state === 'blocked');
    if (blocked.length === 0) return;
    // Read the dependencies after locking the dependants, so two deps finishing at once cannot both miss.
    const deps = await tx.statesOf(blocked.flatMap((t) => t.dependsOn));
    const released = blocked.filter((t) => t.dependsOn.every((dep) => deps.get(dep) === 'succeeded'));
    for (const task of released) this.move(task, 'queued', now, changes, { runAt: now });
    await tx.updateTasks(released);
  }

  /** Everything depending on `sources` (transitively) ends too: failed with the cause, or cancelled. */
  private async cascade(tx: StoreTx, sources: TaskRecord[], now: number, changes: Changes, mode: 'failed' | 'cancelled'): Promise<void> {
    let frontier = sources;
    const touched: TaskRecord[] = [];
    while (frontier.length > 0) {
      const byId = new Map(frontier.map((t) => [t.id, t]));
      const next: TaskRecord[] = [];
      for (const task of await tx.dependantsOf([...byId.keys()])) {
        if (isFinal(task.state)) continue;
        const cause = task.dependsOn.map((id) => byId.get(id)).find((t) => t !== undefined) as TaskRecord;
        const name = cause.stepId ?? cause.id;
        const error: TaskError =
          mode === 'cancelled'
            ? { code: 'CANCELLED', message: `dependency '${name}' was cancelled`, causeTaskId: cause.id }
            : {
                code: 'DEPENDENCY_FAILED',
                message: `dependency '${name}' ${cause.state === 'timed_out' ? 'timed out' : 'failed'}: ${cause.error?.message ?? cause.state}`,
                causeTaskId: cause.error?.causeTaskId ?? cause.id,
              };
        this.move(task, mode, now, changes, { error });
        next.push(task);
      }
      await tx.updateTasks(next);
      touched.push(...next);
      frontier = next;
    }
    if (touched.length > 0) await this.recomputeGroups(tx, touched, now, changes);
  }

  /** A group's state follows its members: running once any started, final once all are. */
  private async recomputeGroups(tx: StoreTx, changed: TaskRecord[], now: number, changes: Changes, likelyFinal = false): Promise<void> {
    const groupIds = [...new Set(changed.map((t) => (t.kind === 'task' ? t.parentId : t.id)).filter((id): id is string => id !== null))];
    if (groupIds.length === 0) return;
    // Read without locks first: most changes leave the group as it was, and need no write.
    for (const seen of likelyFinal
      ? groupIds.map((id) => ({ id, state: 'running' as TaskState, members: [] }))
      : await tx.getTasks(groupIds)) {
      if (isFinal(seen.state)) continue;
      if (!likelyFinal && !moves(seen.state, groupState([...(await tx.statesOf(seen.members)).values()]))) continue;
      const [group] = await tx.getTasks([seen.id], true);
      if (!group || isFinal(group.state)) continue;
      const target = groupState([...(await tx.statesOf(group.members)).values()]);
      if (!moves(group.state, target)) continue;
      if (group.state === 'queued' && target !== 'running' && target !== 'cancelled') this.move(group, 'running', now, changes);
      if (group.state !== target) {
        const firstError =
          target === 'succeeded' ? null : ((await tx.getTasks(group.members)).find((m) => m.state === target)?.error ?? null);
        this.move(group, target, now, changes, { error: firstError });
      }
      await tx.updateTasks([group]);
    }
  }
}

/** Groups only move forward: a member retrying (running → queued) does not take its group back. */
const moves = (from: TaskState, to: TaskState) => to !== from && to !== 'queued';

/** queued until a member starts; running until all are final; then failed > timed_out > cancelled > succeeded. */
export function groupState(states: TaskState[]): TaskState {
  if (states.length > 0 && states.every(isFinal)) {
    for (const state of ['failed', 'timed_out', 'cancelled'] as const) if (states.includes(state)) return state;
    return 'succeeded';
  }
  return states.some((s) => s === 'running' || isFinal(s)) ? 'running' : 'queued';
}
