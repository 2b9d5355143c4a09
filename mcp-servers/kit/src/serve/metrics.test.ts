import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { createLogger } from '../logger.ts';
import { ServerMetrics } from './metrics.ts';
import { runServer } from './run-server.ts';

const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('a server’s GET /metrics', () => {
  it('counts MCP requests by method and tool calls by tool, with process figures, open beside a bearer-guarded /mcp', async () => {
    const token = 'metrics-test-token-0123456789';
    const running = await runServer({
      factory: () => {
        const server = new McpServer({ name: 'metered', version: '1' });
        server.registerTool('ping', { description: 'pong', inputSchema: z.object({}) }, async () => ({
          content: [{ type: 'text', text: 'pong' }],
        }));
        return server;
      },
      transport: { transport: 'http', port: 0, host: '127.0.0.1' },
      logger: createLogger('test', 'silent'),
      authToken: token,
    });
    try {
      const metricsUrl = new URL('/metrics', running.url);
      const before = await fetch(metricsUrl);
      assert.equal(before.status, 200, 'no token needed, like /health');
      assert.match(before.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      assert.equal(sample(await before.text(), 'switchboard_server_tool_calls_total{tool="ping"}'), undefined);
      const client = new Client({ name: 't', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(running.url as string), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      for (let i = 0; i < 3; i++) await client.callTool({ name: 'ping', arguments: {} });
      await client.close();
      const text = await (await fetch(metricsUrl)).text();
      assert.equal(sample(text, 'switchboard_server_tool_calls_total{tool="ping"}'), 3);
      assert.equal(sample(text, 'switchboard_server_requests_total{method="tools/call"}'), 3);
      assert.ok((sample(text, 'switchboard_server_request_duration_seconds_count') ?? 0) >= 3);
      assert.ok((sample(text, 'process_resident_memory_bytes') ?? 0) > 1_000_000);
      assert.ok((sample(text, 'process_open_fds') ?? 0) > 0);
      assert.match(text, /^# TYPE switchboard_server_requests_total counter$/m);
    } finally {
      await running.close();
    }
  });

  it('escapes label values and ignores what is not a JSON-RPC request', () => {
    const metrics = new ServerMetrics();
    metrics.observe([{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'a"b\\c\nd' } }, 'junk', null], 0.5);
    metrics.observe(undefined, 0.25);
    const text = metrics.render();
    assert.equal(sample(text, 'switchboard_server_tool_calls_total{tool="a\\"b\\\\c\\nd"}'), 1);
    assert.equal(sample(text, 'switchboard_server_request_duration_seconds_sum'), 0.75);
    assert.equal(sample(text, 'switchboard_server_request_duration_seconds_count'), 2);
  });
});
