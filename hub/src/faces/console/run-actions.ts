import type { Hub } from '../../hub.ts';
import { RUN_TOOL } from '../../planner/run/index.ts';
import type { Principal } from '../../policy/index.ts';
import type { TaskRecord } from '../../scheduler/task-model.ts';

/** What a task page's approve or reject button may do, and why not when it may not. */
export interface DecisionAction {
  allowed: boolean;
  reason: string | null;
  /** The planner run the task is part of: the button posts to `/v1/runs/<runId>/approve|reject`. */
  runId?: string;
  /** The approval the run waits for (its steps, and the run's summary in words). */
  approval?: { id: string; round: number; text: string; steps: { id: string; role: string; task: string; why: string }[] };
}

/** The idempotency key planner runs give the scheduler DAG of a round (nodes/execute.ts). */
const ROUND_KEY = /^run:(.+):round:\d+$/;

/**
 * The planner run a task is part of. A run is a task with target hub__run_task whose id is the run id;
 * a decision resumes it with another such task carrying `input.runId`; dependent steps of a round run
 * as a DAG keyed `run:<runId>:round:<n>`, with its members under it. The DAG's key is the submitter's
 * to choose, so it counts only when the run it names exists and shares its correlation id.
 */
async function runIdOf(hub: Hub, task: TaskRecord): Promise<string | undefined> {
  if (task.kind === 'task' && task.target === RUN_TOOL) return typeof task.input.runId === 'string' ? task.input.runId : task.id;
  const group = task.parentId !== null ? await hub.tasks.scheduler.store.getTask(task.parentId) : task;
  const candidate = group?.idempotencyKey?.match(ROUND_KEY)?.[1];
  if (group === undefined || candidate === undefined) return undefined;
  const run = await hub.tasks.scheduler.store.getTask(candidate);
  return run?.target === RUN_TOOL && run.correlationId === group.correlationId ? candidate : undefined;
}

/**
 * Approve / reject for a task page: allowed when the task belongs to a planner run waiting for
 * approval and the viewer may call hub__approve / hub__reject (a person, and the policy allows it) —
 * the very checks the run routes apply, so an enabled button is one that will work.
 */
export async function decisionActions(
  hub: Hub,
  viewer: Principal,
  task: TaskRecord,
): Promise<Record<'approve' | 'reject', DecisionAction>> {
  const both = (action: DecisionAction) => ({ approve: action, reject: action });
  const runId = await runIdOf(hub, task);
  if (runId === undefined)
    return both({
      allowed: false,
      reason: 'not a planner run: scheduler tasks have no approval step (only a planner run waiting for approval is approved or rejected)',
    });
  let view: Awaited<ReturnType<Hub['planner']['view']>>;
  try {
    view = await hub.planner.view(runId);
  } catch (error) {
    return both({ allowed: false, runId, reason: `run '${runId}': ${(error as Error).message}` });
  }
  if (view.status !== 'awaiting_approval' || view.approval === undefined)
    return both({ allowed: false, runId, reason: `the run is ${view.status}, not waiting for approval` });
  const { id, round, steps } = view.approval;
  const approval = { id, round, steps, text: view.summary };
  const decide = (verb: 'approve' | 'reject'): DecisionAction => {
    if (viewer.kind === 'agent') return { allowed: false, runId, approval, reason: 'agents cannot decide on a run' };
    const decision = hub.policy.check(viewer, `hub__${verb}`, { runId });
    return decision.allowed
      ? { allowed: true, reason: null, runId, approval }
      : { allowed: false, runId, approval, reason: decision.reason };
  };
  return { approve: decide('approve'), reject: decide('reject') };
}
