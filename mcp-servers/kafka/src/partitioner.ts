/**
 * Kafka's default partitioner, so the mock and a real cluster put a keyed message in the same
 * partition as the Java client and kafkajs do: murmur2 of the key bytes, made positive, modulo the
 * partition count. Messages without a key go round-robin. Both backends choose partitions here, so
 * the server always knows where each message went.
 */
export function murmur2(data: Uint8Array): number {
  const m = 0x5bd1e995;
  const length = data.length;
  let h = (0x9747b28c ^ length) | 0;
  const whole = length - (length % 4);
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i]! & 0xff) | ((data[i + 1]! & 0xff) << 8) | ((data[i + 2]! & 0xff) << 16) | ((data[i + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  // The 1–3 tail bytes, as Java's switch with fall-through folds them in.
  const tail = length % 4;
  if (tail > 0) {
    if (tail === 3) h ^= (data[whole + 2]! & 0xff) << 16;
    if (tail >= 2) h ^= (data[whole + 1]! & 0xff) << 8;
    h ^= data[whole]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/** Picks partitions for one producer: explicit first, then by key, then round-robin per topic. */
export class Partitioner {
  private readonly next = new Map<string, number>();

  choose(topic: string, partitions: number, record: { key?: Uint8Array | undefined; partition?: number | undefined }): number {
    if (record.partition !== undefined) return record.partition;
    if (record.key !== undefined) return (murmur2(record.key) & 0x7fffffff) % partitions;
    const turn = this.next.get(topic) ?? 0;
    this.next.set(topic, turn + 1);
    return turn % partitions;
  }
}
