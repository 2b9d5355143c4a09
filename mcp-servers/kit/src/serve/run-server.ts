import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { createMcpHonoApp } from '@modelcontextprotocol/hono';
import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Logger } from '../logger.ts';
import { secretFromEnv } from '../secrets.ts';
import { bearerGuard } from './bearer.ts';
import type { TransportFlags } from './flags.ts';
import { keepAliveLonger } from './keep-alive.ts';
import { ServerMetrics } from './metrics.ts';

export interface RunServerOptions {
  /** Builds a fresh McpServer over shared state: once per HTTP request, once per stdio connection. */
  factory: () => McpServer;
  transport: TransportFlags;
  logger: Logger;
  /** Releases shared state (backend connections) at shutdown. */
  close?: () => Promise<void>;
  /** HTTP only: callers must send `Authorization: Bearer <authToken>`. Default: SWITCHBOARD_SERVER_TOKEN(_FILE), else none. */
  authToken?: string;
}

export interface RunningServer {
  transport: 'stdio' | 'http';
  /** The `/mcp` URL when serving HTTP. */
  url?: string;
  close(): Promise<void>;
}

/** Serves one server factory over stdio or Streamable HTTP (both protocol eras on one endpoint). */
export async function runServer(options: RunServerOptions): Promise<RunningServer> {
  const { factory, transport, logger } = options;
  if (transport.transport === 'stdio') {
    const handle = serveStdio(() => factory(), { onerror: (error) => logger.warn({ err: error }, 'stdio transport error') });
    logger.info({ transport: 'stdio' }, 'serving');
    return {
      transport: 'stdio',
      close: async () => {
        await handle.close();
        await options.close?.();
      },
    };
  }
  const handler = createMcpHandler(() => factory(), { onerror: (error) => logger.debug({ err: error }, 'mcp request rejected') });
  const app = createMcpHonoApp({ host: transport.host });
  const metrics = new ServerMetrics();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  // Open like /health (the hub's /metrics is too): counts and process figures, no data.
  app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
  const token = options.authToken ?? secretFromEnv(process.env, 'SWITCHBOARD_SERVER_TOKEN');
  if (token !== undefined) app.use('/mcp', bearerGuard(token));
  app.all('/mcp', async (c) => {
    const started = performance.now();
    const parsedBody = c.get('parsedBody' as never);
    try {
      return await handler.fetch(c.req.raw, { parsedBody });
    } finally {
      metrics.observe(parsedBody, (performance.now() - started) / 1000);
    }
  });
  const server = await listen(app.fetch, transport.host, transport.port);
  const { port } = server.address() as AddressInfo;
  const host = transport.host.includes(':') ? `[${transport.host}]` : transport.host;
  const url = `http://${host}:${port}/mcp`;
  logger.info({ transport: 'http', url }, 'listening');
  return {
    transport: 'http',
    url,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await options.close?.();
    },
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, hostname: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    keepAliveLonger(server as never);
    server.once('error', reject);
  });
}
