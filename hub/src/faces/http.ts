import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { keepAliveLonger } from '@switchboard/kit';
import type { Hono } from 'hono';
import {
  authInfoOfContext,
  authMiddleware,
  mountProtectedResourceMetadata,
  principalOfAuthInfo,
  principalOfContext,
} from '../auth/index.ts';
import { authNoneRefusal, ConfigError, isLoopbackHost } from '../config/index.ts';
import type { Hub } from '../hub.ts';
import { mountRunRoutes } from '../planner/run/index.ts';
import type { Principal } from '../policy/index.ts';
import { mountConsoleApi, mountConsoleBundle } from './console/index.ts';
import { createMcpApp } from './mcp-app.ts';
import { createMcpEndpoint } from './mcp-endpoint.ts';
import { attachTaskSocket, mountTaskRoutes } from './tasks/index.ts';

export interface HttpFace {
  app: Hono;
  /** Resolves once the MCP session store is open; rejects when it cannot be. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** A request that somehow reached a handler without a principal gets no role, so it may call nothing. */
const NOBODY: Principal = { id: 'anonymous', role: '', kind: 'anonymous' };

/**
 * `/mcp` (both protocol eras), `/health` (alive) and `/ready` (every upstream connected). Every route
 * but the probes and the OAuth metadata needs a bearer token (docs/security.md), unless `auth: none`
 * on a loopback bind, where callers are the local user.
 */
export function createHttpFace(hub: Hub, host: string): HttpFace {
  const { authenticator } = hub;
  if (authenticator.mode === 'none' && !isLoopbackHost(host)) throw new ConfigError(hub.configSource, 'auth', authNoneRefusal(host));
  const fallback = authenticator.mode === 'none' ? hub.localPrincipal : NOBODY;
  const { allowedHosts, allowedOrigins, sessionTtlMs, sessions } = hub.config.hub.http;
  const mcp = createMcpEndpoint(hub, {
    principalOf: (authInfo) => principalOfAuthInfo(authInfo) ?? fallback,
    ...(sessionTtlMs ? { sessionTtlMs } : {}),
    sessions,
  });
  // Host/Origin validation (DNS rebinding) is on for loopback binds, and wherever allowedHosts is set;
  // bodies are size- and shape-limited before any route sees them (mcp-app.ts).
  const app = createMcpApp({ host, ...(allowedHosts ? { allowedHosts } : {}), ...(allowedOrigins ? { allowedOrigins } : {}) });
  // The web console's static files (/ui), before the auth middleware: like a login page they hold no
  // data; everything the console shows comes from the guarded /v1 routes (docs/console.md).
  mountConsoleBundle(app);
  // Before every route: Hono runs handlers in registration order, so routes added later are guarded too.
  app.use('*', authMiddleware(authenticator));
  mountProtectedResourceMetadata(app, authenticator);
  mountTaskRoutes(app, hub.tasks.scheduler, { principalOf: (c) => principalOfContext(c) ?? fallback });
  mountRunRoutes(app, {
    callTool: (name, args, call) => hub.callTool(name, args, call),
    principalOf: (c) => principalOfContext(c) ?? fallback,
  });
  const consoleApi = mountConsoleApi(app, hub, { principalOf: (c) => principalOfContext(c) ?? fallback });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', async (c) => {
    const status = hub.status();
    const tasks = await hub.tasks.ready();
    const ready = status.ready && tasks.reachable;
    return c.json({ ready, upstreams: status.upstreams, tasks }, ready ? 200 : 503);
  });
  app.get('/metrics', async (c) => {
    // Read at scrape time: the store is the truth (several hubs may share it), and it costs one query.
    const depths = await hub.tasks.scheduler.store.queueDepth().catch(() => undefined);
    if (depths) hub.telemetry.metrics.setQueueDepths(depths);
    const { contentType, body } = await hub.telemetry.metrics.render();
    return c.body(body, 200, { 'content-type': contentType });
  });
  app.all('/mcp', (c) => mcp.fetch(c.req.raw, { parsedBody: c.get('parsedBody' as never), authInfo: authInfoOfContext(c) }));
  // A profile's view of the catalogue (switchboard.yaml `profiles:`); `?tools=` narrows either.
  app.all('/mcp/:profile', (c) => mcp.fetch(c.req.raw, { parsedBody: c.get('parsedBody' as never), authInfo: authInfoOfContext(c) }));
  // The deprecated HTTP+SSE transport, for clients that predate Streamable HTTP.
  app.get('/sse', (c) => mcp.sse('/messages', authInfoOfContext(c)));
  app.post('/messages', (c) => mcp.messages(c.req.raw, { parsedBody: c.get('parsedBody' as never), authInfo: authInfoOfContext(c) }));
  return {
    app,
    ready: mcp.ready,
    close: () => {
      consoleApi.close();
      return mcp.close();
    },
  };
}

export interface ListeningHttpFace {
  url: string;
  close(): Promise<void>;
}

/** Binds the HTTP face; port 0 picks a free port, reported in `url`. */
export async function serveHubHttp(hub: Hub, host: string, port: number): Promise<ListeningHttpFace> {
  const face = createHttpFace(hub, host);
  await face.ready.catch(async (error: Error) => {
    await face.close();
    throw error;
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: face.app.fetch, hostname: host, port }, () => resolve(s));
    keepAliveLonger(s as never);
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  // The WebSocket task API checks credentials exactly as the routes do, during the upgrade.
  const socket = attachTaskSocket(server as never, hub.tasks.scheduler, {
    authenticate: async (request) => {
      const outcome = await hub.authenticator.authenticate(request);
      return outcome instanceof Response ? outcome : { principal: outcome.principal };
    },
  });
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/mcp`;
  return {
    url,
    close: async () => {
      socket.close();
      await face.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
