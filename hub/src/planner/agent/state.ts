import { Annotation } from '@langchain/langgraph';
import type { RetrievedContext } from '../../rag/index.ts';
import type { Vars } from '../template.ts';
import type { PlannedStep } from './choose-playbook.ts';
import type { AgentFailure, StepResult } from './types.ts';

const last = <T>(fallback: () => T) => Annotation<T>({ reducer: (_old, next) => next, default: fallback });

/**
 * The deterministic role agent's state: the task in, a playbook (steps still templated), a cursor,
 * one result per executed tool call, an answer and structured output out.
 */
export const AgentState = Annotation.Root({
  task: Annotation<string>,
  context: Annotation<Record<string, unknown>>,
  planSource: Annotation<string | undefined>,
  plan: last<PlannedStep[]>(() => []),
  vars: last<Vars>(() => ({})),
  /** Index of the next playbook step to consider. */
  cursor: last<number>(() => 0),
  results: Annotation<StepResult[]>({ reducer: (old, next) => old.concat(next), default: () => [] }),
  failure: Annotation<AgentFailure | undefined>,
  answer: Annotation<string | undefined>,
  output: Annotation<Record<string, unknown> | undefined>,
  /** Passages retrieved for the task (roles with `context`), injected before the agent acts. */
  retrieved: Annotation<RetrievedContext | undefined>,
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;

/** Earlier results by step id, as templates and conditions see them: `steps.<id>.structured.x`. */
export function stepVars(results: readonly StepResult[]): Vars {
  const byId: Vars = {};
  for (const result of results) {
    if (result.id === undefined) continue;
    byId[result.id] = {
      text: result.text,
      isError: result.isError,
      structured: result.structuredContent ?? {},
      arguments: result.arguments,
    };
  }
  return byId;
}
