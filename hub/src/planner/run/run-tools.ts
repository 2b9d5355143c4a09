import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { z } from 'zod';
import type { Principal } from '../../policy/index.ts';
import { failureResult } from '../agent/types.ts';
import { RunInputSchema } from './plan-model.ts';
import { type ExecuteInput, type PlannerService, RUN_TOOL } from './planner-service.ts';
import { renderView } from './report-text.ts';
import { RunApiError, type RunView } from './run-view.ts';

export interface PlannerToolCall {
  principal: Principal;
  correlationId: string;
  signal?: AbortSignal;
  /** Set only by the scheduler when it executes a run task. */
  taskId?: string;
}

export interface PlannerTool {
  definition: Tool;
  call(args: Record<string, unknown>, call: PlannerToolCall): Promise<CallToolResult>;
}

const waitMs = z.number().int().min(0).max(600_000).default(0).describe('wait up to this long for the run to finish or to need approval');
const runId = z.string().min(1).max(64).describe('the run id hub__run_task answered');

export const RunTaskArgs = RunInputSchema.extend({ waitMs });
const ExecuteArgs = RunInputSchema.extend({
  runId: z.string().optional(),
  resume: z.strictObject({ approved: z.boolean(), by: z.string(), note: z.string().optional() }).optional(),
});
const StatusArgs = z.strictObject({ runId, waitMs });
const DecisionArgs = z.strictObject({ runId, note: z.string().max(2000).optional().describe('why, for the record') });

const viewSchema = {
  type: 'object',
  properties: {
    runId: { type: 'string' },
    status: {
      type: 'string',
      enum: ['queued', 'running', 'awaiting_approval', 'resuming', 'succeeded', 'failed', 'rejected', 'cancelled', 'timed_out'],
    },
    final: { type: 'boolean' },
    round: { type: 'number' },
    summary: { type: 'string' },
  },
  required: ['runId', 'status', 'final', 'round', 'summary'],
} as Tool['outputSchema'];

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest as Tool['inputSchema'];
};

function parse<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new RunApiError('INVALID_ARGUMENT', `${field ? `${field}: ` : ''}${issue?.message}`, field || undefined);
}

function answer(view: RunView): CallToolResult {
  return { content: [{ type: 'text', text: renderView(view) }], structuredContent: view as unknown as Record<string, unknown> };
}

function errorResult(error: unknown): CallToolResult {
  if (error instanceof RunApiError)
    return failureResult({ code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) });
  if ((error as { name?: string })?.name === 'TaskApiError') {
    const e = error as { code: string; message: string; field?: string };
    return failureResult({ code: e.code, message: e.message, ...(e.field ? { field: e.field } : {}) });
  }
  throw error;
}

const annotations = { readOnlyHint: false, idempotentHint: false, openWorldHint: true };

/** hub__run_task, hub__run_status, hub__approve, hub__reject. */
export function plannerTools(service: PlannerService): PlannerTool[] {
  const decision =
    (approved: boolean): PlannerTool['call'] =>
    async (args, call) => {
      try {
        // An agent can never approve anything: approvals exist to put a person between agents and effects.
        if (call.principal.kind === 'agent')
          throw new RunApiError('ACL_DENIED', `${call.principal.id} is an agent; only a person (or their client) may decide on a run`);
        const input = parse(DecisionArgs, args);
        return answer(await service.decide(input.runId, { approved, by: call.principal.id, ...(input.note ? { note: input.note } : {}) }));
      } catch (error) {
        return errorResult(error);
      }
    };
  return [
    {
      definition: {
        name: RUN_TOOL,
        title: 'Run a task through the planner',
        description:
          'Plans a task into role-agent steps (from playbooks, or with the configured model), runs them — independent steps in parallel, ' +
          'dependent ones as a durable scheduler DAG — reviews the result (a rejected round is reworked with the feedback) and reports. ' +
          'Answers the run at once, or waits up to `waitMs`. Roles marked requiresApproval make the run wait for hub__approve.',
        inputSchema: jsonSchema(RunTaskArgs),
        outputSchema: viewSchema,
        annotations,
      },
      async call(args, call) {
        try {
          if (call.taskId !== undefined)
            return await service.execute(parse(ExecuteArgs, args) as ExecuteInput, { ...call, taskId: call.taskId });
          const { waitMs: wait, ...input } = parse(RunTaskArgs, args);
          const started = await service.start(input, call);
          return answer(wait > 0 ? await service.wait(started.runId, wait, call.signal) : started);
        } catch (error) {
          return errorResult(error);
        }
      },
    },
    {
      definition: {
        name: 'hub__run_status',
        title: 'Status of a planner run',
        description:
          'The run: status, plan, step outcomes, the approval it waits for, and its report once done. `waitMs` waits for the end.',
        inputSchema: jsonSchema(StatusArgs),
        outputSchema: viewSchema,
        annotations: { ...annotations, readOnlyHint: true },
      },
      async call(args, call) {
        try {
          const input = parse(StatusArgs, args);
          return answer(input.waitMs > 0 ? await service.wait(input.runId, input.waitMs, call.signal) : await service.view(input.runId));
        } catch (error) {
          return errorResult(error);
        }
      },
    },
    {
      definition: {
        name: 'hub__approve',
        title: 'Approve a waiting run',
        description: 'Approves the steps a run waits for (roles marked requiresApproval); the run resumes. Agents cannot call this.',
        inputSchema: jsonSchema(DecisionArgs),
        outputSchema: viewSchema,
        annotations,
      },
      call: decision(true),
    },
    {
      definition: {
        name: 'hub__reject',
        title: 'Reject a waiting run',
        description: 'Rejects the steps a run waits for; the run ends `rejected` without running them. Agents cannot call this.',
        inputSchema: jsonSchema(DecisionArgs),
        outputSchema: viewSchema,
        annotations,
      },
      call: decision(false),
    },
  ];
}
