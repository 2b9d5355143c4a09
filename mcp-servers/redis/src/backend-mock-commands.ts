import { RedisBackendError } from './backend.ts';
import type { MemoryRedisBackend } from './backend-mock.ts';

type Handler = (redis: MemoryRedisBackend, args: string[]) => Promise<unknown>;

const int = (text: string | undefined): number => {
  if (text === undefined || !/^-?\d+$/.test(text)) throw new RedisBackendError('REPLY', 'ERR value is not an integer or out of range');
  return Number(text);
};
const ok = 'OK';

/**
 * The raw commands the mock answers, with the replies ioredis gives for them (status 'OK',
 * integers as numbers, nil as null, HGETALL as a flat array). The rest of the confinable table
 * needs the real server.
 */
const handlers: Record<string, Handler> = {
  PING: async (_, [message]) => message ?? 'PONG',
  GET: async (r, [key]) => r.get(key as string),
  MGET: async (r, keys) => r.mget(keys),
  EXISTS: async (r, keys) => keys.filter((key) => r.typeOf(key) !== 'none').length,
  STRLEN: async (r, [key]) => Buffer.byteLength((await r.get(key as string)) ?? ''),
  TYPE: async (r, [key]) => r.typeOf(key as string),
  TTL: async (r, [key]) => r.ttl(key as string),
  HGET: async (r, [key, field]) => r.hget(key as string, field as string),
  HMGET: async (r, [key, ...fields]) => Promise.all(fields.map((field) => r.hget(key as string, field))),
  HGETALL: async (r, [key]) => Object.entries(await r.hgetall(key as string)).flat(),
  HKEYS: async (r, [key]) => Object.keys(await r.hgetall(key as string)),
  HVALS: async (r, [key]) => Object.values(await r.hgetall(key as string)),
  HLEN: async (r, [key]) => r.hlen(key as string),
  HEXISTS: async (r, [key, field]) => ((await r.hget(key as string, field as string)) === null ? 0 : 1),
  LLEN: async (r, [key]) => r.llen(key as string),
  LRANGE: async (r, [key, start, stop]) => r.lrange(key as string, int(start), int(stop)),
  SET: async (r, [key, value, ...options]) => {
    const upper = options.map((option) => option.toUpperCase());
    if (upper.length === 0) await r.set(key as string, value as string);
    else if (upper.length === 2 && upper[0] === 'EX') await r.set(key as string, value as string, int(options[1]));
    else throw new RedisBackendError('REPLY', 'the mock backend supports SET key value [EX seconds] only');
    return ok;
  },
  INCR: async (r, [key]) => r.incrBy(key as string, 1),
  INCRBY: async (r, [key, by]) => r.incrBy(key as string, int(by)),
  DECR: async (r, [key]) => r.incrBy(key as string, -1),
  DECRBY: async (r, [key, by]) => r.incrBy(key as string, -int(by)),
  DEL: async (r, keys) => r.del(keys),
  UNLINK: async (r, keys) => r.del(keys),
  EXPIRE: async (r, [key, seconds]) => (r.expireAt(key as string, r.clock() + int(seconds) * 1000) ? 1 : 0),
  PERSIST: async (r, [key]) => ((await r.ttl(key as string)) >= 0 && r.expireAt(key as string, undefined) ? 1 : 0),
  HSET: async (r, [key, ...pairs]) => r.hset(key as string, pairsToRecord(pairs)),
  LPUSH: async (r, [key, ...values]) => r.lpush(key as string, values),
  RPOP: async (r, [key, count]) => {
    const popped = await r.rpop(key as string, count === undefined ? 1 : int(count));
    if (count !== undefined) return popped.length === 0 ? null : popped;
    return popped[0] ?? null;
  },
  MSET: async (r, pairs) => {
    for (const [key, value] of Object.entries(pairsToRecord(pairs))) await r.set(key, value);
    return ok;
  },
  RENAME: async (r, [from, to]) => {
    if (!r.rename(from as string, to as string)) throw new RedisBackendError('REPLY', 'ERR no such key');
    return ok;
  },
};

function pairsToRecord(pairs: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) record[pairs[i] as string] = pairs[i + 1] as string;
  return record;
}

export async function runMockCommand(redis: MemoryRedisBackend, name: string, args: string[]): Promise<unknown> {
  const handler = handlers[name];
  if (handler === undefined) throw new RedisBackendError('REPLY', `the mock backend does not implement ${name}; it needs a real Redis`);
  return handler(redis, args);
}
