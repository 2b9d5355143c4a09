import { Redis } from 'ioredis';
import { type RedisBackend, RedisBackendError } from './backend.ts';

export interface RealRedisOptions {
  /** Per command; a slower answer fails instead of holding the tool call. */
  commandTimeoutMs?: number;
  /** Called once per connection problem (never with the URL, which may hold a password). */
  onConnectionError?: (error: Error) => void;
}

/** A Redis server through ioredis: one connection, commands pipelined by the driver. */
export function createRedisBackend(url: string, options: RealRedisOptions = {}): RedisBackend {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5_000,
    commandTimeout: options.commandTimeoutMs ?? 10_000,
    // Fail a call after one reconnect attempt rather than queueing it for minutes.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  let lastProblem: string | undefined;
  redis.on('error', (error: Error) => {
    lastProblem = error.message;
    options.onConnectionError?.(error);
  });
  const run = async <T>(action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      throw classify(error, lastProblem);
    }
  };
  return {
    kind: 'redis',
    get: (key) => run(() => redis.get(key)),
    set: (key, value, ttlSeconds) =>
      run(async () => void (ttlSeconds === undefined ? await redis.set(key, value) : await redis.set(key, value, 'EX', ttlSeconds))),
    del: (keys) => run(() => redis.del(...keys)),
    mget: (keys) => run(() => redis.mget(...keys)),
    incrBy: (key, by) => run(() => redis.incrby(key, by)),
    hget: (key, field) => run(() => redis.hget(key, field)),
    hset: (key, fields) => run(() => redis.hset(key, fields)),
    hlen: (key) => run(() => redis.hlen(key)),
    hgetall: (key) => run(() => redis.hgetall(key)),
    lpush: (key, values) => run(() => redis.lpush(key, ...values)),
    rpop: (key, count) => run(async () => (await redis.rpop(key, count)) ?? []),
    llen: (key) => run(() => redis.llen(key)),
    lrange: (key, start, stop) => run(() => redis.lrange(key, start, stop)),
    scan: (cursor, match, count) =>
      run(async () => {
        const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', count);
        return { cursor: next, keys };
      }),
    ttl: (key) => run(() => redis.ttl(key)),
    publish: (channel, message) => run(() => redis.publish(channel, message)),
    command: (name, args) => run(async () => toJson(await redis.call(name, ...args))),
    close: async () => {
      redis.disconnect();
    },
  };
}

/** Driver errors as store failures; messages come from Redis replies and never carry the URL. */
function classify(error: unknown, lastProblem: string | undefined): RedisBackendError {
  if (error instanceof RedisBackendError) return error;
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  if (name === 'ReplyError') {
    if (message.startsWith('WRONGTYPE')) return new RedisBackendError('WRONGTYPE', message);
    if (/not an integer or out of range/.test(message)) return new RedisBackendError('NOT_INTEGER', message);
    if (/would overflow/.test(message)) return new RedisBackendError('OVERFLOW', message);
    return new RedisBackendError('REPLY', message);
  }
  if (/timed out/i.test(message)) return new RedisBackendError('TIMEOUT', message);
  return new RedisBackendError(
    'UNAVAILABLE',
    name === 'MaxRetriesPerRequestError' ? (lastProblem ?? 'no answer after a reconnect attempt') : message,
  );
}

/** Replies as JSON: Buffers become UTF-8 text, nested arrays stay arrays. */
function toJson(reply: unknown): unknown {
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  if (Array.isArray(reply)) return reply.map(toJson);
  if (reply instanceof Error) return { error: reply.message };
  return reply ?? null;
}
