import { ProtocolError, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import type { Live } from './http-sessions.ts';
import { directToolCallOf } from './mcp-server.ts';

interface CallRequest {
  jsonrpc: '2.0';
  id: string | number;
  method: 'tools/call';
  params: { name: string; arguments?: Record<string, unknown>; _meta?: Record<string, unknown> };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A session's `tools/call` answered as one JSON body, without the SDK transport's web streams and
 * per-message schema pass: under load those were the largest part of the hub's own cost per call.
 * Only a request that needs no stream qualifies: a single well-formed call, no progress token, a
 * client that takes no sampling or elicitation; anything else (and every error the transport
 * answers: Accept, protocol version) goes the SDK way, so the answers stay the SDK's.
 */
export function serveDirect(live: Live, request: Request, body: unknown): Promise<Response> | undefined {
  if (!isCallRequest(body)) return undefined;
  const accept = request.headers.get('accept') ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return undefined;
  if (live.direct.has(body.id)) return undefined;
  const abort = new AbortController();
  const running = directToolCallOf(live.server)?.(body.params, abort.signal);
  if (running === undefined) return undefined;
  live.direct.set(body.id, abort);
  return running
    .then(
      (result) => answer(body.id, { result }),
      (error: unknown) => {
        const e = error as { code?: unknown; message?: unknown; data?: unknown };
        const code = error instanceof ProtocolError && typeof e.code === 'number' ? e.code : -32603;
        return answer(body.id, { error: { code, message: String(e.message ?? error), ...(e.data === undefined ? {} : { data: e.data }) } });
      },
    )
    .finally(() => live.direct.delete(body.id));
}

/** `notifications/cancelled` for a call served directly (the SDK's own table does not know it). */
export function cancelDirect(live: Live, body: unknown): void {
  if (live.direct.size === 0) return;
  for (const message of Array.isArray(body) ? body : [body]) {
    if (!isObject(message) || message.method !== 'notifications/cancelled' || !isObject(message.params)) continue;
    const id = message.params.requestId;
    if (typeof id === 'string' || typeof id === 'number')
      live.direct.get(id)?.abort(new Error(String(message.params.reason ?? 'cancelled by the caller')));
  }
}

function isCallRequest(body: unknown): body is CallRequest {
  if (!isObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call') return false;
  if (typeof body.id !== 'string' && typeof body.id !== 'number') return false;
  const params = body.params;
  if (!isObject(params) || typeof params.name !== 'string') return false;
  if (params.arguments !== undefined && !isObject(params.arguments)) return false;
  if (params._meta !== undefined && (!isObject(params._meta) || params._meta.progressToken !== undefined)) return false;
  return true;
}

function answer(id: string | number, outcome: { result: unknown } | { error: unknown }): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id, ...outcome }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}
