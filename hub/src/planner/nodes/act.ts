import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, toErrorPayload } from '@switchboard/kit';
import type { Role } from '../../config/index.ts';
import { decideTool } from '../../policy/index.ts';
import type { AgentStateUpdate, AgentStateValue, StepResult } from '../state.ts';

export type ToolCaller = (name: string, args: Record<string, unknown>) => Promise<CallToolResult>;

export function resultText(result: CallToolResult): string {
  return result.content
    .filter((block): block is { type: 'text'; text: string } => block.type === 'text')
    .map((block) => block.text)
    .join('\n');
}

/**
 * Runs the next step of the plan. The role's allowlist is checked here, before anything reaches the
 * hub, so a role can never call a tool its YAML does not grant, whatever the plan says.
 */
export function actNode(role: Role) {
  return async (state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> => {
    const callTool = config.configurable?.callTool as ToolCaller | undefined;
    if (callTool === undefined) throw new Error('role agent graph invoked without configurable.callTool');
    const step = state.plan[state.results.length];
    if (step === undefined) return {};
    const decision = decideTool(`role '${role.name}'`, role.tools, step.tool);
    if (!decision.allowed) return { failure: { code: 'ACL_DENIED', message: decision.reason, field: 'tool' } };
    let result: CallToolResult;
    try {
      result = await callTool(step.tool, step.arguments);
    } catch (error) {
      return { failure: toErrorPayload(error) };
    }
    const record: StepResult = {
      tool: step.tool,
      arguments: step.arguments,
      isError: result.isError === true,
      text: resultText(result),
      ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
    };
    if (!record.isError) return { results: [record] };
    const payload = errorOfResult(result) ?? { code: 'INTERNAL' as const, message: record.text };
    return { results: [record], failure: { ...payload, message: `${step.tool} failed: ${payload.message}` } };
  };
}

/** After a step: stop on failure, continue while steps remain, else answer. */
export function afterAct(state: AgentStateValue): 'act' | 'respond' {
  if (state.failure !== undefined) return 'respond';
  return state.results.length < state.plan.length ? 'act' : 'respond';
}
