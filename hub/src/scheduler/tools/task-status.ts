import { z } from 'zod';
import { TaskViewSchema } from '../contracts.ts';
import type { Scheduler } from '../scheduler.ts';
import { isFinal, type TaskState } from '../task-model.ts';
import { type HubTool, objectSchema, parseArgs, structured, taskErrorResult } from './tool-kit.ts';

const Input = z.strictObject({
  id: z.string().min(1).max(64).describe('the task, DAG or batch id hub__submit_task answered'),
  waitMs: z.number().int().min(0).max(60_000).default(0).describe('wait up to this long for the task to finish (0: answer now)'),
});

/** hub__task_status: a task's view, optionally waiting for it to finish. */
export function taskStatusTool(scheduler: Scheduler): HubTool {
  return {
    definition: {
      name: 'hub__task_status',
      title: 'Task status',
      description:
        "A task's state, attempts, result or error; a DAG's steps; a batch's tasks. `waitMs` waits (at most 60 s) for a final state.",
      inputSchema: objectSchema(Input),
      outputSchema: objectSchema(TaskViewSchema),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async call(args, call) {
      try {
        const { id, waitMs } = parseArgs(Input, args);
        let view = await scheduler.require(id, call.principal);
        if (waitMs > 0 && !isFinal(view.state as TaskState)) view = await scheduler.waitFor(id, waitMs).catch(() => scheduler.require(id));
        const detail = view.error ? ` — ${view.error.code}: ${view.error.message}` : '';
        return structured(`${view.kind} ${view.id}: ${view.state} after ${view.attempts} attempt(s)${detail}`, view);
      } catch (error) {
        return taskErrorResult(error);
      }
    },
  };
}
