import { TASK_STATES, type TaskState } from './task-model.ts';

/**
 * The only legal moves. `running → queued` is a retry (or a lease lost with its hub);
 * `blocked` waits for dependencies and ends as `queued`, or `failed` / `cancelled` / `timed_out`
 * when a dependency does not succeed, the task is cancelled, or its deadline passes.
 */
export const TRANSITIONS: Readonly<Record<TaskState, readonly TaskState[]>> = {
  blocked: ['queued', 'failed', 'cancelled', 'timed_out'],
  queued: ['running', 'cancelled', 'timed_out'],
  running: ['succeeded', 'failed', 'cancelled', 'timed_out', 'queued'],
  succeeded: [],
  failed: [],
  cancelled: [],
  timed_out: [],
};

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: TaskState,
    readonly to: TaskState,
    readonly taskId?: string,
  ) {
    super(
      `illegal task transition ${from} → ${to}${taskId ? ` (task ${taskId})` : ''}; allowed from ${from}: ${TRANSITIONS[from].join(', ') || 'none (final)'}`,
    );
  }
}

export function canTransition(from: TaskState, to: TaskState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransitionError unless `from → to` is in the table. */
export function assertTransition(from: TaskState, to: TaskState, taskId?: string): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, taskId);
}

/** Every (from, to) pair, legal or not: for exhaustive tests and docs. */
export function allTransitionPairs(): { from: TaskState; to: TaskState; legal: boolean }[] {
  return TASK_STATES.flatMap((from) => TASK_STATES.map((to) => ({ from, to, legal: canTransition(from, to) })));
}
