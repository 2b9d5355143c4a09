import { toErrorPayload } from '@switchboard/kit';
import type { Role } from '../../config/index.ts';
import { renderContext, sourcesOf } from '../../rag/index.ts';
import { planDeterministically } from '../deterministic-planner.ts';
import type { AgentStateUpdate, AgentStateValue } from '../state.ts';

/** Turns the task into a plan of tool calls, within the role's step limit. */
export function planNode(role: Role) {
  return (state: AgentStateValue): AgentStateUpdate => {
    try {
      const retrieved = state.retrieved && { context: renderContext(state.retrieved), sources: sourcesOf(state.retrieved) };
      const plan = planDeterministically(role, state.task, state.context, retrieved);
      if (plan.steps.length > role.limits.maxSteps) {
        return {
          failure: {
            code: 'LIMIT_EXCEEDED',
            message: `the plan has ${plan.steps.length} steps; role '${role.name}' allows ${role.limits.maxSteps}`,
          },
        };
      }
      return { planSource: plan.source, plan: plan.steps };
    } catch (error) {
      return { failure: toErrorPayload(error) };
    }
  };
}
