import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { Server } from '@modelcontextprotocol/server';
import { Scheduler } from './scheduler.ts';
import { MemoryTaskStore } from './store/memory-store.ts';

/** A real MCP server whose `slow` tool waits until the client cancels the request. */
function slowServer(seen: { started: number; cancelled: number }): Server {
  const server = new Server({ name: 'slow', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler('tools/list', async () => ({
    tools: [{ name: 'slow', inputSchema: { type: 'object' } }],
  }));
  server.setRequestHandler('tools/call', async (_request, ctx) => {
    seen.started++;
    await new Promise<void>((resolve) => {
      if (ctx.mcpReq.signal.aborted) resolve();
      ctx.mcpReq.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    seen.cancelled++;
    return { content: [{ type: 'text', text: 'too late' }] };
  });
  return server;
}

describe('deadline → MCP cancellation', () => {
  it('cancels the running MCP call (notifications/cancelled reaches the server) and times the task out', async () => {
    const seen = { started: 0, cancelled: 0 };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const server = slowServer(seen);
    await server.connect(serverSide);
    const client = new Client({ name: 'hub', version: '1' });
    await client.connect(clientSide);
    const scheduler = new Scheduler({
      store: new MemoryTaskStore(),
      executor: async (target, input, context) =>
        (await client.callTool({ name: target, arguments: input }, { signal: context.signal })) as never,
    }).start();
    try {
      const { task } = await scheduler.submit({ target: 'slow', input: {}, timeoutMs: 300 });
      const done = await scheduler.waitFor(task.id, 10_000);
      assert.equal(done.state, 'timed_out');
      assert.equal(done.error?.code, 'TIMEOUT');
      for (let i = 0; i < 100 && seen.cancelled === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(seen, { started: 1, cancelled: 1 }, 'the server saw the request cancelled');
    } finally {
      await scheduler.close();
      await client.close();
      await server.close();
    }
  });
});
