import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport, type McpServer } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { type ContractBackend, contractSuite } from '@switchboard/kit/contract';
import type { KafkaBackend } from '../src/backend.ts';
import { MemoryKafkaBackend } from '../src/backend-mock.ts';
import { createKafkaBackend } from '../src/backend-real.ts';
import { type KafkaConfig, KafkaConfigSchema } from '../src/config.ts';
import { Partitioner } from '../src/partitioner.ts';
import { createServer } from '../src/server.ts';
import { brokerUnavailable, createTopics, deleteTopics, KAFKA_BROKERS } from './broker.ts';
import { buildMockCluster, startMockCluster } from './mock-cluster.ts';

interface Fixture {
  backend: KafkaBackend;
  config: KafkaConfig;
  /** Creates a fresh topic inside both allowlists (the cluster's own way) and answers its name. */
  topic(name: string, partitions?: number): Promise<string>;
  /** A consumer group inside the group allowlist, unique to this run. */
  group(name: string): string;
  /** Existing topics allowlisted for one direction only, and one outside every allowlist. */
  produceOnly: string;
  consumeOnly: string;
  outside: string;
  /** Records a topic holds, straight from the cluster. */
  count(topic: string): Promise<number>;
  /** Whether the create_topic tool can work on this cluster (the librdkafka mock has no controller for it). */
  canCreateTopics: boolean;
}

const run = randomBytes(4).toString('hex');
const prefix = `sbt-${run}-`;
const produceOnly = `sbp-${run}`;
const consumeOnly = `sbc-${run}`;
const outside = `sbo-${run}`;
const encoder = new TextEncoder();

const config = KafkaConfigSchema.parse({
  produceTopics: [`${prefix}*`, produceOnly],
  consumeTopics: [`${prefix}*`, consumeOnly],
  groups: [`${prefix}*`],
  allowCreateTopics: true,
  maxMessageBytes: 1024,
  maxBatchBytes: 2048,
  // The lowest a real broker accepts by default; the librdkafka mock delays a rejoin by half of it.
  sessionTimeoutMs: 6000,
});

async function fixtureFor(
  backend: KafkaBackend,
  create: (topic: string, partitions: number) => Promise<void>,
  canCreateTopics: boolean,
  teardown: () => Promise<void>,
) {
  for (const name of [produceOnly, consumeOnly, outside]) await create(name, 1);
  const fixture: Fixture = {
    backend,
    config: { ...config, mock: backend.kind === 'memory' },
    async topic(name, partitions = 1) {
      const topic = `${prefix}${name}`;
      await create(topic, partitions);
      return topic;
    },
    group: (name) => `${prefix}group-${name}`,
    produceOnly,
    consumeOnly,
    outside,
    count: async (topic) => (await backend.describeTopic(topic)).reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0),
    canCreateTopics,
  };
  return {
    factory: () => createServer(backend, fixture.config).server,
    fixture,
    teardown: async () => {
      await backend.close();
      await teardown();
    },
  };
}

const backends: ContractBackend<Fixture>[] = [
  {
    name: 'mock',
    setup: async () => {
      const backend = new MemoryKafkaBackend();
      return fixtureFor(
        backend,
        (topic, partitions) => backend.createTopic(topic, { partitions, replicationFactor: 1 }),
        true,
        async () => {},
      );
    },
  },
  {
    // Wire-level: kafkajs speaking the Kafka protocol to librdkafka's mock cluster on loopback.
    name: 'librdkafka mock cluster',
    unavailable: async () => buildMockCluster().reason ?? null,
    setup: async () => {
      const cluster = await startMockCluster();
      const backend = createKafkaBackend({ ...config, brokers: cluster.brokers });
      return fixtureFor(
        backend,
        (topic, partitions) => cluster.createTopic(topic, partitions),
        false,
        () => cluster.stop(),
      );
    },
  },
];
if (KAFKA_BROKERS !== undefined && KAFKA_BROKERS.length > 0) {
  const brokers = KAFKA_BROKERS;
  const created: string[] = [];
  backends.push({
    name: `broker ${brokers.join(',')}`,
    unavailable: () => brokerUnavailable(brokers),
    setup: async () => {
      const backend = createKafkaBackend({ ...config, brokers });
      const create = async (topic: string, partitions: number) => {
        created.push(topic);
        await createTopics(brokers, [{ topic, partitions }]);
      };
      return fixtureFor(backend, create, true, () => deleteTopics(brokers, [...created, `${prefix}created`]));
    },
  });
} else {
  process.stderr.write(
    'kafka contract [real broker]: KAFKA_BROKERS is not set; the wire-level suite runs on the librdkafka mock cluster\n',
  );
}

