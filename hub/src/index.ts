export type { Tool } from '@modelcontextprotocol/client';
export { generateApiKey, hashApiKey, principalOfContext } from './auth/index.ts';
export { Catalog, type CatalogEntry, MAX_TOOL_NAME, namespacedName } from './catalog/index.ts';
export {
  ConfigError,
  type HubConfig,
  type LoadedConfig,
  loadHubConfig,
  loadRoles,
  parseHubConfig,
  parseRole,
  type Role,
} from './config/index.ts';
export { createHttpFace, createHubMcpServer, factsOf, resolveView, serveHubHttp, serveHubStdio } from './faces/index.ts';
export { Hub, type HubCallOptions, type HubOptions, type ToolCallEvent, UnknownToolError } from './hub.ts';
export { AGENT_PREFIX, RoleAgent } from './planner/index.ts';
export {
  RUN_TOOL,
  type RunEvent,
  type RunInput,
  RunInputSchema,
  type RunReport,
  type RunView,
  renderReport,
  renderView,
} from './planner/run/index.ts';
export {
  AUDIT_OUTCOMES,
  type AuditOutcome,
  type AuditQuery,
  type AuditRecord,
  type AuditStore,
  decideTool,
  matchesAnyGlob,
  openAuditStore,
  type Principal,
  SqliteAuditStore,
  sqliteAuditFile,
} from './policy/index.ts';
export { McpVectorStore, type McpVectorStoreOptions, renderContext, retrieveContext } from './rag/index.ts';
export { SqliteTaskStore, type TaskRecord, type TaskStore } from './scheduler/index.ts';
export { correlationIdFrom, HubMetrics, Telemetry } from './telemetry/index.ts';
export { pinFileOf, ToolPinStore, type ToolRedefinition, type UpstreamStatus } from './upstreams/index.ts';
