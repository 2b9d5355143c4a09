import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { Role } from '../../config/index.ts';
import { decideTool } from '../../policy/index.ts';
import type { RetrievedContext } from '../../rag/index.ts';
import { contextError, retrieveContext, searchToolOf } from '../../rag/index.ts';
import type { AgentFailure, ToolCaller } from './types.ts';

/**
 * Before the agent acts: retrieves passages for the task from the role's `context` collection, through
 * the same tool caller as every step (so the role's allowlist, argument rules and the audit apply).
 */
export function retrieveNode(role: Role) {
  return async (
    state: { task: string },
    config: LangGraphRunnableConfig,
  ): Promise<{ retrieved?: RetrievedContext; failure?: AgentFailure }> => {
    const context = role.context;
    if (context === undefined) return {};
    const callTool = config.configurable?.callTool as ToolCaller | undefined;
    if (callTool === undefined) throw new Error('role agent graph invoked without configurable.callTool');
    const tool = searchToolOf(context);
    const decision = decideTool(`role '${role.name}'`, role.tools, tool);
    if (!decision.allowed)
      return {
        failure: {
          code: 'ACL_DENIED',
          message: `${decision.reason}; a role with context from '${context.collection}' must allow ${tool}`,
          field: 'tool',
        },
      };
    try {
      return { retrieved: await retrieveContext(callTool, context, state.task) };
    } catch (error) {
      const failure = contextError(error, context);
      return { failure: { code: failure.code, message: failure.message, ...(failure.field ? { field: failure.field } : {}) } };
    }
  };
}
