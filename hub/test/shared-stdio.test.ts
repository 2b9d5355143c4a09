import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { type RunningHub, startHub } from './support/harness.ts';
import { tinyUpstream } from './support/tiny-upstream.ts';

// Many clients (2025 sessions and 2026-07-28 stateless requests) call one stdio upstream through
// the hub at once. The upstream answers each call after a random delay, so answers come back in a
// different order than the calls went out: each caller must still get exactly its own answer.

const CLIENTS = 16;
const CALLS_PER_CLIENT = 8;

async function connect(url: string, i: number): Promise<Client> {
  const modern = i % 2 === 1;
  const client = new Client(
    { name: `mux-${i}`, version: '1' },
    modern ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : undefined,
  );
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

describe('several clients share one stdio upstream', () => {
  let running: RunningHub;
  const clients: Client[] = [];
  before(async () => {
    running = await startHub({ upstreams: { tiny: tinyUpstream([], { timeoutMs: 60_000 }) } });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await running?.close();
  });

  it('multiplexes their calls and never crosses the answers', async () => {
    clients.push(...(await Promise.all(Array.from({ length: CLIENTS }, (_, i) => connect(running.url, i)))));
    const upstream = running.hub.pool.get('tiny');
    assert.ok(upstream);
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, upstream.inFlight.size);
    }, 2);
    const completions: string[] = [];
    const outcomes = await Promise.all(
      clients.flatMap((client, c) =>
        Array.from({ length: CALLS_PER_CLIENT }, async (_, k) => {
          const text = `client ${c} call ${k} ${Math.random().toString(36).slice(2)}`;
          const result = await client.callTool({ name: 'tiny__echo', arguments: { text, delayMs: Math.floor(Math.random() * 40) } });
          completions.push(text);
          return { sent: text, got: result.structuredContent as { text: string; pid: number }, isError: result.isError };
        }),
      ),
    );
    clearInterval(sampler);
    assert.equal(outcomes.length, CLIENTS * CALLS_PER_CLIENT);
    for (const { sent, got, isError } of outcomes) {
      assert.notEqual(isError, true, sent);
      assert.equal(got.text, sent, 'an answer reached the wrong call');
    }
    assert.equal(new Set(outcomes.map((o) => o.got.pid)).size, 1, 'all of it went through one upstream process');
    assert.equal(upstream.restarts, 0);
    assert.ok(peak > 1, `calls overlapped on the one connection (peak in flight ${peak})`);
    // Answers overtook each other: completion order differs from the order calls were made.
    assert.notDeepEqual(
      completions,
      outcomes.map((o) => o.sent),
    );
  });
});
