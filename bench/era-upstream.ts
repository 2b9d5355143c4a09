// A bare SDK v2 server with the load benchmark's `echo` tool, serving both protocol eras the SDK's
// own way (2026-07-28 stateless requests; 2025-era requests answered statelessly): the baseline the
// per-era benchmark (bench/era-load.bench.ts) puts beside the hub. Prints `{"url":"…","msg":"listening"}`
// to stderr. Run: node --import tsx bench/era-upstream.ts
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { z } from 'zod';

const handler = createMcpHandler(
  () => {
    const server = new McpServer({ name: 'echo', version: '1.0.0' });
    server.registerTool('echo', { description: 'Returns its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
      content: [{ type: 'text', text }],
    }));
    return server;
  },
  { legacy: 'stateless' },
);
const app = new Hono();
app.all('/mcp', (c) => handler.fetch(c.req.raw));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  process.stderr.write(`${JSON.stringify({ url, msg: 'listening' })}\n`);
});
// Idle keep-alive connections outlive the clients' (Node's 5 s default closes sockets a client may be
// reusing between phases: "fetch failed", ECONNRESET).
(server as Server).keepAliveTimeout = 65_000;
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    void handler.close().finally(() => server.close(() => process.exit(0)));
  });
