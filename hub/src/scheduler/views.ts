import type { StepView, TaskEventView, TaskView } from './contracts.ts';
import { groupState } from './lifecycle.ts';
import type { TaskEvent, TaskRecord } from './task-model.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The public view of a task; a group needs its members (in order) for `steps` / `tasks` and its state. */
export function taskView(task: TaskRecord, members: TaskRecord[] = []): TaskView {
  const view: TaskView = {
    id: task.id,
    kind: task.kind,
    state: task.state,
    target: task.kind === 'task' ? task.target : null,
    role: task.kind === 'task' ? task.role : null,
    priority: task.priority,
    attempts: task.attempts,
    maxAttempts: task.maxAttempts,
    result: task.result,
    error: task.error,
    createdAt: new Date(task.createdAt).toISOString(),
    updatedAt: new Date(task.updatedAt).toISOString(),
    startedAt: iso(task.startedAt),
    finishedAt: iso(task.finishedAt),
    deadline: iso(task.deadline),
    runAt: task.state === 'queued' && task.kind === 'task' ? iso(task.runAt) : null,
    dependsOn: task.dependsOn,
    parentId: task.parentId,
    stepId: task.stepId,
    idempotencyKey: task.idempotencyKey,
    correlationId: task.correlationId,
  };
  if (task.kind === 'task') return view;
  const byId = new Map(members.map((m) => [m.id, m]));
  const ordered = task.members.map((id) => byId.get(id)).filter((m): m is TaskRecord => m !== undefined);
  // Members deduplicated into a batch belong to another group and do not report to it: derive its state.
  if (ordered.some((m) => m.parentId !== task.id)) {
    const derived = groupState(ordered.map((m) => m.state));
    if (derived !== 'queued' && derived !== task.state) view.state = derived;
  }
  view.attempts = ordered.reduce((sum, m) => sum + m.attempts, 0);
  const starts = ordered.map((m) => m.startedAt).filter((t): t is number => t !== null);
  view.startedAt = starts.length ? iso(Math.min(...starts)) : null;
  if (task.kind === 'dag') {
    const stepIdOf = new Map(ordered.map((m) => [m.id, m.stepId ?? m.id]));
    view.steps = ordered.map(
      (m): StepView => ({
        id: m.stepId ?? m.id,
        taskId: m.id,
        state: m.state,
        attempts: m.attempts,
        dependsOn: m.dependsOn.map((d) => stepIdOf.get(d) ?? d),
        result: m.result,
        error: m.error,
      }),
    );
    if (view.state === 'succeeded') view.result = Object.fromEntries(ordered.map((m) => [m.stepId ?? m.id, m.result]));
  } else {
    view.tasks = ordered.map((m) => ({ id: m.id, state: m.state, attempts: m.attempts }));
  }
  return view;
}

/** Always the same key order, whichever store made the event: SSE readers may match on the text. */
export function eventView(event: TaskEvent): TaskEventView {
  return {
    id: event.id,
    taskId: event.taskId,
    parentId: event.parentId,
    stepId: event.stepId,
    state: event.state,
    from: event.from,
    attempt: event.attempt,
    at: new Date(event.at).toISOString(),
    error: event.error,
    runAt: iso(event.runAt),
  };
}
