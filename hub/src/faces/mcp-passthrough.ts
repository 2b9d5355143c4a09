import { ProtocolError, ProtocolErrorCode, type Server, type ServerContext } from '@modelcontextprotocol/server';
import { ToolError } from '@switchboard/kit';
import type { Hub } from '../hub.ts';
import { correlationIdFrom } from '../telemetry/index.ts';
import type { HubMcpServerOptions } from './mcp-server.ts';

const RESOURCE_NOT_FOUND = -32002;

/**
 * Resources, prompts, completion and logging, passed through to the upstream that serves them.
 * Resource URIs are namespaced `<server>+<uri>` and prompts `<server>__<name>` (see the catalog);
 * a caller sees only upstreams `mayUse` allows.
 */
export function registerPassThrough(
  server: Server,
  hub: Hub,
  options: HubMcpServerOptions & { mayUse: (upstream: string) => boolean },
): void {
  const { mayUse } = options;
  /** For a list: asks the policy once per upstream, not once per item. */
  const usable = () => {
    const seen = new Map<string, boolean>();
    return (upstream: string) => seen.get(upstream) ?? seen.set(upstream, mayUse(upstream)).get(upstream) === true;
  };
  const upstreamOf = (ns: string) => ns.slice(0, Math.max(0, ns.indexOf('+')));
  const forwardOptions = (ctx: ServerContext) => ({
    correlationId: correlationIdFrom(ctx.mcpReq._meta as Record<string, unknown> | undefined),
    signal: ctx.mcpReq.signal,
  });

  server.setRequestHandler('resources/list', async () => {
    const ok = usable();
    return { resources: hub.catalog.resources().filter((r) => ok(upstreamOf(r.uri))) };
  });
  server.setRequestHandler('resources/templates/list', async () => {
    const ok = usable();
    return { resourceTemplates: hub.catalog.resourceTemplates().filter((t) => ok(upstreamOf(t.uriTemplate))) };
  });
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const target = resolveUri(hub, request.params.uri, mayUse);
    return asProtocolErrors(() => upstream(hub, target.upstream).readResource(target.uri, forwardOptions(ctx)));
  });
  server.setRequestHandler('resources/subscribe', async (request) => {
    const target = resolveUri(hub, request.params.uri, mayUse);
    const session = options.session?.();
    if (session === undefined || options.registry === undefined) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidRequest,
        'resources/subscribe needs a session; 2026-07-28 callers use subscriptions/listen',
      );
    }
    const { registry } = options;
    await asProtocolErrors(() => registry.subscribe(session, request.params.uri, target.upstream, target.uri));
    return {};
  });
  server.setRequestHandler('resources/unsubscribe', async (request) => {
    const session = options.session?.();
    if (session) options.registry?.unsubscribe(session, request.params.uri);
    return {};
  });

  server.setRequestHandler('prompts/list', async () => {
    const ok = usable();
    return {
      prompts: hub.catalog.prompts().filter((p) => {
        const entry = hub.catalog.resolvePrompt(p.name);
        return entry !== undefined && ok(entry.upstream);
      }),
    };
  });
  server.setRequestHandler('prompts/get', async (request, ctx) => {
    const entry = hub.catalog.resolvePrompt(request.params.name);
    if (entry === undefined || !mayUse(entry.upstream)) {
      throw new ProtocolError(
        ProtocolErrorCode.InvalidParams,
        `unknown prompt '${request.params.name}'; prompts/list shows the available prompts`,
      );
    }
    return asProtocolErrors(() => upstream(hub, entry.upstream).getPrompt(entry.prompt, request.params.arguments, forwardOptions(ctx)));
  });

  server.setRequestHandler('completion/complete', async (request, ctx) => {
    const { ref } = request.params;
    const none = { completion: { values: [], hasMore: false } };
    if (ref.type === 'ref/prompt') {
      const entry = hub.catalog.resolvePrompt(ref.name);
      if (entry === undefined || !mayUse(entry.upstream)) return none;
      const params = { ...request.params, ref: { ...ref, name: entry.prompt } };
      return asProtocolErrors(() => upstream(hub, entry.upstream).complete(params, forwardOptions(ctx)));
    }
    const target = hub.catalog.resolveUri(ref.uri);
    if (target === undefined || !mayUse(target.upstream)) return none;
    const params = { ...request.params, ref: { ...ref, uri: target.uri } };
    return asProtocolErrors(() => upstream(hub, target.upstream).complete(params, forwardOptions(ctx)));
  });

  server.setRequestHandler('logging/setLevel', async (request) => {
    const session = options.session?.();
    // A 2026-07-28 caller carries its level on each request instead; nothing to remember.
    if (session) options.registry?.setLogLevel(session, request.params.level);
    return {};
  });
}

function resolveUri(hub: Hub, uri: string, mayUse: (upstream: string) => boolean) {
  const target = hub.catalog.resolveUri(uri);
  if (target === undefined || !mayUse(target.upstream)) {
    throw new ProtocolError(
      RESOURCE_NOT_FOUND,
      `resource '${uri}' not found; resources/list shows what the hub serves (URIs look like <server>+<uri>)`,
    );
  }
  return target;
}

function upstream(hub: Hub, name: string) {
  const found = hub.pool.get(name);
  if (found === undefined) throw new ProtocolError(RESOURCE_NOT_FOUND, `no upstream '${name}'`);
  return found;
}

/** Upstream failures (down, timed out, circuit open) become JSON-RPC errors with the hub's message. */
async function asProtocolErrors<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ToolError) {
      const code =
        error.code === 'INVALID_ARGUMENT'
          ? ProtocolErrorCode.InvalidParams
          : error.code === 'NOT_FOUND'
            ? RESOURCE_NOT_FOUND
            : ProtocolErrorCode.InternalError;
      throw new ProtocolError(code, `${error.code}: ${error.message}`);
    }
    throw error;
  }
}
