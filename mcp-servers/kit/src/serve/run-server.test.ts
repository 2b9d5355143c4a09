import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { runServer } from './run-server.ts';

function counterServer(state: { calls: number }) {
  const server = new McpServer({ name: 'counter', version: '1' });
  server.registerTool('bump', { description: 'count', inputSchema: z.object({ by: z.number() }) }, async ({ by }) => {
    state.calls += by;
    return { content: [{ type: 'text', text: String(state.calls) }] };
  });
  return server;
}

describe('runServer over HTTP', () => {
  it('serves /mcp and /health, with state shared across per-request instances', async () => {
    const state = { calls: 0 };
    let closed = false;
    const running = await runServer({
      factory: () => counterServer(state),
      transport: { transport: 'http', port: 0, host: '127.0.0.1' },
      logger: createLogger('test', 'silent'),
      close: async () => {
        closed = true;
      },
    });
    try {
      assert.match(running.url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      const health = await fetch(new URL('/health', running.url));
      assert.equal(health.status, 200);
      const client = new Client({ name: 't', version: '1' });
      await client.connect(new StreamableHTTPClientTransport(new URL(running.url as string)));
      await client.callTool({ name: 'bump', arguments: { by: 2 } });
      const second = await client.callTool({ name: 'bump', arguments: { by: 3 } });
      assert.deepEqual(second.content, [{ type: 'text', text: '5' }]);
      const bad = await client.callTool({ name: 'bump', arguments: { by: 'x' } });
      assert.equal(bad.isError, true);
      assert.match(JSON.stringify(bad.content), /by/);
      await client.close();
    } finally {
      await running.close();
    }
    assert.equal(closed, true);
  });

  it('refuses a foreign Host header on a loopback bind (DNS rebinding)', async () => {
    const running = await runServer({
      factory: () => counterServer({ calls: 0 }),
      transport: { transport: 'http', port: 0, host: '127.0.0.1' },
      logger: createLogger('test', 'silent'),
    });
    try {
      // fetch() will not send a forged Host header, so this uses node:http directly.
      const status = await new Promise<number | undefined>((resolve, reject) => {
        const url = new URL(running.url as string);
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { host: 'attacker.example', 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode);
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      });
      assert.equal(status, 403);
    } finally {
      await running.close();
    }
  });
});
