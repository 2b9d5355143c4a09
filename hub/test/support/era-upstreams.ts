// In-process MCP upstreams that speak one protocol era or both, for the hub's era tests. Each counts
// the JSON-RPC methods it was sent and the Authorization headers it saw.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { McpServer as V1McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport as V1Transport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { z } from 'zod';

export interface SeenRequests {
  methods: string[];
  authorizations: string[];
}

export interface RunningUpstream {
  url: string;
  seen: SeenRequests;
  /** Adds a tool and tells listeners (list_changed). */
  addTool(name: string): void;
  close(): Promise<void>;
}

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });

/** A v2 SDK server over HTTP: `both` eras (the default entry), or `2026` only (`legacy: 'reject'`). */
export async function startV2Upstream(eras: 'both' | '2026', name = 'modern', tools: string[] = []): Promise<RunningUpstream> {
  const extra = new Set<string>(tools);
  const seen: SeenRequests = { methods: [], authorizations: [] };
  const factory = () => {
    const server = new McpServer(
      { name, version: '2.0.0' },
      { capabilities: { tools: { listChanged: true } }, instructions: `${name} instructions` },
    );
    server.registerTool('echo', { description: 'Echoes text', inputSchema: z.object({ text: z.string() }) }, async ({ text: t }) =>
      text(t),
    );
    for (const tool of extra)
      server.registerTool(tool, { description: `added ${tool}`, inputSchema: z.object({}) }, async () => text(tool));
    return server;
  };
  const handler = createMcpHandler(factory, { legacy: eras === '2026' ? 'reject' : 'stateless' });
  const app = new Hono();
  app.all('/mcp', async (c) => {
    const body =
      c.req.method === 'POST'
        ? await c.req.raw
            .clone()
            .json()
            .catch(() => undefined)
        : undefined;
    for (const message of [body].flat()) if (message && typeof message.method === 'string') seen.methods.push(message.method);
    seen.authorizations.push(c.req.header('authorization') ?? '');
    return handler.fetch(c.req.raw);
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    addTool: (tool) => {
      extra.add(tool);
      handler.notify.toolsChanged();
    },
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A v1 SDK (2025-era only) server over stateless Streamable HTTP: it knows no `server/discover`. */
export async function startV1Upstream(): Promise<RunningUpstream> {
  const seen: SeenRequests = { methods: [], authorizations: [] };
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    for (const message of [body].flat()) if (message && typeof message.method === 'string') seen.methods.push(message.method);
    seen.authorizations.push(req.headers.authorization ?? '');
    const mcp = new V1McpServer({ name: 'legacy', version: '1.0.0' }, { instructions: 'legacy instructions' });
    mcp.registerTool('echo', { description: 'Echoes text', inputSchema: { text: z.string() } }, async ({ text: t }) => text(t));
    const transport = new V1Transport({ sessionIdGenerator: undefined });
    res.on('close', () => {
      transport.close().catch(() => {});
      mcp.close().catch(() => {});
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    seen,
    addTool: () => {
      throw new Error('not supported by the v1 fixture');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
