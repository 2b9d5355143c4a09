import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { createLogger } from '../logger.ts';
import { runServer } from './run-server.ts';

const TOKEN = 'kit-bearer-test-token-5b0e';

describe('runServer over HTTP with a bearer token', () => {
  it('refuses /mcp without the token or with a wrong one, serves it with the right one; /health stays open', async () => {
    const running = await runServer({
      factory: () => new McpServer({ name: 'guarded', version: '1' }),
      transport: { transport: 'http', port: 0, host: '127.0.0.1' },
      logger: createLogger('test', 'silent'),
      authToken: TOKEN,
    });
    try {
      const url = running.url as string;
      assert.equal((await fetch(new URL('/health', url))).status, 200);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      const post = (authorization?: string) =>
        fetch(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...(authorization ? { authorization } : {}),
          },
        });
      for (const sent of [undefined, 'Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
        const refused = await post(sent);
        assert.equal(refused.status, 401, `sent ${sent}`);
        assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
        assert.ok(!(await refused.text()).includes(TOKEN));
      }
      const client = new Client({ name: 't', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }),
      );
      assert.deepEqual((await client.listTools()).tools, []);
      await client.close();
    } finally {
      await running.close();
    }
  });
});
