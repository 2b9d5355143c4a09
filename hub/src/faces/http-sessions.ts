import { randomUUID } from 'node:crypto';
import {
  type AuthInfo,
  isInitializeRequest,
  type LegacyHttpHandler,
  legacyStatelessFallback,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { Session, SessionRegistry } from './sessions.ts';

export interface HttpSessionOptions {
  /** A session idle (no request) this long is closed; the client then gets 404 and re-initializes. */
  ttlMs: number;
  maxSessions: number;
  /** Builds the MCP server of a new session, for the caller `authInfo` identifies. */
  serverFor: (session: () => Session | undefined, authInfo: AuthInfo | undefined) => Server;
  /** Which upstreams' log lines and resource updates that caller may see. */
  mayUse: (authInfo: AuthInfo | undefined) => (upstream: string) => boolean;
  onerror: (error: Error) => void;
  now?: () => number;
}

interface Live {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** Who opened it: only the same principal may use it (a leaked session id is not a credential). */
  owner: string | undefined;
}

/**
 * Streamable HTTP sessions for 2025-era clients (`Mcp-Session-Id`): an `initialize` opens one, with
 * its own MCP server instance that keeps the client's capabilities and log level, serves its
 * standalone GET stream (where `list_changed` notifications go) and ends on DELETE or after
 * `ttlMs` idle. A 2025-era POST without a session is served statelessly, as before.
 */
export class HttpSessions {
  private readonly live = new Map<string, Live>();
  private readonly stateless: LegacyHttpHandler;
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly options: HttpSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.stateless = legacyStatelessFallback((ctx) => options.serverFor(() => undefined, ctx.authInfo), options.onerror);
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(options.ttlMs / 4, 60_000)));
    this.sweeper.unref();
  }

  get size(): number {
    return this.live.size;
  }

  async handle(request: Request, parsedBody: unknown, authInfo?: AuthInfo): Promise<Response> {
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const live = this.live.get(id);
      if (live === undefined || live.owner !== ownerOf(authInfo)) {
        return jsonRpcError(404, -32001, 'Session not found (expired or closed); start a new session with initialize');
      }
      live.lastSeen = this.now();
      return live.transport.handleRequest(request, { parsedBody, ...(authInfo ? { authInfo } : {}) });
    }
    if (request.method === 'POST' && isInitializeRequest(parsedBody)) return this.open(request, parsedBody, authInfo);
    if (request.method === 'POST') return this.stateless(request, { parsedBody, ...(authInfo ? { authInfo } : {}) });
    return jsonRpcError(400, -32000, `Bad Request: ${request.method} needs an Mcp-Session-Id header; send initialize first`);
  }

  private async open(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined): Promise<Response> {
    if (this.live.size >= this.options.maxSessions) {
      return jsonRpcError(503, -32000, `too many open sessions (${this.options.maxSessions}); retry later or close idle sessions`);
    }
    let session: Session | undefined;
    const server = this.options.serverFor(() => session, authInfo);
    const mayUse = this.options.mayUse(authInfo);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.live.set(id, { transport, server, lastSeen: this.now(), owner: ownerOf(authInfo) });
        session = { id, transport: 'http', server, subscriptions: new Set(), mayUse };
        this.registry.add(session);
      },
      onsessionclosed: (id) => this.drop(id),
    });
    transport.onclose = () => {
      if (session) this.drop(session.id);
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody, ...(authInfo ? { authInfo } : {}) });
  }

  private drop(id: string): void {
    const live = this.live.get(id);
    if (live === undefined) return;
    this.live.delete(id);
    this.registry.remove(id);
    live.server.close().catch(() => {});
  }

  private sweep(): void {
    const cutoff = this.now() - this.options.ttlMs;
    for (const [id, live] of this.live) if (live.lastSeen < cutoff) this.drop(id);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const id of [...this.live.keys()]) this.drop(id);
  }
}

function ownerOf(authInfo: AuthInfo | undefined): string | undefined {
  return authInfo?.clientId;
}

export function jsonRpcError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
