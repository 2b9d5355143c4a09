import { type AuthInfo, createMcpHandler, isLegacyRequest, type Server } from '@modelcontextprotocol/server';
import type { Hub } from '../hub.ts';
import type { Principal } from '../policy/index.ts';
import { HttpSessions } from './http-sessions.ts';
import { LegacySseEndpoints } from './legacy-sse.ts';
import { createHubMcpServer, upstreamsOf } from './mcp-server.ts';
import { type Session, SessionRegistry } from './sessions.ts';

export interface McpEndpointOptions {
  /** Idle time after which a 2025-era session is closed. */
  sessionTtlMs?: number;
  maxSessions?: number;
  /** Who the caller is, from what the auth middleware verified (undefined: no token). */
  principalOf: (authInfo: AuthInfo | undefined) => Principal;
}

export interface McpEndpoint {
  /** `/mcp`: 2026-07-28 requests per request, 2025-era ones in sessions. */
  fetch(request: Request, options: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
  /** `GET /sse` (legacy HTTP+SSE): opens a stream that posts to `messagesPath`. */
  sse(messagesPath: string, authInfo?: AuthInfo): Promise<Response>;
  /** `POST /messages?sessionId=…` (legacy HTTP+SSE). */
  messages(request: Request, options: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
  readonly registry: SessionRegistry;
  close(): Promise<void>;
}

export const DEFAULT_SESSION_TTL_MS = 60 * 60_000;
const DEFAULT_MAX_SESSIONS = 1000;

/**
 * Everything MCP on the HTTP face, one factory behind three transports: modern per-request serving
 * (createMcpHandler, which also serves `subscriptions/listen`), 2025-era sessions, and legacy SSE.
 * Catalogue changes reach all of them: `list_changed` to sessions, listen-stream events to modern
 * callers.
 */
export function createMcpEndpoint(hub: Hub, options: McpEndpointOptions): McpEndpoint {
  const registry = new SessionRegistry(hub);
  const onerror = (error: Error) => hub.logger.debug({ err: error }, 'mcp request rejected');
  const serverFor = (session: () => Session | undefined, authInfo: AuthInfo | undefined): Server =>
    createHubMcpServer(hub, options.principalOf(authInfo), { session, registry });
  const modern = createMcpHandler((ctx) => serverFor(() => undefined, ctx.authInfo), { legacy: 'reject', onerror });
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const mayUse = (authInfo: AuthInfo | undefined) => upstreamsOf(hub, options.principalOf(authInfo));
  const sessions = new HttpSessions(registry, {
    ttlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    maxSessions,
    serverFor,
    mayUse,
    onerror,
  });
  const sse = new LegacySseEndpoints(registry, serverFor, mayUse, maxSessions);

  const onChanged = (changed: { tools: boolean; resources: boolean; prompts: boolean }) => {
    if (changed.tools) modern.notify.toolsChanged();
    if (changed.resources) modern.notify.resourcesChanged();
    if (changed.prompts) modern.notify.promptsChanged();
  };
  const onUpdated = (upstream: string, uri: string) => modern.notify.resourceUpdated(`${upstream}+${uri}`);
  hub.catalog.on('changed', onChanged);
  hub.pool.on('resourceUpdated', onUpdated);

  return {
    registry,
    async fetch(request, { parsedBody, authInfo }) {
      const auth = authInfo ? { authInfo } : {};
      if (await isLegacyRequest(request, parsedBody)) return sessions.handle(request, parsedBody, authInfo);
      return modern.fetch(request, { parsedBody, ...auth });
    },
    sse: (messagesPath, authInfo) => sse.connect(messagesPath, authInfo),
    messages: (request, { parsedBody, authInfo }) =>
      sse.post(request, new URL(request.url).searchParams.get('sessionId') ?? undefined, parsedBody, authInfo),
    async close() {
      hub.catalog.off('changed', onChanged);
      hub.pool.off('resourceUpdated', onUpdated);
      await Promise.allSettled([modern.close(), sessions.close(), sse.close()]);
      await registry.close();
    },
  };
}
