import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { hashApiKey } from '../src/auth/index.ts';
import { type RunningUpstream, startV1Upstream, startV2Upstream } from './support/era-upstreams.ts';
import { firstText, type RunningHub, startHub } from './support/harness.ts';

const READER_KEY = 'sk-profile-reader-0123456789abcdef';
const ADMIN_KEY = 'sk-profile-admin-0123456789abcdef0';

/** A 2025-era client: the v1 SDK, as most clients in use today. */
async function client2025(url: string, key: string): Promise<V1Client> {
  const client = new V1Client({ name: 'v1-client', version: '1' });
  await client.connect(new V1Transport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

/** A 2026-era client: the v2 SDK pinned to 2026-07-28 (no initialize, no session). */
async function client2026(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'v2-client', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } }));
  return client;
}

const names = (tools: { name: string }[]) => tools.map((t) => t.name).sort();

describe('tool profiles: what each client sees, with authorization on top', () => {
  let docs: RunningUpstream;
  let sql: RunningUpstream;
  let running: RunningHub;
  const clients: { close(): Promise<void> }[] = [];

  before(async () => {
    [docs, sql] = await Promise.all([startV2Upstream('both', 'docs', ['search', 'secret_dump']), startV1Upstream()]);
    running = await startHub({
      hub: { http: { allowedHosts: ['127.0.0.1', 'localhost'] } },
      auth: {
        apiKeys: [
          { id: 'reader', role: 'reader', sha256: hashApiKey(READER_KEY) },
          { id: 'admin', role: 'admin', sha256: hashApiKey(ADMIN_KEY) },
        ],
      },
      policy: { roles: { reader: { tools: { allow: ['docs__*', 'sql__echo'], deny: ['docs__search'] } } } },
      upstreams: {
        docs: { url: docs.url, healthIntervalMs: 0, tags: ['knowledge'] },
        sql: { url: sql.url, healthIntervalMs: 0, tags: ['storage'] },
      },
      profiles: {
        desktop: { description: 'what Claude Desktop gets', include: [{ server: 'docs' }, 'hub__task_*'], exclude: ['docs__secret_*'] },
        ci: { include: ['sql__echo'] },
        storage: { include: [{ tags: ['storage'] }] },
      },
    });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await running?.close();
    await Promise.all([docs?.close(), sql?.close()]);
  });

  it('a 2025-era client (SDK v1, session) lists and calls tools through /mcp/desktop, and nothing else', async () => {
    const client = await client2025(`${running.origin}/mcp/desktop`, ADMIN_KEY);
    clients.push(client);
    const listed = names((await client.listTools()).tools);
    assert.ok(listed.includes('docs__echo') && listed.includes('docs__search'), listed.join(', '));
    assert.ok(listed.includes('hub__task_status'), listed.join(', '));
    assert.ok(!listed.some((n) => n.startsWith('sql__') || n === 'docs__secret_dump' || n === 'hub__submit_task'), listed.join(', '));
    assert.equal(firstText(await client.callTool({ name: 'docs__echo', arguments: { text: 'from 2025' } })), 'from 2025');
    await assert.rejects(client.callTool({ name: 'sql__echo', arguments: { text: 'x' } }), /unknown tool 'sql__echo'/);
    await assert.rejects(client.callTool({ name: 'docs__secret_dump', arguments: {} }), /unknown tool 'docs__secret_dump'/);
  });

  it('a 2026-era client (SDK v2, stateless) lists and calls tools through /mcp/ci', async () => {
    const client = await client2026(`${running.origin}/mcp/ci`, ADMIN_KEY);
    clients.push(client);
    assert.equal(client.getProtocolEra(), 'modern');
    assert.deepEqual(names((await client.listTools()).tools), ['sql__echo']);
    assert.equal(firstText(await client.callTool({ name: 'sql__echo', arguments: { text: 'from 2026' } })), 'from 2026');
    await assert.rejects(client.callTool({ name: 'docs__echo', arguments: { text: 'x' } }), /unknown tool 'docs__echo'/);
  });

  it('selects by tag, and ?tools= narrows any endpoint further, in both eras', async () => {
    const tagged = await client2026(`${running.origin}/mcp/storage`, ADMIN_KEY);
    clients.push(tagged);
    assert.deepEqual(names((await tagged.listTools()).tools), ['sql__echo']);
    const narrowed = await client2026(`${running.origin}/mcp/desktop?tools=docs__e*,hub__task_status`, ADMIN_KEY);
    clients.push(narrowed);
    assert.deepEqual(names((await narrowed.listTools()).tools), ['docs__echo', 'hub__task_status']);
    const plain = await client2025(`${running.origin}/mcp?tools=sql__*`, ADMIN_KEY);
    clients.push(plain);
    assert.deepEqual(names((await plain.listTools()).tools), ['sql__echo']);
  });

  it('authorization still applies on top of a profile: a reader sees and calls only what its role allows', async () => {
    for (const client of [
      await client2025(`${running.origin}/mcp/desktop`, READER_KEY),
      await client2026(`${running.origin}/mcp/desktop`, READER_KEY),
    ]) {
      clients.push(client);
      // The profile shows docs__echo and docs__search; the role denies docs__search and has no hub__ tools.
      assert.deepEqual(names((await client.listTools()).tools), ['docs__echo']);
      const denied = await client.callTool({ name: 'docs__search', arguments: {} });
      assert.equal(denied.isError, true);
      assert.match(firstText(denied), /ACL_DENIED/);
    }
  });

  it('answers an unknown profile with 404 naming the profiles, and a malformed ?tools= with 400', async () => {
    const post = (path: string) =>
      fetch(`${running.origin}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          authorization: `Bearer ${ADMIN_KEY}`,
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
        }),
      });
    const unknown = await post('/mcp/laptop');
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /no profile 'laptop' \(profiles: ci, desktop, storage\)/);
    const bad = await post('/mcp?tools=fs__*;rm');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /not a tool glob/);
  });

  it('keeps a session on the endpoint it was opened on', async () => {
    const client = await client2025(`${running.origin}/mcp/ci`, ADMIN_KEY);
    clients.push(client);
    const sessionId = (client.transport as V1Transport).sessionId as string;
    const reused = await fetch(`${running.origin}/mcp/desktop`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${ADMIN_KEY}`,
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} }),
    });
    assert.equal(reused.status, 404, 'a ci session does not become a desktop session by changing the URL');
  });
});
