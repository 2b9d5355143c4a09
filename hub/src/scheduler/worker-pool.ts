import type { Clock } from './clock.ts';
import { type AbortReason, type Classified, classify, type ExecutionContext, TaskAbort, type TaskExecutor } from './executor.ts';
import { finalOutcome, type Outcome } from './lifecycle.ts';
import type { ClaimAndCompleteResult, ClaimedTask, ClaimResult, FinalCompletion, FinalOutcome, TaskStore } from './store/types.ts';
import type { TaskEvent } from './task-model.ts';

export interface WorkerPoolOptions {
  owner: string;
  /** Claim loops; with Postgres each uses its own connection. */
  workers: number;
  /** Calls running at once in this process. */
  concurrency: number;
  /** Per-role caps in this process; `default` applies to roles not named. */
  roleConcurrency: Record<string, number>;
  leaseMs: number;
  pollMs: number;
  claimBatch: number;
  /**
   * Claim statements in flight at once; a loop that wants to claim while that many are out joins the
   * next one (limits summed, tasks shared back). Fewer, larger statements mean fewer commits to wait
   * for: 4 loops on Postgres sent ~150 claims per 3000 no-op tasks each on its own, ~84 with 2 out at
   * once (~54 with 1, but then a claim's round trip paces all loops). Undefined, 0 or Infinity: each
   * loop its own statement.
   */
  claimsInFlight?: number;
}

export interface WorkerPoolHooks {
  /** Records outcomes (one transaction) and publishes what changed. */
  complete(outcomes: Outcome[]): Promise<void>;
  /** Claimed tasks' running events, and tasks of groups that may need to turn running. */
  claimed(tasks: ClaimedTask[], events: TaskEvent[]): void;
  /** Final outcomes the store recorded together with a claim: publish, then dependants and groups. */
  finished(done: FinalCompletion, now: number): Promise<void>;
  /** Settles these groups if all their members are final, in a statement of its own, and publishes. */
  recheck(ids: string[]): Promise<void>;
  onError(error: unknown, where: string): void;
}

const noop = () => {};
const settledPromise = Promise.resolve();

/**
 * A claimed task while its call runs, and the context that call gets: one object per task instead of
 * a record, a context, an abort holder and their closures. The abort signal is made on first use (an
 * AbortController per task costs more than many calls ever need); an abort before then is kept and
 * applied to the signal when it is made; `aborted` and `reason` answer either way (first reason wins).
 */
class RunningCall implements ExecutionContext {
  readonly correlationId: string;
  readonly taskId: string;
  readonly attempt: number;
  readonly principal: ClaimedTask['principal'];
  /** Cancels the deadline's timer (none without a deadline). */
  cancelDeadline: () => void = noop;
  /** Settles once the outcome is queued and the task left `running` (drained() waits on it). */
  done: Promise<void> = settledPromise;
  private controller: AbortController | undefined;
  private early: TaskAbort | undefined;

  constructor(readonly task: ClaimedTask) {
    this.correlationId = task.correlationId;
    this.taskId = task.id;
    this.attempt = task.attempts;
    this.principal = task.principal;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.early !== undefined) this.controller.abort(this.early);
    }
    return this.controller.signal;
  }

  abort(reason: TaskAbort): void {
    if (this.controller !== undefined) this.controller.abort(reason);
    else this.early ??= reason;
  }

  get aborted(): boolean {
    return this.controller !== undefined ? this.controller.signal.aborted : this.early !== undefined;
  }

  get reason(): unknown {
    return this.controller !== undefined ? this.controller.signal.reason : this.early;
  }
}

/**
 * The outcome to record, as one literal per kind: a spread (`{ ...classified, taskId, … }`) made V8
 * build a new hidden class for nearly every outcome (a map transition per property, measured at ~4 % of
 * the main thread in the Postgres bench), and every later read of them megamorphic.
 */
function outcomeOf(classified: Classified, taskId: string, owner: string, attempt: number): Outcome | undefined {
  switch (classified.kind) {
    case 'succeeded':
      return { taskId, owner, attempt, kind: 'succeeded', result: classified.result };
    case 'failed':
      return { taskId, owner, attempt, kind: 'failed', error: classified.error, retryable: classified.retryable };
    case 'timed_out':
      return { taskId, owner, attempt, kind: 'timed_out', error: classified.error };
    default:
      return undefined;
  }
}

/** Outcomes that end their task (parallel arrays: each outcome and its store form). */
interface Finals {
  outcomes: readonly Outcome[];
  finals: readonly FinalOutcome[];
}

