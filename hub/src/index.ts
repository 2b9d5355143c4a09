export type { Tool } from '@modelcontextprotocol/client';
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
export { createHttpFace, createHubMcpServer, serveHubHttp, serveHubStdio } from './faces/index.ts';
export { Hub, type HubCallOptions, type HubOptions, UnknownToolError } from './hub.ts';
export { AGENT_PREFIX, RoleAgent } from './planner/index.ts';
export { decideTool, matchesAnyGlob } from './policy/index.ts';
export { correlationIdFrom } from './telemetry/index.ts';
