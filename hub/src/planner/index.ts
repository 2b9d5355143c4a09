export { type Plan, type PlannedStep, planDeterministically } from './deterministic-planner.ts';
export { buildRoleAgentGraph } from './graph.ts';
export { resultText, type ToolCaller } from './nodes/act.ts';
export { AGENT_PREFIX, AgentInputSchema, RoleAgent } from './role-agent.ts';
export { renderTemplate } from './template.ts';
