import { randomUUID } from 'node:crypto';
import {
  type CallToolRequestParams,
  type CallToolResult,
  type Progress,
  ProtocolError,
  ProtocolErrorCode,
  Server,
  type ServerContext,
  type Tool,
} from '@modelcontextprotocol/server';
import type { ToolView } from '../catalog/index.ts';
import { FIND_TOOLS, unwrapCall } from '../discovery/index.ts';
import { type Hub, UnknownToolError } from '../hub.ts';
import type { Principal } from '../policy/index.ts';
import { correlationIdFrom, endSpan } from '../telemetry/index.ts';
import type { CallerChannel } from '../upstreams/index.ts';
import { registerPassThrough } from './mcp-passthrough.ts';
import type { Session, SessionRegistry } from './sessions.ts';
import { factsOf, listedTools, viewAdmits, visibleTools } from './tool-view.ts';

export interface HubMcpServerOptions {
  /** Present for a long-lived connection (stdio, a 2025-era HTTP session, legacy SSE). */
  session?: () => Session | undefined;
  /** The registry that session lives in: subscriptions and log levels. */
  registry?: SessionRegistry;
  /** May this caller use what an upstream offers (resources, prompts, log lines)? Default: it may call one of its tools. */
  mayUse?: (upstream: string) => boolean;
  /** The profile / `?tools=` narrowing this caller came through; default: every tool its role allows. */
  view?: ToolView;
}

interface ToolCallContext {
  signal: AbortSignal;
  caller: CallerChannel;
  progress?: { onprogress: (progress: Progress) => void; flushed: () => Promise<void> } | undefined;
}

/**
 * A session's tools/call served without the SDK's transport and dispatch (http-sessions.ts answers it
 * as plain JSON): undefined when this session's calls need a stream (its client takes sampling or
 * elicitation). Same handler as the SDK path, so policy, audit, views and spans are the same.
 */
export type DirectToolCall = (params: CallToolRequestParams, signal: AbortSignal) => Promise<CallToolResult> | undefined;

const directCalls = new WeakMap<Server, DirectToolCall>();

export function directToolCallOf(server: Server): DirectToolCall | undefined {
  return directCalls.get(server);
}

/** Caller-supplied per-call timeout, in `_meta`; the upstream's own timeout still caps it. */
export const TIMEOUT_META_KEY = 'switchboard/timeoutMs';

/**
 * One MCP server instance over the hub (the SDK makes one per HTTP request, HTTP session or stdio
 * connection; they are cheap, all state is in the hub). Unknown tools are protocol errors;
 * everything else a tool can fail with comes back as an `isError` result. Besides tools it passes
 * through progress, logging, resources, prompts and completion, and lets upstreams ask the caller
 * for sampling and elicitation.
 */
export function createHubMcpServer(hub: Hub, principal: Principal, options: HubMcpServerOptions = {}): Server {
  const { view } = options;
  // A lazy view's session: tools hub__find_tools returned join its tools/list (2025 era: list_changed).
  const found = new Set<string>();
  const instructions = hubInstructions(hub);
  const server = new Server(
    { name: hub.name, version: '0.1.0' },
    {
      ...(instructions ? { instructions } : {}),
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
      cacheHints: listCacheHints(hub),
    },
  );
  server.setRequestHandler('tools/list', async () => ({
    tools: view ? listedTools(hub, principal, view, found) : hub.listTools(principal),
  }));
  const callTool = async (params: CallToolRequestParams, call: ToolCallContext): Promise<CallToolResult> => {
    const { name, arguments: args = {}, _meta } = params;
    const meta = _meta as Record<string, unknown> | undefined;
    const correlationId = correlationIdFrom(meta);
    const { span, context } = hub.telemetry.tracer.startSpan(`tools/call ${name}`, {
      kind: 'server',
      ...(typeof meta?.traceparent === 'string' ? { parent: meta.traceparent } : {}),
      attributes: { 'mcp.tool': name, 'switchboard.correlation_id': correlationId },
    });
    try {
      if (view !== undefined && !viewAdmits(hub, view, unwrapCall(name, args)?.name ?? name)) throw new UnknownToolError(name);
      const { progress } = call;
      const result = await hub.callTool(name, args, {
        principal,
        correlationId,
        signal: call.signal,
        traceContext: context,
        caller: call.caller,
        ...timeoutOf(meta),
        ...(progress ? { onprogress: progress.onprogress } : {}),
        ...(view ? { admits: (tool: Tool) => view.admits(factsOf(hub, tool)) } : {}),
      });
      if (view?.lazy && options.session?.() !== undefined && rememberFound(found, name, result))
        server.sendToolListChanged().catch(() => {});
      // Progress sent before the result must not be overtaken by it (the stream ends with the result).
      await progress?.flushed();
      endSpan(span, result.isError ? { message: 'tool returned an error' } : undefined);
      return result;
    } catch (error) {
      endSpan(span, { message: (error as Error).message });
      if (error instanceof UnknownToolError) {
        throw new ProtocolError(ProtocolErrorCode.InvalidParams, `${error.message}; tools/list shows the available tools`);
      }
      throw error;
    }
  };
  server.setRequestHandler('tools/call', (request, ctx) =>
    callTool(request.params, {
      signal: ctx.mcpReq.signal,
      caller: callerChannel(server, ctx, options.session?.()),
      progress: progressOf(ctx),
    }),
  );
  directCalls.set(server, (params, signal) => {
    const session = options.session?.();
    const capabilities = server.getClientCapabilities();
    // Mid-call requests to the caller travel on the call's own response stream.
    if (session === undefined || capabilities?.sampling !== undefined || capabilities?.elicitation !== undefined) return undefined;
    return callTool(params, { signal, caller: sessionChannel(session) });
  });
  registerPassThrough(server, hub, { ...options, mayUse: options.mayUse ?? upstreamsOf(hub, principal, view) });
  return server;
}