const noFinals: Finals = Object.freeze({ outcomes: Object.freeze([]), finals: Object.freeze([]) });

/** A loop waiting for a claim statement to take it along; resolves with how many tasks it got. */
interface Joiner {
  limit: number;
  excluded: string[];
  /** `excluded` sorted and joined: only loops with the same exclusions share a statement. */
  key: string;
  resolve: (claimed: number) => void;
}

/** How long a group recheck waits for a claim to take it along before it gets a statement of its own. */
const RECHECK_DELAY_MS = 5;

/**
 * Claims tasks and runs them through the executor within the concurrency limits, renews their leases,
 * cancels their calls at the deadline, and hands outcomes back in batches (one transaction per batch).
 */
export class WorkerPool {
  private readonly running = new Map<string, RunningCall>();
  private readonly roleRunning = new Map<string, number>();
  /** Roles with a cap of their own (roleConcurrency without `default`). */
  private capped: string[] | undefined;
  private reserved = 0;
  private stopped = true;
  /** False once a graceful shutdown begins: running calls go on (leases renewed), nothing new is claimed. */
  private claiming = false;
  private loops: Promise<void>[] = [];
  private waiters: (() => void)[] = [];
  /** Counts wake() calls, so a loop whose claim was in flight at a wake does not go idle after it. */
  private wakes = 0;
  private pending: Outcome[] = [];
  private readonly flushing = new Set<Promise<void>>();
  /** Claims that also record outcomes, and the follow-ups of those outcomes. */
  private readonly carrying = new Set<Promise<unknown>>();
  private cancelRenewal: (() => void) | undefined;
  /** Groups to look at again (FinalCompletion.recheck), for the next claim to take along. */
  private rechecks = new Set<string>();
  private recheckTimer: NodeJS.Timeout | undefined;
  /** Claim statements out now, and the loops waiting for the next one (claimsInFlight). */
  private claimsOut = 0;
  private joiners: Joiner[] = [];

  constructor(
    private readonly store: TaskStore,
    private readonly executor: TaskExecutor,
    private readonly clock: Clock,
    private readonly options: WorkerPoolOptions,
    private readonly hooks: WorkerPoolHooks,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.claiming = true;
    this.loops = Array.from({ length: this.options.workers }, () => this.loop());
    this.scheduleRenewal();
  }

