import type { CallToolResult, Client, LoggingLevel, RequestOptions } from '@modelcontextprotocol/client';
import { LOG_LEVEL_META_KEY, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { errorOfResult, type Logger, ToolError } from '@switchboard/kit';
import { namespaceResultUris } from '../catalog/rewrite.ts';
import { type CallOutcome, CORRELATION_META_KEY, endSpan, type Telemetry, traceparentOf } from '../telemetry/index.ts';
import type { CircuitBreaker } from './breaker.ts';
import type { CallOptions, InFlightCalls } from './caller.ts';
import { DirectHttpTransport, NOT_TAKEN } from './direct-http.ts';
import { classifyFault } from './faults.ts';
import type { ToolPinning } from './pinning.ts';
import type { ProgressRouter } from './progress.ts';
import type { Resilience } from './resilience.ts';

/** The parts of an upstream the forwarding code uses, taken at the moment the call starts. */
export interface UpstreamLink {
  name: string;
  state: string;
  /** The protocol era of the live connection (`legacy`: 2025, initialize). */
  era: 'legacy' | 'modern' | undefined;
  client: Client | undefined;
  resilience: Resilience;
  breaker: CircuitBreaker;
  inFlight: InFlightCalls;
  progress: ProgressRouter;
  pinning: ToolPinning;
  /** Modern upstreams: the log level callers asked for, sent in each request's `_meta`. */
  logLevel?: LoggingLevel | undefined;
  /** The name callers see for one of its tools. */
  hubName(tool: string): string;
  telemetry: Telemetry;
  logger: Logger;
  describeDown(): string;
  lost(reason: string): void;
}

/** A ToolError that also says how the call ended, for the metrics. */
class ForwardError extends ToolError {
  constructor(
    code: ConstructorParameters<typeof ToolError>[0],
    message: string,
    readonly outcome: CallOutcome,
    field?: string,
  ) {
    super(code, message, field);
  }
}

type Send<T> = (client: Client, request: RequestOptions & { meta: Record<string, unknown> }) => Promise<T>;

/**
 * Forwards one request with everything a call through the hub gets: fail fast when the upstream
 * is down or its circuit is open, a timeout (the smaller of the upstream's and the caller's),
 * cancellation passed on as `notifications/cancelled`, progress, the correlation id and trace
 * context in `_meta`, and the outcome fed to the breaker. Errors come back as ToolErrors that say
 * what happened and to whom.
 */
export async function forwardRequest<T>(link: UpstreamLink, what: string, options: CallOptions, send: Send<T>): Promise<T> {
  const client = link.client;
  if (link.state !== 'connected' || client === undefined)
    throw new ForwardError('UPSTREAM_UNAVAILABLE', link.describeDown(), 'unavailable');
  if (!link.breaker.tryAcquire()) {
    throw new ForwardError(
      'UPSTREAM_UNAVAILABLE',
      `upstream '${link.name}' circuit is open after ${link.breaker.consecutiveFailures} consecutive failures; failing fast, next trial in ${Math.ceil(link.breaker.retryInMs() / 1000)} s`,
      'rejected',
    );
  }
  const timeout = Math.min(link.resilience.timeoutMs, options.timeoutMs ?? Number.POSITIVE_INFINITY);
  const traceparent = traceparentOf(options.traceContext as Parameters<typeof traceparentOf>[0]);
  const progress = options.onprogress ? link.progress.open(options.onprogress) : undefined;
  const meta: Record<string, unknown> = {
    ...(options.correlationId ? { [CORRELATION_META_KEY]: options.correlationId } : {}),
    ...(traceparent ? { traceparent } : {}),
    ...(progress ? { progressToken: progress.token } : {}),
    ...(link.logLevel ? { [LOG_LEVEL_META_KEY]: link.logLevel } : {}),
  };
  const request = { meta, timeout, ...(options.signal ? { signal: options.signal } : {}) };
  try {
    const result = await link.inFlight.track(options, () => send(client, request));
    link.breaker.success();
    return result;
  } catch (error) {
    const fault = classifyFault(error, { timedOut: false, cancelled: options.signal?.aborted === true });
    if (fault === 'cancelled') {
      link.breaker.release();
      throw new ForwardError('TIMEOUT', `the caller cancelled ${what} on upstream '${link.name}'`, 'cancelled');
    }
    if (fault === 'answered') {
      link.breaker.success();
      if (error instanceof ProtocolError) throw fromProtocolError(link.name, error);
      throw error;
    }
    link.breaker.failure();
    if (fault === 'timeout') {
      link.logger.warn({ what, timeoutMs: timeout, correlationId: options.correlationId }, 'upstream call timed out; cancelled it');
      throw new ForwardError(
        'TIMEOUT',
        `upstream '${link.name}' did not answer ${what} within ${timeout} ms; the call was cancelled`,
        'timeout',
      );
    }
    const reason = (error as Error).message;
    if (await stillAnswers(client, Math.min(link.resilience.timeoutMs, 5000))) {
      throw new ForwardError(
        'UPSTREAM_UNAVAILABLE',
        `upstream '${link.name}' dropped the connection during ${what} (${reason}); it still answers, so only this call failed`,
        'unavailable',
      );
    }
    link.lost(`lost during ${what}: ${reason}`);
    throw new ForwardError(
      'UPSTREAM_UNAVAILABLE',
      `upstream '${link.name}' dropped the connection during ${what} (${reason}); reconnecting`,
      'unavailable',
    );
  } finally {
    progress?.close();
  }
}

/**
 * Over Streamable HTTP each request has its own connection, and one that fails (a keep-alive socket
 * the server was closing, a reset) says little about the upstream: tearing the link down for it would
 * fail every call in flight and every call until the reconnect (seen under load: thousands of errors
 * from one dropped socket). So ask the upstream first, on a fresh request; any answer, even an
 * error, means it is up. A stdio upstream whose pipe broke is gone: no question asked.
 */
async function stillAnswers(client: Client, timeoutMs: number): Promise<boolean> {
  if (!(client.transport instanceof StreamableHTTPClientTransport)) return false;
  try {
    await client.ping({ timeout: timeoutMs });
    return true;
  } catch (error) {
    return error instanceof ProtocolError;
  }
}

/** `forwardRequest` for `tools/call`, with a client span and the per-tool metrics. */
export async function forwardToolCall(
  link: UpstreamLink,
  tool: string,
  args: Record<string, unknown>,
  options: CallOptions,
): Promise<CallToolResult> {
  const hubName = link.hubName(tool);
  const { metrics, tracer } = link.telemetry;
  const started = performance.now();
  const { span, context } = tracer.startSpan(`tools/call ${hubName} → ${link.name}`, {
    kind: 'client',
    parent: options.traceContext as Parameters<typeof tracer.startSpan>[1]['parent'],
    attributes: {
      'mcp.tool': tool,
      'switchboard.upstream': link.name,
      ...(options.correlationId ? { 'switchboard.correlation_id': options.correlationId } : {}),
    },
  });
  let outcome: CallOutcome = 'ok';
  let code: string | undefined;
  try {
    const held = link.pinning.blockedBecause(hubName);
    if (held !== undefined) {
      throw new ForwardError(
        'ACL_DENIED',
        `tool '${hubName}' ${held} (pinTools is on); an operator must review and re-approve it: switchboard pins approve ${hubName}`,
        'rejected',
        'name',
      );
    }
    const result = (await forwardRequest(link, tool, { ...options, traceContext: context }, async (client, request) => {
      const direct = directTransportOf(link, client, options);
      const answer = direct
        ? await direct.callTool(client, tool, args, { ...request, timeout: request.timeout ?? link.resilience.timeoutMs })
        : NOT_TAKEN;
      return answer === NOT_TAKEN ? client.callTool({ name: tool, arguments: args, _meta: request.meta }, request) : answer;
    })) as CallToolResult;
    if (result.isError) {
      outcome = 'error';
      code = errorOfResult(result)?.code ?? 'TOOL_ERROR';
    }
    return namespaceResultUris(link.name, result);
  } catch (error) {
    outcome = error instanceof ForwardError ? error.outcome : 'error';
    code = outcome === 'cancelled' ? 'CANCELLED' : error instanceof ToolError ? error.code : 'INTERNAL';
    throw error;
  } finally {
    metrics.observeCall({
      tool: hubName,
      upstream: link.name,
      outcome,
      seconds: (performance.now() - started) / 1000,
      ...(code ? { code } : {}),
    });
    endSpan(span, outcome === 'ok' ? undefined : { ...(code ? { code } : {}), message: outcome });
  }
}

/**
 * The transport for the direct path (direct-http.ts), when this call may take it: an HTTP upstream of
 * the 2025 era without an auth fetch, and no progress wanted (progress tokens belong to the SDK's
 * request table).
 */
function directTransportOf(link: UpstreamLink, client: Client, options: CallOptions): DirectHttpTransport | undefined {
  const transport = client.transport;
  if (!(transport instanceof DirectHttpTransport) || !transport.direct || link.era !== 'legacy' || options.onprogress) return undefined;
  return transport;
}

/** The upstream answered with a JSON-RPC error: keep its message, name the upstream, map the code. */
function fromProtocolError(upstream: string, error: ProtocolError): ToolError {
  const code = error.code === -32602 ? 'INVALID_ARGUMENT' : error.code === -32601 || error.code === -32002 ? 'NOT_FOUND' : 'INTERNAL';
  return new ToolError(code, `upstream '${upstream}': ${error.message}`);
}
