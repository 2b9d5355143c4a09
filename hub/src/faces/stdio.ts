import { randomUUID } from 'node:crypto';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Hub } from '../hub.ts';
import { createHubMcpServer, upstreamsOf } from './mcp-server.ts';
import { type Session, SessionRegistry } from './sessions.ts';

/** Serves the hub on stdin/stdout, for Claude Desktop and any local MCP client; callers are the local user. */
export function serveHubStdio(hub: Hub): { close(): Promise<void> } {
  // The connection is a session: it gets list_changed, log lines and resource updates pushed.
  const registry = new SessionRegistry(hub);
  const handle = serveStdio(
    () => {
      const id = `stdio:${randomUUID()}`;
      let session: Session | undefined;
      const server = createHubMcpServer(hub, hub.localPrincipal, { session: () => session, registry });
      session = { id, transport: 'stdio', server, subscriptions: new Set(), mayUse: upstreamsOf(hub, hub.localPrincipal) };
      registry.add(session);
      server.onclose = () => registry.remove(id);
      return server;
    },
    { onerror: (error) => hub.logger.warn({ err: error }, 'stdio transport error') },
  );
  return {
    close: async () => {
      await handle.close();
      await registry.close();
    },
  };
}
