import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { type Consumer, Kafka, logLevel, type Producer } from 'kafkajs';
import { buildMockCluster, type MockCluster, startMockCluster } from '../mcp-servers/kafka/test/mock-cluster.ts';
import { type BenchFigure, median } from './stats.ts';

const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin', 'switchboard.mjs');
const BATCH = 100;
const LIMIT = 500;
const SESSION_TIMEOUT_MS = 6000;

/**
 * Against librdkafka's mock cluster on loopback (no broker can be installed here): messages per
 * second through the kafka MCP server (spawned over stdio, as the hub runs it) vs. kafkajs directly.
 * Produce: batches of 100 messages of 256 bytes, acks from all replicas, one call per batch.
 * Consume: 500 messages per call for one group, each call with the server's guarantees done by hand
 * in kafkajs (join the group, read the batch, commit, leave), so both pay the same group join; a
 * long-lived kafkajs consumer is measured too, as what the per-call join costs. Rounds alternate.
 */
export async function run(rounds = Number(process.env.BENCH_ROUNDS ?? 3)): Promise<BenchFigure[]> {
  const { reason } = buildMockCluster();
  if (reason !== undefined)
    return [{ name: 'kafka produce + consume (skipped)', ratioOf: 'n/a', ratio: Number.NaN, figures: { skipped: reason } }];
  const cluster = await startMockCluster();
  const kafka = new Kafka({ clientId: 'bench', brokers: cluster.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const client = new Client({ name: 'bench', version: '1' });
  const prefix = `bench-${randomBytes(3).toString('hex')}-`;
  try {
    await producer.connect();
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [
          cli,
          'server',
          'kafka',
          '--brokers',
          cluster.brokers.join(','),
          '--topic',
          `${prefix}*`,
          '--session-timeout-ms',
          String(SESSION_TIMEOUT_MS),
        ],
        cwd: root,
        env: { ...(process.env as Record<string, string>), LOG_LEVEL: 'silent' },
        stderr: 'ignore',
      }),
    );
    return await measure(cluster, kafka, producer, client, prefix, rounds);
  } finally {
    await client.close().catch(() => {});
    await producer.disconnect().catch(() => {});
    await cluster.stop();
  }
}

async function measure(cluster: MockCluster, kafka: Kafka, producer: Producer, client: Client, prefix: string, rounds: number) {
  const value = 'x'.repeat(256);
  const batch = Array.from({ length: BATCH }, (_, i) => ({ key: `k${i}`, value }));
  const perRound = LIMIT * 2;
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error(`${name} through the server failed: ${JSON.stringify(result.content)}`);
    return result.structuredContent as { count: number };
  };
  const produceRate = async (send: (topic: string) => Promise<void>, topic: string) => {
    const started = performance.now();
    for (let sent = 0; sent < perRound; sent += BATCH) await send(topic);
    return perRound / ((performance.now() - started) / 1000);
  };
  const consumeRate = async (take: (topic: string, group: string) => Promise<number>, topic: string) => {
    const started = performance.now();
    let taken = 0;
    for (let calls = 0; taken < perRound && calls < 20; calls++) taken += await take(topic, `${prefix}group`);
    if (taken !== perRound) throw new Error(`consumed ${taken} of ${perRound} messages`);
    return perRound / ((performance.now() - started) / 1000);
  };
  const direct = {
    send: (topic: string) => producer.send({ topic, acks: -1, messages: batch }).then(() => {}),
    take: (topic: string, group: string) => consumeOnce(kafka.consumer(consumerConfig(group)), topic, LIMIT),
  };
  const server = {
    send: (topic: string) => call('produce', { topic, messages: batch }).then(() => {}),
    take: async (topic: string, group: string) => (await call('consume', { topic, group, limit: LIMIT, waitMs: 2000 })).count,
  };
  const rates = {
    directProduce: [] as number[],
    serverProduce: [] as number[],
    directConsume: [] as number[],
    serverConsume: [] as number[],
  };
  const streaming: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const [d, s, l] = ['d', 's', 'l'].map((side) => `${prefix}${round}-${side}`) as [string, string, string];
    for (const topic of [d, s, l]) await cluster.createTopic(topic, 1);
    rates.directProduce.push(await produceRate(direct.send, d));
    rates.serverProduce.push(await produceRate(server.send, s));
    rates.directConsume.push(await consumeRate(direct.take, d));
    rates.serverConsume.push(await consumeRate(server.take, s));
    await produceRate(direct.send, l);
    streaming.push(await streamRate(kafka, l, perRound));
  }
  const figure = (what: string, serverRates: number[], directRates: number[]): BenchFigure => ({
    name: `kafka ${what} (stdio server vs kafkajs, librdkafka mock cluster)`,
    ratioOf: 'server msg/s / kafkajs msg/s',
    ratio: median(serverRates) / median(directRates),
    figures: { rounds, messagesPerRound: perRound, kafkajsMsgPerSec: median(directRates), serverMsgPerSec: median(serverRates) },
  });
  const consume = figure(`consume, ${LIMIT} per call, join + commit each call`, rates.serverConsume, rates.directConsume);
  consume.figures.longLivedKafkajsConsumerMsgPerSec = median(streaming);
  return [figure(`produce, ${BATCH} x 256 B per call`, rates.serverProduce, rates.directProduce), consume];
}

const consumerConfig = (groupId: string) => ({
  groupId,
  sessionTimeout: SESSION_TIMEOUT_MS,
  heartbeatInterval: 2000,
  maxWaitTimeInMs: 250,
  allowAutoTopicCreation: false,
});

/** What one server consume does, by hand: join, read up to `limit`, commit, leave. */
async function consumeOnce(consumer: Consumer, topic: string, limit: number): Promise<number> {
  let taken = 0;
  let last = -1n;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      void consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            if (taken === limit) break;
            taken++;
            last = BigInt(message.offset);
          }
          if (taken === limit || BigInt(batch.highWatermark) === last + 1n) {
            consumer.pause([{ topic }]);
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    if (last >= 0n) await consumer.commitOffsets([{ topic, partition: 0, offset: (last + 1n).toString() }]);
    return taken;
  } finally {
    await consumer.disconnect();
  }
}

/** One kafkajs consumer reading `total` messages as they come, committing as kafkajs does by default. */
async function streamRate(kafka: Kafka, topic: string, total: number): Promise<number> {
  const consumer = kafka.consumer(consumerConfig(`${topic}-stream`));
  const started = performance.now();
  let seen = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          seen += batch.messages.length;
          if (seen >= total) resolve();
        },
      });
    });
    return total / ((performance.now() - started) / 1000);
  } finally {
    await consumer.disconnect();
  }
}
