import type { StateSnapshot } from '@langchain/langgraph';
import type { TaskView } from '../../scheduler/index.ts';
import type { ApprovalRequest, RunPlan, RunReport, StepOutcome } from './plan-model.ts';

export type RunStatusView =
  | 'queued'
  | 'running'
  | 'awaiting_approval'
  | 'resuming'
  | 'succeeded'
  | 'failed'
  | 'rejected'
  | 'cancelled'
  | 'timed_out';

const FINAL: ReadonlySet<RunStatusView> = new Set(['succeeded', 'failed', 'rejected', 'cancelled', 'timed_out']);

/** What `hub__run_status`, `GET /v1/runs/:id` and `switchboard run` show of a run. */
export interface RunView {
  runId: string;
  status: RunStatusView;
  final: boolean;
  task?: string;
  round: number;
  plan?: { source: string; steps: RunPlan['steps'] };
  /** Outcomes so far, every round. */
  steps: StepOutcome[];
  approval?: { id: string } & ApprovalRequest;
  report?: RunReport;
  error?: { code: string; message: string };
  summary: string;
}

export type RunApiErrorCode = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'CONFLICT' | 'ACL_DENIED';

export class RunApiError extends Error {
  override readonly name = 'RunApiError';
  constructor(
    readonly code: RunApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

interface Values {
  task?: string;
  round?: number;
  planned?: RunPlan;
  outcomes?: StepOutcome[];
  finalReport?: RunReport;
}

/** Derives the view: the report when there is one, else the pending interrupt, else the task's state. */
export function viewOf(runId: string, snapshot: StateSnapshot, task: TaskView | undefined, resuming: boolean): RunView {
  const values = (snapshot.values ?? {}) as Values;
  const base = {
    runId,
    round: values.round ?? 0,
    steps: values.outcomes ?? [],
    ...(values.task ? { task: values.task } : {}),
    ...(values.planned ? { plan: { source: values.planned.source, steps: values.planned.steps } } : {}),
  };
  const report = values.finalReport;
  if (report)
    return {
      ...base,
      status: report.status,
      final: true,
      report,
      ...(report.error ? { error: report.error } : {}),
      summary: report.summary,
    };
  const interrupt = snapshot.tasks.flatMap((t) => t.interrupts).find((i) => (i.value as ApprovalRequest | undefined)?.kind === 'approval');
  if (interrupt) {
    const request = interrupt.value as ApprovalRequest;
    const approval = { id: interrupt.id ?? `round-${request.round}`, ...request };
    const status: RunStatusView = resuming ? 'resuming' : 'awaiting_approval';
    const waiting = request.steps.map((s) => `${s.id} (${s.why})`).join(', ');
    return {
      ...base,
      status,
      final: false,
      approval,
      summary: resuming ? 'decision received; resuming' : `waiting for approval: ${waiting}`,
    };
  }
  if (task && (task.state === 'failed' || task.state === 'cancelled' || task.state === 'timed_out')) {
    const error = task.error ?? { code: 'RUN_FAILED', message: `the run's task ended ${task.state}` };
    const status: RunStatusView = task.state === 'failed' ? 'failed' : task.state;
    return { ...base, status, final: true, error: { code: error.code, message: error.message }, summary: `${status}: ${error.message}` };
  }
  const status: RunStatusView = task?.state === 'queued' || task?.state === 'blocked' ? 'queued' : 'running';
  const done = base.steps.filter((s) => s.round === base.round && s.state === 'succeeded').length;
  const total = values.planned?.steps.length ?? 0;
  return { ...base, status, final: false, summary: total ? `${status}: round ${base.round}, ${done}/${total} steps done` : status };
}

export function isFinalStatus(status: RunStatusView): boolean {
  return FINAL.has(status);
}
