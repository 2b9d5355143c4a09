import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import type { QueueBackend } from '../src/backend.ts';
import { MemoryQueueBackend } from '../src/backend-mock.ts';
import { createAmqpBackend } from '../src/backend-real.ts';
import { type QueueConfig, QueueConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';
import { AMQP_URL, amqpUnavailable, deleteQueues } from './amqp.ts';

interface Fixture {
  backend: QueueBackend;
  config: QueueConfig;
  /** A queue name inside the allowlist, unique to this run (and deleted after it). */
  q(name: string): string;
  /** A queue outside the allowlist, created behind the server's back. */
  outside: string;
  /** Ready messages, straight from the broker. */
  count(queue: string): Promise<number>;
}

const run = randomBytes(4).toString('hex');
const prefix = `sb-test-${run}-`;
const missingExchange = `sb-test-${run}-no-such-exchange`;
const used = new Set<string>();

function setupFor(backend: QueueBackend, teardown?: () => Promise<void>) {
  const config = QueueConfigSchema.parse({
    mock: backend.kind === 'memory',
    queues: [`${prefix}*`],
    exchanges: ['amq.topic', missingExchange],
    allowPurge: true,
    maxMessageBytes: 1024,
    maxBatchBytes: 2048,
  });
  const outside = `sb-outside-${run}`;
  used.add(outside);
  const fixture: Fixture = {
    backend,
    config,
    outside,
    q: (name) => {
      used.add(prefix + name);
      return prefix + name;
    },
    count: async (queue) => (await backend.queueStats(queue)).messageCount,
  };
  return {
    factory: () => createServer(backend, config).server,
    fixture,
    teardown: async () => {
      await backend.close();
      await teardown?.();
    },
  };
}

await contractSuite<Fixture>(
  'queue',
  [
    {
      name: 'mock',
      setup: async () => {
        const backend = new MemoryQueueBackend(['amq.topic']);
        await backend.declareQueue(`sb-outside-${run}`, { durable: true, bindings: [] });
        return setupFor(backend);
      },
    },
    {
      name: 'rabbitmq',
      unavailable: () => amqpUnavailable(),
      setup: async () => {
        const backend = createAmqpBackend(AMQP_URL);
        await backend.declareQueue(`sb-outside-${run}`, { durable: true, bindings: [] });
        return setupFor(backend, () => deleteQueues(used));
      },
    },
  ],
  (h) => {
    it('declares, publishes with confirms, and consumes a message with its headers', async () => {
      const queue = h.fixture.q('roundtrip');
      const declared = await h.call('declare_queue', { queue });
      assert.deepEqual(declared.structuredContent, { queue, messageCount: 0, consumerCount: 0, durable: true, bindings: [] });
      const published = await h.call('publish', { queue, content: 'hello', headers: { 'trace-id': 't1', attempt: 2, urgent: true } });
      const sent = published.structuredContent as { messageId: string; confirmed: boolean; size: number; routingKey: string };
      assert.equal(sent.confirmed, true);
      assert.equal(sent.size, 5);
      assert.equal(sent.routingKey, queue);
      assert.equal(structured(await h.call('queue_stats', { queue })).messageCount, 1);
      const consumed = await h.call('consume', { queue });
      const batch = consumed.structuredContent as { messages: Record<string, unknown>[]; count: number; truncated: boolean };
      assert.equal(batch.count, 1);
      assert.equal(batch.truncated, false);
      const [message] = batch.messages;
      assert.equal(message?.content, 'hello');
      assert.deepEqual(message?.headers, { 'trace-id': 't1', attempt: 2, urgent: true });
      assert.deepEqual(
        [message?.exchange, message?.routingKey, message?.redelivered, message?.messageId],
        ['', queue, false, sent.messageId],
      );
      assert.match(String(message?.timestamp), /^\d{4}-\d\d-\d\dT/);
      assert.equal(await h.fixture.count(queue), 0);
      assert.equal((await h.call('declare_queue', { queue })).isError, undefined, 'declaring again is fine');
    });

    it('takes at most limit messages, in order, and what is ready without waiting out waitMs', async () => {
      const queue = h.fixture.q('order');
      await h.call('declare_queue', { queue });
      for (let i = 0; i < 5; i++) await h.call('publish', { queue, content: `m${i}` });
      const first = await h.call('consume', { queue, limit: 2 });
      assert.deepEqual(contents(first), ['m0', 'm1']);
      const started = Date.now();
      const rest = await h.call('consume', { queue, limit: 10, waitMs: 20_000 });
      assert.deepEqual(contents(rest), ['m2', 'm3', 'm4']);
      assert.ok(Date.now() - started < 15_000, 'ready messages come back without waiting out waitMs');
      await h.call('publish', { queue, content: 'ready' });
      assert.deepEqual(contents(await h.call('consume', { queue, waitMs: 0 })), ['ready'], 'waitMs: 0 still takes what is ready');
      const empty = await h.call('consume', { queue, waitMs: 0 });
      assert.deepEqual(empty.structuredContent, { queue, messages: [], count: 0, truncated: false });
    });

    it('waits up to waitMs for a first message on an empty queue', async () => {
      const queue = h.fixture.q('wait');
      await h.call('declare_queue', { queue });
      const waiting = h.call('consume', { queue, waitMs: 20_000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await h.call('publish', { queue, content: 'late' });
      assert.deepEqual(contents(await waiting), ['late']);
    });

    it('loses nothing when the consumer fails mid-batch: the next consume gets every message', async () => {
      const queue = h.fixture.q('crash');
      await h.call('declare_queue', { queue });
      for (const text of ['a', 'b', 'c']) await h.call('publish', { queue, content: text });
      const processed: string[] = [];
      await assert.rejects(
        h.fixture.backend.consume(queue, { limit: 10, waitMs: 1000 }, async (deliveries) => {
          for (const delivery of deliveries) {
            if (processed.length === 2) throw new Error('injected: consumer crashed on the third message');
            processed.push(new TextDecoder().decode(delivery.content));
          }
          return { value: undefined, accept: deliveries.length };
        }),
        /injected/,
      );
      assert.deepEqual(processed, ['a', 'b']);
      assert.equal(await h.fixture.count(queue), 3);
      const again = await h.call('consume', { queue });
      assert.deepEqual(contents(again), ['a', 'b', 'c']);
      assert.deepEqual(
        (again.structuredContent as { messages: { redelivered: boolean }[] }).messages.map((m) => m.redelivered),
        [true, true, true],
      );
    });

    it('loses nothing when the server fails after assembling the answer, before acknowledging', async () => {
      const queue = h.fixture.q('crash-tool');
      await h.call('declare_queue', { queue });
      for (const text of ['x', 'y']) await h.call('publish', { queue, content: text });
      const backend = h.fixture.backend;
      const failing: QueueBackend = {
        ...backend,
        kind: backend.kind,
        consume: (name, options, assemble) =>
          backend.consume(name, options, async (deliveries) => {
            await assemble(deliveries);
            throw new Error('injected: the process died before the acknowledgement');
          }),
      };
      const crashed = await connect(createServer(failing, h.fixture.config).server);
      try {
        const result = await crashed.call('consume', { queue });
        assert.equal(result.isError, true);
      } finally {
        await crashed.close();
      }
      assert.deepEqual(contents(await h.call('consume', { queue })), ['x', 'y']);
    });

    it('bounds an answer by bytes, leaving the rest queued, and refuses an oversized message without losing it', async () => {
      const queue = h.fixture.q('bounds');
      await h.call('declare_queue', { queue });
      for (const letter of ['p', 'q', 'r']) await h.call('publish', { queue, content: letter.repeat(1000) });
      const first = await h.call('consume', { queue });
      assert.equal((first.structuredContent as { count: number }).count, 2);
      assert.equal((first.structuredContent as { truncated: boolean }).truncated, true);
      assert.deepEqual(contents(await h.call('consume', { queue })), ['r'.repeat(1000)]);
      // Published by someone else, past this server's limit: refused, and still there afterwards.
      await h.fixture.backend.publish(
        { exchange: '', routingKey: queue },
        { content: new Uint8Array(1500), persistent: false, messageId: 'big' },
      );
      assert.deepEqual(field(await h.call('consume', { queue })), ['TOO_LARGE', 'queue']);
      assert.equal(await h.fixture.count(queue), 1);
      const bytes = await h.call('publish', { queue, contentBase64: Buffer.from([0xff, 0, 1]).toString('base64') });
      assert.equal(bytes.isError, undefined);
      await h.call('purge', { queue });
    });

    it('round-trips bytes as base64, and a refused encoding leaves the message queued', async () => {
      const queue = h.fixture.q('bytes');
      await h.call('declare_queue', { queue });
      const raw = Buffer.from([0xff, 0x00, 0xfe]).toString('base64');
      await h.call('publish', { queue, contentBase64: raw, contentType: 'application/octet-stream' });
      assert.deepEqual(field(await h.call('consume', { queue, encoding: 'utf8' })), ['INVALID_ARGUMENT', 'encoding']);
      assert.equal(await h.fixture.count(queue), 1);
      const consumed = await h.call('consume', { queue });
      const [message] = (consumed.structuredContent as { messages: Record<string, unknown>[] }).messages;
      assert.equal(message?.contentBase64, raw);
      assert.equal(message?.content, undefined);
      assert.equal(message?.contentType, 'application/octet-stream');
    });

    it('publishes through an allowed exchange to bound queues, and refuses what no queue would receive', async () => {
      const queue = h.fixture.q('orders');
      const key = `${prefix}orders`;
      const declared = await h.call('declare_queue', { queue, bindings: [{ exchange: 'amq.topic', routingKey: `${key}.#` }] });
      assert.equal(declared.isError, undefined, text(declared));
      const sent = await h.call('publish', {
        exchange: 'amq.topic',
        routingKey: `${key}.eu.created`,
        content: '{"id":1}',
        contentType: 'application/json',
      });
      assert.equal(sent.isError, undefined, text(sent));
      const [message] = structured(await h.call('consume', { queue })).messages as Record<string, unknown>[];
      assert.deepEqual([message?.content, message?.exchange, message?.routingKey], ['{"id":1}', 'amq.topic', `${key}.eu.created`]);
      assert.deepEqual(field(await h.call('publish', { exchange: 'amq.topic', routingKey: `${prefix}nobody.home`, content: 'x' })), [
        'NOT_FOUND',
        'routingKey',
      ]);
      assert.deepEqual(field(await h.call('publish', { queue: h.fixture.q('never-declared'), content: 'x' })), ['NOT_FOUND', 'queue']);
      assert.deepEqual(field(await h.call('publish', { exchange: missingExchange, routingKey: 'k', content: 'x' })), [
        'NOT_FOUND',
        'exchange',
      ]);
      // The broker closed the publishing channel over the missing exchange; the next publish still works.
      assert.equal((await h.call('publish', { queue, content: 'after' })).isError, undefined);
      assert.deepEqual(contents(await h.call('consume', { queue })), ['after']);
    });

    it('refuses queues and exchanges outside the allowlist, and reserved names, writing nothing', async () => {
      const outside = h.fixture.outside;
      const calls: [string, Record<string, unknown>, string][] = [
        ['publish', { queue: outside, content: 'x' }, 'queue'],
        ['consume', { queue: outside }, 'queue'],
        ['declare_queue', { queue: outside }, 'queue'],
        ['queue_stats', { queue: outside }, 'queue'],
        ['purge', { queue: outside }, 'queue'],
        ['publish', { exchange: 'amq.fanout', content: 'x' }, 'exchange'],
        ['publish', { exchange: 'amq.direct', routingKey: outside, content: 'x' }, 'exchange'],
        ['declare_queue', { queue: h.fixture.q('bind'), bindings: [{ exchange: 'amq.fanout' }] }, 'bindings.0.exchange'],
        ['publish', { queue: 'amq.gen-x', content: 'x' }, 'queue'],
      ];
      for (const [tool, args, name] of calls)
        assert.deepEqual(field(await h.call(tool, args)), ['ACL_DENIED', name], `${tool} ${JSON.stringify(args)}`);
      assert.match(text(await h.call('consume', { queue: outside })), new RegExp(`allowed: ${prefix}\\*`));
      assert.equal(await h.fixture.count(outside), 0);
    });

    it('refuses malformed headers naming the header, including CC/BCC that would copy to other queues', async () => {
      const queue = h.fixture.q('headers');
      await h.call('declare_queue', { queue });
      const cases: [Record<string, unknown>, string][] = [
        [{ CC: 'x' }, 'headers.CC'],
        [{ BCC: 'x' }, 'headers.BCC'],
        [{ 'x-delay': 5000 }, 'headers.x-delay'],
        [{ 'bad name': 'v' }, 'headers.bad name'],
        [{ nested: { a: 1 } }, 'headers.nested'],
        [{ list: ['a'] }, 'headers.list'],
        [{ nul: null }, 'headers.nul'],
        [{ crlf: 'a\r\nb' }, 'headers.crlf'],
      ];
      for (const [headers, name] of cases) {
        assert.deepEqual(
          field(await h.call('publish', { queue, content: 'x', headers })),
          ['INVALID_ARGUMENT', name],
          JSON.stringify(headers),
        );
      }
      // Even a CC naming an array of queues (RabbitMQ's own shape) never reaches the broker.
      assert.deepEqual(field(await h.call('publish', { queue, content: 'x', headers: { CC: [h.fixture.outside] } })), [
        'INVALID_ARGUMENT',
        'headers.CC',
      ]);
      assert.equal(await h.fixture.count(queue), 0);
      assert.equal(await h.fixture.count(h.fixture.outside), 0);
    });

    it('refuses oversized messages and wrong types with errors naming the field, publishing nothing', async () => {
      const queue = h.fixture.q('types');
      await h.call('declare_queue', { queue });
      assert.deepEqual(field(await h.call('publish', { queue, content: 'z'.repeat(1025) })), ['TOO_LARGE', 'content']);
      assert.deepEqual(field(await h.call('publish', { queue, contentBase64: Buffer.alloc(1025).toString('base64') })), [
        'TOO_LARGE',
        'contentBase64',
      ]);
      const cases: [string, Record<string, unknown>, string][] = [
        ['publish', { queue: 5, content: 'x' }, 'queue'],
        ['publish', { content: 'x' }, 'queue'],
        ['publish', { queue, exchange: 'amq.topic', content: 'x' }, 'queue'],
        ['publish', { queue, routingKey: 'k', content: 'x' }, 'routingKey'],
        ['publish', { queue }, 'content'],
        ['publish', { queue, content: 7 }, 'content'],
        ['publish', { queue, contentBase64: '%%%' }, 'contentBase64'],
        ['publish', { queue, content: 'x', persistent: 'yes' }, 'persistent'],
        ['publish', { queue, content: 'x', contentType: 'text/plain\r\nX: y' }, 'contentType'],
        ['publish', { queue, content: 'x', headers: 'a=b' }, 'headers'],
        ['publish', { queue, content: 'x', priority: 9 }, 'priority'],
        ['consume', { queue, limit: 0 }, 'limit'],
        ['consume', { queue, limit: 101 }, 'limit'],
        ['consume', { queue, waitMs: -1 }, 'waitMs'],
        ['consume', { queue, encoding: 'latin1' }, 'encoding'],
        ['declare_queue', { queue, durable: 'x' }, 'durable'],
        ['declare_queue', { queue, bindings: 'amq.topic' }, 'bindings'],
        ['queue_stats', {}, 'queue'],
        ['publish', { queue: `${prefix}bad\nname`, content: 'x' }, 'queue'],
      ];
      for (const [tool, args, name] of cases) {
        assert.deepEqual(field(await h.call(tool, args)), ['INVALID_ARGUMENT', name], `${tool} ${JSON.stringify(args)}`);
      }
      assert.equal(await h.fixture.count(queue), 0);
    });

    it('refuses to redeclare a queue with other properties', async () => {
      const queue = h.fixture.q('durable');
      await h.call('declare_queue', { queue, durable: true });
      assert.deepEqual(field(await h.call('declare_queue', { queue, durable: false })), ['INVALID_ARGUMENT', 'queue']);
      assert.deepEqual(field(await h.call('queue_stats', { queue: h.fixture.q('absent') })), ['NOT_FOUND', 'queue']);
      assert.deepEqual(field(await h.call('consume', { queue: h.fixture.q('absent') })), ['NOT_FOUND', 'queue']);
    });

    it('purges only when allowed', async () => {
      const queue = h.fixture.q('purge');
      await h.call('declare_queue', { queue });
      for (let i = 0; i < 3; i++) await h.call('publish', { queue, content: `p${i}` });
      const locked = await connect(createServer(h.fixture.backend, { ...h.fixture.config, allowPurge: false }).server);
      try {
        assert.deepEqual(field(await locked.call('purge', { queue })), ['ACL_DENIED', undefined]);
        assert.match(text(await locked.call('purge', { queue })), /--allow-purge/);
      } finally {
        await locked.close();
      }
      assert.equal(await h.fixture.count(queue), 3);
      assert.deepEqual((await h.call('purge', { queue })).structuredContent, { queue, purged: 3 });
      assert.equal(await h.fixture.count(queue), 0);
    });

    it('lists its tools with schemas, annotations and the scope in the queue field', async () => {
      const { tools } = await h.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), ['consume', 'declare_queue', 'publish', 'purge', 'queue_stats']);
      const consume = tools.find((t) => t.name === 'consume');
      const queue = (consume?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.queue;
      assert.match(queue?.description ?? '', new RegExp(`Queues: ${prefix}\\*`));
      assert.ok(consume?.outputSchema);
      assert.equal(tools.find((t) => t.name === 'queue_stats')?.annotations?.readOnlyHint, true);
    });
  },
);

async function connect(server: McpServer) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'second-client', version: '0' });
  await client.connect(clientSide);
  return {
    call: (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

function contents(result: CallToolResult): unknown[] {
  assert.equal(result.isError, undefined, text(result));
  return (result.structuredContent as { messages: { content?: string }[] }).messages.map((m) => m.content);
}

function field(result: CallToolResult): [string | undefined, string | undefined] {
  const error = errorOfResult(result);
  return [error?.code, error?.field];
}

function structured(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

function text(result: CallToolResult): string {
  return (result.content[0] as { text?: string } | undefined)?.text ?? '';
}
