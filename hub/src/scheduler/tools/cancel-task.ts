import { z } from 'zod';
import { TaskViewSchema } from '../contracts.ts';
import type { Scheduler } from '../scheduler.ts';
import { type HubTool, objectSchema, parseArgs, structured, taskErrorResult } from './tool-kit.ts';

const Input = z.strictObject({ id: z.string().min(1).max(64).describe('the task, DAG or batch to cancel') });

/** hub__cancel_task: cancels an unfinished task (its running call too) and everything depending on it. */
export function cancelTaskTool(scheduler: Scheduler): HubTool {
  return {
    definition: {
      name: 'hub__cancel_task',
      title: 'Cancel a task',
      description:
        'Cancels an unfinished task, DAG or batch: a running call is cancelled (MCP cancellation) and dependants end as cancelled. A finished task answers CONFLICT.',
      inputSchema: objectSchema(Input),
      outputSchema: objectSchema(TaskViewSchema),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async call(args, call) {
      try {
        const view = await scheduler.cancel(parseArgs(Input, args).id, call.principal);
        return structured(`${view.kind} ${view.id}: ${view.state}`, view);
      } catch (error) {
        return taskErrorResult(error);
      }
    },
  };
}
