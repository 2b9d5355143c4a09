import { TaskApiError } from './errors.ts';
import type { Changes, Lifecycle } from './lifecycle.ts';
import type { StoreTx } from './store/types.ts';
import type { SubmissionPlan } from './submission.ts';
import { isFinal, type TaskRecord } from './task-model.ts';

export interface Inserted {
  root: TaskRecord;
  /** false when the idempotency key matched an earlier, identical submission. */
  created: boolean;
  changes: Changes;
}

/**
 * Stores a planned submission in one transaction: idempotency (hit → the existing task, different body
 * → CONFLICT), dependencies on existing tasks (locked, so one finishing now cannot miss the new row),
 * fair-queue positions, initial states, and the first events.
 */
export async function insertSubmission(tx: StoreTx, plan: SubmissionPlan, lifecycle: Lifecycle, now: number): Promise<Inserted> {
  const changes: Changes = { events: [], aborted: [] };
  const { root } = plan;
  if (root.idempotencyKey !== null) {
    const existing = await tx.findByIdempotencyKey(root.idempotencyScope ?? '', root.idempotencyKey);
    if (existing) return { root: sameOrConflict(existing, root), created: false, changes };
  }
  let rows = plan.rows;
  for (const member of plan.memberKeys) {
    const row = rows.find((r) => r.id === root.members[member.index]) as TaskRecord;
    const existing = await tx.findByIdempotencyKey(row.idempotencyScope ?? '', member.key);
    if (!existing) continue;
    sameOrConflict(existing, row, `batch[${member.index}].idempotencyKey`);
    root.members[member.index] = existing.id;
    rows = rows.filter((r) => r !== row);
  }
  if (rows.length === 1 && rows[0] === root && root.kind === 'batch') return { root, created: false, changes };

  const local = new Map(rows.map((r) => [r.id, r]));
  const external = new Map((await tx.getTasks(plan.externalDeps, true)).map((t) => [t.id, t]));
  for (const row of rows) {
    row.dependsOn.forEach((dep, i) => {
      if (!local.has(dep) && !external.has(dep))
        throw new TaskApiError('INVALID_ARGUMENT', `dependsOn[${i}]: no task '${dep}' (it must exist before its dependants)`, 'dependsOn');
    });
  }

  const byRole = new Map<string, TaskRecord[]>();
  for (const row of rows.filter((r) => r.kind === 'task')) byRole.set(row.role, [...(byRole.get(row.role) ?? []), row]);
  // Roles in one order for every submission: concurrent ones lock their role_clock rows alike (no deadlock).
  for (const [role, members] of [...byRole].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const first = await tx.allocateFairSeq(role, members.length);
    members.forEach((row, i) => {
      row.fairSeq = first + i;
    });
  }

  const doomed: { row: TaskRecord; cause: TaskRecord }[] = [];
  for (const row of rows) {
    if (row.kind !== 'task' || row.dependsOn.length === 0) continue;
    const deps = row.dependsOn.map((id) => external.get(id) ?? local.get(id)) as TaskRecord[];
    if (deps.every((d) => d.state === 'succeeded')) continue;
    row.state = 'blocked';
    const ended = deps.find((d) => isFinal(d.state) && d.state !== 'succeeded');
    if (ended && external.has(ended.id)) doomed.push({ row, cause: ended });
  }
  await tx.insertTasks(rows);
  for (const row of rows) {
    changes.events.push({
      taskId: row.id,
      parentId: row.parentId,
      stepId: row.stepId,
      state: row.state,
      from: null,
      attempt: 0,
      at: now,
      error: null,
      runAt: null,
    });
  }
  // A dependency that already failed or was cancelled decides the new task at once.
  for (const { row, cause } of doomed) {
    const mode = cause.state === 'cancelled' ? 'cancelled' : 'failed';
    const code = mode === 'cancelled' ? 'CANCELLED' : 'DEPENDENCY_FAILED';
    lifecycle.move(row, mode, now, changes, {
      error: { code, message: `dependency '${cause.id}' had already ended as ${cause.state}`, causeTaskId: cause.id },
    });
  }
  await tx.updateTasks(doomed.map((d) => d.row));
  return { root, created: true, changes };
}

function sameOrConflict(existing: TaskRecord, wanted: TaskRecord, field = 'idempotencyKey'): TaskRecord {
  if (existing.fingerprint === wanted.fingerprint && existing.kind === wanted.kind) return existing;
  throw new TaskApiError(
    'CONFLICT',
    `idempotencyKey '${wanted.idempotencyKey}' was already used for a different submission (task ${existing.id}); use a new key, or resend exactly the same submission to get that task`,
    field,
  );
}
