import { type BaseCheckpointSaver, END, START, StateGraph } from '@langchain/langgraph';
import type { RunDeps } from './deps.ts';
import { afterApprove, approveNode } from './nodes/approve.ts';
import { dispatchRoutes } from './nodes/dispatch.ts';
import { executeNode, scheduleNode } from './nodes/execute.ts';
import { planNode } from './nodes/plan.ts';
import { reportNode } from './nodes/report.ts';
import { afterReview, reviewNode } from './nodes/review.ts';
import { RunState, type RunStateValue } from './run-state.ts';

/** After plan: a plan that could not be made goes straight to the report. */
export function afterPlan(state: RunStateValue): 'approve' | 'report' {
  return state.failure === undefined && state.planned !== undefined ? 'approve' : 'report';
}

/**
 * The planner run:
 *
 *   START → plan → approve → dispatch ─Send→ execute (independent steps, in parallel) ─┐
 *             ▲        │            └─Send→ schedule (dependent steps, scheduler DAG) ─┴→ review
 *             │        └→ report (rejected)                                               │
 *             └──────────────────────── rejected, rounds left ────────────────────────────┤
 *                                                                           approved / done → report → END
 *
 * Checkpointed after every node (SQLite or Postgres), so a run resumes where it was after a restart;
 * `approve` waits for a person through `interrupt()`.
 */
export function buildRunGraph(deps: RunDeps) {
  return new StateGraph(RunState)
    .addNode('plan', planNode(deps))
    .addNode('approve', approveNode(deps))
    .addNode('dispatch', () => ({}))
    .addNode('execute', executeNode(deps))
    .addNode('schedule', scheduleNode(deps))
    .addNode('review', reviewNode(deps))
    .addNode('report', reportNode(deps))
    .addEdge(START, 'plan')
    .addConditionalEdges('plan', afterPlan, ['approve', 'report'])
    .addConditionalEdges('approve', afterApprove, ['dispatch', 'report'])
    .addConditionalEdges('dispatch', dispatchRoutes, ['execute', 'schedule', 'review'])
    .addEdge('execute', 'review')
    .addEdge('schedule', 'review')
    .addConditionalEdges('review', afterReview, ['plan', 'report'])
    .addEdge('report', END);
}

export function compileRunGraph(deps: RunDeps, checkpointer: BaseCheckpointSaver) {
  return buildRunGraph(deps).compile({ checkpointer, name: 'planner' });
}

export type RunGraph = ReturnType<typeof compileRunGraph>;
