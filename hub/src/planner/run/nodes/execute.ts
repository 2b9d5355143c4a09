import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { errorOfResult } from '@switchboard/kit';
import type { TaskView } from '../../../scheduler/index.ts';
import { AGENT_PREFIX } from '../../agent/role-agent.ts';
import { resultText } from '../../agent/types.ts';
import type { RunDeps } from '../deps.ts';
import type { PlanStep, StepOutcome, StepState } from '../plan-model.ts';
import { type RunStateUpdate, type StepPayload, stepContext } from '../run-state.ts';

const MAX_ANSWER = 4000;

function clip(text: string): string {
  return text.length <= MAX_ANSWER ? text : `${text.slice(0, MAX_ANSWER)}… [${text.length - MAX_ANSWER} more characters]`;
}

/** An agent's tool result as a step outcome. */
export function outcomeOfResult(
  step: PlanStep,
  round: number,
  result: CallToolResult,
  via: 'direct' | 'dag',
  taskId?: string,
): StepOutcome {
  const base = { round, stepId: step.id, role: step.role, via, ...(taskId ? { taskId } : {}) };
  if (result.isError) {
    const error = errorOfResult(result) ?? { code: 'TOOL_ERROR', message: resultText(result) };
    return { ...base, state: 'failed', error: { code: error.code, message: error.message } };
  }
  const structured = (result.structuredContent ?? {}) as { answer?: unknown; output?: Record<string, unknown> };
  const answer = typeof structured.answer === 'string' ? structured.answer : resultText(result);
  return { ...base, state: 'succeeded', answer: clip(answer), ...(structured.output ? { output: structured.output } : {}) };
}

/** execute: one independent step, called directly through the hub as the run's principal. */
export function executeNode(deps: RunDeps) {
  return async (payload: StepPayload, config: LangGraphRunnableConfig): Promise<RunStateUpdate> => {
    const step = payload.steps[0] as PlanStep;
    const emit = (state: string, message?: string) =>
      deps.emit({
        type: 'step',
        runId: payload.runId,
        at: new Date().toISOString(),
        round: payload.round,
        stepId: step.id,
        role: step.role,
        state,
        via: 'direct',
        ...(message ? { message } : {}),
      });
    emit('running');
    const result = await deps.callAgent(
      step.role,
      { task: step.task, context: stepContext(step, payload) },
      { principal: payload.principal, correlationId: payload.correlationId, ...(config.signal ? { signal: config.signal } : {}) },
    );
    const outcome = outcomeOfResult(step, payload.round, result, 'direct');
    emit(outcome.state, outcome.error?.message);
    return { outcomes: [outcome] };
  };
}

function outcomeOfTask(step: PlanStep, round: number, view: NonNullable<TaskView['steps']>[number]): StepOutcome {
  if (view.state === 'succeeded' && view.result) return outcomeOfResult(step, round, view.result as CallToolResult, 'dag', view.taskId);
  const state: StepState = view.state === 'cancelled' || view.state === 'timed_out' ? view.state : 'failed';
  const error = view.error ?? { code: 'INTERNAL', message: `the task ended ${view.state}` };
  return {
    round,
    stepId: step.id,
    role: step.role,
    via: 'dag',
    taskId: view.taskId,
    state,
    error: { code: error.code, message: error.message },
  };
}

/**
 * schedule: the steps linked by dependencies, as one scheduler DAG (stored, leased, retried; its
 * idempotency key is the run and round, so a resumed run finds the DAG it submitted before the crash).
 */
export function scheduleNode(deps: RunDeps) {
  return async (payload: StepPayload, config: LangGraphRunnableConfig): Promise<RunStateUpdate> => {
    const byId = new Map(payload.steps.map((s) => [s.id, s]));
    const submission = {
      idempotencyKey: `run:${payload.runId}:round:${payload.round}`,
      steps: payload.steps.map((step) => ({
        id: step.id,
        target: `${AGENT_PREFIX}${step.role}`,
        input: { task: step.task, context: stepContext(step, payload) },
        ...(step.dependsOn.length > 0 ? { dependsOn: step.dependsOn } : {}),
      })),
    };
    const view = await deps.runDag(
      submission,
      { principal: payload.principal, correlationId: payload.correlationId, ...(config.signal ? { signal: config.signal } : {}) },
      (event) => {
        const step = byId.get(event.stepId);
        if (step === undefined) return;
        deps.emit({
          type: 'step',
          runId: payload.runId,
          at: new Date().toISOString(),
          round: payload.round,
          stepId: step.id,
          role: step.role,
          state: event.state,
          via: 'dag',
          ...(event.message ? { message: event.message } : {}),
        });
      },
    );
    const outcomes = (view.steps ?? []).flatMap((v) => {
      const step = byId.get(v.id);
      return step ? [outcomeOfTask(step, payload.round, v)] : [];
    });
    return { outcomes };
  };
}
