import type { Hono } from 'hono';
import type { Hub } from '../../hub.ts';
import type { AuditRecord, Principal } from '../../policy/index.ts';
import { isFinal, type TaskRecord, type TaskState } from '../../scheduler/task-model.ts';
import { ConsoleApiError, handle, isAdmin } from './access.ts';
import type { ConsoleRouteOptions } from './catalog-routes.ts';
import { decisionActions } from './run-actions.ts';

const MAX_CALLS = 1000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Which step made each of the task's audited calls: the step's own call (depth 0, its target) or its
 * agent's nested calls, started inside the step's run. Times are milliseconds, so a dependant can start
 * in the very millisecond its dependency ended: a call inside several steps' runs goes to the one that
 * started last (a step's call never starts before the step does), not to all of them.
 */
export function callsByStep(steps: readonly TaskRecord[], calls: readonly AuditRecord[], now: number): Map<string, AuditRecord[]> {
  const owned = new Map<string, AuditRecord[]>(steps.map((step) => [step.id, []]));
  for (const call of calls) {
    let owner: TaskRecord | undefined;
    for (const step of steps) {
      if (step.startedAt === null || call.startedAt < step.startedAt || call.startedAt > (step.finishedAt ?? now)) continue;
      const agentRole = step.target.startsWith('agent__') ? step.target.slice('agent__'.length) : undefined;
      const made = call.depth === 0 ? call.tool === step.target : agentRole !== undefined && call.principal === `agent:${agentRole}`;
      if (made && (owner === undefined || (step.startedAt as number) >= (owner.startedAt as number))) owner = step;
    }
    if (owner !== undefined) owned.get(owner.id)?.push(call);
  }
  return owned;
}

/** A task's submitter, or an admin, may see its inputs and calls; others get the shape without them. */
function maySeeDetail(viewer: Principal, task: TaskRecord): boolean {
  return isAdmin(viewer) || (task.principal !== null && task.principal.id === viewer.id);
}

/**
 * `GET /v1/tasks/:id/detail`: the task view plus, for each step (a DAG's steps, a batch's tasks, or
 * the task itself), its target, input, result, error, attempts, timings, state changes, and the tool
 * calls the audit log recorded for it (matched by correlation id and time); and the actions the viewer
 * may take (cancel; approve / reject when the task is part of a planner run waiting for approval).
 */
export function mountTaskDetailRoutes(app: Hono, hub: Hub, options: ConsoleRouteOptions): void {
  const { scheduler } = hub.tasks;
  app.get(
    '/v1/tasks/:id/detail',
    handle(async (c) => {
      const viewer = options.principalOf(c);
      const id = c.req.param('id') as string;
      const root = await scheduler.store.getTask(id);
      if (root === undefined) throw new ConsoleApiError('NOT_FOUND', `no task '${id}'`, 'id');
      const task = await scheduler.require(id);
      const members = root.kind === 'task' ? [root] : await scheduler.store.getTasks(root.members);
      const byId = new Map(members.map((m) => [m.id, m]));
      const ordered = root.kind === 'task' ? [root] : root.members.map((m) => byId.get(m)).filter((m): m is TaskRecord => m !== undefined);
      const events = await scheduler.events(id, 0, 5000);
      const detail = maySeeDetail(viewer, root);
      let calls = detail ? await hub.auditStore.query({ correlationId: root.correlationId, limit: MAX_CALLS }) : [];
      if (!isAdmin(viewer)) calls = calls.filter((call) => call.principal === viewer.id || call.onBehalfOf === viewer.id);
      calls.sort((a, b) => a.startedAt - b.startedAt);
      const now = Date.now();
      const stepIdOf = new Map(ordered.map((m) => [m.id, m.stepId ?? m.id]));
      const callsOf = callsByStep(ordered, calls, now);
      const steps = ordered.map((m) => ({
        id: m.stepId ?? m.id,
        taskId: m.id,
        target: m.target,
        state: m.state,
        attempts: m.attempts,
        maxAttempts: m.maxAttempts,
        dependsOn: m.dependsOn.map((d) => stepIdOf.get(d) ?? d),
        input: detail ? m.input : null,
        result: m.result,
        error: m.error,
        createdAt: iso(m.createdAt),
        startedAt: iso(m.startedAt),
        finishedAt: iso(m.finishedAt),
        durationMs: m.startedAt !== null && m.finishedAt !== null ? m.finishedAt - m.startedAt : null,
        events: events.filter((e) => e.taskId === m.id),
        calls: callsOf.get(m.id) ?? [],
      }));
      return c.json({
        task,
        steps,
        events,
        calls: { shown: calls.length, truncated: calls.length >= MAX_CALLS, hidden: !detail },
        actions: {
          cancel: {
            allowed: !isFinal(task.state as TaskState),
            reason: isFinal(task.state as TaskState) ? `the task is ${task.state}` : null,
          },
          // Approvals belong to planner runs: enabled only for a task of a run that waits for one.
          ...(await decisionActions(hub, viewer, root)),
        },
      });
    }, options.onError),
  );
}
