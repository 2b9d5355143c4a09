// F7 — the hub restarts (same address) while 2025-era clients hold live sessions: with the default
// in-memory session store a request with an old session id gets 404 (as the 2025 transport spec asks,
// so the client knows to start over), the client re-initialises and carries on. (With a shared Redis or
// Postgres session store the session survives instead: test/mcp-session-replicas.int.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { serveHubHttp } from '../../hub/src/faces/index.ts';
import { Hub } from '../../hub/src/hub.ts';
import { loadedConfig, selfCommand, testLogger } from '../../hub/test/support/harness.ts';
import { readAgain } from './support-hub.ts';

async function startHubAt(dir: string, port: number) {
  const hub = await Hub.start({ loaded: loadedConfig({ tasks: { store: 'sqlite' } }, dir), roles: [], logger: testLogger(), selfCommand });
  const face = await serveHubHttp(hub, '127.0.0.1', port);
  let closed: Promise<void> | undefined;
  return {
    url: face.url,
    // Idempotent: the test closes the first hub itself, and `after` closes whatever is left on failure.
    close() {
      closed ??= face.close().then(() => hub.close());
      return closed;
    },
  };
}

async function connect(url: string, name: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  // A new session each try: a connection that failed mid-handshake ("fetch failed") is simply redone.
  return readAgain(async () => {
    const client = new Client({ name, version: '1' });
    const transport = new StreamableHTTPClientTransport(new URL(url));
    await client.connect(transport);
    return { client, transport };
  });
}

describe('F7: hub restart with live 2025-era sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-f7-'));
  const closers: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 404 for the old session ids; the clients re-initialise and continue', { timeout: 600_000 }, async () => {
    const first = await startHubAt(dir, 0);
    closers.push(() => first.close());
    const port = Number(new URL(first.url).port);
    const clients = await Promise.all([1, 2, 3].map((i) => connect(first.url, `f7-${i}`)));
    const oldIds = clients.map((c) => c.transport.sessionId as string);
    assert.equal(new Set(oldIds).size, 3);
    for (const { client } of clients)
      assert.ok((await readAgain(() => client.listTools())).tools.some((t) => t.name === 'hub__list_tasks'));

    await first.close();
    const second = await startHubAt(dir, port);
    closers.push(() => second.close());

    for (const [i, { client }] of clients.entries()) {
      // The first request may meet the old process's closed keep-alive socket (ECONNRESET): a client
      // retries that; what matters is the answer of the new hub.
      const listOnce = () =>
        client.listTools().then(
          () => ({ code: 200 as number | undefined, message: 'ok' }),
          (error: Error & { code?: number }) => ({ code: error.code, message: error.message }),
        );
      // Several pooled sockets may be dead (one per earlier concurrent request), so retry a few times.
      let answer = await listOnce();
      for (let retry = 0; retry < 5 && answer.code === undefined && /fetch failed/.test(answer.message); retry++) answer = await listOnce();
      assert.equal(answer.code, 404, `client ${i + 1}: ${answer.message}`);
    }
    // The same request by hand: the status and JSON-RPC error a client sees for a stale id.
    const stale = await fetch(second.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': oldIds[0] as string,
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    assert.equal(stale.status, 404);
    assert.match(await stale.text(), /Session not found/);

    for (const { client } of clients) await client.close().catch(() => {});
    const again = await Promise.all([1, 2, 3].map((i) => connect(second.url, `f7-${i}-again`)));
    for (const { client, transport } of again) {
      closers.push(() => client.close());
      assert.ok(!oldIds.includes(transport.sessionId as string), 'a new session id');
      const result = await readAgain(() => client.callTool({ name: 'hub__list_tasks', arguments: {} }));
      assert.notEqual(result.isError, true, JSON.stringify(result.content));
    }
  });
});
