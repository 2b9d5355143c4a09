import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type RunningUpstream, startV2Upstream } from './support/era-upstreams.ts';
import { firstText, type RunningHub, startHub } from './support/harness.ts';

/** `hub.http.sessions.store: none`: the 2025 leg runs stateless, so any replica answers any request. */
describe('a stateless 2025 leg', () => {
  let upstream: RunningUpstream;
  let running: RunningHub;

  before(async () => {
    upstream = await startV2Upstream('both', 'docs');
    running = await startHub({
      hub: { http: { sessions: { store: 'none' } } },
      upstreams: { docs: { url: upstream.url, healthIntervalMs: 0 } },
    });
  });
  after(async () => {
    await running?.close();
    await upstream?.close();
  });

  it('answers initialize without a session id, and serves a 2025-era client request by request', async () => {
    const client = new V1Client({ name: 'stateless-2025', version: '1' });
    const transport = new V1Transport(new URL(running.url));
    await client.connect(transport);
    try {
      assert.equal(transport.sessionId, undefined);
      assert.equal(firstText(await client.callTool({ name: 'docs__echo', arguments: { text: 'no session' } })), 'no session');
    } finally {
      await client.close();
    }
    assert.equal(running.hub.status().ready, true);
  });

  it('refuses the session operations (GET stream, DELETE) with 405', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(running.url, { method, headers: { accept: 'text/event-stream', 'mcp-session-id': 'x' } });
      assert.equal(response.status, 405, method);
      await response.body?.cancel();
    }
  });
});
