import { z } from 'zod';
import { TASK_STATES } from './task-model.ts';

// The task API's contracts: one zod schema each → validation, TypeScript types, and the JSON Schemas
// served at /v1/schema and exported under docs/schemas/. The submission shapes are fixed.

const toolName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'a tool name as tools/list shows it, e.g. fs__read_file or agent__coder')
  .describe('the tool to call: a role agent (agent__<role>) or any tool the hub lists');
const input = z.record(z.string(), z.unknown()).default({}).describe("the tool's arguments");
const priority = z.number().int().min(-1000).max(1000).describe('higher runs first; FIFO within a priority (default 0)');
const timeoutMs = z
  .number()
  .int()
  .positive()
  .max(7 * 24 * 3_600_000)
  .describe('deadline relative to submission; past it the task is timed_out and its running call cancelled');
const maxAttempts = z
  .number()
  .int()
  .min(1)
  .max(20)
  .describe('attempts in all, retries included (default 3); only retryable errors are retried');
const backoff = z
  .strictObject({
    baseMs: z.number().int().min(0).max(3_600_000).default(500),
    factor: z.number().min(1).max(10).default(2),
    maxMs: z.number().int().min(0).max(86_400_000).default(60_000),
    jitter: z.number().min(0).max(1).default(0.5),
  })
  .describe('retry delay: min(maxMs, baseMs·factor^(attempt-1)), minus up to `jitter` of it at random');
const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .describe('same key + same submission → the existing task; same key + different submission → CONFLICT');

export const TaskSubmissionSchema = z.strictObject({
  target: toolName,
  input,
  priority: priority.optional(),
  deadline: z.iso.datetime({ offset: true }).optional().describe('absolute deadline (ISO 8601)'),
  timeoutMs: timeoutMs.optional(),
  maxAttempts: maxAttempts.optional(),
  backoff: backoff.optional(),
  idempotencyKey: idempotencyKey.optional(),
  dependsOn: z.array(z.string().min(1).max(64)).max(100).optional().describe('ids of existing tasks that must succeed first'),
});

const localId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'step ids are 1-64 letters, digits, _ or -');

export const DagStepSchema = z.strictObject({
  id: localId.describe("the step's id inside this DAG"),
  target: toolName,
  input,
  dependsOn: z.array(localId).max(100).optional().describe('ids of steps of this DAG that must succeed first'),
  priority: priority.optional(),
  timeoutMs: timeoutMs.optional(),
  maxAttempts: maxAttempts.optional(),
  backoff: backoff.optional(),
});

export const DagSubmissionSchema = z.strictObject({
  steps: z.array(DagStepSchema).min(1).max(200),
  idempotencyKey: idempotencyKey.optional(),
  priority: priority.optional().describe("default priority of the DAG's steps"),
});

export const BatchSubmissionSchema = z.strictObject({
  batch: z.array(TaskSubmissionSchema).min(1).max(1000),
});

export type TaskSubmission = z.infer<typeof TaskSubmissionSchema>;
export type DagStepSubmission = z.infer<typeof DagStepSchema>;
export type DagSubmission = z.infer<typeof DagSubmissionSchema>;
export type BatchSubmission = z.infer<typeof BatchSubmissionSchema>;
export type Submission = TaskSubmission | DagSubmission | BatchSubmission;

const state = z.enum(TASK_STATES);
const time = z.iso.datetime().nullable();

export const TaskErrorSchema = z.object({
  code: z.string().describe('ACL_DENIED, INVALID_ARGUMENT, TIMEOUT, DEPENDENCY_FAILED, CANCELLED, LEASE_EXPIRED, …'),
  message: z.string(),
  field: z.string().optional(),
  causeTaskId: z.string().optional().describe('the dependency whose end caused this one'),
});

export const StepViewSchema = z.object({
  id: z.string().describe('the local step id'),
  taskId: z.string(),
  state,
  attempts: z.number().int(),
  dependsOn: z.array(z.string()).describe('local step ids'),
  result: z.unknown().nullable(),
  error: TaskErrorSchema.nullable(),
});

export const TaskViewSchema = z.object({
  id: z.string(),
  kind: z.enum(['task', 'dag', 'batch']),
  state,
  target: z.string().nullable(),
  role: z.string().nullable(),
  priority: z.number().int(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  result: z.unknown().nullable().describe('the CallToolResult of a succeeded task; a DAG: { <step id>: result }'),
  error: TaskErrorSchema.nullable().describe('why it failed, or the last retryable error while it waits to retry'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  startedAt: time,
  finishedAt: time,
  deadline: time,
  runAt: time.describe('queued: when the next attempt may start'),
  dependsOn: z.array(z.string()),
  parentId: z.string().nullable().describe('the dag or batch this task belongs to'),
  stepId: z.string().nullable(),
  idempotencyKey: z.string().nullable(),
  correlationId: z.string(),
  steps: z.array(StepViewSchema).optional().describe('DAG only'),
  tasks: z
    .array(z.object({ id: z.string(), state, attempts: z.number().int() }))
    .optional()
    .describe('batch only'),
});

export const TaskEventSchema = z.object({
  id: z.number().int().describe('global, increasing: the SSE event id, resumable with Last-Event-ID'),
  taskId: z.string(),
  parentId: z.string().nullable(),
  stepId: z.string().nullable(),
  state,
  from: state.nullable(),
  attempt: z.number().int(),
  at: z.iso.datetime(),
  error: TaskErrorSchema.nullable(),
  runAt: time,
});

export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.enum(['INVALID_ARGUMENT', 'NOT_FOUND', 'CONFLICT', 'ACL_DENIED', 'UNAVAILABLE', 'INTERNAL']),
    message: z.string(),
    field: z.string().optional(),
  }),
  correlationId: z.string(),
});

export const TaskListSchema = z.object({
  tasks: z.array(TaskViewSchema),
  nextCursor: z.string().nullable(),
});

export type TaskView = z.infer<typeof TaskViewSchema>;
export type StepView = z.infer<typeof StepViewSchema>;
export type TaskEventView = z.infer<typeof TaskEventSchema>;

/** Every contract as JSON Schema, keyed by name: `/v1/schema` and docs/schemas/*.json. */
export function taskJsonSchemas(): Record<string, unknown> {
  const entries = {
    'task-submission': TaskSubmissionSchema,
    'dag-submission': DagSubmissionSchema,
    'batch-submission': BatchSubmissionSchema,
    'task-view': TaskViewSchema,
    'task-list': TaskListSchema,
    'task-event': TaskEventSchema,
    'api-error': ApiErrorSchema,
  };
  return Object.fromEntries(Object.entries(entries).map(([name, schema]) => [name, z.toJSONSchema(schema, { io: 'input' })]));
}
