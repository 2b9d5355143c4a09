// Streams and ids at /mcp: a Last-Event-ID taken from another session's stream replays nothing,
// and 50 clients reusing the same JSON-RPC ids at once each get only their own answers (the
// cross-talk behind the 2026 SDK advisory about one server instance shared between clients).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { repoRoot } from '../support/processes.ts';
import {
  type HostileHub,
  hostileUpstream,
  KEYS,
  LEGACY,
  modernCall,
  modernMeta,
  openSession,
  rawPost,
  startHostileHub,
} from './support.ts';

const CLIENTS = 50;
const probePath = join(repoRoot, 'hub/test/fixtures/probe-server.ts');

/** The messages a session's standalone GET stream delivers, as they arrive. */
async function openStream(url: string, session: string, lastEventId?: string) {
  const response = await fetch(url, {
    headers: {
      accept: 'text/event-stream',
      authorization: `Bearer ${KEYS.alice}`,
      'mcp-session-id': session,
      'mcp-protocol-version': LEGACY,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    },
  });
  const messages: { method?: string }[] = [];
  const ids: string[] = [];
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (chunk === undefined || chunk.done) return;
      buffer += decoder.decode(chunk.value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(event)?.[1];
        if (id) ids.push(id);
        const data = /^data: (.+)$/m.exec(event)?.[1];
        if (data) messages.push(JSON.parse(data));
      }
    }
  })();
  const close = async () => {
    await reader?.cancel().catch(() => {});
    await pump;
  };
  return { status: response.status, messages, ids, close };
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (const deadline = Date.now() + 20_000; !check(); await new Promise((r) => setTimeout(r, 25)))
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
}

describe('streams and JSON-RPC ids at /mcp', () => {
  let running: HostileHub;

  before(async () => {
    running = await startHostileHub({
      fs: hostileUpstream(),
      probe: {
        command: process.execPath,
        args: ['--import', 'tsx', probePath],
        cwd: repoRoot,
        env: { LOG_LEVEL: 'warn' },
        healthIntervalMs: 0,
      },
    });
  });
  after(async () => {
    await running?.close();
  });

  it("replays nothing to a session that presents another stream's Last-Event-ID", async () => {
    const [a, b] = [await openSession(running.url), await openSession(running.url)];
    const streamB = await openStream(running.url, b);
    assert.equal(streamB.status, 200);
    const redefine = (description: string) =>
      rawPost(
        running.url,
        { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'probe__redefine', arguments: { description } } },
        {
          'mcp-session-id': b,
          'mcp-protocol-version': LEGACY,
        },
      );
    await redefine('first change');
    await until('B to see the first list change', () => streamB.messages.length >= 1);
    // Whatever B's stream could be resumed from: its event ids if it has any, else guesses built from its session.
    const foreign = streamB.ids[0] ?? `${b}_0`;
    const streamA = await openStream(running.url, a, foreign);
    assert.equal(streamA.status, 200, 'a fresh stream, not a replay of B');
    await redefine('second change');
    await until('A to see the second list change', () => streamA.messages.length >= 1);
    await until('B to see the second list change', () => streamB.messages.length >= 2);
    assert.deepEqual(
      streamA.messages.map((m) => m.method),
      ['notifications/tools/list_changed'],
      "A got only what happened after it connected: nothing of B's history",
    );
    await Promise.all([streamA.close(), streamB.close()]);
  });

  it(`gives each of ${CLIENTS} concurrent SDK clients (same ids 0, 1, 2, …) only its own answers`, async () => {
    const clients = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const client = new V1Client({ name: `same-ids-${i}`, version: '1' });
        await client.connect(
          new V1Transport(new URL(running.url), { requestInit: { headers: { Authorization: `Bearer ${i % 2 ? KEYS.alice : KEYS.bob}` } } }),
        );
        return client;
      }),
    );
    try {
      for (let round = 0; round < 3; round++) {
        const answers = await Promise.all(
          clients.map((client, i) => client.callTool({ name: 'fs__echo', arguments: { n: i * 1000 + round, delayMs: (i * 7) % 40 } })),
        );
        for (const [i, answer] of answers.entries())
          assert.deepEqual(answer.content, [{ type: 'text', text: String(i * 1000 + round) }], `client ${i}, round ${round}`);
      }
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()));
    }
  });

  it(`answers ${CLIENTS} simultaneous raw requests that all use id 1, each with its own result, in both eras`, async () => {
    const sessions = await Promise.all(Array.from({ length: CLIENTS }, () => openSession(running.url)));
    const call = (n: number, meta: boolean) => ({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fs__echo', arguments: { n, delayMs: (n * 7) % 40 }, ...(meta ? { _meta: modernMeta } : {}) },
    });
    const answers = await Promise.all([
      ...sessions.map((session, i) => rawPost(running.url, call(i, false), { 'mcp-session-id': session, 'mcp-protocol-version': LEGACY })),
      ...sessions.map((_, i) => rawPost(running.url, call(CLIENTS + i, true), modernCall('fs__echo'))),
    ]);
    answers.forEach((answer, n) => {
      assert.equal(answer.message?.id, 1);
      const result = answer.message?.result as { content: unknown } | undefined;
      assert.deepEqual(result?.content, [{ type: 'text', text: String(n) }], `request ${n}`);
    });
  });
});
