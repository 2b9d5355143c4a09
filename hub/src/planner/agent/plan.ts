import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { toErrorPayload } from '@switchboard/kit';
import type { Role } from '../../config/index.ts';
import { renderContext, sourcesOf } from '../../rag/index.ts';
import { approvalFailure } from './approval.ts';
import { choosePlaybook, toolsOf } from './choose-playbook.ts';
import type { AgentStateUpdate, AgentStateValue } from './state.ts';
import type { AgentEnv } from './types.ts';

/** Chooses the playbook (or the explicit steps), within the role's step limit and approvals. */
export function planNode(role: Role) {
  return async (state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> => {
    let plan: ReturnType<typeof choosePlaybook>;
    try {
      const retrieved = state.retrieved && { context: renderContext(state.retrieved), sources: sourcesOf(state.retrieved) };
      plan = choosePlaybook(role, state.task, state.context, retrieved);
    } catch (error) {
      return { failure: toErrorPayload(error) };
    }
    if (plan.steps.length > role.limits.maxSteps) {
      return {
        failure: {
          code: 'LIMIT_EXCEEDED',
          message: `the plan has ${plan.steps.length} steps; role '${role.name}' allows ${role.limits.maxSteps} (limits.maxSteps)`,
        },
      };
    }
    const env = (config.configurable?.env ?? {}) as AgentEnv;
    const refused = await approvalFailure(role, toolsOf(plan.steps), state.context, env);
    if (refused !== undefined) return { failure: refused };
    return { planSource: plan.source, plan: plan.steps, vars: plan.vars, cursor: 0 };
  };
}
