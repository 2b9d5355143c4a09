import { randomUUID } from 'node:crypto';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { ConfigError } from '../config/index.ts';
import type { Hub } from '../hub.ts';
import { createHubMcpServer, upstreamsOf } from './mcp-server.ts';
import { type Session, SessionRegistry } from './sessions.ts';
import { resolveView } from './tool-view.ts';

export interface StdioOptions {
  /** A profile from `profiles:` (what the client sees). */
  profile?: string | undefined;
  /** Tool globs narrowing further, comma-separated as in `?tools=`. */
  tools?: string | undefined;
}

/**
 * Serves the hub on stdin/stdout, for Claude Desktop and any local MCP client; callers are the local
 * user. With a profile the client sees only that profile's tools (the local user's role still applies).
 */
export function serveHubStdio(hub: Hub, options: StdioOptions = {}): { close(): Promise<void> } {
  const view = resolveView(hub, options.profile, options.tools);
  if ('error' in view) throw new ConfigError(hub.configSource, options.profile !== undefined ? 'profiles' : 'tools', view.error);
  // The connection is a session: it gets list_changed, log lines and resource updates pushed.
  const registry = new SessionRegistry(hub);
  const handle = serveStdio(
    () => {
      const id = `stdio:${randomUUID()}`;
      let session: Session | undefined;
      const server = createHubMcpServer(hub, hub.localPrincipal, { session: () => session, registry, view });
      session = { id, transport: 'stdio', server, subscriptions: new Set(), mayUse: upstreamsOf(hub, hub.localPrincipal, view) };
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
