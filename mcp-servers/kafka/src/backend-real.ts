import type { Logger } from '@switchboard/kit';
import { type Admin, Kafka, type LogEntry, logLevel, Partitioners, type Producer, type SASLOptions } from 'kafkajs';
import type {
  BatchOutcome,
  ConsumedRecord,
  ConsumeOptions,
  KafkaBackend,
  OutgoingRecord,
  PartitionInfo,
  ProducedRecord,
} from './backend.ts';
import { kafkaError, NO_CONTROLLER, TOPIC_EXISTS, UNKNOWN_TOPIC } from './backend.ts';
import type { KafkaConfig } from './config.ts';
import { consumeWithGroup } from './consume-group.ts';
import { OneAtATime } from './one-at-a-time.ts';
import { Partitioner } from './partitioner.ts';

export type ClusterConfig = Pick<KafkaConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl' | 'sessionTimeoutMs'>;

/** A topic's partition count is trusted this long before metadata is asked again (counts only grow). */
const PARTITIONS_TTL_MS = 5_000;

/**
 * A Kafka cluster through kafkajs: one admin client and one producer, connected on first use and
 * reconnected after a failure; one short-lived group consumer per consume call (`consume-group.ts`).
 * Topics are never created implicitly: existence is checked on the topic list (which cannot
 * auto-create on any broker) before a topic is named in a metadata request.
 */
