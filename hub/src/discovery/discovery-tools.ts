import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { z } from 'zod';

export const FIND_TOOLS = 'hub__find_tools';
export const CALL_TOOL = 'hub__call_tool';
/** The two tools every role may use unless its deny names them: they only reach what the role allows anyway. */
export const DISCOVERY_TOOLS: ReadonlySet<string> = new Set([FIND_TOOLS, CALL_TOOL]);

const TagField = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'tags are lowercase letters, digits and dashes');

export const FindToolsInput = z.strictObject({
  query: z.string().trim().min(1).max(2000).describe('what you want to do, in words, e.g. "how many rows are in the orders table"'),
  k: z.number().int().min(1).max(50).default(5).describe('how many tools to return (1..50)'),
  server: z
    .union([z.string().min(1).max(64), z.array(z.string().min(1).max(64)).min(1).max(50)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional()
    .describe('only tools of these upstreams (`agent` for role agents, `hub` for the hub’s own)'),
  tags: z.array(TagField).min(1).max(20).optional().describe('only tools carrying any of these tags'),
});
export type FindToolsArgs = z.infer<typeof FindToolsInput>;

export const CallToolInput = z.strictObject({
  name: z.string().min(1).max(256).describe('the tool’s name as hub__find_tools returned it'),
  arguments: z.record(z.string(), z.unknown()).default({}).describe('its arguments, matching the inputSchema hub__find_tools returned'),
});

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest as Tool['inputSchema'];
};

export const findToolsDefinition: Tool = {
  name: FIND_TOOLS,
  title: 'Find tools',
  description:
    'Searches the tools you may call (names, descriptions, argument descriptions, server, tags) and returns the best matches with their input schemas. ' +
    'Call one with hub__call_tool { name, arguments }. Only tools your role allows are ever returned; `callable: false` means its server is down right now.',
  inputSchema: jsonSchema(FindToolsInput),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
};

export const callToolDefinition: Tool = {
  name: CALL_TOOL,
  title: 'Call a found tool',
  description:
    'Calls a tool by name, exactly as calling it directly would: the same permission checks, argument rules, quotas and audit. Use hub__find_tools first to learn its name and schema.',
  inputSchema: jsonSchema(CallToolInput),
  annotations: { openWorldHint: true },
};

/**
 * `hub__call_tool { name, arguments }` → the call it stands for, or undefined when `args` are not a
 * valid call (the wrapper then runs as itself and answers with the field at fault).
 */
export function unwrapCall(name: string, args: Record<string, unknown>): { name: string; args: Record<string, unknown> } | undefined {
  if (name !== CALL_TOOL) return undefined;
  const parsed = CallToolInput.safeParse(args);
  if (!parsed.success || parsed.data.name === CALL_TOOL) return undefined;
  return { name: parsed.data.name, args: parsed.data.arguments };
}

/** The zod failure for bad input, as an isError result naming the field. */
export function invalidInput(error: z.ZodError): CallToolResult {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
  return invalidArgument(field, issue?.message ?? 'invalid arguments');
}

/** An INVALID_ARGUMENT result naming `field`, as the kit's errors look. */
export function invalidArgument(field: string, reason: string): CallToolResult {
  const message = `${field ? `${field}: ` : ''}${reason}`;
  return {
    isError: true,
    content: [{ type: 'text', text: `INVALID_ARGUMENT: ${message}` }],
    _meta: { 'switchboard/error': { code: 'INVALID_ARGUMENT', message, ...(field ? { field } : {}) } },
  };
}
