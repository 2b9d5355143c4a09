/**
 * The port every Kafka tool works through. Names are already checked by the guard. Failures are
 * thrown as errors carrying a Kafka error `type` (UNKNOWN_TOPIC_OR_PARTITION, TOPIC_ALREADY_EXISTS,
 * …) as kafkajs's protocol errors do; `errors.ts` maps them.
 */
export interface PartitionInfo {
  partition: number;
  leader: number;
  replicas: number[];
  isr: number[];
  /** First offset still held (the log start), int64 as a decimal string. */
  low: string;
  /** The next offset to be written (the high watermark). */
  high: string;
}

export interface OutgoingRecord {
  key?: Uint8Array | undefined;
  value: Uint8Array;
  headers?: Record<string, string> | undefined;
  /** Chosen by the caller; when absent the backend picks one (`partitioner.ts`, the same for both). */
  partition?: number | undefined;
}

/** Where one produced record landed. */
export interface ProducedRecord {
  partition: number;
  offset: string;
}

export interface ConsumedRecord {
  partition: number;
  offset: string;
  key: Uint8Array | null;
  value: Uint8Array | null;
  /** A header given more than once arrives as an array, in order. */
  headers: Record<string, Uint8Array | Uint8Array[]>;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** What a consumer decides about a batch: its result, and how many of the first records to commit. */
export interface BatchOutcome<T> {
  value: T;
  /** Offsets are committed past the first `accept` records (per partition); the rest are read again. */
  accept: number;
}

export interface ConsumeOptions {
  limit: number;
  /** How long to wait for a first record when nothing is ready for the group. */
  waitMs: number;
  /** Aborting stops the wait; nothing is committed. */
  signal?: AbortSignal | undefined;
}

export interface KafkaBackend {
  readonly kind: 'kafka' | 'memory';
  /** Topics that exist and pass `include`, with their partition counts; internal topics left out. */
  listTopics(include: (topic: string) => boolean): Promise<{ topic: string; partitions: number }[]>;
  /** Partitions with leaders and offsets; a missing topic is UNKNOWN_TOPIC_OR_PARTITION (never created). */
  describeTopic(topic: string): Promise<PartitionInfo[]>;
  /** How many partitions a topic has; a missing topic is UNKNOWN_TOPIC_OR_PARTITION. */
  partitionCount(topic: string): Promise<number>;
  /** The group's committed offset per partition of `topic` (null: nothing committed yet). */
  committedOffsets(topic: string, group: string): Promise<Map<number, string | null>>;
  createTopic(topic: string, options: { partitions: number; replicationFactor: number }): Promise<void>;
  /** Writes every record (acks from all in-sync replicas) and answers where each landed, in order. */
  produce(topic: string, records: OutgoingRecord[]): Promise<ProducedRecord[]>;
  /**
   * Reads up to `limit` records for `group` from its committed offsets (the earliest offset for a
   * new group): those ready now, or the first to arrive within `waitMs`. Hands them to `assemble`
   * and commits only after it returned, past the records it accepted. If `assemble` throws, or
   * anything fails before the commit, nothing is committed: the next consume reads them again.
   */
  consume<T>(
    topic: string,
    group: string,
    options: ConsumeOptions,
    assemble: (records: ConsumedRecord[]) => Promise<BatchOutcome<T>>,
  ): Promise<T>;
  close(): Promise<void>;
}

/** An error shaped like kafkajs's protocol errors: the Kafka error name on `type`. */
export function kafkaError(type: string, message: string): Error {
  return Object.assign(new Error(message), { type });
}

export const UNKNOWN_TOPIC = 'UNKNOWN_TOPIC_OR_PARTITION';
export const TOPIC_EXISTS = 'TOPIC_ALREADY_EXISTS';
export const INVALID_PARTITIONS = 'INVALID_PARTITIONS';
/** Not a Kafka error code: the cluster names no controller we can reach (topic creation needs one). */
export const NO_CONTROLLER = 'NO_CONTROLLER';

/** Offsets to commit after accepting `records` (in arrival order): per partition, one past the last. */
export function commitPoints(records: readonly Pick<ConsumedRecord, 'partition' | 'offset'>[]): Map<number, string> {
  const points = new Map<number, string>();
  for (const { partition, offset } of records) {
    const next = BigInt(offset) + 1n;
    const seen = points.get(partition);
    if (seen === undefined || BigInt(seen) < next) points.set(partition, next.toString());
  }
  return points;
}
