import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type CallToolResult, createMcpHandler, McpServer } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { z } from 'zod';

/** A tiny in-process stand-in for the hub: fs__read_file, agent__reader (with its ACL) and /health. */
export interface StandInHub {
  url: string;
  files: Map<string, string>;
  close(): Promise<void>;
}

const readerAllowlist = new Set(['fs__read_file', 'fs__list_dir', 'fs__search']);

function denied(code: string, message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: `${code}: ${message}` }], _meta: { 'switchboard/error': { code, message } } };
}

function readFile(files: Map<string, string>, path: string): CallToolResult {
  const content = files.get(path);
  if (content === undefined) return denied('NOT_FOUND', `no file '${path}'`);
  return { content: [{ type: 'text', text: content }], structuredContent: { path, content, bytes: Buffer.byteLength(content) } };
}

function createStandInServer(files: Map<string, string>): McpServer {
  const server = new McpServer({ name: 'stand-in-hub', version: '1' });
  server.registerTool('fs__read_file', { description: 'read a file', inputSchema: z.object({ path: z.string() }) }, async ({ path }) =>
    readFile(files, path),
  );
  server.registerTool(
    'agent__reader',
    { description: 'the reader role', inputSchema: z.object({ task: z.string(), context: z.record(z.string(), z.unknown()).optional() }) },
    async ({ task, context }) => {
      const steps = (context?.steps ?? []) as { tool: string }[];
      const refused = steps.find((step) => !readerAllowlist.has(step.tool));
      if (refused !== undefined) return denied('ACL_DENIED', `role 'reader' may not call '${refused.tool}'`);
      const path = /^read (\S+)$/.exec(task)?.[1];
      if (path === undefined) return denied('INVALID_TASK', `cannot do '${task}'`);
      const answer = files.get(path) ?? '';
      return {
        content: [{ type: 'text', text: answer }],
        structuredContent: { role: 'reader', answer, steps: [{ tool: 'fs__read_file' }] },
      };
    },
  );
  return server;
}

export async function startStandInHub(): Promise<StandInHub> {
  const files = new Map([['hello.txt', 'Hello from Switchboard.\n']]);
  const handler = createMcpHandler(() => createStandInServer(files));
  const app = new Hono();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.all('/mcp', (c) => handler.fetch(c.req.raw));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    files,
    close: async () => {
      await handler.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
