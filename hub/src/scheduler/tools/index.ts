import type { Scheduler } from '../scheduler.ts';
import { cancelTaskTool } from './cancel-task.ts';
import { listTasksTool } from './list-tasks.ts';
import { submitTaskTool } from './submit-task.ts';
import { taskStatusTool } from './task-status.ts';
import type { HubTool } from './tool-kit.ts';

export { ListInput } from './list-tasks.ts';
export type { HubTool, TaskToolCall } from './tool-kit.ts';

/** The hub__ task tools, in tools/list order. */
export function taskTools(scheduler: Scheduler): HubTool[] {
  return [submitTaskTool(scheduler), taskStatusTool(scheduler), cancelTaskTool(scheduler), listTasksTool(scheduler)];
}
