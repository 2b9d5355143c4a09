import type { TaskEventView, TaskView } from '../../scheduler/contracts.ts';
import type { Scheduler } from '../../scheduler/scheduler.ts';
import { isFinal, type TaskState } from '../../scheduler/task-model.ts';

export type FollowItem = { event: TaskEventView } | { end: TaskView };

/**
 * A task's events after `afterId`, stored ones first, then live ones, ending with `{ end: view }` once
 * the task (or group) is final. Local events wake it at once; events written by other hubs sharing
 * the store are found by polling every `pollMs`. Throws NOT_FOUND for an unknown id before yielding.
 */
export async function* followEvents(
  scheduler: Scheduler,
  id: string,
  afterId: number,
  signal: AbortSignal,
  pollMs = 1000,
): AsyncGenerator<FollowItem> {
  await scheduler.require(id);
  let cursor = afterId;
  let wake: (() => void) | undefined;
  const unsubscribe = scheduler.subscribe([id], () => wake?.());
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      const batch = await scheduler.events(id, cursor);
      for (const event of batch) {
        cursor = event.id;
        yield { event };
      }
      if (batch.length > 0) continue;
      const view = await scheduler.require(id);
      if (isFinal(view.state as TaskState)) {
        for (const event of await scheduler.events(id, cursor)) {
          cursor = event.id;
          yield { event };
        }
        yield { end: view };
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
