import type { TaskEvent, TaskState } from '../task-model.ts';
import { optStr, parse } from './sql-rows.ts';
import type { ClaimAndCompleteResult, ClaimedTask } from './types.ts';

/** Column positions in a CLAIM_AND_COMPLETE row (read as arrays: no object per row). */
const WHAT = 0;
const EVENT_ID = 1;
const ID = 2;
const PARENT_ID = 3;
const STEP_ID = 4;
const ATTEMPTS = 5;
const ERROR = 6;
const TARGET = 7;
const INPUT = 8;
const ROLE = 9;
const PRIORITY = 10;
const FAIR_SEQ = 11;
const SEQ = 12;
const DEADLINE = 13;
const PRINCIPAL = 14;
const CORRELATION_ID = 15;
const STATE = 16;
const HAS_DEPENDANTS = 17;

/**
 * The rows of CLAIM_AND_COMPLETE (as arrays, in the order of its select list): one per claimed task,
 * finished task, group moved, group to settle elsewhere or recheck.
 */
export function decodeClaimAndComplete(rows: readonly unknown[][], at: number): ClaimAndCompleteResult {
  const tasks: (ClaimedTask & { seq: number })[] = [];
  const events: TaskEvent[] = [];
  const finished: TaskEvent[] = [];
  const withDependants: string[] = [];
  const groups: string[] = [];
  const recheck: string[] = [];
  for (const row of rows) {
    const what = row[WHAT] as string;
    if (what === 'unsettled' || what === 'recheck') {
      (what === 'unsettled' ? groups : recheck).push(String(row[ID]));
      continue;
    }
    const claimed = what === 'claimed';
    const started = claimed || what === 'group_started';
    const event: TaskEvent = {
      id: Number(row[EVENT_ID]),
      taskId: String(row[ID]),
      parentId: optStr(row[PARENT_ID]),
      stepId: optStr(row[STEP_ID]),
      state: (started ? 'running' : row[STATE]) as TaskState,
      from: started ? 'queued' : 'running',
      attempt: Number(row[ATTEMPTS]),
      at,
      error: parse(row[ERROR]),
      runAt: null,
    };
    (started ? events : finished).push(event);
    if (row[HAS_DEPENDANTS]) withDependants.push(event.taskId);
    if (!claimed) continue;
    tasks.push({
      id: event.taskId,
      parentId: event.parentId,
      stepId: event.stepId,
      target: String(row[TARGET]),
      input: parse(row[INPUT]) ?? {},
      role: String(row[ROLE]),
      priority: Number(row[PRIORITY]),
      fairSeq: Number(row[FAIR_SEQ]),
      seq: Number(row[SEQ]),
      attempts: event.attempt,
      deadline: row[DEADLINE] === null ? null : Number(row[DEADLINE]),
      principal: parse(row[PRINCIPAL]),
      correlationId: String(row[CORRELATION_ID]),
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
