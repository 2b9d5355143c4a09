import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { RunDeps } from '../deps.ts';
import { planWithModel } from '../llm-task-planner.ts';
import type { RunPlan } from '../plan-model.ts';
import type { RunStateUpdate, RunStateValue } from '../run-state.ts';
import { PlanError, type PlanningContext, planDeterministically } from '../task-planner.ts';

/**
 * plan: turns the task into steps for this round (round + 1), with the last review's feedback.
 * An explicit plan or named playbook is always deterministic; otherwise LLM mode asks the model.
 */
export function planNode(deps: RunDeps) {
  return async (state: RunStateValue, config: LangGraphRunnableConfig): Promise<RunStateUpdate> => {
    const round = state.round + 1;
    const ctx: PlanningContext = {
      runId: state.runId,
      round,
      ...(state.feedback ? { feedback: state.feedback } : {}),
      roles: deps.roles(),
      plans: deps.plans(),
      maxSteps: deps.settings.maxSteps,
    };
    let plan: RunPlan;
    try {
      const model = deps.settings.mode === 'llm' && !state.input.steps && !state.input.playbook ? await deps.plannerModel() : undefined;
      if (model) plan = await planWithModel(model, state.input, ctx, { maxAttempts: deps.settings.maxPlanAttempts, signal: config.signal });
      else plan = planDeterministically(state.input, ctx);
    } catch (error) {
      const code = error instanceof PlanError ? error.code : 'INTERNAL';
      return { round, failure: { code, message: `planning failed: ${(error as Error).message}` } };
    }
    deps.emit({
      type: 'plan',
      runId: state.runId,
      at: new Date().toISOString(),
      round,
      source: plan.source,
      steps: plan.steps.map((s) => ({ id: s.id, role: s.role, dependsOn: s.dependsOn })),
    });
    return { round, planned: plan, failure: undefined };
  };
}
