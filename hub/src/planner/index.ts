export { needsApproval } from './agent/approval.ts';
export { type AgentPlan, choosePlaybook, type PlannedStep } from './agent/choose-playbook.ts';
export { buildRoleAgentGraph } from './agent/deterministic-graph.ts';
export { AGENT_PREFIX, AgentInputSchema, RoleAgent, type RoleAgentOptions } from './agent/role-agent.ts';
export {
  type AgentEnv,
  type AgentFailure,
  type ApprovalCheck,
  failureResult,
  type RunRef,
  resultText,
  type StepResult,
  type ToolCaller,
} from './agent/types.ts';
export { evaluateCondition } from './condition.ts';
export { buildLlmAgentGraph } from './llm/agent-graph.ts';
export { createChatModel, type ModelFactory, type ModelProvider, modelProvider } from './llm/model-factory.ts';
export { renderTemplate, renderText, resolvePath } from './template.ts';