/**
 * An upstream's resources, prompts and log lines are for callers that may call one of its tools
 * (through their view, when they came through a profile). The answer is cached until the catalogue
 * changes (log lines can be many).
 */
export function upstreamsOf(hub: Hub, principal: Principal, view?: ToolView): (upstream: string) => boolean {
  let cached: { version: number; upstreams: Set<string> } | undefined;
  return (upstream) => {
    if (cached?.version !== hub.catalog.version) {
      const tools = view ? visibleTools(hub, principal, view) : hub.listTools(principal);
      const names = tools.flatMap((tool) => hub.catalog.resolve(tool.name)?.upstream ?? []);
      cached = { version: hub.catalog.version, upstreams: new Set(names) };
    }
    return cached.upstreams.has(upstream);
  };
}

/** Default `ttlMs` on list results (`hub.listTtlMs`). */
export const DEFAULT_LIST_TTL_MS = 60_000;

/**
 * Cache hints for 2026-07-28 callers (the SDK leaves 2025-era results as they are). Lists depend on
 * the caller's role, hence `private`; a catalogue change inside the TTL still reaches them as a
 * `list_changed` event on their listen stream.
 */
function listCacheHints(hub: Hub) {
  const hint = { ttlMs: hub.config.hub.listTtlMs ?? DEFAULT_LIST_TTL_MS, cacheScope: 'private' as const };
  return { 'tools/list': hint, 'prompts/list': hint, 'resources/list': hint, 'resources/templates/list': hint };
}

/** Adds the callable tools a hub__find_tools result names to `found`; true when any was new. */
function rememberFound(found: Set<string>, name: string, result: { structuredContent?: unknown }): boolean {
  if (name !== FIND_TOOLS) return false;
  const before = found.size;
  const tools = ((result.structuredContent as { tools?: unknown } | undefined)?.tools ?? []) as { name?: unknown; callable?: unknown }[];
  for (const tool of tools) if (typeof tool.name === 'string' && tool.callable === true) found.add(tool.name);
  return found.size > before;
}

/** What the upstreams tell a model about themselves, restored with them after a restart. */
function hubInstructions(hub: Hub): string | undefined {
  const parts = [...hub.pool.upstreams.values()].flatMap((u) =>
    u.state === 'connected' && u.instructions ? [`## ${u.name}\n${u.instructions.trim()}`] : [],
  );
  return parts.length === 0
    ? undefined
    : `Tools of each upstream are named <upstream>${hub.pool.names.separator}<tool>.\n\n${parts.join('\n\n')}`;
}

/**
 * How an upstream reaches this caller mid-call. Sampling and elicitation go back on the caller's
 * own request (related messages), so only a 2025-era caller that declared them can get them: the
 * 2026-07-28 revision has no server-to-client requests.
 */
function callerChannel(server: Server, ctx: ServerContext, session: Session | undefined): CallerChannel {
  const modern = ctx.mcpReq.envelope !== undefined;
  const capabilities = modern ? undefined : server.getClientCapabilities();
  return {
    id: session?.id ?? ctx.sessionId ?? `request:${randomUUID()}`,
    canSample: !modern && capabilities?.sampling !== undefined,
    canElicit: !modern && capabilities?.elicitation !== undefined,
    // The server and client packages each declare these result types; they are the same JSON.
    sample: (params, signal) =>
      ctx.mcpReq.send({ method: 'sampling/createMessage', params }, { signal }) as unknown as ReturnType<CallerChannel['sample']>,
    elicit: (params, signal) =>
      ctx.mcpReq.send({ method: 'elicitation/create', params }, { signal }) as unknown as ReturnType<CallerChannel['elicit']>,
    // A session gets upstream log lines from the registry (by its logging/setLevel); a one-shot
    // caller gets those of its own call, filtered by the level its request carries.
    ...(session === undefined ? { log: (params) => void ctx.mcpReq.log(params.level, params.data, params.logger).catch(() => {}) } : {}),
  };
}

/** A session caller that takes no mid-call requests; its log lines come from the registry. */
function sessionChannel(session: Session): CallerChannel {
  const refuse = () => Promise.reject(new Error('this caller takes no requests from upstreams'));
  return { id: session.id, canSample: false, canElicit: false, sample: refuse, elicit: refuse };
}

function timeoutOf(meta: Record<string, unknown> | undefined): { timeoutMs?: number } {
  const value = meta?.[TIMEOUT_META_KEY];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? { timeoutMs: value } : {};
}

/** Progress from the upstream, re-addressed to the caller's own progress token, in order. */
function progressOf(ctx: ServerContext): { onprogress: (progress: Progress) => void; flushed: () => Promise<void> } | undefined {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return undefined;
  let chain = Promise.resolve();
  return {
    onprogress: (progress) => {
      chain = chain
        .then(() => ctx.mcpReq.notify({ method: 'notifications/progress', params: { ...progress, progressToken: token } }))
        .catch(() => {});
    },
    flushed: () => chain,
  };
}
