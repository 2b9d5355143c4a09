/**
 * The port every redis tool works through. Keys are already confined, values already sized, by the
 * caller. Values are UTF-8 strings (binary values are out of scope for these tools).
 */
export interface RedisBackend {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  /** Replaces any value of any type; a new TTL, or none (a plain SET clears an old one). */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** How many of the keys existed. */
  del(keys: string[]): Promise<number>;
  mget(keys: string[]): Promise<(string | null)[]>;
  incrBy(key: string, by: number): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  /** How many fields were new. */
  hset(key: string, fields: Record<string, string>): Promise<number>;
  hlen(key: string): Promise<number>;
  hgetall(key: string): Promise<Record<string, string>>;
  /** Pushes each value onto the head in turn; answers the new length. */
  lpush(key: string, values: string[]): Promise<number>;
  /** Up to `count` elements from the tail; empty when the key is missing. */
  rpop(key: string, count: number): Promise<string[]>;
  llen(key: string): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  /** One SCAN step: MATCH `match`, COUNT hint `count`. */
  scan(cursor: string, match: string, count: number): Promise<{ cursor: string; keys: string[] }>;
  /** Seconds left; -1 without expiry, -2 when the key is missing (Redis's TTL). */
  ttl(key: string): Promise<number>;
  /** How many subscribers received it. */
  publish(channel: string, message: string): Promise<number>;
  /** A raw command line, already checked by the command policy; the reply as JSON-able data. */
  command(name: string, args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** What went wrong in the store, independent of the driver. */
export type RedisFailure = 'WRONGTYPE' | 'NOT_INTEGER' | 'OVERFLOW' | 'UNAVAILABLE' | 'TIMEOUT' | 'REPLY';

export class RedisBackendError extends Error {
  override readonly name = 'RedisBackendError';
  constructor(
    readonly failure: RedisFailure,
    message: string,
  ) {
    super(message);
  }
}
