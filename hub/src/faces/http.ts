import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMcpHonoApp } from '@modelcontextprotocol/hono';
import { createMcpHandler } from '@modelcontextprotocol/server';
import type { Hono } from 'hono';
import type { Hub } from '../hub.ts';
import { createHubMcpServer } from './mcp-server.ts';

export interface HttpFace {
  app: Hono;
  close(): Promise<void>;
}

/** `/mcp` (both protocol eras), `/health` (alive) and `/ready` (every upstream connected). */
export function createHttpFace(hub: Hub, host: string): HttpFace {
  const handler = createMcpHandler(() => createHubMcpServer(hub), {
    onerror: (error) => hub.logger.debug({ err: error }, 'mcp request rejected'),
  });
  const app = createMcpHonoApp({ host });
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/ready', (c) => {
    const status = hub.status();
    return c.json({ ready: status.ready, upstreams: status.upstreams }, status.ready ? 200 : 503);
  });
  app.all('/mcp', (c) => handler.fetch(c.req.raw, { parsedBody: c.get('parsedBody' as never) }));
  return { app, close: () => handler.close() };
}

export interface ListeningHttpFace {
  url: string;
  close(): Promise<void>;
}

/** Binds the HTTP face; port 0 picks a free port, reported in `url`. */
export async function serveHubHttp(hub: Hub, host: string, port: number): Promise<ListeningHttpFace> {
  const face = createHttpFace(hub, host);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: face.app.fetch, hostname: host, port }, () => resolve(s));
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/mcp`;
  return {
    url,
    close: async () => {
      await face.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
