import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { HubConfigSchema } from '../src/config/index.ts';
import { firstText, probeUpstream, type RunningHub, startHub } from './support/harness.ts';

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A POST with any Host/Origin (fetch will not forge Host), answering the status code. */
function rawPost(url: string, headers: Record<string, string>, body: unknown): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...mcpHeaders, ...headers } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the HTTP face', () => {
  let running: RunningHub;

  before(async () => {
    running = await startHub({ hub: { http: { sessionTtlMs: 1500 } }, upstreams: { probe: probeUpstream({ healthIntervalMs: 0 }) } });
  });
  after(async () => {
    await running?.close();
  });

  it('binds to loopback unless configured otherwise', () => {
    assert.equal(HubConfigSchema.parse({}).hub.http.host, '127.0.0.1');
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('refuses a foreign Host or Origin (DNS rebinding) and accepts its own', async () => {
    const host = new URL(running.url).host;
    assert.equal(await rawPost(running.url, { host: 'evil.example.com' }, initialize), 403);
    assert.equal(await rawPost(running.url, { host, origin: 'http://evil.example.com' }, initialize), 403);
    assert.equal(await rawPost(running.url, { host, origin: `http://${host}` }, initialize), 200);
    assert.equal(await rawPost(running.url, { host: `localhost:${new URL(running.url).port}` }, initialize), 200);
  });

  it('keeps 2025-era sessions: an id on initialize, 404 for an unknown one, DELETE ends it, idle ones expire', async () => {
    const opened = await fetch(running.url, { method: 'POST', headers: mcpHeaders, body: JSON.stringify(initialize) });
    assert.equal(opened.status, 200);
    const id = opened.headers.get('mcp-session-id');
    assert.match(id ?? '', /^[0-9a-f-]{36}$/);
    await opened.body?.cancel();
    const list = (session: string) =>
      fetch(running.url, {
        method: 'POST',
        headers: { ...mcpHeaders, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
      });
    const listed = await list(id as string);
    assert.equal(listed.status, 200);
    assert.match(await listed.text(), /probe__echo_meta/);
    const unknown = await list('00000000-0000-0000-0000-000000000000');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /Session not found/);

    const deleted = await fetch(running.url, {
      method: 'DELETE',
      headers: { 'mcp-session-id': id as string, 'mcp-protocol-version': '2025-11-25' },
    });
    assert.equal(deleted.status, 200);
    assert.equal((await list(id as string)).status, 404);

    const idle = await fetch(running.url, { method: 'POST', headers: mcpHeaders, body: JSON.stringify(initialize) });
    const idleId = idle.headers.get('mcp-session-id') as string;
    await idle.body?.cancel();
    // Any request would refresh it: wait out the TTL (1.5 s) and a sweep (every 1 s) without touching it.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    assert.equal((await list(idleId)).status, 404);
  });

  it('answers 400 to a 2025-era POST without a session (other than initialize), as the transport spec says', async () => {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { ...mcpHeaders, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }),
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /needs an Mcp-Session-Id header; send initialize first/);
  });

  it('serves old clients over the legacy HTTP+SSE endpoints (GET /sse, POST /messages)', async () => {
    const client = new Client({ name: 'sse-client', version: '1' });
    await client.connect(new SSEClientTransport(new URL(`${running.origin}/sse`)));
    try {
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === 'probe__target'));
      assert.equal(firstText(await client.callTool({ name: 'probe__target', arguments: {} })), 'target called');
      const { resources } = await client.listResources();
      assert.ok(resources.some((r) => r.uri === 'probe+probe://status'));
    } finally {
      await client.close();
    }
    const stray = await fetch(`${running.origin}/messages?sessionId=nope`, { method: 'POST', headers: mcpHeaders, body: '{}' });
    assert.equal(stray.status, 404);
  });
});
