import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult, toErrorPayload } from '@switchboard/kit';
import type { Role } from '../../config/index.ts';
import { decideTool } from '../../policy/index.ts';
import { evaluateCondition } from '../condition.ts';
import { renderTemplate, renderText, type Vars } from '../template.ts';
import { type AgentStateUpdate, type AgentStateValue, stepVars } from './state.ts';
import { type AgentEnv, resultText, type StepResult, type ToolCaller } from './types.ts';

export function varsAt(state: AgentStateValue): Vars {
  return { ...state.vars, steps: stepVars(state.results) };
}

/**
 * Runs the next playbook step whose `when` holds (skipping the others): a `fail` step ends the run
 * with CHECK_FAILED, a tool step is checked against the role's allowlist and tool-call limit, its
 * arguments rendered with everything known so far, and called through the hub.
 */
export function actNode(role: Role) {
  return async (state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> => {
    const callTool = config.configurable?.callTool as ToolCaller | undefined;
    if (callTool === undefined) throw new Error('role agent graph invoked without configurable.callTool');
    const vars = varsAt(state);
    let cursor = state.cursor;
    for (; cursor < state.plan.length; cursor++) {
      const step = state.plan[cursor];
      if (step === undefined || step.when === undefined) break;
      try {
        if (evaluateCondition(step.when, vars)) break;
      } catch (error) {
        return { cursor, failure: { code: 'INVALID_CONFIG', message: `role '${role.name}': ${(error as Error).message}` } };
      }
    }
    const step = state.plan[cursor];
    if (step === undefined) return { cursor };
    const next = cursor + 1;
    let args: Record<string, unknown>;
    try {
      if ('fail' in step) return { cursor: next, failure: { code: 'CHECK_FAILED', message: renderText(step.fail, vars) } };
      args = step.explicit ? step.arguments : (renderTemplate(step.arguments, vars) as Record<string, unknown>);
    } catch (error) {
      return { cursor: next, failure: { code: 'INVALID_CONFIG', message: `role '${role.name}': ${(error as Error).message}` } };
    }
    const decision = decideTool(`role '${role.name}'`, role.tools, step.tool);
    if (!decision.allowed) return { cursor: next, failure: { code: 'ACL_DENIED', message: decision.reason, field: 'tool' } };
    if (state.results.length >= role.limits.maxToolCalls)
      return {
        cursor: next,
        failure: {
          code: 'LIMIT_EXCEEDED',
          message: `role '${role.name}' may make ${role.limits.maxToolCalls} tool calls (limits.maxToolCalls)`,
        },
      };
    const env = (config.configurable?.env ?? {}) as AgentEnv;
    if (env.signal?.aborted) return { cursor: next, failure: toErrorPayload(env.signal.reason) };
    let result: CallToolResult;
    try {
      result = await callTool(step.tool, args);
    } catch (error) {
      return { cursor: next, failure: toErrorPayload(error) };
    }
    const record: StepResult = {
      ...(step.id ? { id: step.id } : {}),
      tool: step.tool,
      arguments: args,
      isError: result.isError === true,
      text: resultText(result),
      ...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
    };
    if (!record.isError) return { cursor: next, results: [record] };
    const payload = errorOfResult(result) ?? { code: 'TOOL_ERROR', message: record.text };
    return { cursor: next, results: [record], failure: { ...payload, message: `${step.tool} failed: ${payload.message}` } };
  };
}

/** After a step: stop on failure, continue while steps remain, else answer. */
export function afterAct(state: AgentStateValue): 'act' | 'respond' {
  if (state.failure !== undefined) return 'respond';
  return state.cursor < state.plan.length ? 'act' : 'respond';
}
