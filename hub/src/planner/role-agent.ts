import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { ToolError, toolErrorResult } from '@switchboard/kit';
import { z } from 'zod';
import type { Role } from '../config/index.ts';
import { buildRoleAgentGraph, type RoleAgentGraph } from './graph.ts';
import type { ToolCaller } from './nodes/act.ts';

export const AGENT_PREFIX = 'agent__';

export const AgentInputSchema = z.strictObject({
  task: z.string().min(1).max(10_000).describe('what the agent should do, in words'),
  context: z.record(z.string(), z.unknown()).optional().describe('extra data; `steps: [{tool, arguments}]` gives an explicit plan'),
});

const AgentOutputSchema = z.object({
  role: z.string(),
  answer: z.string(),
  plan: z.string().describe('the playbook used, or explicit'),
  steps: z.array(z.object({ tool: z.string(), arguments: z.record(z.string(), z.unknown()), isError: z.boolean(), text: z.string() })),
  sources: z
    .array(z.object({ source: z.string(), documentId: z.string(), score: z.number() }))
    .optional()
    .describe('passages injected from the role’s context collection, by source id'),
});

const inputJsonSchema = z.toJSONSchema(AgentInputSchema) as Tool['inputSchema'];
const outputJsonSchema = z.toJSONSchema(AgentOutputSchema) as Tool['outputSchema'];

/** A role exposed as an MCP tool, `agent__<role>`, running its LangGraph graph. */
export class RoleAgent {
  private readonly graph: RoleAgentGraph;

  constructor(readonly role: Role) {
    this.graph = buildRoleAgentGraph(role);
  }

  get toolName(): string {
    return `${AGENT_PREFIX}${this.role.name}`;
  }

  definition(): Tool {
    return {
      name: this.toolName,
      title: `${this.role.name} agent`,
      description: this.role.description,
      inputSchema: inputJsonSchema,
      outputSchema: outputJsonSchema,
      annotations: { readOnlyHint: false, openWorldHint: false },
    };
  }

  /** Validates the input, runs the graph within the role's limits, and renders the result. */
  async run(args: unknown, callTool: ToolCaller, signal?: AbortSignal): Promise<CallToolResult> {
    const parsed = AgentInputSchema.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      return toolErrorResult(new ToolError('INVALID_ARGUMENT', `${this.toolName}: ${issue?.message}`, field));
    }
    const { limits } = this.role;
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let state: Awaited<ReturnType<RoleAgentGraph['invoke']>>;
    try {
      state = await this.graph.invoke(
        { task: parsed.data.task, context: parsed.data.context ?? {} },
        { configurable: { callTool }, signal: combined, recursionLimit: limits.maxSteps * 2 + 4 },
      );
    } catch (error) {
      if (timeout.aborted)
        return toolErrorResult(new ToolError('TIMEOUT', `${this.toolName} did not finish within ${limits.timeoutMs} ms`));
      return toolErrorResult(error);
    }
    if (state.failure !== undefined) {
      const { code, message, field } = state.failure;
      return toolErrorResult(new ToolError(code, message, field));
    }
    const answer = state.answer ?? '';
    const structured = {
      role: this.role.name,
      answer,
      plan: state.planSource ?? 'none',
      steps: state.results.map(({ tool, arguments: a, isError, text }) => ({ tool, arguments: a, isError, text })),
      ...(state.retrieved
        ? { sources: state.retrieved.passages.map(({ source, documentId, score }) => ({ source, documentId, score })) }
        : {}),
    };
    return { content: [{ type: 'text', text: answer }], structuredContent: structured };
  }
}
