// A deliberately cheap MCP upstream for the load benchmark: one `echo` tool, Streamable HTTP with
// sessions (one server instance per client session, so a call costs only the protocol itself).
// Prints `{"url":"…","msg":"listening"}` to stderr. Run: node --import tsx bench/echo-upstream.ts
// [--stdio] (then it serves one client on stdin/stdout instead).
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createMcpHonoApp } from '@modelcontextprotocol/hono';
import { isInitializeRequest, McpServer, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { z } from 'zod';

const sessions = new Map<string, WebStandardStreamableHTTPServerTransport>();

function echoServer(): McpServer {
  const server = new McpServer({ name: 'echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Returns its text', inputSchema: z.object({ text: z.string() }) }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
  return server;
}

function serveHttp(): void {
  const app = createMcpHonoApp({ host: '127.0.0.1' });
  app.all('/mcp', async (c) => {
    const parsedBody = c.get('parsedBody' as never);
    const id = c.req.header('mcp-session-id');
    const existing = id === undefined ? undefined : sessions.get(id);
    if (existing) return existing.handleRequest(c.req.raw, { parsedBody });
    if (!isInitializeRequest(parsedBody)) return c.json({ jsonrpc: '2.0', error: { code: -32000, message: 'no session' }, id: null }, 400);
    const transport: WebStandardStreamableHTTPServerTransport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => {
        sessions.set(sid, transport);
      },
      onsessionclosed: (sid) => {
        sessions.delete(sid);
      },
    });
    await echoServer().connect(transport);
    return transport.handleRequest(c.req.raw, { parsedBody });
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => {
    const { port } = server.address() as AddressInfo;
    process.stderr.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/mcp`, msg: 'listening' })}\n`);
  });
  // Idle keep-alive connections outlive the client's (as an upstream behind a proxy should): with
  // Node's 5 s default, a client reusing a socket the server is closing gets "fetch failed".
  (server as Server).keepAliveTimeout = 65_000;
  process.on('SIGTERM', () => process.exit(0));
}

if (process.argv.includes('--stdio')) serveStdio(() => echoServer());
else serveHttp();
