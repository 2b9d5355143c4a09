export { openCheckpointer } from './checkpointer.ts';
export type { RunDeps, RunEvent } from './deps.ts';
export { planWithModel, SUBMIT_PLAN } from './llm-task-planner.ts';
export {
  type ApprovalDecision,
  type PlanStep,
  type RunInput,
  RunInputSchema,
  type RunPlan,
  type RunReport,
  type StepOutcome,
} from './plan-model.ts';
export { type ExecuteInput, type PlannerHost, PlannerService, RUN_TOOL } from './planner-service.ts';
export { renderReport, renderView } from './report-text.ts';
export { buildRunGraph, compileRunGraph } from './run-graph.ts';
export { mountRunRoutes, type RunRouteOptions } from './run-routes.ts';
export { type PlannerTool, type PlannerToolCall, plannerTools, RunTaskArgs } from './run-tools.ts';
export { RunApiError, type RunStatusView, type RunView } from './run-view.ts';
export { PlanError, planDeterministically } from './task-planner.ts';
