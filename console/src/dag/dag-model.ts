import type { StepDetail, TaskEvent, TaskState } from '../types.ts';

/** Node colours by state; the legend and the e2e test read the same table. */
export const STATE_COLOURS: Record<TaskState, string> = {
  blocked: '#9aa5b1',
  queued: '#5b9bd5',
  running: '#f0a500',
  succeeded: '#2e9e5b',
  failed: '#d64545',
  cancelled: '#616e7c',
  timed_out: '#c76b1e',
};

export interface DagNode {
  data: { id: string; label: string; state: TaskState; colour: string; taskId: string };
}
export interface DagEdge {
  data: { id: string; source: string; target: string };
}

/** Steps → graph elements: one node per step (label: step id and target), one edge per dependency. */
export function elementsOf(steps: Pick<StepDetail, 'id' | 'taskId' | 'target' | 'state' | 'dependsOn'>[]): (DagNode | DagEdge)[] {
  const ids = new Set(steps.map((s) => s.id));
  const nodes: DagNode[] = steps.map((step) => ({
    data: { id: step.id, label: `${step.id}\n${step.target}`, state: step.state, colour: STATE_COLOURS[step.state], taskId: step.taskId },
  }));
  const edges: DagEdge[] = steps.flatMap((step) =>
    step.dependsOn.filter((dep) => ids.has(dep)).map((dep) => ({ data: { id: `${dep}->${step.id}`, source: dep, target: step.id } })),
  );
  return [...nodes, ...edges];
}

/**
 * Which node an event moves: a DAG step's event carries its step id; a batch member's or a plain
 * task's is matched by task id. Undefined for the group's own events.
 */
export function nodeOfEvent(event: Pick<TaskEvent, 'stepId' | 'taskId'>, steps: Pick<StepDetail, 'id' | 'taskId'>[]): string | undefined {
  if (event.stepId !== null && steps.some((s) => s.id === event.stepId)) return event.stepId;
  return steps.find((s) => s.taskId === event.taskId)?.id;
}