await contractSuite<Fixture>('kafka', backends, (h) => {
  it('lists the reachable topics with what each allows, and nothing else', async () => {
    const topic = await h.fixture.topic('listed', 2);
    const listed = structured(await h.call('list_topics')) as { topics: { topic: string }[] };
    const mine = listed.topics.filter((t) => t.topic.includes(run));
    assert.deepEqual(
      mine.find((t) => t.topic === topic),
      { topic, partitions: 2, produce: true, consume: true },
    );
    assert.deepEqual(
      mine.find((t) => t.topic === produceOnly),
      { topic: produceOnly, partitions: 1, produce: true, consume: false },
    );
    assert.deepEqual(
      mine.find((t) => t.topic === consumeOnly),
      { topic: consumeOnly, partitions: 1, produce: false, consume: true },
    );
    assert.equal(
      listed.topics.some((t) => t.topic === outside || t.topic.startsWith('__')),
      false,
    );
  });

  it('produces with key and headers, consumes them once per group, and commits the offsets', async () => {
    const topic = await h.fixture.topic('roundtrip');
    const group = h.fixture.group('roundtrip');
    const produced = await h.call('produce', {
      topic,
      messages: [{ key: 'order-1', value: 'hello', headers: { 'trace-id': 't1', source: 'test' } }, { value: '{"n":2}' }],
    });
    assert.equal(produced.isError, undefined, text(produced));
    assert.deepEqual(structured(produced), {
      topic,
      count: 2,
      bytes: 39,
      messages: [
        { partition: 0, offset: '0' },
        { partition: 0, offset: '1' },
      ],
    });
    const consumed = await h.call('consume', { topic, group, limit: 10, waitMs: 1000 });
    const batch = structured(consumed) as { messages: Record<string, unknown>[]; count: number; truncated: boolean; group: string };
    assert.equal(batch.count, 2, text(consumed));
    assert.equal(batch.truncated, false);
    assert.equal(batch.group, group);
    const [first, second] = batch.messages;
    assert.deepEqual(
      [first?.key, first?.value, first?.headers, first?.partition, first?.offset, first?.size],
      ['order-1', 'hello', { 'trace-id': 't1', source: 'test' }, 0, '0', 32],
    );
    assert.match(String(first?.timestamp), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual([second?.key, second?.keyBase64, second?.value, second?.offset], [undefined, undefined, '{"n":2}', '1']);
    const described = structured(await h.call('describe_topic', { topic, group })) as Record<string, unknown>;
    assert.deepEqual([described.messages, described.lag], [2, 0]);
    assert.deepEqual((described.partitions as Record<string, unknown>[])[0], {
      partition: 0,
      leader: (described.partitions as { leader: number }[])[0]?.leader,
      replicas: (described.partitions as { replicas: number[] }[])[0]?.replicas,
      isr: (described.partitions as { isr: number[] }[])[0]?.isr,
      earliestOffset: '0',
      latestOffset: '2',
      messages: 2,
      committedOffset: '2',
      lag: 0,
    });
    assert.deepEqual(values(await h.call('consume', { topic, group, waitMs: 0 })), [], 'committed: the group has read them');
    assert.deepEqual(values(await h.call('consume', { topic, group: h.fixture.group('other'), waitMs: 0 })), ['hello', '{"n":2}']);
  });

  it('puts keyed messages where Kafka’s partitioner does, honours an explicit partition, and refuses one out of range', async () => {
    const topic = await h.fixture.topic('partitions', 3);
    const keys = ['alpha', 'beta', 'gamma', 'delta', 'alpha'];
    const produced = structured(await h.call('produce', { topic, messages: keys.map((key) => ({ key, value: key })) })) as {
      messages: { partition: number }[];
    };
    const partitioner = new Partitioner();
    assert.deepEqual(
      produced.messages.map((m) => m.partition),
      keys.map((key) => partitioner.choose(topic, 3, { key: encoder.encode(key) })),
    );
    const pinned = structured(await h.call('produce', { topic, messages: [{ value: 'pinned', partition: 2 }] })) as {
      messages: { partition: number }[];
    };
    assert.equal(pinned.messages[0]?.partition, 2);
    assert.deepEqual(field(await h.call('produce', { topic, messages: [{ value: 'ok' }, { value: 'x', partition: 3 }] })), [
      'INVALID_ARGUMENT',
      'messages.1.partition',
    ]);
    assert.equal(await h.fixture.count(topic), 6, 'the refused call wrote nothing, not even its valid first message');
    const all = structured(await h.call('consume', { topic, group: h.fixture.group('partitions'), limit: 50 })) as {
      messages: { partition: number; offset: string; key?: string }[];
    };
    assert.equal(all.messages.length, 6);
    for (const partition of [0, 1, 2]) {
      const offsets = all.messages.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      assert.deepEqual(
        offsets,
        [...offsets].sort((a, b) => a - b),
        `partition ${partition} in offset order`,
      );
    }
    const alphas = all.messages.filter((m) => m.key === 'alpha');
    assert.equal(alphas.length, 2);
    assert.equal(alphas[0]?.partition, alphas[1]?.partition, 'equal keys share a partition');
  });

  it('takes at most limit messages, in order, and what is ready without waiting out waitMs', async () => {
    const topic = await h.fixture.topic('order');
    const group = h.fixture.group('order');
    await h.call('produce', { topic, messages: [0, 1, 2, 3, 4].map((i) => ({ value: `m${i}` })) });
    assert.deepEqual(values(await h.call('consume', { topic, group, limit: 2 })), ['m0', 'm1']);
    const started = Date.now();
    assert.deepEqual(values(await h.call('consume', { topic, group, limit: 10, waitMs: 30_000 })), ['m2', 'm3', 'm4']);
    // Generous: joining a group takes seconds; waiting out waitMs would take 30.
    assert.ok(Date.now() - started < 25_000, 'ready messages come back without waiting out waitMs');
    await h.call('produce', { topic, messages: [{ value: 'ready' }] });
    assert.deepEqual(values(await h.call('consume', { topic, group, waitMs: 0 })), ['ready'], 'waitMs: 0 still takes what is ready');
    const empty = await h.call('consume', { topic, group, waitMs: 0 });
    assert.deepEqual(structured(empty), { topic, group, messages: [], count: 0, truncated: false });
  });

  it('waits up to waitMs for a first message when nothing is ready', async () => {
    const topic = await h.fixture.topic('wait');
    const waiting = h.call('consume', { topic, group: h.fixture.group('wait'), waitMs: 25_000 });
    // Late enough that a wire-level consumer has joined its group (about 3 s) and is waiting.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    await h.call('produce', { topic, messages: [{ value: 'late' }] });
    assert.deepEqual(values(await waiting), ['late']);
  });

  it('stops waiting when the call is cancelled, committing nothing', async () => {
    const topic = await h.fixture.topic('cancel');
    const group = h.fixture.group('cancel');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const outcome = await h.fixture.backend
      .consume(topic, group, { limit: 10, waitMs: 25_000, signal: controller.signal }, async (records) => ({
        value: records.length,
        accept: records.length,
      }))
      .then(
        (count) => `returned ${count}`,
        (error: Error) => error.name,
      );
    assert.match(outcome, /^returned 0$|^AbortError$/);
    // Generous: joining a group takes seconds; waiting out waitMs would take 25.
    assert.ok(Date.now() - started < 20_000, 'a cancelled consume does not wait out waitMs');
    await h.call('produce', { topic, messages: [{ value: 'after' }] });
    assert.deepEqual(values(await h.call('consume', { topic, group })), ['after']);
  });

  it('loses nothing when the consumer fails mid-batch: the next consume for the group gets every message', async () => {
    const topic = await h.fixture.topic('crash');
    const group = h.fixture.group('crash');
    await h.call('produce', { topic, messages: ['a', 'b', 'c'].map((value) => ({ value })) });
    const processed: string[] = [];
    await assert.rejects(
      h.fixture.backend.consume(topic, group, { limit: 10, waitMs: 1000 }, async (records) => {
        for (const record of records) {
          if (processed.length === 2) throw new Error('injected: consumer crashed on the third message');
          processed.push(new TextDecoder().decode(record.value ?? new Uint8Array()));
        }
        return { value: undefined, accept: records.length };
      }),
      /injected/,
    );
    assert.deepEqual(processed, ['a', 'b']);
    const described = structured(await h.call('describe_topic', { topic, group })) as { lag: number };
    assert.equal(described.lag, 3, 'nothing was committed');
    assert.deepEqual(values(await h.call('consume', { topic, group })), ['a', 'b', 'c']);
  });

  it('loses nothing when the server fails after assembling the answer, before committing', async () => {
    const topic = await h.fixture.topic('crash-tool');
    const group = h.fixture.group('crash-tool');
    await h.call('produce', { topic, messages: [{ value: 'x' }, { value: 'y' }] });
    const backend = h.fixture.backend;
    const failing: KafkaBackend = Object.assign(Object.create(backend) as KafkaBackend, {
      consume: ((name, g, options, assemble) =>
        backend.consume(name, g, options, async (records) => {
          await assemble(records);
          throw new Error('injected: the process died before the commit');
        })) satisfies KafkaBackend['consume'],
    });
    const crashed = await connect(createServer(failing, h.fixture.config).server);
    try {
      const result = await crashed.call('consume', { topic, group });
      assert.equal(result.isError, true);
    } finally {
      await crashed.close();
    }
    assert.deepEqual(values(await h.call('consume', { topic, group })), ['x', 'y']);
  });

  it('bounds an answer by bytes, and refuses an oversized message without committing past it', async () => {
    const topic = await h.fixture.topic('bounds');
    const group = h.fixture.group('bounds');
    for (const letter of ['p', 'q', 'r']) await h.call('produce', { topic, messages: [{ value: letter.repeat(1000) }] });
    const first = structured(await h.call('consume', { topic, group })) as { count: number; truncated: boolean };
    assert.deepEqual([first.count, first.truncated], [2, true]);
    assert.deepEqual(values(await h.call('consume', { topic, group })), ['r'.repeat(1000)]);
    // Written by another producer, past this server's limit: refused, and still there afterwards.
    await h.fixture.backend.produce(topic, [{ value: new Uint8Array(1500) }]);
    assert.deepEqual(field(await h.call('consume', { topic, group })), ['TOO_LARGE', 'topic']);
    assert.equal((structured(await h.call('describe_topic', { topic, group })) as { lag: number }).lag, 1);
  });

  it('round-trips bytes as base64, and a refused encoding commits nothing', async () => {
    const topic = await h.fixture.topic('bytes');
    const group = h.fixture.group('bytes');
    const raw = Buffer.from([0xff, 0x00, 0xfe]).toString('base64');
    const key = Buffer.from([0x01, 0xc3]).toString('base64');
    assert.equal((await h.call('produce', { topic, messages: [{ keyBase64: key, valueBase64: raw }] })).isError, undefined);
    assert.deepEqual(field(await h.call('consume', { topic, group, encoding: 'utf8' })), ['INVALID_ARGUMENT', 'encoding']);
    const [message] = (structured(await h.call('consume', { topic, group })) as { messages: Record<string, unknown>[] }).messages;
    assert.deepEqual([message?.valueBase64, message?.value, message?.keyBase64, message?.key], [raw, undefined, key, undefined]);
  });

  it('keeps consumer groups apart, and refuses groups outside the allowlist', async () => {
    const topic = await h.fixture.topic('groups');
    await h.call('produce', { topic, messages: [{ value: 'shared' }] });
    assert.deepEqual(values(await h.call('consume', { topic, group: h.fixture.group('one') })), ['shared']);
    assert.deepEqual(values(await h.call('consume', { topic, group: h.fixture.group('two') })), ['shared']);
    assert.deepEqual(field(await h.call('consume', { topic, group: 'billing-service' })), ['ACL_DENIED', 'group']);
    assert.deepEqual(field(await h.call('describe_topic', { topic, group: 'billing-service' })), ['ACL_DENIED', 'group']);
  });

  it('refuses topics outside the allowlist, separately for produce and consume, writing nothing', async () => {
    const group = h.fixture.group('acl');
    const calls: [string, Record<string, unknown>][] = [
      ['produce', { topic: consumeOnly, messages: [{ value: 'x' }] }],
      ['produce', { topic: outside, messages: [{ value: 'x' }] }],
      ['consume', { topic: produceOnly, group }],
      ['consume', { topic: outside, group }],
      ['describe_topic', { topic: outside }],
      ['create_topic', { topic: outside }],
      ['produce', { topic: '__consumer_offsets', messages: [{ value: 'x' }] }],
    ];
    for (const [tool, args] of calls)
      assert.deepEqual(field(await h.call(tool, args)), ['ACL_DENIED', 'topic'], `${tool} ${JSON.stringify(args)}`);
    assert.match(text(await h.call('produce', { topic: consumeOnly, messages: [{ value: 'x' }] })), /not allowed for produce/);
    assert.match(text(await h.call('consume', { topic: produceOnly, group })), /not allowed for consume/);
    assert.equal(await h.fixture.count(consumeOnly), 0);
    assert.equal(await h.fixture.count(outside), 0);
    // Allowed in its own direction.
    assert.equal((await h.call('produce', { topic: produceOnly, messages: [{ value: 'ok' }] })).isError, undefined);
    assert.deepEqual(values(await h.call('consume', { topic: consumeOnly, group, waitMs: 0 })), []);
  });

  it('refuses malformed headers naming the header, producing nothing', async () => {
    const topic = await h.fixture.topic('headers');
    const cases: [unknown, string, string][] = [
      [{ nested: { a: 1 } }, 'INVALID_ARGUMENT', 'messages.0.headers.nested'],
      [{ attempt: 2 }, 'INVALID_ARGUMENT', 'messages.0.headers.attempt'],
      [{ list: ['a'] }, 'INVALID_ARGUMENT', 'messages.0.headers.list'],
      [{ nul: null }, 'INVALID_ARGUMENT', 'messages.0.headers.nul'],
      [{ 'bad name': 'v' }, 'INVALID_ARGUMENT', 'messages.0.headers.bad name'],
      [{ crlf: 'a\r\nb' }, 'INVALID_ARGUMENT', 'messages.0.headers.crlf'],
      [{ __TypeId__: 'com.example.Gadget' }, 'INVALID_ARGUMENT', 'messages.0.headers.__TypeId__'],
      [{ big: 'x'.repeat(4097) }, 'TOO_LARGE', 'messages.0.headers.big'],
      ['a=b', 'INVALID_ARGUMENT', 'messages.0.headers'],
    ];
    for (const [headers, code, name] of cases)
      assert.deepEqual(
        field(await h.call('produce', { topic, messages: [{ value: 'x', headers }] })),
        [code, name],
        JSON.stringify(headers),
      );
    assert.deepEqual(
      field(await h.call('produce', { topic, messages: [{ value: 'fine' }, { value: 'x', headers: { 'x y': 'z' } }] })),
      ['INVALID_ARGUMENT', 'messages.1.headers.x y'],
      'a bad header in a later message refuses the whole call',
    );
    assert.equal(await h.fixture.count(topic), 0);
    assert.deepEqual(values(await h.call('consume', { topic, group: h.fixture.group('headers'), waitMs: 0 })), []);
  });

  it('refuses oversized messages and wrong types naming the field, producing nothing', async () => {
    const topic = await h.fixture.topic('types');
    const group = h.fixture.group('types');
    assert.deepEqual(field(await h.call('produce', { topic, messages: [{ value: 'z'.repeat(1025) }] })), ['TOO_LARGE', 'messages.0.value']);
    assert.deepEqual(field(await h.call('produce', { topic, messages: [{ key: 'k'.repeat(600), value: 'v'.repeat(600) }] })), [
      'TOO_LARGE',
      'messages.0.value',
    ]);
    assert.deepEqual(field(await h.call('produce', { topic, messages: [{ valueBase64: Buffer.alloc(1025).toString('base64') }] })), [
      'TOO_LARGE',
      'messages.0.valueBase64',
    ]);
    assert.deepEqual(field(await h.call('produce', { topic, messages: [0, 1, 2].map(() => ({ value: 'w'.repeat(1000) })) })), [
      'TOO_LARGE',
      'messages',
    ]);
    const cases: [string, Record<string, unknown>, string][] = [
      ['produce', { topic: 5, messages: [{ value: 'x' }] }, 'topic'],
      ['produce', { messages: [{ value: 'x' }] }, 'topic'],
      ['produce', { topic }, 'messages'],
      ['produce', { topic, messages: [] }, 'messages'],
      ['produce', { topic, messages: 'x' }, 'messages'],
      ['produce', { topic, messages: [{ value: 7 }] }, 'messages.0.value'],
      ['produce', { topic, messages: [{ key: 'k' }] }, 'messages.0.value'],
      ['produce', { topic, messages: [{ value: 'x', valueBase64: 'eA==' }] }, 'messages.0.value'],
      ['produce', { topic, messages: [{ value: 'x', key: 1 }] }, 'messages.0.key'],
      ['produce', { topic, messages: [{ value: 'x', key: 'k', keyBase64: 'aw==' }] }, 'messages.0.key'],
      ['produce', { topic, messages: [{ valueBase64: '%%%' }] }, 'messages.0.valueBase64'],
      ['produce', { topic, messages: [{ value: 'x', partition: -1 }] }, 'messages.0.partition'],
      ['produce', { topic, messages: [{ value: 'x', partition: 1.5 }] }, 'messages.0.partition'],
      ['produce', { topic, messages: [{ value: 'x', priority: 1 }] }, 'messages.0.priority'],
      ['produce', { topic, messages: [{ value: 'x' }], acks: 0 }, 'acks'],
      ['produce', { topic: 'bad topic', messages: [{ value: 'x' }] }, 'topic'],
      ['consume', { topic }, 'group'],
      ['consume', { topic, group: 7 }, 'group'],
      ['consume', { topic, group, limit: 0 }, 'limit'],
      ['consume', { topic, group, limit: 501 }, 'limit'],
      ['consume', { topic, group, waitMs: -1 }, 'waitMs'],
      ['consume', { topic, group, waitMs: 30_001 }, 'waitMs'],
      ['consume', { topic, group, encoding: 'latin1' }, 'encoding'],
      ['consume', { topic, group: '' }, 'group'],
      ['describe_topic', {}, 'topic'],
      ['create_topic', { topic: `${prefix}x`, partitions: 0 }, 'partitions'],
      ['create_topic', { topic: `${prefix}x`, replicationFactor: 0 }, 'replicationFactor'],
    ];
    for (const [tool, args, name] of cases)
      assert.deepEqual(field(await h.call(tool, args)), ['INVALID_ARGUMENT', name], `${tool} ${JSON.stringify(args)}`);
    assert.equal(await h.fixture.count(topic), 0);
    assert.deepEqual(values(await h.call('consume', { topic, group, waitMs: 0 })), [], 'nothing was produced');
  });

  it('answers NOT_FOUND for a missing topic, and never creates it', async () => {
    const missing = `${prefix}missing`;
    const group = h.fixture.group('missing');
    assert.deepEqual(field(await h.call('produce', { topic: missing, messages: [{ value: 'x' }] })), ['NOT_FOUND', 'topic']);
    assert.deepEqual(field(await h.call('consume', { topic: missing, group })), ['NOT_FOUND', 'topic']);
    assert.deepEqual(field(await h.call('describe_topic', { topic: missing })), ['NOT_FOUND', 'topic']);
    const listed = structured(await h.call('list_topics')) as { topics: { topic: string }[] };
    assert.equal(
      listed.topics.some((t) => t.topic === missing),
      false,
    );
  });

  it('creates topics only when allowed', async () => {
    const topic = `${prefix}created`;
    const locked = await connect(createServer(h.fixture.backend, { ...h.fixture.config, allowCreateTopics: false }).server);
    try {
      assert.deepEqual(field(await locked.call('create_topic', { topic })), ['ACL_DENIED', undefined]);
      assert.match(text(await locked.call('create_topic', { topic })), /--allow-create-topics/);
    } finally {
      await locked.close();
    }
    const created = await h.call('create_topic', { topic, partitions: 2 });
    if (!h.fixture.canCreateTopics) {
      // The librdkafka mock cluster names no controller, which CreateTopics needs: a clean refusal.
      assert.deepEqual(field(created), ['UPSTREAM_UNAVAILABLE', 'topic']);
      assert.match(text(created), /controller/);
      return;
    }
    assert.deepEqual(structured(created), { topic, partitions: 2, replicationFactor: -1, created: true });
    const listed = structured(await h.call('list_topics')) as { topics: { topic: string; partitions: number }[] };
    assert.equal(listed.topics.find((t) => t.topic === topic)?.partitions, 2);
    assert.deepEqual(field(await h.call('create_topic', { topic, partitions: 2 })), ['ALREADY_EXISTS', 'topic']);
    assert.equal((await h.call('produce', { topic, messages: [{ value: 'in new topic' }] })).isError, undefined);
  });

  it('lists its tools with schemas, annotations and the scope in the topic field', async () => {
    const { tools } = await h.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['consume', 'create_topic', 'describe_topic', 'list_topics', 'produce']);
    const consume = tools.find((t) => t.name === 'consume');
    const topic = (consume?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.topic;
    assert.match(topic?.description ?? '', new RegExp(`consume from: ${prefix}\\*, ${consumeOnly}`));
    assert.ok(consume?.outputSchema);
    assert.equal(tools.find((t) => t.name === 'list_topics')?.annotations?.readOnlyHint, true);
    assert.equal(tools.find((t) => t.name === 'describe_topic')?.annotations?.readOnlyHint, true);
  });
});

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

function values(result: CallToolResult): unknown[] {
  assert.equal(result.isError, undefined, text(result));
  return (result.structuredContent as { messages: { value?: string }[] }).messages.map((m) => m.value);
}

function field(result: CallToolResult): [string | undefined, string | undefined] {
  const error = errorOfResult(result);
  return [error?.code, error?.field];
}

function structured(result: CallToolResult): Record<string, unknown> {
  assert.equal(result.isError, undefined, text(result));
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

function text(result: CallToolResult): string {
  return (result.content[0] as { text?: string } | undefined)?.text ?? '';
}
