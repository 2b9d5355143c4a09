import type { CallToolResult, McpServer, ServerContext, StandardSchemaWithJSON, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import { ToolError, toolErrorResult } from './errors.ts';

export interface ToolContext {
  signal: AbortSignal;
  correlationId?: string;
}

/** One tool: its schemas are its documentation, `run` returns structured content and a short text rendering. */
export interface ToolSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  run: (args: z.output<I>, ctx: ToolContext) => Promise<{ structured: z.output<O>; text: string }>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(spec: ToolSpec<I, O>): ToolSpec<I, O> {
  return spec;
}

/**
 * Registers a tool so bad input becomes `INVALID_ARGUMENT` naming the field (the SDK's own validation
 * answers free text without a code), and anything `run` throws becomes an `isError` result.
 */
export function registerTool<I extends z.ZodType, O extends z.ZodType>(server: McpServer, spec: ToolSpec<I, O>): void {
  server.registerTool(
    spec.name,
    {
      title: spec.title,
      description: spec.description,
      inputSchema: deferValidation(spec.input),
      outputSchema: spec.output as unknown as StandardSchemaWithJSON,
      annotations: spec.annotations,
    },
    async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
      const parsed = spec.input.safeParse(args ?? {});
      if (!parsed.success) return toolErrorResult(invalidArgument(parsed.error));
      try {
        const correlationId = ctx.mcpReq._meta?.['switchboard/correlationId'];
        const { structured, text } = await spec.run(parsed.data, {
          signal: ctx.mcpReq.signal,
          ...(typeof correlationId === 'string' ? { correlationId } : {}),
        });
        return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
      } catch (error) {
        return toolErrorResult(error);
      }
    },
  );
}

/** The first zod issue as an INVALID_ARGUMENT error naming the field (dotted path). */
export function invalidArgument(error: z.ZodError): ToolError {
  const issue = error.issues[0];
  if (issue === undefined) return new ToolError('INVALID_ARGUMENT', 'invalid arguments');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    return new ToolError('INVALID_ARGUMENT', `unknown argument ${keys}`, [...issue.path, issue.keys[0]].join('.'));
  }
  const field = issue.path.join('.');
  return new ToolError('INVALID_ARGUMENT', field === '' ? issue.message : `${field}: ${issue.message}`, field === '' ? undefined : field);
}

/** Advertises the zod schema's JSON Schema but leaves validation to `registerTool`, which names the field. */
function deferValidation(schema: z.ZodType): StandardSchemaWithJSON {
  const standard = (schema as unknown as StandardSchemaWithJSON)['~standard'];
  return {
    '~standard': { version: 1, vendor: 'switchboard', validate: (value: unknown) => ({ value }), jsonSchema: standard.jsonSchema },
  } as unknown as StandardSchemaWithJSON;
}
