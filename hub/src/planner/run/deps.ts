import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { CallToolResult } from '@modelcontextprotocol/client';
import type { PlanTemplate, Role } from '../../config/index.ts';
import type { DagSubmission } from '../../scheduler/contracts.ts';
import type { TaskView } from '../../scheduler/index.ts';
import type { RunPrincipal, RunReport } from './plan-model.ts';

/** Who a step call runs as, under which correlation id, and what cancels it. */
export interface StepCall {
  principal: RunPrincipal;
  correlationId: string;
  signal?: AbortSignal;
}

/** Progress of a run, for `switchboard run` and other live displays. */
export type RunEvent = { runId: string; at: string } & (
  | { type: 'plan'; round: number; source: string; steps: { id: string; role: string; dependsOn: string[] }[] }
  | { type: 'approval'; round: number; steps: string[] }
  | { type: 'step'; round: number; stepId: string; role: string; state: string; message?: string; via: 'direct' | 'dag' }
  | { type: 'review'; round: number; verdict: 'approved' | 'rejected'; by: string; feedback?: string }
  | { type: 'report'; report: RunReport }
);

/** A state change of one DAG step while the scheduler runs it. */
export interface DagStepEvent {
  stepId: string;
  state: string;
  message?: string;
}

/** What the run graph needs from the hub; tests give fakes. */
export interface RunDeps {
  roles(): readonly Role[];
  plans(): readonly PlanTemplate[];
  settings: { mode: 'deterministic' | 'llm'; maxSteps: number; maxPlanAttempts: number };
  plannerModel(): Promise<BaseChatModel | undefined>;
  /** Calls `agent__<role>` through the hub (policy, quotas, audit) as the run's principal. */
  callAgent(role: string, input: { task: string; context: Record<string, unknown> }, call: StepCall): Promise<CallToolResult>;
  /** Submits the DAG to the scheduler (idempotently) and resolves with its final view. */
  runDag(submission: DagSubmission, call: StepCall, onStep: (event: DagStepEvent) => void): Promise<TaskView>;
  emit(event: RunEvent): void;
}
