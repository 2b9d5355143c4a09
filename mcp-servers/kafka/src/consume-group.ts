import type { Admin, Consumer, KafkaMessage } from 'kafkajs';
import type { BatchOutcome, ConsumedRecord, ConsumeOptions } from './backend.ts';
import { commitPoints } from './backend.ts';
import { BatchCollector, type PartitionSpan } from './batch-collector.ts';

/** Joining a group waits out the broker's initial rebalance delay (3 s by default) and any rebalance. */
const JOIN_TIMEOUT_MS = 60_000;
/** Records that were ready when the call started are worth waiting for even with waitMs: 0. */
const READY_WAIT_MS = 5_000;

/**
 * One consume through a consumer that lives for this call only: snapshot where the group stands,
 * join, gather a batch (`BatchCollector`), stop fetching, let `assemble` build the answer, then
 * commit past the accepted records while still a member, and leave. The consumer commits nothing on
 * its own (autoCommit off), so a failure anywhere before the commit leaves the group where it was.
 */
export async function consumeWithGroup<T>(
  admin: Admin,
  consumer: Consumer,
  topic: string,
  { limit, waitMs, signal }: ConsumeOptions,
  assemble: (records: ConsumedRecord[]) => Promise<BatchOutcome<T>>,
  groupId: string,
): Promise<T> {
  const spans = await startingSpans(admin, topic, groupId);
  const collector = new BatchCollector<ConsumedRecord>(limit, spans);
  const failed = deferred<never>();
  let joined = () => {};
  const join = new Promise<void>((resolve) => {
    joined = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    collector.assign(payload.memberAssignment[topic] ?? []);
    joined();
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => failed.reject(payload.error));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset }) => {
      // Resolving moves only this consumer's fetch position (autoCommit is off): nothing is committed.
      for (const offset of collector.add(batch.messages.map((message) => toRecord(batch.partition, message)))) resolveOffset(offset);
      if (collector.full) consumer.pause([{ topic }]);
    },
  });
  const joinedInTime = await bounded(join, JOIN_TIMEOUT_MS, failed.promise, signal);
  if (signal?.aborted) throw Object.assign(new Error('the call was cancelled'), { name: 'AbortError' });
  if (!joinedInTime) throw Object.assign(new Error('could not join the consumer group in time'), { name: 'KafkaJSTimeout' });
  await bounded(collector.complete, collector.ready > 0n ? Math.max(waitMs, READY_WAIT_MS) : waitMs, failed.promise, signal);
  consumer.pause([{ topic }]);
  const records = collector.close();
  const outcome = await assemble(records);
  const points = commitPoints(records.slice(0, outcome.accept));
  if (points.size > 0) await consumer.commitOffsets([...points].map(([partition, offset]) => ({ topic, partition, offset })));
  return outcome.value;
}

/** Per partition: the group's next offset (its committed one, or the earliest for a new group) and the end. */
async function startingSpans(admin: Admin, topic: string, groupId: string): Promise<Map<number, PartitionSpan>> {
  const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const byPartition = new Map((committed?.partitions ?? []).map(({ partition, offset }) => [partition, BigInt(offset)]));
  return new Map(
    ends.map(({ partition, low, high }) => {
      const at = byPartition.get(partition) ?? -1n;
      return [partition, { start: at < BigInt(low) ? BigInt(low) : at, end: BigInt(high) }];
    }),
  );
}

function toRecord(partition: number, message: KafkaMessage): ConsumedRecord {
  const headers: ConsumedRecord['headers'] = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.map(bytes) : bytes(value);
  }
  return {
    partition,
    offset: message.offset,
    key: message.key === null ? null : bytes(message.key),
    value: message.value === null ? null : bytes(message.value),
    headers,
    timestamp: Number(message.timestamp),
  };
}

function bytes(value: Buffer | string): Uint8Array {
  const buffer = typeof value === 'string' ? Buffer.from(value) : value;
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Waits for `promise` at most `ms` (false on timeout or abort); a failure of `failure` is thrown. */
async function bounded(promise: Promise<void>, ms: number, failure: Promise<never>, signal: AbortSignal | undefined): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = () => {};
  try {
    return await Promise.race([
      promise.then(() => true),
      failure,
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), ms);
        onAbort = () => resolve(false);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) resolve(false);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function deferred<T>(): { promise: Promise<T>; reject: (error: unknown) => void } {
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((_, rej) => {
    reject = rej;
  });
  promise.catch(() => {}); // observed through `bounded`; never an unhandled rejection
  return { promise, reject };
}
