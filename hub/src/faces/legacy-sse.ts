import { randomUUID } from 'node:crypto';
import {
  type AuthInfo,
  type JSONRPCMessage,
  type MessageExtraInfo,
  parseJSONRPCMessage,
  type Server,
  type Transport,
} from '@modelcontextprotocol/server';
import { jsonRpcError } from './http-sessions.ts';
import type { Session, SessionRegistry } from './sessions.ts';

/**
 * The deprecated HTTP+SSE transport (protocol 2024-11-05) for old clients: `GET /sse` opens an
 * event stream whose first event names the POST endpoint (`/messages?sessionId=…`); every message
 * the client POSTs there is answered on the stream. The SDK moved this to
 * `@modelcontextprotocol/server-legacy`, a frozen copy bound to Node's req/res and to an older
 * `core`; this is the same protocol over web-standard Request/Response, about as small.
 */
class SseServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  readonly sessionId = randomUUID();
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private closed = false;
  private readonly encoder = new TextEncoder();
  private keepAlive: NodeJS.Timeout | undefined;

  /** The response that carries the stream; the endpoint event goes out first. */
  response(endpoint: string): Response {
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.controller = controller;
        this.write(`event: endpoint\ndata: ${endpoint}?sessionId=${this.sessionId}\n\n`);
        this.keepAlive = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
        this.keepAlive.unref();
      },
      cancel: () => {
        this.close().catch(() => {});
      },
    });
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' },
    });
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error('SSE stream closed');
    this.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  receive(message: JSONRPCMessage, extra: MessageExtraInfo): void {
    this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    try {
      this.controller?.close();
    } catch {
      // already closed by the client going away
    }
    this.onclose?.();
  }

  private write(text: string): void {
    if (this.closed || this.controller === undefined) return;
    try {
      this.controller.enqueue(this.encoder.encode(text));
    } catch {
      this.close().catch(() => {});
    }
  }
}

interface Open {
  transport: SseServerTransport;
  owner: string | undefined;
}

/** `GET /sse` + `POST /messages`, one MCP server instance per stream. */
export class LegacySseEndpoints {
  private readonly open = new Map<string, Open>();

  constructor(
    private readonly registry: SessionRegistry,
    private readonly serverFor: (session: () => Session | undefined, authInfo: AuthInfo | undefined) => Server,
    private readonly mayUse: (authInfo: AuthInfo | undefined) => (upstream: string) => boolean,
    private readonly maxSessions: number,
  ) {}

  async connect(messagesPath: string, authInfo?: AuthInfo): Promise<Response> {
    if (this.open.size >= this.maxSessions) return new Response('too many open SSE sessions; retry later', { status: 503 });
    const transport = new SseServerTransport();
    const id = transport.sessionId;
    let session: Session | undefined;
    const server = this.serverFor(() => session, authInfo);
    session = { id, transport: 'sse', server, subscriptions: new Set(), mayUse: this.mayUse(authInfo) };
    transport.onclose = () => {
      this.open.delete(id);
      this.registry.remove(id);
    };
    this.open.set(id, { transport, owner: authInfo?.clientId });
    this.registry.add(session);
    const response = transport.response(messagesPath);
    await server.connect(transport);
    return response;
  }

  /** A message POSTed for session `sessionId`: accepted (202) and answered on that session's stream. */
  async post(request: Request, sessionId: string | undefined, parsedBody: unknown, authInfo?: AuthInfo): Promise<Response> {
    const open = sessionId === undefined ? undefined : this.open.get(sessionId);
    if (open === undefined || open.owner !== authInfo?.clientId) {
      return new Response('unknown or closed sessionId; open a new stream with GET /sse', { status: 404 });
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(parsedBody ?? (await request.json()));
    } catch (error) {
      return jsonRpcError(400, -32700, `invalid JSON-RPC message: ${(error as Error).message}`);
    }
    open.transport.receive(message, { request, ...(authInfo ? { authInfo } : {}) });
    return new Response('Accepted', { status: 202 });
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open.values()].map((o) => o.transport.close()));
  }
}
