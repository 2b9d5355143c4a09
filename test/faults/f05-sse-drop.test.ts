// F5 — a task's SSE event stream (GET /v1/tasks/:id/events) is dropped mid-response (TCP reset by the
// fault proxy, twice): the client resumes with Last-Event-ID, receives every event exactly once and in
// order, and the drop is not taken as a cancel (the task runs on and succeeds). Postgres task store.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { mountTaskRoutes } from '../../hub/src/faces/tasks/index.ts';
import { PostgresTaskStore, Scheduler } from '../../hub/src/scheduler/index.ts';
import { fakeExecutor, ok } from '../../hub/src/scheduler/testing/fake-executor.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { DATABASE_URL, postgresUnavailable, randomSchema, reportMissingPostgres, sleep } from './support.ts';

const unavailable = await postgresUnavailable();

interface SseEvent {
  id?: number;
  event: string;
  data: string;
}

/** Reads SSE events from `url` until `end` or the connection breaks; `onEvent` sees each as it arrives. */
async function readSse(url: string, lastEventId: number | undefined, onEvent: (e: SseEvent) => void): Promise<'end' | 'dropped'> {
  const response = await fetch(url, { headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) } });
  assert.equal(response.status, 200);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return 'dropped';
      buffer += decoder.decode(value, { stream: true });
      let split = buffer.indexOf('\n\n');
      while (split >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split + 2);
        const event: SseEvent = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(':');
          const value = rest.join(':').replace(/^ /, '');
          if (field === 'id') event.id = Number(value);
          else if (field === 'event') event.event = value;
          else if (field === 'data') event.data += value;
        }
        onEvent(event);
        if (event.event === 'end') return 'end';
        split = buffer.indexOf('\n\n');
      }
    }
  } catch {
    return 'dropped';
  }
}

describe('F5: the task event stream dropped mid-response', () => {
  if (unavailable) return reportMissingPostgres(unavailable);
  const schema = randomSchema('sb_f5');
  let store: PostgresTaskStore;
  let proxy: FaultProxy | undefined;
  let server: ReturnType<typeof serve> | undefined;
  after(async () => {
    await proxy?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await store?.dropSchema();
    await store?.close();
  });

  it('resumes with Last-Event-ID: every event once, in order; the task is not cancelled', async () => {
    store = await PostgresTaskStore.open({ url: DATABASE_URL, schema });
    const fake = fakeExecutor({
      work__step: async () => {
        await sleep(250);
        return ok('step done');
      },
    });
    const scheduler = new Scheduler({ store, executor: fake.executor, pollMs: 20 }).start();
    const app = new Hono();
    mountTaskRoutes(app, scheduler, { principalOf: () => null, pollMs: 50 });
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server?.once('listening', resolve));
    proxy = await startFaultProxy({ port: (server.address() as AddressInfo).port });
    try {
      // Five steps in a chain: events keep coming for over a second.
      const steps = ['a', 'b', 'c', 'd', 'e'].map((id, i, all) => ({
        id,
        target: 'work__step',
        input: { id },
        ...(i > 0 ? { dependsOn: [all[i - 1] as string] } : {}),
      }));
      const { task } = await scheduler.submit({ steps });
      const url = `http://127.0.0.1:${proxy.port}/v1/tasks/${task.id}/events`;
      const received: SseEvent[] = [];
      let drops = 0;
      let last: number | undefined;
      for (let connection = 0; connection < 10; connection++) {
        const seenBefore = received.length;
        const ended = await readSse(url, last, (event) => {
          received.push(event);
          if (event.id !== undefined) last = event.id;
          // Drop the stream in the middle: after a few events on each of the first two connections.
          if (drops < 2 && received.length - seenBefore === 3) {
            drops++;
            proxy?.resetAll();
          }
        });
        if (ended === 'end') break;
      }
      assert.equal(drops, 2, 'the stream was dropped twice mid-response');
      const ids = received.filter((e) => e.id !== undefined).map((e) => e.id as number);
      assert.equal(new Set(ids).size, ids.length, `no event twice: ${ids.join(',')}`);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
        'in order',
      );
      const stored = (await scheduler.events(task.id)).map((e) => e.id);
      assert.deepEqual(ids, stored, 'every stored event delivered once');
      const end = received.at(-1);
      assert.equal(end?.event, 'end');
      assert.equal(JSON.parse(end?.data ?? '{}').state, 'succeeded', 'the drops did not cancel the task');
      assert.equal(fake.calls.length, 5, 'each step ran once');
      assert.ok(!received.some((e) => e.event === 'cancelled'));
    } finally {
      await scheduler.close();
    }
  });
});
