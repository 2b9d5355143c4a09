import { Annotation } from '@langchain/langgraph';
import type { ErrorPayload } from '@switchboard/kit';
import type { RetrievedContext } from '../rag/index.ts';
import type { PlannedStep } from './deterministic-planner.ts';

export interface StepResult {
  tool: string;
  arguments: Record<string, unknown>;
  isError: boolean;
  text: string;
  structuredContent?: Record<string, unknown>;
}

/** The role agent's graph state: the task in, a plan, one result per executed step, an answer out. */
export const AgentState = Annotation.Root({
  task: Annotation<string>,
  context: Annotation<Record<string, unknown>>,
  planSource: Annotation<string | undefined>,
  plan: Annotation<PlannedStep[]>({ reducer: (_old, next) => next, default: () => [] }),
  results: Annotation<StepResult[]>({ reducer: (old, next) => old.concat(next), default: () => [] }),
  failure: Annotation<ErrorPayload | undefined>,
  answer: Annotation<string | undefined>,
  /** Passages retrieved for the task (roles with `context`), injected before the agent acts. */
  retrieved: Annotation<RetrievedContext | undefined>,
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;
