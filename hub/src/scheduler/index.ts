export { backoffDelay, isRetryable } from './backoff.ts';
export { type Clock, ManualClock, settle, systemClock } from './clock.ts';
export {
  ApiErrorSchema,
  BatchSubmissionSchema,
  DagSubmissionSchema,
  type TaskEventView,
  TaskSubmissionSchema,
  type TaskView,
  TaskViewSchema,
  taskJsonSchemas,
} from './contracts.ts';
export { HTTP_STATUS, TaskApiError, type TaskApiErrorCode } from './errors.ts';
export type { ExecutionContext, TaskExecutor } from './executor.ts';
export { type CallerContext, Scheduler, type SchedulerOptions } from './scheduler.ts';
export { assertTransition, canTransition, IllegalTransitionError, TRANSITIONS } from './state-machine.ts';
export { MemoryTaskStore } from './store/memory-store.ts';
export { openTaskStore, type StoreConfig } from './store/open-store.ts';
export { PostgresTaskStore } from './store/postgres-store.ts';
export { SqliteTaskStore } from './store/sqlite-store.ts';
export type { TaskStore } from './store/types.ts';
export { FINAL_STATES, isFinal, TASK_STATES, type TaskPrincipal, type TaskRecord, type TaskState } from './task-model.ts';
export { seesAll, type TaskViewer, visibleTo } from './visibility.ts';
