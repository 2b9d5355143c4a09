import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { TaskApiError } from '../errors.ts';
import type { Scheduler } from '../scheduler.ts';
import type { TaskPrincipal } from '../task-model.ts';

/** What a hub__ task tool gets from the hub with each call. */
export interface TaskToolCall {
  principal?: TaskPrincipal | null;
  correlationId: string;
  signal?: AbortSignal;
}

/** A hub-owned MCP tool: its definition for tools/list, and its handler. */
export interface HubTool {
  definition: Tool;
  call(args: Record<string, unknown>, call: TaskToolCall): Promise<CallToolResult>;
}

export const objectSchema = (schema: z.ZodType): Tool['inputSchema'] => z.toJSONSchema(schema, { io: 'input' }) as Tool['inputSchema'];

/** A result carrying `structured` (a JSON object) and a one-line text rendering. */
export function structured(text: string, value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: value };
}

/** TaskApiError → isError result with the error in `_meta['switchboard/error']`, like every other tool. */
export function taskErrorResult(error: unknown): CallToolResult {
  const payload =
    error instanceof TaskApiError
      ? { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
  const where = 'field' in payload ? ` (field '${payload.field}')` : '';
  return {
    isError: true,
    content: [{ type: 'text', text: `${payload.code}: ${payload.message}${where}` }],
    _meta: { 'switchboard/error': payload },
  };
}

/** Validates `args` with `schema`, naming the field on failure. */
export function parseArgs<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  throw new TaskApiError('INVALID_ARGUMENT', `${field ? `${field}: ` : ''}${issue?.message}`, field || undefined);
}

export type ToolFactory = (scheduler: Scheduler) => HubTool;
