import type { CallToolResult, Tool } from '@modelcontextprotocol/client';
import { toErrorPayload } from '@switchboard/kit';
import { z } from 'zod';
import type { Role } from '../../config/index.ts';
import { buildLlmAgentGraph, type LlmAgentGraph } from '../llm/agent-graph.ts';
import type { ModelProvider } from '../llm/model-factory.ts';
import { buildRoleAgentGraph, type RoleAgentGraph } from './deterministic-graph.ts';
import { type AgentEnv, type AgentFailure, failureResult, type StepResult, type ToolCaller } from './types.ts';

export const AGENT_PREFIX = 'agent__';

export const AgentInputSchema = z.strictObject({
  task: z.string().min(1).max(10_000).describe('what the agent should do, in words'),
  context: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('extra data for the playbook templates; `steps: [{tool, arguments}]` gives an explicit plan, `playbook` names one'),
});

const AgentOutputSchema = z.object({
  role: z.string(),
  answer: z.string(),
  plan: z.string().describe('the playbook used, explicit, or llm'),
  steps: z.array(z.object({ tool: z.string(), arguments: z.record(z.string(), z.unknown()), isError: z.boolean(), text: z.string() })),
  output: z.record(z.string(), z.unknown()).optional().describe("the playbook's structured output, e.g. artifact keys"),
  usage: z.object({ turns: z.number(), toolCalls: z.number(), tokens: z.number() }).optional().describe('LLM mode'),
  sources: z
    .array(z.object({ source: z.string(), documentId: z.string(), score: z.number() }))
    .optional()
    .describe('passages injected from the role’s context collection, by source id'),
});

const inputJsonSchema = z.toJSONSchema(AgentInputSchema) as Tool['inputSchema'];
const outputJsonSchema = z.toJSONSchema(AgentOutputSchema) as Tool['outputSchema'];

export interface RoleAgentOptions {
  /** LLM mode: the role's chat model (none → the deterministic playbooks). */
  models?: ModelProvider;
}

interface Finished {
  failure?: AgentFailure;
  answer?: string;
  output?: Record<string, unknown>;
  results: StepResult[];
  planSource?: string;
  retrieved?: { passages: { source: string; documentId: string; score: number }[] };
  usage?: { turns: number; toolCalls: number; tokens: number };
}

/** A role exposed as an MCP tool, `agent__<role>`, running its LangGraph graph (playbooks or a model). */
export class RoleAgent {
  private readonly graph: RoleAgentGraph;
  private llmGraph: LlmAgentGraph | undefined;

  constructor(
    readonly role: Role,
    private readonly options: RoleAgentOptions = {},
  ) {
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
  async run(args: unknown, callTool: ToolCaller, signal?: AbortSignal, env: AgentEnv = {}): Promise<CallToolResult> {
    const parsed = AgentInputSchema.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || (issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      return failureResult({ code: 'INVALID_ARGUMENT', message: `${this.toolName}: ${issue?.message}`, field });
    }
    const { limits } = this.role;
    const timeout = AbortSignal.timeout(limits.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const context = parsed.data.context ?? {};
    const input = { task: parsed.data.task, context };
    let finished: Finished;
    try {
      const model = context.steps === undefined ? await this.options.models?.(this.role) : undefined;
      const configurable = { callTool, env: { ...env, signal: combined }, model };
      const recursionLimit = limits.maxSteps * 2 + limits.maxToolCalls + 6;
      if (model !== undefined) finished = await this.runModel(input, configurable, combined, recursionLimit);
      else finished = await this.graph.invoke(input, { configurable, signal: combined, recursionLimit });
    } catch (error) {
      if (timeout.aborted)
        return failureResult({
          code: 'TIMEOUT',
          message: `${this.toolName} did not finish within ${limits.timeoutMs} ms (limits.timeoutMs)`,
        });
      const payload = toErrorPayload(error);
      const name = (error as Error)?.name ?? '';
      if (name === 'GraphRecursionError')
        return failureResult({
          code: 'LIMIT_EXCEEDED',
          message: `${this.toolName} went past its step limit (limits.maxSteps ${limits.maxSteps})`,
        });
      return failureResult({ code: payload.code, message: `${this.toolName}: ${payload.message}` });
    }
    if (finished.failure !== undefined) return failureResult(finished.failure);
    const answer = finished.answer ?? '';
    const structured = {
      role: this.role.name,
      answer,
      plan: finished.planSource ?? 'none',
      steps: finished.results.map(({ tool, arguments: a, isError, text }) => ({ tool, arguments: a, isError, text })),
      ...(finished.output ? { output: finished.output } : {}),
      ...(finished.usage ? { usage: finished.usage } : {}),
      ...(finished.retrieved
        ? { sources: finished.retrieved.passages.map(({ source, documentId, score }) => ({ source, documentId, score })) }
        : {}),
    };
    return { content: [{ type: 'text', text: answer }], structuredContent: structured };
  }

  private async runModel(
    input: { task: string; context: Record<string, unknown> },
    configurable: Record<string, unknown>,
    signal: AbortSignal,
    recursionLimit: number,
  ): Promise<Finished> {
    this.llmGraph ??= buildLlmAgentGraph(this.role);
    let state: Awaited<ReturnType<LlmAgentGraph['invoke']>>;
    try {
      state = await this.llmGraph.invoke(input, { configurable, signal, recursionLimit });
    } catch (error) {
      if (signal.aborted || (error as Error)?.name === 'GraphRecursionError') throw error;
      // The model node's retry policy already tried three times.
      return {
        results: [],
        failure: { code: 'UPSTREAM_UNAVAILABLE', message: `${this.toolName}: the chat model failed 3 times: ${(error as Error).message}` },
      };
    }
    return { ...state, planSource: 'llm', usage: { turns: state.turns, toolCalls: state.toolCalls, tokens: state.tokens } };
  }
}
