import { Send } from '@langchain/langgraph';
import type { PlanStep } from '../plan-model.ts';
import type { RunStateValue, StepPayload } from '../run-state.ts';

/** Steps that neither wait for another nor are waited for: they can run at once, side by side. */
export function splitPlan(steps: readonly PlanStep[]): { independent: PlanStep[]; dependent: PlanStep[] } {
  const needed = new Set(steps.flatMap((s) => s.dependsOn));
  const independent = steps.filter((s) => s.dependsOn.length === 0 && !needed.has(s.id));
  const dependent = steps.filter((s) => !independent.includes(s));
  return { independent, dependent };
}

/**
 * dispatch: fans the round's plan out. Each independent step goes to `execute` with its own `Send`
 * (LangGraph runs them in parallel); the steps linked by dependencies go together to `schedule`,
 * which runs them as one durable scheduler DAG. Both join again at `review`.
 */
export function dispatchRoutes(state: RunStateValue): Send[] | 'review' {
  const steps = state.planned?.steps ?? [];
  if (steps.length === 0) return 'review';
  const base: Omit<StepPayload, 'steps'> = {
    runId: state.runId,
    round: state.round,
    principal: state.principal,
    correlationId: state.correlationId,
    ...(state.feedback ? { feedback: state.feedback } : {}),
  };
  const { independent, dependent } = splitPlan(steps);
  const sends: Send[] = independent.map((step) => new Send('execute', { ...base, steps: [step] } satisfies StepPayload));
  if (dependent.length > 0) sends.push(new Send('schedule', { ...base, steps: dependent } satisfies StepPayload));
  return sends;
}
