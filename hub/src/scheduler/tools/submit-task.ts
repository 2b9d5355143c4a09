import type { Tool } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { BatchSubmissionSchema, DagSubmissionSchema, TaskSubmissionSchema, TaskViewSchema } from '../contracts.ts';
import type { Scheduler } from '../scheduler.ts';
import { type HubTool, objectSchema, structured, taskErrorResult } from './tool-kit.ts';

const inputSchema = {
  type: 'object',
  description: 'one task { target, input, … }, a DAG { steps: [{ id, target, input, dependsOn }] }, or a batch { batch: [task, …] }',
  anyOf: [TaskSubmissionSchema, DagSubmissionSchema, BatchSubmissionSchema].map((schema) => {
    const { $schema: _, ...rest } = objectSchema(schema) as Record<string, unknown>;
    return rest;
  }),
} as Tool['inputSchema'];

/** hub__submit_task: stores a task (or DAG, or batch) and answers at once; hub__task_status follows it. */
export function submitTaskTool(scheduler: Scheduler): HubTool {
  return {
    definition: {
      name: 'hub__submit_task',
      title: 'Submit a task',
      description:
        'Queues durable work: one tool call (a role agent agent__<role> or any listed tool) with priority, deadline (ISO `deadline` or `timeoutMs`), ' +
        'retries (`maxAttempts`, only for retryable errors) and `idempotencyKey`; or a DAG of steps with `dependsOn`; or a batch. ' +
        'Answers the task view at once (state queued or blocked); poll hub__task_status or stream GET /v1/tasks/:id/events. ' +
        'The task runs under your identity. Cycles, unknown tools and reused keys with a different body are refused.',
      inputSchema,
      outputSchema: objectSchema(TaskViewSchema.extend({ created: z.boolean() })),
      annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: true },
    },
    async call(args, call) {
      try {
        const { task, created } = await scheduler.submit(args, { principal: call.principal ?? null, correlationId: call.correlationId });
        const what = task.kind === 'task' ? `task ${task.id} (${task.target})` : `${task.kind} ${task.id}`;
        return structured(`${created ? 'submitted' : 'already submitted'} ${what}: ${task.state}`, { ...task, created });
      } catch (error) {
        return taskErrorResult(error);
      }
    },
  };
}
