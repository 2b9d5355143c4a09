import {
  type CallToolResult,
  type Client,
  type JSONRPCMessage,
  ProtocolError,
  SdkError,
  SdkErrorCode,
  StreamableHTTPClientTransport,
  type StreamableHTTPClientTransportOptions,
} from '@modelcontextprotocol/client';
import { Pool } from 'undici';

/** What the direct path needs of the SDK transport it extends (members the SDK marks private). */
interface TransportInternals {
  _url: URL;
  _commonHeaders(): Promise<Headers>;
}

export interface DirectCall {
  meta: Record<string, unknown>;
  timeout: number;
  signal?: AbortSignal;
}

/** The upstream did not take the request (401/403/404/400): the SDK path retries it with auth renewal or reports it. */
export const NOT_TAKEN = Symbol('not taken');

const NOT_TAKEN_STATUS = new Set([400, 401, 403, 404]);
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Streamable HTTP to a 2025-era upstream, with `tools/call` sent in one pooled keep-alive POST
 * (undici) instead of the SDK's request machinery (fetch, web streams, a schema pass per message):
 * under load that machinery was most of the hub's cost per call (docs/reliability.md, load). The
 * call keeps everything the SDK path gives it: the same headers (auth, session, protocol version),
 * timeout and caller cancellation answered with `notifications/cancelled` and a closed POST, and
 * whatever else the upstream sends on the call's stream (log lines, sampling or elicitation
 * requests) handed to the client as if the SDK had read it. Everything else goes the SDK way.
 */
export class DirectHttpTransport extends StreamableHTTPClientTransport {
  private pool: Pool | undefined;
  private seq = 0;

  constructor(
    url: URL,
    options: StreamableHTTPClientTransportOptions,
    /** False when a custom fetch carries the upstream's auth (OAuth): then every request takes the SDK path. */
    readonly direct: boolean,
  ) {
    super(url, options);
  }

  /** Calls `tool` in one POST; NOT_TAKEN when the upstream refused it unread (the caller then uses the SDK path). */
  async callTool(
    client: Client,
    tool: string,
    args: Record<string, unknown>,
    call: DirectCall,
  ): Promise<CallToolResult | typeof NOT_TAKEN> {
    const internals = this as unknown as TransportInternals;
    const url = internals._url;
    this.pool ??= new Pool(url.origin, { keepAliveTimeout: 60_000, keepAliveMaxTimeout: 600_000 });
    const id = `sb-${++this.seq}`;
    const headers: Record<string, string> = {};
    for (const [name, value] of await internals._commonHeaders()) headers[name] = value;
    headers['content-type'] = 'application/json';
    headers.accept = 'application/json, text/event-stream';
    const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args, _meta: call.meta } });
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error('timed out'));
    }, call.timeout);
    const onCallerAbort = () => abort.abort(call.signal?.reason);
    if (call.signal?.aborted) onCallerAbort();
    else call.signal?.addEventListener('abort', onCallerAbort, { once: true });
    try {
      const response = await this.pool.request({
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers,
        body,
        signal: abort.signal,
      });
      if (NOT_TAKEN_STATUS.has(response.statusCode)) {
        await response.body.dump();
        return NOT_TAKEN;
      }
      if (response.statusCode >= 300) {
        const text = await response.body.text();
        throw new SdkError(SdkErrorCode.ClientHttpNotImplemented, `Error POSTing to endpoint: ${text.slice(0, 500)}`, {
          status: response.statusCode,
          text,
        });
      }
      const type = String(response.headers['content-type'] ?? '');
      const messages = type.startsWith('text/event-stream') ? sseMessages(response.body) : jsonMessages(response.body);
      let answer: JSONRPCMessage | undefined;
      for await (const message of messages) {
        if ('id' in message && message.id === id && !('method' in message)) answer = message;
        else this.onmessage?.(message);
      }
      if (answer === undefined)
        throw new SdkError(SdkErrorCode.ConnectionClosed, `the upstream ended the response to ${id} without answering it`);
      if ('error' in answer) throw ProtocolError.fromError(answer.error.code, answer.error.message, answer.error.data);
      return toolResult((answer as { result: unknown }).result);
    } catch (error) {
      if (!abort.signal.aborted) throw error;
      // The SDK path's way: tell the upstream, then fail as the SDK would (timeout, or the caller's reason).
      client
        .notification({ method: 'notifications/cancelled', params: { requestId: id, reason: timedOut ? 'timed out' : 'cancelled' } })
        .catch(() => {});
      if (timedOut) throw new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: call.timeout });
      throw call.signal?.reason ?? error;
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  override async close(): Promise<void> {
    await super.close();
    const pool = this.pool;
    this.pool = undefined;
    await pool?.destroy().catch(() => {});
  }
}

/** The minimum a tools/call result must be to pass on (the SDK path checks the same with a schema). */
function toolResult(result: unknown): CallToolResult {
  const r = result as { content?: unknown; structuredContent?: unknown } | null;
  const contentOk = Array.isArray(r?.content) && r.content.every((c) => typeof (c as { type?: unknown } | null)?.type === 'string');
  if (r === null || typeof r !== 'object' || !(contentOk || (r.content === undefined && typeof r.structuredContent === 'object')))
    throw new SdkError(SdkErrorCode.InvalidResult, 'Invalid result for tools/call: expected { content: [...] }');
  return r as CallToolResult;
}

async function* jsonMessages(body: AsyncIterable<Buffer>): AsyncGenerator<JSONRPCMessage> {
  const text = await readAll(body);
  const parsed = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
  yield* Array.isArray(parsed) ? parsed : [parsed];
}

async function readAll(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES)
      throw new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `response over ${MAX_RESPONSE_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The JSON-RPC messages of an SSE body, each as soon as its event is complete (a mid-call request must be answered before the call can end). */
async function* sseMessages(body: AsyncIterable<Buffer>): AsyncGenerator<JSONRPCMessage> {
  let pending = '';
  for await (const chunk of body) {
    pending += chunk.toString('utf8');
    if (pending.length > MAX_RESPONSE_BYTES)
      throw new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `an SSE event over ${MAX_RESPONSE_BYTES} bytes`);
    let end = eventEnd(pending);
    while (end !== undefined) {
      const data = dataOf(pending.slice(0, end.at));
      pending = pending.slice(end.at + end.length);
      if (data !== '') yield JSON.parse(data) as JSONRPCMessage;
      end = eventEnd(pending);
    }
  }
  const data = dataOf(pending);
  if (data !== '') yield JSON.parse(data) as JSONRPCMessage;
}

function eventEnd(text: string): { at: number; length: number } | undefined {
  const lf = text.indexOf('\n\n');
  const crlf = text.indexOf('\r\n\r\n');
  if (lf === -1 && crlf === -1) return undefined;
  return crlf !== -1 && (lf === -1 || crlf < lf) ? { at: crlf, length: 4 } : { at: lf, length: 2 };
}

/** An event's `data:` lines joined (SSE: one optional space after the colon); other fields ignored. */
function dataOf(event: string): string {
  const lines: string[] = [];
  for (const line of event.split(/\r?\n/)) {
    if (line.startsWith('data:')) lines.push(line.slice(line.startsWith('data: ') ? 6 : 5));
  }
  return lines.join('\n');
}
