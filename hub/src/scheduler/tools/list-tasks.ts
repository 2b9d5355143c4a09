import { z } from 'zod';
import { TaskListSchema } from '../contracts.ts';
import type { Scheduler } from '../scheduler.ts';
import { TASK_STATES } from '../task-model.ts';
import { type HubTool, objectSchema, parseArgs, structured, taskErrorResult } from './tool-kit.ts';

export const ListInput = z.strictObject({
  state: z.enum(TASK_STATES).optional(),
  role: z.string().min(1).max(64).optional().describe('role bucket: the agent role, else the submitter’s role'),
  limit: z.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d+$/, 'a cursor is the nextCursor of an earlier page').optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('only tasks created at or after this time (ISO 8601)'),
  until: z.iso.datetime({ offset: true }).optional().describe('only tasks created at or before this time (ISO 8601)'),
});

/** hub__list_tasks: newest first, filtered, paged with a cursor. */
export function listTasksTool(scheduler: Scheduler): HubTool {
  return {
    definition: {
      name: 'hub__list_tasks',
      title: 'List tasks',
      description:
        'Tasks, newest first (top-level tasks, DAGs and batches; with `role`, steps too). Page with `cursor` = the last nextCursor.',
      inputSchema: objectSchema(ListInput),
      outputSchema: objectSchema(TaskListSchema),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async call(args, call) {
      try {
        const page = await scheduler.list(parseArgs(ListInput, args), call.principal);
        const lines = page.tasks.map((t) => `${t.id} ${t.kind} ${t.state}${t.target ? ` ${t.target}` : ''}`);
        return structured(lines.join('\n') || 'no tasks', page);
      } catch (error) {
        return taskErrorResult(error);
      }
    },
  };
}
