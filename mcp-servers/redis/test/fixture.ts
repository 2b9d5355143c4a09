import { randomBytes } from 'node:crypto';
import type { ContractBackend } from '@switchboard/kit/contract';
import { Redis } from 'ioredis';
import type { RedisBackend } from '../src/backend.ts';
import { MemoryRedisBackend } from '../src/backend-mock.ts';
import { createRedisBackend } from '../src/backend-real.ts';
import { ManualClock } from '../src/clock.ts';
import { type RedisConfig, RedisConfigSchema } from '../src/config.ts';
import { createServer } from '../src/server.ts';

/** What the suite needs from a backend: look at the store directly, seed it, and let time pass. */
export interface RedisFixture {
  /** The two allowed prefixes. */
  app: string;
  cache: string;
  /** A key outside both prefixes, seeded with `secretValue`. */
  secret: string;
  secretValue: string;
  backend: RedisBackend;
  config: RedisConfig;
  /** The store as it is: type and value, read without the server. */
  peek(key: string): Promise<{ type: string; value: unknown }>;
  seed(key: string, value: string): Promise<void>;
  /** Makes `seconds` pass for `key`'s expiry (mock: the clock; real: the key's remaining PEXPIRE). */
  elapse(key: string, seconds: number): Promise<void>;
  /** Collects what is published on `channel` until the returned stop is called. */
  subscribe(channel: string): Promise<{ messages: string[]; stop(): Promise<void> }>;
}

export const limits = { maxValueBytes: 64, maxItems: 20, rawCommands: ['safe'] };
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function configFor(ns: string, extra: Partial<RedisConfig>): RedisConfig {
  return RedisConfigSchema.parse({ prefixes: [`${ns}app:`, `${ns}cache:`], ...limits, ...extra });
}

export const mockBackend: ContractBackend<RedisFixture> = {
  name: 'mock',
  setup: async () => {
    const clock = new ManualClock();
    const backend = new MemoryRedisBackend(clock.now);
    const config = configFor('', { mock: true });
    const secret = 'secret:token';
    await backend.set(secret, 'hunter2');
    return {
      factory: () => createServer(backend, config).server,
      fixture: {
        app: 'app:',
        cache: 'cache:',
        secret,
        secretValue: 'hunter2',
        backend,
        config,
        async peek(key) {
          const type = backend.typeOf(key);
          const value =
            type === 'string'
              ? await backend.get(key)
              : type === 'hash'
                ? await backend.hgetall(key)
                : type === 'list'
                  ? await backend.lrange(key, 0, -1)
                  : null;
          return { type, value };
        },
        seed: (key, value) => backend.set(key, value),
        elapse: async (_key, seconds) => clock.advance(seconds * 1000),
        async subscribe(channel) {
          const messages: string[] = [];
          const stop = backend.subscribe(channel, (message) => messages.push(message));
          return { messages, stop: async () => void stop() };
        },
      },
    };
  },
};

export const realBackend: ContractBackend<RedisFixture> = {
  name: 'redis',
  unavailable: () => redisUnavailable(REDIS_URL),
  setup: async () => {
    // Others share this Redis: every key lives under a random namespace, deleted key by key afterwards.
    const ns = `sbtest:${randomBytes(6).toString('hex')}:`;
    const admin = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await admin.connect();
    const backend = createRedisBackend(REDIS_URL);
    const config = configFor(ns, { url: REDIS_URL });
    const secret = `${ns}secret`;
    await admin.set(secret, 'hunter2');
    const subscribers: Redis[] = [];
    return {
      factory: () => createServer(backend, config).server,
      teardown: async () => {
        let cursor = '0';
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${ns}*`, 'COUNT', 1000);
          if (keys.length > 0) await admin.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        for (const subscriber of subscribers) subscriber.disconnect();
        admin.disconnect();
        await backend.close();
      },
      fixture: {
        app: `${ns}app:`,
        cache: `${ns}cache:`,
        secret,
        secretValue: 'hunter2',
        backend,
        config,
        async peek(key) {
          const type = await admin.type(key);
          const value =
            type === 'string'
              ? await admin.get(key)
              : type === 'hash'
                ? await admin.hgetall(key)
                : type === 'list'
                  ? await admin.lrange(key, 0, -1)
                  : null;
          return { type, value };
        },
        seed: async (key, value) => void (await admin.set(key, value)),
        async elapse(key, seconds) {
          const left = await admin.pttl(key);
          if (left >= 0) await admin.pexpire(key, left - seconds * 1000);
        },
        async subscribe(channel) {
          const subscriber = new Redis(REDIS_URL, { lazyConnect: true });
          subscribers.push(subscriber);
          await subscriber.connect();
          const messages: string[] = [];
          subscriber.on('message', (_channel: string, message: string) => messages.push(message));
          await subscriber.subscribe(channel);
          return {
            messages,
            stop: async () => {
              await subscriber.unsubscribe(channel);
            },
          };
        },
      },
    };
  },
};

/** Null when a Redis answers PING at `url`, else why not. */
export async function redisUnavailable(url: string): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  let cause: Error | undefined;
  probe.on('error', (error: Error) => {
    cause = error;
  });
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return `no Redis at ${new URL(url).host} (${(cause ?? (error as Error)).message}); set REDIS_URL`;
  } finally {
    probe.disconnect();
  }
}