export function createKafkaBackend(config: ClusterConfig, logger?: Logger): KafkaBackend {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: config.brokers ?? [],
    ssl: config.ssl,
    ...(config.sasl === undefined ? {} : { sasl: config.sasl as SASLOptions }),
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 5_000 },
    logCreator: () => (entry) => logTo(logger, entry),
  });
  const partitioner = new Partitioner();
  const groups = new OneAtATime();
  const partitionCache = new Map<string, { count: number; at: number }>();
  let admin: Promise<Admin> | undefined;
  let producer: Promise<Producer> | undefined;

  const connected = <C extends { connect(): Promise<void> }>(client: C, reset: () => void) =>
    client.connect().then(
      () => client,
      (error: unknown) => {
        reset();
        throw error;
      },
    );
  const getAdmin = () => {
    admin ??= connected(kafka.admin({ retry: { retries: 3 } }), () => {
      admin = undefined;
    });
    return admin;
  };
  const getProducer = () => {
    // Not idempotent: that needs InitProducerId from the controller, which the librdkafka mock cluster
    // does not name resolvably. A retried send may therefore write a batch twice (at-least-once).
    // The partitioner only silences kafkajs's v2 notice: every message carries its partition.
    producer ??= connected(kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner }), () => {
      producer = undefined;
    });
    return producer;
  };

  async function mustExist(topic: string): Promise<Admin> {
    const client = await getAdmin();
    if (!(await client.listTopics()).includes(topic)) {
      partitionCache.delete(topic);
      throw kafkaError(UNKNOWN_TOPIC, `topic '${topic}' does not exist`);
    }
    return client;
  }

  async function partitionCount(topic: string): Promise<number> {
    const cached = partitionCache.get(topic);
    if (cached !== undefined && Date.now() - cached.at < PARTITIONS_TTL_MS) return cached.count;
    const client = await mustExist(topic);
    const { topics } = await client.fetchTopicMetadata({ topics: [topic] });
    const count = topics[0]?.partitions.length ?? 0;
    partitionCache.set(topic, { count, at: Date.now() });
    return count;
  }

  return {
    kind: 'kafka',

    async listTopics(include) {
      const client = await getAdmin();
      const names = (await client.listTopics()).filter((name) => !name.startsWith('__') && include(name)).sort();
      if (names.length === 0) return [];
      const { topics } = await client.fetchTopicMetadata({ topics: names });
      return topics
        .map(({ name, partitions }) => ({ topic: name, partitions: partitions.length }))
        .sort((a, b) => a.topic.localeCompare(b.topic));
    },

    async describeTopic(topic): Promise<PartitionInfo[]> {
      const client = await mustExist(topic);
      const [{ topics }, offsets] = await Promise.all([client.fetchTopicMetadata({ topics: [topic] }), client.fetchTopicOffsets(topic)]);
      const marks = new Map(offsets.map((o) => [o.partition, o]));
      return (topics[0]?.partitions ?? [])
        .map((p) => ({
          partition: p.partitionId,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          low: marks.get(p.partitionId)?.low ?? '0',
          high: marks.get(p.partitionId)?.high ?? '0',
        }))
        .sort((a, b) => a.partition - b.partition);
    },

    partitionCount,

    async committedOffsets(topic, group) {
      const client = await mustExist(topic);
      const [committed] = await client.fetchOffsets({ groupId: group, topics: [topic] });
      return new Map((committed?.partitions ?? []).map(({ partition, offset }) => [partition, offset === '-1' ? null : offset]));
    },

    async createTopic(topic, { partitions, replicationFactor }) {
      const client = await getAdmin();
      const created = await client
        .createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions, replicationFactor }] })
        .catch((error: unknown) => {
          // CreateTopics goes to the controller; a cluster that names none it serves (the librdkafka
          // mock cluster) cannot create topics this way.
          if ((error as Error).name === 'KafkaJSBrokerNotFound')
            throw kafkaError(NO_CONTROLLER, 'the cluster names no reachable controller');
          throw error;
        });
      if (!created) throw kafkaError(TOPIC_EXISTS, `topic '${topic}' already exists`);
    },

    async produce(topic, records: OutgoingRecord[]): Promise<ProducedRecord[]> {
      const count = await partitionCount(topic);
      const placed = records.map((record) => partitioner.choose(topic, count, record));
      const sent = await (await getProducer()).send({
        topic,
        acks: -1,
        timeout: 30_000,
        messages: records.map((record, index) => ({
          key: record.key === undefined ? null : Buffer.from(record.key),
          value: Buffer.from(record.value),
          headers: record.headers ?? {},
          partition: placed[index] as number,
        })),
      });
      // One record batch per partition, in order: the n-th record sent to a partition is at base + n.
      const base = new Map(sent.map((meta) => [meta.partition, BigInt(meta.baseOffset ?? '0')]));
      const seen = new Map<number, bigint>();
      return placed.map((partition) => {
        const nth = seen.get(partition) ?? 0n;
        seen.set(partition, nth + 1n);
        return { partition, offset: ((base.get(partition) ?? 0n) + nth).toString() };
      });
    },

    consume<T>(topic: string, group: string, options: ConsumeOptions, assemble: (records: ConsumedRecord[]) => Promise<BatchOutcome<T>>) {
      return groups.run(group, async () => {
        const client = await mustExist(topic);
        const consumer = kafka.consumer({
          groupId: group,
          sessionTimeout: config.sessionTimeoutMs,
          heartbeatInterval: Math.min(3_000, Math.floor(config.sessionTimeoutMs / 3)),
          // Short fetch waits: stopping the consumer waits for the fetch in flight.
          maxWaitTimeInMs: 250,
          allowAutoTopicCreation: false,
          retry: { retries: 2, restartOnFailure: async () => false },
        });
        try {
          return await consumeWithGroup(client, consumer, topic, options, assemble, group);
        } finally {
          await consumer.disconnect().catch((error: unknown) => logger?.warn({ err: error }, 'kafka consumer disconnect failed'));
        }
      });
    },

    async close() {
      const clients = await Promise.all([admin?.catch(() => undefined), producer?.catch(() => undefined)]);
      await Promise.all(clients.map((client) => client?.disconnect().catch(() => {})));
      admin = undefined;
      producer = undefined;
    },
  };
}

/** kafkajs logs through the server's stderr logger (stdout is the stdio transport); its info is chatty. */
function logTo(logger: Logger | undefined, { level, log, namespace }: LogEntry): void {
  if (logger === undefined) return;
  const { message, timestamp: _timestamp, ...extra } = log;
  const line = { ...extra, namespace };
  if (level === logLevel.ERROR) logger.error(line, `kafkajs: ${message}`);
  else if (level === logLevel.WARN) logger.warn(line, `kafkajs: ${message}`);
  else logger.debug(line, `kafkajs: ${message}`);
}
