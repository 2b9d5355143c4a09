import type { TaskEvent, TaskState } from '../task-model.ts';
import type { Row } from './sql-store.ts';
import type { ClaimAndCompleteResult, ClaimedTask } from './types.ts';

const optStr = (value: unknown) => (value === null || value === undefined ? null : String(value));
const parse = (value: unknown) => (value === null || value === undefined ? null : JSON.parse(String(value)));

/** The rows of CLAIM_AND_COMPLETE: one per claimed task, finished task, group moved, group to settle elsewhere or recheck. */
export function decodeClaimAndComplete(rows: readonly Row[], at: number): ClaimAndCompleteResult {
  const tasks: (ClaimedTask & { seq: number })[] = [];
  const events: TaskEvent[] = [];
  const finished: TaskEvent[] = [];
  const withDependants: string[] = [];
  const groups: string[] = [];
  const recheck: string[] = [];
  for (const row of rows) {
    const what = row.what as string;
    if (what === 'unsettled' || what === 'recheck') {
      (what === 'unsettled' ? groups : recheck).push(String(row.id));
      continue;
    }
    const claimed = what === 'claimed';
    const started = claimed || what === 'group_started';
    const event: TaskEvent = {
      id: Number(row.event_id),
      taskId: String(row.id),
      parentId: optStr(row.parent_id),
      stepId: optStr(row.step_id),
      state: (started ? 'running' : row.state) as TaskState,
      from: started ? 'queued' : 'running',
      attempt: Number(row.attempts),
      at,
      error: parse(row.error),
      runAt: null,
    };
    (started ? events : finished).push(event);
    if (row.has_dependants) withDependants.push(event.taskId);
    if (!claimed) continue;
    tasks.push({
      id: event.taskId,
      parentId: event.parentId,
      stepId: event.stepId,
      target: String(row.target),
      input: parse(row.input) ?? {},
      role: String(row.role),
      priority: Number(row.priority),
      fairSeq: Number(row.fair_seq),
      seq: Number(row.seq),
      attempts: event.attempt,
      deadline: row.deadline === null ? null : Number(row.deadline),
      principal: parse(row.principal),
      correlationId: String(row.correlation_id),
    });
  }
  tasks.sort((a, b) => b.priority - a.priority || a.fairSeq - b.fairSeq || a.seq - b.seq);
  const byId = (a: TaskEvent, b: TaskEvent) => a.id - b.id;
  return {
    tasks,
    events: events.sort(byId),
    completed: { events: finished.sort(byId), withDependants, groups, recheck },
  };
}
