import { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from './types.ts';

/**
 * Sessions in Redis, one key per session (`<keyPrefix><id>`, JSON) with a TTL Redis enforces:
 * any replica sharing the Redis serves any session. Commands fail fast while Redis is away
 * (no offline queue), so a request gets a clear error instead of hanging.
 */
export class RedisSessionStore implements SessionStore {
  readonly kind = 'redis';

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  static async open(url: string, prefix: string): Promise<RedisSessionStore> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 10_000 });
    redis.on('error', () => {}); // reported by the commands that fail; without a listener ioredis logs to stderr
    await redis.connect();
    return new RedisSessionStore(redis, prefix);
  }

  async create(record: SessionRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.key(record.id), JSON.stringify(record), 'PX', ttlMs);
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const text = await this.redis.get(this.key(id));
    return text === null ? undefined : (JSON.parse(text) as SessionRecord);
  }

  async touch(id: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.pexpire(this.key(id), ttlMs)) === 1;
  }

  async update(id: string, patch: Partial<Pick<SessionRecord, 'logLevel'>>): Promise<void> {
    const record = await this.get(id);
    if (record !== undefined) await this.redis.set(this.key(id), JSON.stringify({ ...record, ...patch }), 'KEEPTTL', 'XX');
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
}
