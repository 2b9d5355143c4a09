import {
  type AuthInfo,
  createMcpHandler,
  isLegacyRequest,
  legacyStatelessFallback,
  type Server,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { ToolView } from '../catalog/index.ts';
import type { Hub } from '../hub.ts';
import type { Principal } from '../policy/index.ts';
import { HttpSessions, jsonRpcError } from './http-sessions.ts';
import { LegacySseEndpoints } from './legacy-sse.ts';
import { createHubMcpServer, upstreamsOf } from './mcp-server.ts';
import { openSessionStore, type SessionStoreConfig } from './session-store/index.ts';
import { type Session, SessionRegistry } from './sessions.ts';
import { resolveView } from './tool-view.ts';

export interface McpEndpointOptions {
  /** Idle time after which a 2025-era session is closed. */
  sessionTtlMs?: number;
  maxSessions?: number;
  /** Where 2025-era sessions live (default memory); `none` serves that era statelessly. */
  sessions?: SessionStoreConfig | undefined;
  /** Who the caller is, from what the auth middleware verified (undefined: no token). */
  principalOf: (authInfo: AuthInfo | undefined) => Principal;
}

export interface McpEndpoint {
  /** `/mcp` and `/mcp/<profile>`: 2026-07-28 requests per request, 2025-era ones in sessions. */
  fetch(request: Request, options: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
  /** `GET /sse` (legacy HTTP+SSE): opens a stream that posts to `messagesPath`. */
  sse(messagesPath: string, authInfo?: AuthInfo): Promise<Response>;
  /** `POST /messages?sessionId=…` (legacy HTTP+SSE). */
  messages(request: Request, options: { parsedBody?: unknown; authInfo?: AuthInfo }): Promise<Response>;
  readonly registry: SessionRegistry;
  /** Resolves once the session store is open (rejects when it cannot be: a misconfigured Redis, say). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_SESSION_TTL_MS = 60 * 60_000;
const DEFAULT_MAX_SESSIONS = 1000;
const ENDPOINT = /^\/mcp(?:\/([^/]+))?\/?$/;

/**
 * Everything MCP on the HTTP face, one factory behind three transports: modern per-request serving
 * (createMcpHandler, which also serves `subscriptions/listen`), 2025-era sessions (or stateless
 * 2025 serving), and legacy SSE. Each request is classified on its own, so both eras share one
 * URL. `/mcp/<profile>` and `?tools=` pick what the caller sees. Catalogue changes reach all of
 * them: `list_changed` to sessions, listen-stream events to modern callers.
 */
export function createMcpEndpoint(hub: Hub, options: McpEndpointOptions): McpEndpoint {
  const registry = new SessionRegistry(hub);
  const onerror = (error: Error) => hub.logger.debug({ err: error }, 'mcp request rejected');
  const serverFor = (session: () => Session | undefined, authInfo: AuthInfo | undefined, view: ToolView): Server =>
    createHubMcpServer(hub, options.principalOf(authInfo), { session, registry, view });
  // The factories see the request, so one handler serves every profile.
  const viewOf = (request: Request | undefined): ToolView => {
    const view = request === undefined ? ToolView.ALL : viewOfUrl(hub, new URL(request.url));
    return 'error' in view ? ToolView.ALL : view;
  };
  const modern = createMcpHandler((ctx) => serverFor(() => undefined, ctx.authInfo, viewOf(ctx.requestInfo)), {
    legacy: 'reject',
    onerror,
  });
  const stateless = legacyStatelessFallback((ctx) => serverFor(() => undefined, ctx.authInfo, viewOf(ctx.requestInfo)), onerror);
  const maxSessions = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  const mayUse = (authInfo: AuthInfo | undefined, view: ToolView = ToolView.ALL) => upstreamsOf(hub, options.principalOf(authInfo), view);
  const opening = openSessionStore(options.sessions).then((store) =>
    store === undefined
      ? undefined
      : new HttpSessions(registry, store, {
          ttlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
          maxSessions,
          serverFor,
          mayUse,
          onerror,
        }),
  );
  const ready = opening.then(() => {});
  ready.catch(() => {}); // reported by whoever awaits `ready`; requests then get a 503
  const sse = new LegacySseEndpoints(registry, (session, authInfo) => serverFor(session, authInfo, ToolView.ALL), mayUse, maxSessions);

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
    ready,
    async fetch(request, { parsedBody, authInfo }) {
      const view = viewOfUrl(hub, new URL(request.url));
      if ('error' in view) return jsonRpcError(view.status, -32602, view.error);
      const auth = authInfo ? { authInfo } : {};
      if (!inSession(request, parsedBody) && !(await isLegacyRequest(request, parsedBody)))
        return modern.fetch(request, { parsedBody, ...auth });
      let sessions: HttpSessions | undefined;
      try {
        sessions = await opening;
      } catch (error) {
        hub.logger.error({ err: error }, 'the MCP session store is unavailable');
        return jsonRpcError(503, -32000, 'the session store is unavailable; retry shortly, or use protocol 2026-07-28 (no sessions)');
      }
      if (sessions === undefined) return stateless(request, { parsedBody, ...auth });
      return sessions.handle(request, parsedBody, authInfo, view).catch((error: Error) => {
        hub.logger.error({ err: error }, 'could not serve an MCP session request');
        return jsonRpcError(503, -32000, 'the session store did not answer; retry shortly');
      });
    },
    sse: (messagesPath, authInfo) => sse.connect(messagesPath, authInfo),
    messages: (request, { parsedBody, authInfo }) =>
      sse.post(request, new URL(request.url).searchParams.get('sessionId') ?? undefined, parsedBody, authInfo),
    async close() {
      hub.catalog.off('changed', onChanged);
      hub.pool.off('resourceUpdated', onUpdated);
      const sessions = await opening.catch(() => undefined);
      await Promise.allSettled([modern.close(), sessions?.close(), sse.close()]);
      await registry.close();
    },
  };
}

/**
 * A well-formed request in a 2025-era session (a session id and a 2025 protocol version): the SDK's classifier
 * would say legacy too, after a schema pass over the body that under load cost more than the rest
 * of the request's routing. The 2026-07-28 revision has no sessions.
 */
function inSession(request: Request, body: unknown): boolean {
  const message = body as { id?: unknown; method?: unknown } | null;
  const wellFormed = typeof message?.method === 'string' && (typeof message.id === 'string' || typeof message.id === 'number');
  const version = request.headers.get('mcp-protocol-version');
  return (
    wellFormed &&
    request.headers.get('mcp-session-id') !== null &&
    version !== null &&
    version < '2026' &&
    SUPPORTED_PROTOCOL_VERSIONS.includes(version)
  );
}

/** The view `/mcp[/<profile>][?tools=…]` asks for, or why it cannot be served (404 unknown profile, 400 bad glob). */
function viewOfUrl(hub: Hub, url: URL): ToolView | { error: string; status: number } {
  const match = ENDPOINT.exec(url.pathname);
  const profile = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  const view = resolveView(hub, profile, url.searchParams.get('tools'));
  return 'error' in view ? { error: view.error, status: view.error.startsWith('no profile') ? 404 : 400 } : view;
}
