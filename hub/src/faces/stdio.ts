import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Hub } from '../hub.ts';
import { createHubMcpServer } from './mcp-server.ts';

/** Serves the hub on stdin/stdout, for Claude Desktop and any local MCP client; callers are the local user. */
export function serveHubStdio(hub: Hub): { close(): Promise<void> } {
  return serveStdio(() => createHubMcpServer(hub, hub.localPrincipal), {
    onerror: (error) => hub.logger.warn({ err: error }, 'stdio transport error'),
  });
}
