import type { DagSubmission } from '../../scheduler/contracts.ts';
import { isFinal, type Scheduler, type TaskState, type TaskView } from '../../scheduler/index.ts';
import type { RunDeps } from './deps.ts';

/** Events written by another hub (shared Postgres store) are not local: look at the store this often too. */
const POLL_MS = 1000;

/**
 * Runs the dependent steps of a round as a scheduler DAG and waits for it: submitted with the run's
 * idempotency key (a resumed run finds the DAG it submitted before), followed through the scheduler's
 * events (step progress for live displays). Aborting the run for a cancel or its deadline cancels the
 * DAG; a lost lease or a shutdown does not: the DAG is durable and the resumed run waits for it again.
 */
export function dagRunner(scheduler: Scheduler): RunDeps['runDag'] {
  return async (submission: DagSubmission, call, onStep) => {
    const { task: dag } = await scheduler.submit(submission, { principal: call.principal, correlationId: call.correlationId });
    const stepOf = new Map((dag.steps ?? []).map((s) => [s.taskId, s.id]));
    let unsubscribe = () => {};
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    try {
      return await new Promise<TaskView>((resolve, reject) => {
        let settled = false;
        const check = async () => {
          const view = await scheduler.get(dag.id);
          if (!settled && view && isFinal(view.state as TaskState)) {
            settled = true;
            resolve(view);
          }
        };
        const fail = (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(error);
        };
        unsubscribe = scheduler.subscribe([dag.id, ...stepOf.keys()], (event) => {
          const stepId = stepOf.get(event.taskId);
          if (stepId !== undefined) onStep({ stepId, state: event.state, ...(event.error ? { message: event.error.message } : {}) });
          void check().catch(fail);
        });
        const poll = () => {
          timer = setTimeout(() => void check().then(() => !settled && poll(), fail), POLL_MS);
          timer.unref();
        };
        onAbort = () => {
          const reason = (call.signal?.reason as { reason?: string } | undefined)?.reason;
          if (reason === 'cancelled' || reason === 'deadline') void scheduler.cancel(dag.id).catch(() => {});
          fail(call.signal?.reason ?? new Error('the run was aborted'));
        };
        if (call.signal?.aborted) return onAbort();
        call.signal?.addEventListener('abort', onAbort, { once: true });
        poll();
        void check().catch(fail);
      });
    } finally {
      unsubscribe();
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
  };
}
