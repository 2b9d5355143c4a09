// Malformed and hostile JSON-RPC at the hub's /mcp, in both protocol eras: each gets the JSON-RPC
// error the spec names, and never reaches an upstream as something else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import {
  type HostileHub,
  hostileUpstream,
  KEYS,
  LEGACY,
  MODERN,
  modernCall,
  modernMeta,
  openSession,
  rawPost,
  startHostileHub,
} from './support.ts';

describe('hostile JSON-RPC at /mcp', () => {
  let running: HostileHub;
  let session: string;
  const legacy = () => ({ 'mcp-protocol-version': LEGACY, 'mcp-session-id': session });

  before(async () => {
    running = await startHostileHub({ fs: hostileUpstream() });
    session = await openSession(running.url);
  });
  after(async () => {
    await running?.close();
  });

  it('answers truncated JSON with 400 and a -32700 parse error, in either era', async () => {
    for (const headers of [{}, { 'mcp-protocol-version': MODERN }, legacy()] as Record<string, string>[]) {
      const answer = await rawPost(running.url, '{"jsonrpc":"2.0","id":1,"method":"tools/call"', headers);
      assert.equal(answer.status, 400, JSON.stringify(headers));
      assert.equal(answer.message?.error?.code, -32700, answer.text);
      assert.match(answer.message?.error?.message ?? '', /^Parse error/);
    }
  });

  it('refuses a batch of 1,000 requests with 400 / -32600, in either era', async () => {
    const batch = (meta: boolean) =>
      Array.from({ length: 1000 }, (_, i) => ({
        jsonrpc: '2.0',
        id: i,
        method: 'tools/list',
        ...(meta ? { params: { _meta: modernMeta } } : {}),
      }));
    const old = await rawPost(running.url, batch(false), legacy());
    assert.equal(old.status, 400);
    assert.equal(old.message?.error?.code, -32600, old.text);
    const modern = await rawPost(running.url, batch(true), { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' });
    assert.equal(modern.status, 400);
    assert.equal(modern.message?.error?.code, -32600, modern.text);
  });

  it('refuses a request with "id": null with -32600', async () => {
    const old = await rawPost(running.url, { jsonrpc: '2.0', id: null, method: 'tools/list' }, legacy());
    assert.equal(old.message?.error?.code, -32600, old.text);
    const modern = await rawPost(
      running.url,
      { jsonrpc: '2.0', id: null, method: 'tools/list', params: { _meta: modernMeta } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
    );
    assert.equal(modern.message?.error?.code, -32600, modern.text);
  });

  it('answers an unknown method (tools/evil) with -32601, in either era', async () => {
    const old = await rawPost(running.url, { jsonrpc: '2.0', id: 7, method: 'tools/evil' }, legacy());
    assert.equal(old.message?.error?.code, -32601, old.text);
    assert.equal(old.message?.id, 7);
    const modern = await rawPost(
      running.url,
      { jsonrpc: '2.0', id: 8, method: 'tools/evil', params: { _meta: modernMeta } },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/evil' },
    );
    assert.equal(modern.message?.error?.code, -32601, modern.text);
  });

  it('treats a tool name with a zero-width space as an unknown tool (-32602), not as fs__read_file', async () => {
    const name = 'fs__read_file\u200b';
    const old = await rawPost(
      running.url,
      { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name, arguments: { path: 'x' } } },
      legacy(),
    );
    assert.equal(old.message?.error?.code, -32602, old.text);
    assert.match(old.message?.error?.message ?? '', /unknown tool 'fs__read_file\u200b'/);
    // The 2026-07-28 client sends the name in a header too (encoded); the hub still resolves the body's name exactly.
    const client = new Client({ name: 'hostile', version: '1' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(running.url), { requestInit: { headers: { Authorization: `Bearer ${KEYS.alice}` } } }),
    );
    try {
      await assert.rejects(client.callTool({ name, arguments: { path: 'x' } }), (error: Error & { code?: number }) => {
        assert.equal(error.code, -32602, error.message);
        return true;
      });
      // The real name still works: the refusal was about the name, not the client.
      const ok = await client.callTool({ name: 'fs__read_file', arguments: { path: 'x' } });
      assert.deepEqual(ok.content, [{ type: 'text', text: 'hostile:x' }]);
    } finally {
      await client.close();
    }
  });

  it('answers wrong argument types with an isError result naming the field (schema validation: the tool never runs)', async () => {
    const answer = await rawPost(
      running.url,
      { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'fs__echo', arguments: { n: 'seven' }, _meta: modernMeta } },
      modernCall('fs__echo'),
    );
    assert.equal(answer.status, 200);
    const result = answer.message?.result as { isError?: boolean; content: { text: string }[] };
    assert.equal(result.isError, true, answer.text);
    assert.match(result.content[0]?.text ?? '', /Input validation error: .*\bn: Invalid input: expected number, received string/);
  });
});
