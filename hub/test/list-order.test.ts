import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type RunningHub, startHub, waitFor } from './support/harness.ts';
import { tinyUpstream } from './support/tiny-upstream.ts';

// Every upstream here lists its tools in a new random order each time, and they are configured in
// no particular order: the hub's tools/list must still come out the same, sorted, every time.

const config = (listTtlMs?: number) => ({
  hub: listTtlMs === undefined ? {} : { listTtlMs },
  upstreams: {
    zeta: tinyUpstream(['--shuffle'], { restart: { initialDelayMs: 50 } }),
    alpha: tinyUpstream(['--shuffle'], { restart: { initialDelayMs: 50 } }),
    mid: tinyUpstream(['--shuffle'], { restart: { initialDelayMs: 50 } }),
  },
});

async function client2026(url: string): Promise<Client> {
  const client = new Client({ name: 'order-2026', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function client2025(url: string): Promise<V1Client> {
  const client = new V1Client({ name: 'order-2025', version: '1' });
  await client.connect(new V1Transport(new URL(url)));
  return client;
}

const namesOf = (result: { tools: { name: string }[] }) => result.tools.map((t) => t.name);
const codePointSorted = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('tools/list order and cache hints', () => {
  const running: RunningHub[] = [];
  const clients: { close(): Promise<unknown> }[] = [];
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(running.map((r) => r.close()));
  });

  it('is sorted and identical across calls, an upstream reconnect and a hub restart', async () => {
    const first = await startHub(config());
    running.push(first);
    const client = await client2025(first.url);
    clients.push(client);
    const listed = namesOf(await client.listTools());
    assert.ok(listed.includes('alpha__echo') && listed.includes('zeta__zulu') && listed.includes('hub__submit_task'));
    assert.deepEqual(listed, codePointSorted(listed));
    for (let i = 0; i < 3; i++) assert.deepEqual(namesOf(await client.listTools()), listed);

    // alpha restarts (and lists its tools in another order); the list comes back exactly as it was.
    const restarts = first.hub.pool.get('alpha')?.restarts ?? 0;
    await client.callTool({ name: 'alpha__crash', arguments: {} });
    await waitFor('alpha reconnected', () => {
      const alpha = first.hub.pool.get('alpha');
      return alpha?.state === 'connected' && alpha.restarts > restarts;
    });
    assert.deepEqual(namesOf(await client.listTools()), listed);

    // A second hub on the same config (another process start, as after a restart) lists the same.
    const second = await startHub(config());
    running.push(second);
    const other = await client2025(second.url);
    clients.push(other);
    assert.deepEqual(namesOf(await other.listTools()), listed);
  });

  it('carries ttlMs and a private cache scope for 2026-07-28 callers, and leaves 2025 results as they were', async () => {
    const hub = await startHub(config(12_345));
    running.push(hub);
    const modern = await client2026(hub.url);
    const legacy = await client2025(hub.url);
    clients.push(modern, legacy);
    const result = (await modern.listTools(undefined, { cacheMode: 'bypass' })) as {
      ttlMs?: unknown;
      cacheScope?: unknown;
      tools: unknown[];
    };
    assert.equal(result.ttlMs, 12_345);
    assert.equal(result.cacheScope, 'private', 'lists depend on the caller’s role');
    assert.deepEqual(namesOf(result as { tools: { name: string }[] }), namesOf(await legacy.listTools()));
    const prompts = (await modern.listPrompts(undefined, { cacheMode: 'bypass' })) as { ttlMs?: unknown };
    assert.equal(prompts.ttlMs, 12_345);
    const old = (await legacy.listTools()) as { ttlMs?: unknown };
    assert.equal(old.ttlMs, undefined, '2025-era results have no cache fields');
  });
});
