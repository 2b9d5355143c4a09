import { type RedisBackend, RedisBackendError } from './backend.ts';
import { runMockCommand } from './backend-mock-commands.ts';
import type { Clock } from './clock.ts';
import { redisGlobMatch } from './redis-glob.ts';

type Value = { type: 'string'; data: string } | { type: 'hash'; data: Map<string, string> } | { type: 'list'; data: string[] };
type Entry = Value & { expiresAt?: number; seq: number };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const wrongType = () => new RedisBackendError('WRONGTYPE', 'WRONGTYPE Operation against a key holding the wrong kind of value');

/**
 * Redis in memory, with the real server's semantics for what the tools use: types and WRONGTYPE,
 * lazy expiry against an injected clock, TTL rounding, SCAN by cursor with MATCH, and pub/sub.
 */
export class MemoryRedisBackend implements RedisBackend {
  readonly kind = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly subscribers = new Map<string, Set<(message: string) => void>>();
  private nextSeq = 1;

  constructor(readonly clock: Clock = Date.now) {}

  async get(key: string) {
    return this.read(key, 'string')?.data ?? null;
  }

  async set(key: string, value: string, ttlSeconds?: number) {
    this.store(key, { type: 'string', data: value }, ttlSeconds === undefined ? undefined : this.clock() + ttlSeconds * 1000);
  }

  async del(keys: string[]) {
    return keys.filter((key) => this.live(key) !== undefined && this.entries.delete(key)).length;
  }

  async mget(keys: string[]) {
    return keys.map((key) => {
      const entry = this.live(key);
      return entry?.type === 'string' ? entry.data : null;
    });
  }

  async incrBy(key: string, by: number) {
    const entry = this.read(key, 'string');
    const current = entry?.data ?? '0';
    if (!/^(0|-?[1-9]\d{0,18})$/.test(current)) throw new RedisBackendError('NOT_INTEGER', 'ERR value is not an integer or out of range');
    const next = BigInt(current) + BigInt(by);
    if (BigInt(current) < INT64_MIN || BigInt(current) > INT64_MAX)
      throw new RedisBackendError('NOT_INTEGER', 'ERR value is not an integer or out of range');
    if (next < INT64_MIN || next > INT64_MAX) throw new RedisBackendError('OVERFLOW', 'ERR increment or decrement would overflow');
    if (entry) entry.data = next.toString();
    else this.store(key, { type: 'string', data: next.toString() });
    return Number(next);
  }

  async hget(key: string, field: string) {
    return this.read(key, 'hash')?.data.get(field) ?? null;
  }

  async hset(key: string, fields: Record<string, string>) {
    const hash = this.read(key, 'hash') ?? this.store(key, { type: 'hash', data: new Map() });
    let added = 0;
    for (const [field, value] of Object.entries(fields)) {
      if (!hash.data.has(field)) added++;
      hash.data.set(field, value);
    }
    return added;
  }

  async hlen(key: string) {
    return this.read(key, 'hash')?.data.size ?? 0;
  }

  async hgetall(key: string) {
    return Object.fromEntries(this.read(key, 'hash')?.data ?? []);
  }

  async lpush(key: string, values: string[]) {
    const list = this.read(key, 'list') ?? this.store(key, { type: 'list', data: [] });
    for (const value of values) list.data.unshift(value);
    return list.data.length;
  }

  async rpop(key: string, count: number) {
    const list = this.read(key, 'list');
    if (list === undefined) return [];
    const popped = list.data.splice(Math.max(0, list.data.length - count)).reverse();
    if (list.data.length === 0) this.entries.delete(key);
    return popped;
  }

  async llen(key: string) {
    return this.read(key, 'list')?.data.length ?? 0;
  }

  async lrange(key: string, start: number, stop: number) {
    const data = this.read(key, 'list')?.data ?? [];
    const from = start < 0 ? Math.max(0, data.length + start) : start;
    const to = stop < 0 ? data.length + stop : Math.min(stop, data.length - 1);
    return from > to ? [] : data.slice(from, to + 1);
  }

  /** Cursor = the creation sequence number last visited, so keys alive throughout are never missed. */
  async scan(cursor: string, match: string, count: number) {
    const after = Number(cursor);
    const visited = [...this.entries.keys()]
      .filter((key) => this.live(key) !== undefined && (this.entries.get(key)?.seq ?? 0) > after)
      .sort((a, b) => (this.entries.get(a)?.seq ?? 0) - (this.entries.get(b)?.seq ?? 0))
      .slice(0, Math.max(1, count));
    const last = visited.at(-1);
    const more = last !== undefined && [...this.entries.values()].some((entry) => entry.seq > (this.entries.get(last)?.seq ?? 0));
    return {
      cursor: more ? String(this.entries.get(last as string)?.seq) : '0',
      keys: visited.filter((key) => redisGlobMatch(match, key)),
    };
  }

  async ttl(key: string) {
    const entry = this.live(key);
    if (entry === undefined) return -2;
    if (entry.expiresAt === undefined) return -1;
    return Math.floor((entry.expiresAt - this.clock() + 500) / 1000);
  }

  async publish(channel: string, message: string) {
    const handlers = [...(this.subscribers.get(channel) ?? [])];
    for (const handler of handlers) handler(message);
    return handlers.length;
  }

  async command(name: string, args: string[]) {
    return runMockCommand(this, name, args);
  }

  async close() {}

  /** Test and fixture helper: receive what is published on `channel`. */
  subscribe(channel: string, handler: (message: string) => void): () => void {
    const set = this.subscribers.get(channel) ?? new Set();
    set.add(handler);
    this.subscribers.set(channel, set);
    return () => set.delete(handler);
  }

  /** The type of a live key, or 'none' (Redis's TYPE). */
  typeOf(key: string): 'string' | 'hash' | 'list' | 'none' {
    return this.live(key)?.type ?? 'none';
  }

  /** Sets or clears a key's expiry; `atMs` in the past deletes it (PEXPIREAT). Answers whether the key existed. */
  expireAt(key: string, atMs: number | undefined): boolean {
    const entry = this.live(key);
    if (entry === undefined) return false;
    if (atMs !== undefined && atMs <= this.clock()) this.entries.delete(key);
    else if (atMs === undefined) delete entry.expiresAt;
    else entry.expiresAt = atMs;
    return true;
  }

  /** Renames a live key, keeping its value and expiry (RENAME). */
  rename(from: string, to: string): boolean {
    const entry = this.live(from);
    if (entry === undefined) return false;
    this.entries.delete(from);
    this.entries.set(to, { ...entry, seq: this.nextSeq++ });
    return true;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private read<T extends Value['type']>(key: string, type: T): (Entry & { type: T }) | undefined {
    const entry = this.live(key);
    if (entry !== undefined && entry.type !== type) throw wrongType();
    return entry as (Entry & { type: T }) | undefined;
  }

  private store<V extends Value>(key: string, value: V, expiresAt?: number): Entry & V {
    const previous = this.live(key);
    const entry = { ...value, seq: previous?.seq ?? this.nextSeq++, ...(expiresAt === undefined ? {} : { expiresAt }) } as Entry & V;
    this.entries.set(key, entry);
    return entry;
  }
}
