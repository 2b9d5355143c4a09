import { randomUUID } from 'node:crypto';
import {
  type AuthInfo,
  type InitializeRequest,
  isInitializeRequest,
  type LoggingLevel,
  type Server,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { ToolView } from '../catalog/index.ts';
import { cancelDirect, serveDirect } from './direct-call.ts';
import type { SessionRecord, SessionStore } from './session-store/index.ts';
import type { Session, SessionRegistry } from './sessions.ts';

export interface HttpSessionOptions {
  /** A session idle (no request) this long is closed; the client then gets 404 and re-initializes. */
  ttlMs: number;
  maxSessions: number;
  /** Builds the MCP server of a session, for the caller `authInfo` identifies, seeing `view`. */
  serverFor: (session: () => Session | undefined, authInfo: AuthInfo | undefined, view: ToolView) => Server;
  /** Which upstreams' log lines and resource updates that caller may see. */
  mayUse: (authInfo: AuthInfo | undefined, view: ToolView) => (upstream: string) => boolean;
  onerror: (error: Error) => void;
  now?: () => number;
}

export interface Live {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  lastSeen: number;
  /** Who opened it: only the same principal may use it (a leaked session id is not a credential). */
  owner: string | undefined;
  view: string;
  /** tools/call requests served directly (direct-call.ts), by JSON-RPC id: a cancellation must reach them. */
  direct: Map<string | number, AbortController>;
}

/** Request id of the `initialize` a replica replays to rebuild a session it did not open. */
const REPLAY_ID = 'switchboard-session-replay';

/**
 * Streamable HTTP sessions for 2025-era clients (`Mcp-Session-Id`): an `initialize` opens one, with
 * its own MCP server instance that keeps the client's capabilities and log level, serves its
 * standalone GET stream (where `list_changed` notifications go) and ends on DELETE or after `ttlMs`
 * idle. The session is recorded in a store: with Redis or Postgres another hub replica that gets
 * a request for it rebuilds it by replaying the client's `initialize`, so a load balancer need not
 * be sticky. A 2025-era request without a session (other than initialize) is answered 400.
 */
export class HttpSessions {
  private readonly live = new Map<string, Live>();
  private readonly rebuilding = new Map<string, Promise<Live | undefined>>();
  private readonly sweeper: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly store: SessionStore,
    private readonly options: HttpSessionOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(options.ttlMs / 4, 60_000)));
    this.sweeper.unref();
  }

  /** Sessions this replica holds a server for. */
  get size(): number {
    return this.live.size;
  }

  async handle(request: Request, parsedBody: unknown, authInfo: AuthInfo | undefined, view: ToolView): Promise<Response> {
    const auth = authInfo ? { authInfo } : {};
    const id = request.headers.get('mcp-session-id');
    if (id !== null) {
      const live = await this.find(id, request, authInfo, view);
      if (live === undefined)
        return jsonRpcError(404, -32001, 'Session not found (expired or closed); start a new session with initialize');
      live.lastSeen = this.now();
      if (request.method === 'POST') {
        const direct = serveDirect(live, request, parsedBody);
        if (direct !== undefined) return direct;
        cancelDirect(live, parsedBody);
      }
      return live.transport.handleRequest(request, { parsedBody, ...auth });
    }
    if (request.method === 'POST' && isInitializeRequest(parsedBody)) return this.open(request, parsedBody, authInfo, view);
    // The 2025-era transport spec: a server that issues sessions answers 400 to any other request
    // without one. Serving it statelessly instead would let a caller skip initialize (and with it the
    // capabilities a session records); `sessions.store: none` is the explicit stateless mode.
    return jsonRpcError(400, -32000, `Bad Request: ${request.method} needs an Mcp-Session-Id header; send initialize first`);
  }

  /**
   * The live session for `id`, if this caller may use it here: held by this replica and still in the
   * store (another replica may have closed it), or rebuilt from the store's record.
   */
  private async find(id: string, request: Request, authInfo: AuthInfo | undefined, view: ToolView): Promise<Live | undefined> {
    const owner = ownerOf(authInfo);
    const live = this.live.get(id);
    if (live !== undefined) {
      if (live.owner !== owner || live.view !== view.key) return undefined;
      if (await this.store.touch(id, this.options.ttlMs)) return live;
      this.drop(id, false);
      return undefined;
    }
    let pending = this.rebuilding.get(id);
    if (pending === undefined) {
      pending = this.rebuild(id, request, authInfo, view).finally(() => this.rebuilding.delete(id));
      this.rebuilding.set(id, pending);
    }
    const rebuilt = await pending;
    return rebuilt !== undefined && rebuilt.owner === owner && rebuilt.view === view.key ? rebuilt : undefined;
  }

  private async open(request: Request, message: InitializeRequest, authInfo: AuthInfo | undefined, view: ToolView): Promise<Response> {
    if (this.live.size >= this.options.maxSessions) {
      return jsonRpcError(503, -32000, `too many open sessions (${this.options.maxSessions}); retry later or close idle sessions`);
    }
    const url = new URL(request.url);
    let recorded: Promise<void> | undefined;
    const { transport } = await this.connect(randomUUID(), authInfo, view, (id) => {
      const record: SessionRecord = {
        id,
        owner: ownerOf(authInfo),
        view: view.key,
        endpoint: `${url.pathname}${url.search}`,
        initialize: message.params as SessionRecord['initialize'],
        createdAt: this.now(),
      };
      recorded = this.store.create(record, this.options.ttlMs);
    });
    const response = await transport.handleRequest(request, { parsedBody: message, ...(authInfo ? { authInfo } : {}) });
    // Another replica may get the client's next request: the record must exist before it can.
    await recorded;
    return response;
  }

  /** A session opened elsewhere: its server rebuilt by replaying the client's `initialize` to it. */
  private async rebuild(id: string, request: Request, authInfo: AuthInfo | undefined, view: ToolView): Promise<Live | undefined> {
    const record = await this.store.get(id);
    if (record === undefined || record.owner !== ownerOf(authInfo) || record.view !== view.key) return undefined;
    const { transport, live, session } = await this.connect(id, authInfo, view, () => {});
    const url = new URL(record.endpoint, request.url).href;
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const replay = { jsonrpc: '2.0', id: REPLAY_ID, method: 'initialize', params: record.initialize };
    const answer = await (
      await transport.handleRequest(new Request(url, { method: 'POST', headers, body: JSON.stringify(replay) }))
    ).text();
    const version = /"protocolVersion":"([^"]+)"/.exec(answer)?.[1] ?? record.initialize.protocolVersion;
    const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    await (
      await transport.handleRequest(
        new Request(url, {
          method: 'POST',
          headers: { ...headers, 'mcp-session-id': id, 'mcp-protocol-version': version },
          body: initialized,
        }),
      )
    ).text();
    if (record.logLevel !== undefined && session() !== undefined) this.registry.setLogLevel(session() as Session, record.logLevel);
    return live;
  }

  /** A session's transport and server, registered (callbacks fire when `initialize` is handled). */
  private async connect(
    sessionId: string,
    authInfo: AuthInfo | undefined,
    view: ToolView,
    onInitialized: (id: string) => void,
  ): Promise<{ transport: WebStandardStreamableHTTPServerTransport; live: Live; session: () => Session | undefined }> {
    let session: Session | undefined;
    const server = this.options.serverFor(() => session, authInfo, view);
    const mayUse = this.options.mayUse(authInfo, view);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => sessionId,
      onsessioninitialized: (id) => {
        this.live.set(id, live);
        session = {
          id,
          transport: 'http',
          server,
          subscriptions: new Set(),
          mayUse,
          persist: (patch: { logLevel: LoggingLevel }) => {
            this.store.update(id, patch).catch((error: Error) => this.options.onerror(error));
          },
        };
        this.registry.add(session);
        onInitialized(id);
      },
      onsessionclosed: (id) => this.drop(id, true),
    });
    const live: Live = { transport, server, lastSeen: this.now(), owner: ownerOf(authInfo), view: view.key, direct: new Map() };
    transport.onclose = () => {
      if (session) this.drop(session.id, false);
    };
    await server.connect(transport);
    return { transport, live, session: () => session };
  }

  /**
   * Forgets a session here; `everywhere` (a DELETE) also removes it from the store, and resolves once
   * it has: the DELETE is answered after that, so no replica serves the session after its client was
   * told it is closed.
   */
  private drop(id: string, everywhere: boolean): Promise<void> {
    const deleted = everywhere ? this.store.delete(id).catch((error: Error) => this.options.onerror(error)) : Promise.resolve();
    const live = this.live.get(id);
    if (live !== undefined) {
      this.live.delete(id);
      this.registry.remove(id);
      live.server.close().catch(() => {});
    }
    return deleted;
  }

  /** Idle here: released (the store's own expiry decides whether another replica may still use it). */
  private sweep(): void {
    const cutoff = this.now() - this.options.ttlMs;
    for (const [id, live] of this.live) if (live.lastSeen < cutoff) this.drop(id, false);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const id of [...this.live.keys()]) this.drop(id, false);
    await this.store.close();
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