  /** New work may be claimable (a submit, a release, a retry falling due). */
  wake(): void {
    this.wakes++;
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  wakeAt(at: number): void {
    this.clock.setTimer(() => this.wake(), at - this.clock.now());
  }

  /** Aborts local calls of tasks that left `running` elsewhere (cancel, timeout, lost lease). */
  abort(ids: readonly string[], reason: AbortReason): void {
    for (const id of ids) this.running.get(id)?.abort(new TaskAbort(reason));
  }

  /**
   * Groups a committed completion may have left unsettled (another statement finished their last
   * members at the same time). The next claim takes them along; a claim that does not come within a
   * few milliseconds (workers idle or all busy) leaves them to a statement of their own.
   */
  recheck(ids: readonly string[]): void {
    for (const id of ids) this.rechecks.add(id);
    if (this.recheckTimer === undefined && this.rechecks.size > 0) {
      this.recheckTimer = setTimeout(() => {
        this.recheckTimer = undefined;
        this.flushRechecks();
      }, RECHECK_DELAY_MS);
    }
  }

  private takeRechecks(): string[] {
    if (this.rechecks.size === 0 && this.recheckTimer === undefined) return [];
    const ids = [...this.rechecks];
    this.rechecks.clear();
    if (this.recheckTimer !== undefined) clearTimeout(this.recheckTimer);
    this.recheckTimer = undefined;
    return ids;
  }

  private flushRechecks(): void {
    const ids = this.takeRechecks();
    if (ids.length === 0) return;
    const done = this.hooks.recheck(ids).catch((error) => this.hooks.onError(error, 'complete'));
    this.carrying.add(done);
    void done.finally(() => this.carrying.delete(done));
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Resolves once nothing runs or waits to be recorded here. */
  async drained(): Promise<void> {
    while (this.running.size > 0 || this.flushing.size > 0 || this.carrying.size > 0 || this.pending.length > 0 || this.rechecks.size > 0) {
      this.flushRechecks();
      const calls: Promise<void>[] = [];
      for (const call of this.running.values()) calls.push(call.done);
      await Promise.allSettled([...calls, ...this.flushing, ...this.carrying]);
    }
  }

  /** Claims nothing more; running calls go on, their leases renewed, until they end or stop() aborts them. */
  async stopClaiming(): Promise<void> {
    this.claiming = false;
    this.wake();
    await Promise.allSettled(this.loops);
  }

  /** Aborts what still runs and returns those task ids: their leases are still this worker's to give back. */
  async stop(): Promise<string[]> {
    this.stopped = true;
    this.claiming = false;
    this.cancelRenewal?.();
    this.wake();
    await Promise.allSettled(this.loops);
    const interrupted = [...this.running.keys()];
    this.abort(interrupted, 'shutdown');
    // A call that ignores its abort signal must not hold shutdown hostage: its lease brings it back.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drained(), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    return interrupted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped && this.claiming) {
      const { limit, excluded } = this.claimLimit();
      if (limit <= 0) {
        await this.idle();
        continue;
      }
      this.reserved += limit;
      const wakes = this.wakes;
      let claimed = 0;
      try {
        claimed = await this.join(limit, excluded);
      } finally {
        this.reserved -= limit;
      }
      // New work that arrived while the claim was in flight (its statement may not have seen it): look again.
      if (claimed < limit && this.wakes === wakes) await this.idle();
    }
  }

  /** Waits for a claim statement to take this loop along (its own one unless claimsInFlight are out). */
  private join(limit: number, excluded: string[]): Promise<number> {
    return new Promise<number>((resolve) => {
      this.joiners.push({ limit, excluded, key: excluded.length === 0 ? '' : [...excluded].sort().join('\0'), resolve });
      this.sendClaims();
    });
  }

  /**
   * Sends the waiting loops' claims while fewer than claimsInFlight statements are out: one statement
   * for all loops with the same excluded roles as the first (their limits summed, reservations already
   * counted for each), the others wait for the next one.
   */
  private sendClaims(): void {
    const max = this.options.claimsInFlight || Number.POSITIVE_INFINITY;
    while (this.joiners.length > 0 && this.claimsOut < max) {
      if (this.stopped || !this.claiming) {
        for (const joiner of this.joiners.splice(0)) joiner.resolve(0);
        return;
      }
      const first = this.joiners[0] as Joiner;
      let group: Joiner[];
      if (max === Number.POSITIVE_INFINITY) group = this.joiners.splice(0, 1);
      else {
        group = this.joiners.filter((joiner) => joiner.key === first.key);
        this.joiners = group.length === this.joiners.length ? [] : this.joiners.filter((joiner) => joiner.key !== first.key);
      }
      void this.claimFor(group, first.excluded);
    }
  }

  /** One statement for these loops; its tasks go to them in claim order, each at most its limit. */
  private async claimFor(group: Joiner[], excluded: string[]): Promise<void> {
    this.claimsOut++;
    let limit = 0;
    for (const joiner of group) limit += joiner.limit;
    let claimed = 0;
    try {
      claimed = (await this.claim(limit, excluded)).length;
    } catch (error) {
      this.hooks.onError(error, 'claim');
    } finally {
      this.claimsOut--;
    }
    for (const joiner of group) {
      const share = Math.min(joiner.limit, claimed);
      claimed -= share;
      joiner.resolve(share);
    }
    this.sendClaims();
  }

  /**
   * One claim. Final outcomes waiting to be recorded ride along when the store can record them in the
   * same transaction (one round trip instead of two); should that fail, they go back to the flush queue.
   */
  private async claim(limit: number, excluded: string[]): Promise<ClaimedTask[]> {
    const now = this.clock.now();
    const request = { owner: this.options.owner, now, leaseMs: this.options.leaseMs, limit, excludeRoles: excluded };
    const finals = this.store.claimAndComplete ? this.takeFinals() : noFinals;
    const recheck = this.store.claimAndComplete ? this.takeRechecks() : [];
    let result: ClaimResult;
    if (finals.finals.length === 0 && recheck.length === 0) result = await this.store.claim(request);
    else {
      const both = this.store.claimAndComplete?.(
        recheck.length > 0 ? { ...request, recheck } : request,
        finals.finals,
        now,
      ) as Promise<ClaimAndCompleteResult>;
      this.carrying.add(both);
      let completed: FinalCompletion;
      try {
        ({ completed, ...result } = await both);
      } catch (error) {
        this.pending.push(...finals.outcomes);
        this.flushSoon();
        this.recheck(recheck);
        throw error;
      } finally {
        this.carrying.delete(both);
      }
      const follow = this.hooks.finished(completed, now).catch((error) => this.hooks.onError(error, 'complete'));
      this.carrying.add(follow);
      void follow.finally(() => this.carrying.delete(follow));
    }
    for (const task of result.tasks) this.launch(task);
    this.hooks.claimed(result.tasks, result.events);
    return result.tasks;
  }

  /** Takes the pending outcomes that end their task (the others need the general rules), and their store form. */
  private takeFinals(): Finals {
    if (this.pending.length === 0) return noFinals;
    const outcomes: Outcome[] = [];
    const finals: FinalOutcome[] = [];
    const rest: Outcome[] = [];
    for (const outcome of this.pending) {
      const final = finalOutcome(outcome);
      if (final) {
        outcomes.push(outcome);
        finals.push(final);
      } else rest.push(outcome);
    }
    this.pending = rest;
    return { outcomes, finals };
  }

  /** How many to claim now, and which roles are full. Reservations count against every role (conservative). */
  private claimLimit(): { limit: number; excluded: string[] } {
    const { concurrency, roleConcurrency, claimBatch } = this.options;
    let limit = Math.min(claimBatch, concurrency - this.running.size - this.reserved);
    const excluded: string[] = [];
    if (this.capped === undefined) this.capped = Object.keys(roleConcurrency).filter((r) => r !== 'default');
    const roles = this.roleRunning.size === 0 ? this.capped : new Set([...this.capped, ...this.roleRunning.keys()]);
    for (const role of roles) {
      const cap = roleConcurrency[role] ?? roleConcurrency.default;
      if (cap === undefined) continue;
      const free = cap - (this.roleRunning.get(role) ?? 0) - this.reserved;
      if (free <= 0) excluded.push(role);
      else limit = Math.min(limit, free);
    }
    if (roleConcurrency.default !== undefined) limit = Math.min(limit, roleConcurrency.default - this.reserved);
    return { limit, excluded };
  }

  private idle(): Promise<void> {
    if (this.stopped || !this.claiming) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const cancel = this.clock.setTimer(() => done(), this.options.pollMs);
      const done = () => {
        cancel();
        resolve();
      };
      this.waiters.push(done);
    });
  }

  private launch(task: ClaimedTask): void {
    const call = new RunningCall(task);
    if (task.deadline !== null)
      call.cancelDeadline = this.clock.setTimer(() => call.abort(new TaskAbort('deadline')), task.deadline - this.clock.now());
    this.running.set(task.id, call);
    this.roleRunning.set(task.role, (this.roleRunning.get(task.role) ?? 0) + 1);
    call.done = this.execute(call);
  }

  /** Runs the call and queues its outcome; the task leaves `running` (and its role's count) once that is queued. */
  private async execute(call: RunningCall): Promise<void> {
    const { task } = call;
    try {
      let settled: Parameters<typeof classify>[0];
      try {
        settled = { result: await this.executor(task.target, task.input, call) };
      } catch (thrown) {
        settled = { thrown };
      }
      const outcome = outcomeOf(classify(settled, call), task.id, this.options.owner, task.attempts);
      if (outcome !== undefined) this.record(outcome);
    } finally {
      call.cancelDeadline();
      this.running.delete(task.id);
      const left = (this.roleRunning.get(task.role) ?? 1) - 1;
      if (left > 0) this.roleRunning.set(task.role, left);
      else this.roleRunning.delete(task.role);
      this.wake();
    }
  }

  /** Queues an outcome; concurrent ones are written together, up to one transaction per worker at a time. */
  private record(outcome: Outcome): void {
    this.pending.push(outcome);
    this.flushSoon();
  }

  /** A flush after this turn: outcomes a claim has not taken along by then are written on their own. */
  private flushSoon(): void {
    if (this.flushing.size >= Math.max(1, this.options.workers)) return;
    const flush = this.flush().finally(() => this.flushing.delete(flush));
    this.flushing.add(flush);
  }

  private async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, 500);
      try {
        await this.hooks.complete(batch);
      } catch (error) {
        // The lease still holds the tasks: they come back after it runs out, so nothing is lost.
        this.hooks.onError(error, 'complete');
      }
    }
  }

  private scheduleRenewal(): void {
    if (this.stopped) return;
    this.cancelRenewal = this.clock.setTimer(
      () => {
        void this.renew().finally(() => this.scheduleRenewal());
      },
      Math.max(50, Math.floor(this.options.leaseMs / 3)),
    );
  }

  private async renew(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    try {
      const now = this.clock.now();
      const held = new Set(await this.store.renewLeases(this.options.owner, ids, now + this.options.leaseMs, now));
      this.abort(
        ids.filter((id) => !held.has(id)),
        'lease-lost',
      );
    } catch (error) {
      this.hooks.onError(error, 'renew leases');
    }
  }
}
