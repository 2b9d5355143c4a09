import { Annotation } from '@langchain/langgraph';
import type { ApprovalDecision, Grant, Review, RunInput, RunPlan, RunPrincipal, RunReport, StepOutcome } from './plan-model.ts';

const last = <T>() => Annotation<T>({ reducer: (_old: T, next: T) => next, default: () => undefined as T });
const appended = <T>() => Annotation<T[]>({ reducer: (old, next) => old.concat(next), default: () => [] });

/**
 * A planner run, as checkpointed after every node: the task and who asked, the current round's plan,
 * every step outcome and review so far (all rounds, tagged), approvals, and at the end the report.
 */
export const RunState = Annotation.Root({
  runId: Annotation<string>,
  task: Annotation<string>,
  input: Annotation<RunInput>,
  principal: Annotation<RunPrincipal>,
  correlationId: Annotation<string>,
  round: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  /** This round's plan (a node is called `plan`, so the state key differs). */
  planned: last<RunPlan | undefined>(),
  feedback: last<string | undefined>(),
  outcomes: appended<StepOutcome>(),
  reviews: appended<Review>(),
  approvals: appended<Grant>(),
  rejected: last<ApprovalDecision | undefined>(),
  failure: last<{ code: string; message: string } | undefined>(),
  finalReport: last<RunReport | undefined>(),
});

export type RunStateValue = typeof RunState.State;
export type RunStateUpdate = typeof RunState.Update;

/** What `Send` hands a step executor: the step plus what it needs from the run. */
export interface StepPayload {
  runId: string;
  round: number;
  principal: RunPrincipal;
  correlationId: string;
  feedback?: string;
  steps: RunPlan['steps'];
}

/** The context a step's role agent gets: the step's own, the run reference (approvals), round and feedback. */
export function stepContext(step: RunPlan['steps'][number], payload: StepPayload): Record<string, unknown> {
  return {
    ...step.context,
    run: { id: payload.runId, step: step.id },
    round: payload.round,
    ...(payload.feedback ? { feedback: payload.feedback } : {}),
  };
}

export function currentOutcomes(state: RunStateValue): StepOutcome[] {
  return state.outcomes.filter((o) => o.round === state.round);
}
