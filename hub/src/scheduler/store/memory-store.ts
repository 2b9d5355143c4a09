import { isFinal, type NewTaskEvent, type TaskEvent, type TaskRecord, type TaskState } from '../task-model.ts';
import { Mutex } from './mutex.ts';
import { type ClaimRequest, type ClaimResult, DuplicateKeyError, type ListFilter, type StoreTx, type TaskStore } from './types.ts';

const copy = <T>(value: T): T => structuredClone(value);

/** Everything in maps: for unit tests and `store: { kind: memory }`. Nothing survives the process. */
export class MemoryTaskStore implements TaskStore {
  readonly kind = 'memory' as const;
  private readonly tasks = new Map<string, TaskRecord>();
  private readonly seqOf = new Map<string, number>();
  private readonly byKey = new Map<string, string>();
  private readonly dependants = new Map<string, Set<string>>();
  private readonly events: TaskEvent[] = [];
  private readonly roleClock = new Map<string, number>();
  private nextSeq = 1;
  private readonly mutex = new Mutex();

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.mutex.run(() => fn(this.tx));
  }

  private readonly tx: StoreTx = {
    insertTasks: async (tasks) => {
      for (const task of tasks) {
        if (task.idempotencyKey !== null && this.byKey.has(`${task.idempotencyScope}\u0000${task.idempotencyKey}`))
          throw new DuplicateKeyError(task.idempotencyKey);
      }
      for (const task of tasks) {
        this.tasks.set(task.id, copy(task));
        this.seqOf.set(task.id, this.nextSeq++);
        if (task.idempotencyKey !== null) this.byKey.set(`${task.idempotencyScope}\u0000${task.idempotencyKey}`, task.id);
        for (const dep of task.dependsOn) {
          const set = this.dependants.get(dep) ?? new Set();
          set.add(task.id);
          this.dependants.set(dep, set);
        }
      }
    },
    getTasks: async (ids) => this.pick(ids),
    findByIdempotencyKey: async (scope, key) => {
      const id = this.byKey.get(`${scope}\u0000${key}`);
      return id === undefined ? undefined : copy(this.tasks.get(id));
    },
    statesOf: async (ids) => {
      const states = new Map<string, TaskState>();
      for (const id of ids) {
        const task = this.tasks.get(id);
        if (task) states.set(id, task.state);
      }
      return states;
    },
    updateTasks: async (tasks) => {
      for (const task of tasks) if (this.tasks.has(task.id)) this.tasks.set(task.id, copy(task));
    },
    appendEvents: async (events) => this.append(events),
    dependantsOf: async (ids) => this.pick([...new Set(ids.flatMap((id) => [...(this.dependants.get(id) ?? [])]))]),
    allocateFairSeq: async (role, count) => {
      let floor = Number.POSITIVE_INFINITY;
      for (const task of this.tasks.values()) if (task.state === 'queued' && task.kind === 'task') floor = Math.min(floor, task.fairSeq);
      if (floor === Number.POSITIVE_INFINITY) floor = Math.max(0, ...this.roleClock.values());
      const first = Math.max((this.roleClock.get(role) ?? 0) + 1, floor);
      this.roleClock.set(role, first + count - 1);
      return first;
    },
  };

  private pick(ids: readonly string[]): TaskRecord[] {
    return ids.flatMap((id) => {
      const task = this.tasks.get(id);
      return task ? [copy(task)] : [];
    });
  }

  private append(events: readonly NewTaskEvent[]): TaskEvent[] {
    const first = this.events.length + 1;
    const stored = events.map((event, i) => ({ ...copy(event), id: first + i }) as TaskEvent);
    for (const event of stored) this.events.push(event);
    return stored.map(copy);
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.mutex.run(async () => {
      const excluded = new Set(request.excludeRoles);
      const due = [...this.tasks.values()]
        // Never past its deadline: the sweeper times such a task out instead of starting it late.
        .filter(
          (t) =>
            t.kind === 'task' &&
            t.state === 'queued' &&
            t.runAt <= request.now &&
            (t.deadline === null || t.deadline > request.now) &&
            !excluded.has(t.role),
        )
        .sort((a, b) => b.priority - a.priority || a.fairSeq - b.fairSeq || (this.seqOf.get(a.id) ?? 0) - (this.seqOf.get(b.id) ?? 0))
        .slice(0, request.limit);
      for (const task of due) {
        task.state = 'running';
        task.attempts += 1;
        task.leaseOwner = request.owner;
        task.leaseUntil = request.now + request.leaseMs;
        task.startedAt ??= request.now;
        task.updatedAt = request.now;
      }
      const groups = [...new Set(due.map((t) => t.parentId))].flatMap((id) => {
        const group = id === null ? undefined : this.tasks.get(id);
        return group?.state === 'queued' ? [group] : [];
      });
      for (const group of groups) Object.assign(group, { state: 'running', startedAt: request.now, updatedAt: request.now });
      const events = this.append(
        [...due, ...groups].map((t) => ({
          taskId: t.id,
          parentId: t.parentId,
          stepId: t.stepId,
          state: 'running',
          from: 'queued',
          attempt: t.attempts,
          at: request.now,
          error: null,
          runAt: null,
        })),
      );
      return { tasks: due.map(copy), events };
    });
  }

  async renewLeases(owner: string, ids: readonly string[], until: number, now: number): Promise<string[]> {
    const held: string[] = [];
    for (const id of ids) {
      const task = this.tasks.get(id);
      if (task?.state === 'running' && task.leaseOwner === owner) {
        task.leaseUntil = until;
        task.updatedAt = now;
        held.push(id);
      }
    }
    return held;
  }

  async overdue(now: number, limit: number): Promise<string[]> {
    return this.select((t) => !isFinal(t.state) && t.kind === 'task' && t.deadline !== null && t.deadline <= now, limit);
  }

  async expiredLeases(now: number, limit: number): Promise<string[]> {
    return this.select((t) => t.state === 'running' && t.leaseUntil !== null && t.leaseUntil < now, limit);
  }

  async unblockable(limit: number): Promise<string[]> {
    return this.select((t) => t.state === 'blocked' && t.dependsOn.every((dep) => this.tasks.get(dep)?.state === 'succeeded'), limit);
  }

  async settledGroups(limit: number): Promise<string[]> {
    return this.select(
      (g) => g.kind !== 'task' && !isFinal(g.state) && g.members.every((id) => isFinal(this.tasks.get(id)?.state ?? 'succeeded')),
      limit,
    );
  }

  private select(test: (task: TaskRecord) => boolean, limit: number): string[] {
    const found: string[] = [];
    for (const task of this.tasks.values()) {
      if (found.length >= limit) break;
      if (test(task)) found.push(task.id);
    }
    return found;
  }

  async getTask(id: string): Promise<TaskRecord | undefined> {
    const task = this.tasks.get(id);
    return task ? copy(task) : undefined;
  }

  async getTasks(ids: readonly string[]): Promise<TaskRecord[]> {
    return this.pick(ids);
  }

  async listTasks(filter: ListFilter): Promise<{ tasks: TaskRecord[]; nextCursor: string | null }> {
    const before = filter.cursor === undefined ? Number.POSITIVE_INFINITY : Number(filter.cursor);
    const rows = [...this.tasks.values()]
      .filter((t) => (this.seqOf.get(t.id) ?? 0) < before)
      .filter((t) => (filter.state === undefined || t.state === filter.state) && (filter.role === undefined || t.role === filter.role))
      .filter((t) => (filter.kind === undefined || t.kind === filter.kind) && (!filter.topLevel || t.parentId === null))
      .filter((t) => filter.principalId === undefined || t.principal?.id === filter.principalId)
      .filter((t) => (filter.createdFrom ?? -Infinity) <= t.createdAt && t.createdAt <= (filter.createdTo ?? Infinity))
      .sort((a, b) => (this.seqOf.get(b.id) ?? 0) - (this.seqOf.get(a.id) ?? 0));
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    const nextCursor = rows.length > filter.limit && last ? String(this.seqOf.get(last.id)) : null;
    return { tasks: page.map(copy), nextCursor };
  }

  async readEvents(taskIds: readonly string[], afterId: number, limit: number): Promise<TaskEvent[]> {
    const ids = new Set(taskIds);
    return this.events
      .filter((e) => e.id > afterId && ids.has(e.taskId))
      .slice(0, limit)
      .map(copy);
  }

  async queueDepth(): Promise<Record<string, number>> {
    const depth: Record<string, number> = {};
    for (const t of this.tasks.values()) if (t.kind === 'task' && t.state === 'queued') depth[t.role] = (depth[t.role] ?? 0) + 1;
    return depth;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}
}
