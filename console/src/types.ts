// Shapes of the /v1 answers the console reads (docs/api.md).

export interface Principal {
  id: string;
  role: string;
  kind: string;
}

export interface Me {
  principal: Principal;
  admin: boolean;
  hub: string;
  authMode: 'none' | 'required';
}

export interface StatsPoint {
  at: string;
  calls: number;
  errors: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface UpstreamView {
  name: string;
  transport: 'stdio' | 'http';
  state: 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';
  tools: number;
  resources: number;
  prompts: number;
  breaker: { state: 'closed' | 'half-open' | 'open'; consecutiveFailures: number; retryInMs: number };
  restarts: number;
  inFlight: number;
  connectedSince?: string;
  nextAttemptInMs?: number;
  blockedTools?: string[];
  error?: string;
  traffic?: {
    now: { callsPerMin: number; errorRate: number | null; p50Ms: number | null; p99Ms: number | null; windowMs: number };
    series: StatsPoint[];
  };
}

export interface Overview {
  hub: {
    name: string;
    version: string;
    node: string;
    uptimeSeconds: number;
    ready: boolean;
    tools: number;
    roles: string[];
    callsInFlight: number;
    stores: { tasks: string; audit: string };
    authMode: string;
  };
  principal: Principal & { admin: boolean };
  sampleMs: number;
  upstreams: UpstreamView[];
}

export interface JsonSchema {
  type?: string | string[];
  description?: string;
  title?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [key: string]: unknown;
}

export interface ToolView {
  name: string;
  kind: 'upstream' | 'agent' | 'hub';
  upstream?: string;
  role?: string;
  title: string | null;
  description: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema | null;
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean; title?: string };
  destructive: boolean;
  callable: boolean;
  roles?: string[];
}

export interface ToolResult {
  isError?: boolean;
  content?: { type: string; text?: string; mimeType?: string }[];
  structuredContent?: unknown;
  _meta?: Record<string, unknown>;
}

export interface RoleView {
  name: string;
  origin: string;
  description: string | null;
  agentTool: string | null;
  tools: { allow: string[]; deny: string[] };
  arguments: { tools: string[]; where: Record<string, unknown> }[];
  /** maxSteps, timeoutMs and whatever else the role schema limits. */
  limits: Record<string, number> | null;
  playbooks: { name: string; description: string | null; match: string }[];
  context: Record<string, unknown> | null;
  quotas: Record<string, unknown>[];
  effectiveTools: string[];
}

export type TaskState = 'blocked' | 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'timed_out';
export const TASK_STATES: TaskState[] = ['blocked', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'];

export interface TaskError {
  code: string;
  message: string;
  field?: string;
  causeTaskId?: string;
}

export interface TaskView {
  id: string;
  kind: 'task' | 'dag' | 'batch';
  state: TaskState;
  target: string | null;
  role: string | null;
  priority: number;
  attempts: number;
  maxAttempts: number;
  result: unknown;
  error: TaskError | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  correlationId: string;
  steps?: { id: string; taskId: string; state: TaskState; attempts: number; dependsOn: string[] }[];
  tasks?: { id: string; state: TaskState; attempts: number }[];
}

export interface TaskEvent {
  id: number;
  taskId: string;
  parentId: string | null;
  stepId: string | null;
  state: TaskState;
  from: TaskState | null;
  attempt: number;
  at: string;
  error: TaskError | null;
  runAt: string | null;
}

export interface AuditRecord {
  id: string;
  startedAt: number;
  finishedAt?: number;
  principal: string;
  role: string;
  onBehalfOf?: string;
  tool: string;
  argsDigest: string;
  argKeys: string[];
  outcome: 'unfinished' | 'ok' | 'error' | 'denied' | 'rate_limited' | 'flagged';
  errorCode?: string;
  rule?: string;
  durationMs?: number;
  bytes?: number;
  correlationId: string;
  depth: number;
}

export interface StepDetail {
  id: string;
  taskId: string;
  target: string;
  state: TaskState;
  attempts: number;
  maxAttempts: number;
  dependsOn: string[];
  input: Record<string, unknown> | null;
  result: ToolResult | null;
  error: TaskError | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  events: TaskEvent[];
  calls: AuditRecord[];
}

export interface Action {
  allowed: boolean;
  reason: string | null;
}

/** Approve / reject: enabled for a task of a planner run waiting for approval (decided at /v1/runs/<runId>/…). */
export interface DecisionAction extends Action {
  runId?: string;
  approval?: { id: string; round: number; text: string; steps: { id: string; role: string; task: string; why: string }[] };
}

export interface TaskDetail {
  task: TaskView;
  steps: StepDetail[];
  events: TaskEvent[];
  calls: { shown: number; truncated: boolean; hidden: boolean };
  actions: { cancel: Action; approve: DecisionAction; reject: DecisionAction };
}
