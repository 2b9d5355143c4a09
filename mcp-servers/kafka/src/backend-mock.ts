import type {
  BatchOutcome,
  ConsumedRecord,
  ConsumeOptions,
  KafkaBackend,
  OutgoingRecord,
  PartitionInfo,
  ProducedRecord,
} from './backend.ts';
import { commitPoints, INVALID_PARTITIONS, kafkaError, TOPIC_EXISTS, UNKNOWN_TOPIC } from './backend.ts';
import { OneAtATime } from './one-at-a-time.ts';
import { Partitioner } from './partitioner.ts';

interface StoredRecord {
  key: Uint8Array | null;
  value: Uint8Array;
  headers: Record<string, Uint8Array>;
  timestamp: number;
}

interface MemoryTopic {
  /** One log per partition; a record's offset is its index (nothing is ever deleted). */
  logs: StoredRecord[][];
  /** Consumers waiting for a first record. */
  waiters: Set<() => void>;
}

const encoder = new TextEncoder();

/**
 * In-memory topics with Kafka's contract: partitions are append-only logs with offsets, keyed
 * records land where Kafka's default partitioner puts them, and each consumer group has its own
 * committed offset per partition, moved only after a batch was assembled. A group new to a topic
 * starts at the earliest offset. Calls for one group run one at a time, as one group member would.
 */
export class MemoryKafkaBackend implements KafkaBackend {
  readonly kind = 'memory';
  private readonly topics = new Map<string, MemoryTopic>();
  /** group → `topic/partition` → next offset to read. */
  private readonly committed = new Map<string, Map<string, number>>();
  private readonly groups = new OneAtATime();
  private readonly partitioner = new Partitioner();

  constructor(topics: Iterable<[string, number]> = []) {
    for (const [name, partitions] of topics)
      this.topics.set(name, { logs: Array.from({ length: partitions }, () => []), waiters: new Set() });
  }

  async listTopics(include: (topic: string) => boolean) {
    return [...this.topics.entries()]
      .filter(([name]) => include(name))
      .map(([topic, { logs }]) => ({ topic, partitions: logs.length }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  }

  async describeTopic(topic: string): Promise<PartitionInfo[]> {
    return this.topic(topic).logs.map((log, partition) => ({
      partition,
      leader: 1,
      replicas: [1],
      isr: [1],
      low: '0',
      high: String(log.length),
    }));
  }

  async partitionCount(topic: string): Promise<number> {
    return this.topic(topic).logs.length;
  }

  async committedOffsets(topic: string, group: string): Promise<Map<number, string | null>> {
    const offsets = this.committed.get(group);
    return new Map(
      this.topic(topic).logs.map((_, partition) => {
        const offset = offsets?.get(`${topic}/${partition}`);
        return [partition, offset === undefined ? null : String(offset)];
      }),
    );
  }

  async createTopic(topic: string, { partitions }: { partitions: number; replicationFactor: number }): Promise<void> {
    if (this.topics.has(topic)) throw kafkaError(TOPIC_EXISTS, `Topic '${topic}' already exists`);
    if (partitions < 1) throw kafkaError(INVALID_PARTITIONS, 'partitions must be at least 1');
    this.topics.set(topic, { logs: Array.from({ length: partitions }, () => []), waiters: new Set() });
  }

  async produce(topic: string, records: OutgoingRecord[]): Promise<ProducedRecord[]> {
    const { logs, waiters } = this.topic(topic);
    const placed = records.map((record) => this.partitioner.choose(topic, logs.length, record));
    if (placed.some((partition) => partition < 0 || partition >= logs.length))
      throw kafkaError(UNKNOWN_TOPIC, `topic '${topic}' has ${logs.length} partitions`);
    const timestamp = Date.now();
    const produced = records.map((record, index) => {
      const log = logs[placed[index] as number] as StoredRecord[];
      log.push({
        key: record.key === undefined ? null : record.key.slice(),
        value: record.value.slice(),
        headers: Object.fromEntries(Object.entries(record.headers ?? {}).map(([name, value]) => [name, encoder.encode(value)])),
        timestamp,
      });
      return { partition: placed[index] as number, offset: String(log.length - 1) };
    });
    for (const wake of waiters) wake();
    return produced;
  }

  consume<T>(
    topic: string,
    group: string,
    { limit, waitMs, signal }: ConsumeOptions,
    assemble: (records: ConsumedRecord[]) => Promise<BatchOutcome<T>>,
  ): Promise<T> {
    return this.groups.run(group, async () => {
      const memory = this.topic(topic);
      const offsets = this.committed.get(group) ?? new Map<string, number>();
      const position = (partition: number) => offsets.get(`${topic}/${partition}`) ?? 0;
      const ready = () => memory.logs.some((log, partition) => log.length > position(partition));
      const deadline = Date.now() + waitMs;
      while (!ready() && Date.now() < deadline && !signal?.aborted) await waitForRecord(memory, deadline - Date.now(), signal);
      const batch: ConsumedRecord[] = [];
      for (const [partition, log] of memory.logs.entries()) {
        for (let offset = position(partition); offset < log.length && batch.length < limit; offset++) {
          const stored = log[offset] as StoredRecord;
          batch.push({
            partition,
            offset: String(offset),
            key: stored.key?.slice() ?? null,
            value: stored.value.slice(),
            headers: Object.fromEntries(Object.entries(stored.headers).map(([name, value]) => [name, value.slice()])),
            timestamp: stored.timestamp,
          });
        }
      }
      const outcome = await assemble(batch);
      for (const [partition, next] of commitPoints(batch.slice(0, outcome.accept))) offsets.set(`${topic}/${partition}`, Number(next));
      this.committed.set(group, offsets);
      return outcome.value;
    });
  }

  async close(): Promise<void> {}

  private topic(name: string): MemoryTopic {
    const topic = this.topics.get(name);
    if (topic === undefined) throw kafkaError(UNKNOWN_TOPIC, `This server does not host this topic-partition`);
    return topic;
  }
}

function waitForRecord(topic: MemoryTopic, ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      topic.waiters.delete(done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    topic.waiters.add(done);
    signal?.addEventListener('abort', done, { once: true });
  });
}
