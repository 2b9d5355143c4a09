import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RedisBackendError } from './backend.ts';
import { MemoryRedisBackend } from './backend-mock.ts';
import { ManualClock } from './clock.ts';

function fresh() {
  const clock = new ManualClock();
  return { clock, redis: new MemoryRedisBackend(clock.now) };
}

describe('MemoryRedisBackend TTL', () => {
  it('expires a key exactly when its time comes, on the injected clock', async () => {
    const { clock, redis } = fresh();
    await redis.set('k', 'v', 10);
    clock.advance(9_999);
    assert.equal(await redis.get('k'), 'v');
    clock.advance(1);
    assert.equal(await redis.get('k'), null);
    assert.equal(await redis.ttl('k'), -2);
    assert.equal(redis.typeOf('k'), 'none');
  });

  it('rounds TTL to the nearest second as Redis does, -1 without expiry', async () => {
    const { clock, redis } = fresh();
    await redis.set('k', 'v', 10);
    assert.equal(await redis.ttl('k'), 10);
    clock.advance(400);
    assert.equal(await redis.ttl('k'), 10);
    clock.advance(200);
    assert.equal(await redis.ttl('k'), 9);
    await redis.set('p', 'v');
    assert.equal(await redis.ttl('p'), -1);
  });

  it('keeps the expiry through incr, hset and lpush, and a plain set clears it', async () => {
    const { clock, redis } = fresh();
    await redis.set('n', '1', 5);
    await redis.incrBy('n', 1);
    assert.equal(await redis.ttl('n'), 5);
    await redis.set('n', '7');
    assert.equal(await redis.ttl('n'), -1);
    redis.expireAt('n', clock.now() + 2_000);
    clock.advance(2_000);
    assert.equal(await redis.get('n'), null);
  });

  it('an expired key of another type no longer causes WRONGTYPE', async () => {
    const { clock, redis } = fresh();
    await redis.set('k', 'v', 1);
    await assert.rejects(redis.lpush('k', ['x']), (e: RedisBackendError) => e.failure === 'WRONGTYPE');
    clock.advance(1_000);
    assert.equal(await redis.lpush('k', ['x']), 1);
  });
});

describe('MemoryRedisBackend semantics', () => {
  it('refuses non-integers and overflow in incrBy, leaving the value', async () => {
    const { redis } = fresh();
    for (const bad of ['abc', '1.5', ' 1', '+1', '01', '']) {
      await redis.set('k', bad);
      await assert.rejects(redis.incrBy('k', 1), (e: RedisBackendError) => e.failure === 'NOT_INTEGER', JSON.stringify(bad));
      assert.equal(await redis.get('k'), bad);
    }
    await redis.set('k', '9223372036854775807');
    await assert.rejects(redis.incrBy('k', 1), (e: RedisBackendError) => e.failure === 'OVERFLOW');
  });

  it('scans every key that lives throughout, even when others are deleted mid-scan', async () => {
    const { redis } = fresh();
    for (let i = 0; i < 30; i++) await redis.set(`k${i}`, 'v');
    const seen = new Set<string>();
    let cursor = '0';
    let first = true;
    while (first || cursor !== '0') {
      first = false;
      const page = await redis.scan(cursor, 'k*', 4);
      for (const key of page.keys) seen.add(key);
      cursor = page.cursor;
      await redis.del([`k${seen.size * 7 + 1}`].filter((key) => !seen.has(key) && key !== 'k29'));
    }
    for (let i = 0; i < 30; i++) if ((await redis.get(`k${i}`)) !== null) assert.ok(seen.has(`k${i}`), `k${i}`);
  });

  it('filters SCAN with MATCH after visiting COUNT keys, like Redis', async () => {
    const { redis } = fresh();
    await redis.set('a:1', 'v');
    await redis.set('b:1', 'v');
    await redis.set('a:2', 'v');
    const page = await redis.scan('0', 'a:*', 2);
    assert.deepEqual(page.keys, ['a:1']);
    assert.notEqual(page.cursor, '0');
    assert.deepEqual((await redis.scan(page.cursor, 'a:*', 2)).keys, ['a:2']);
  });

  it('delivers published messages to subscribers only on their channel', async () => {
    const { redis } = fresh();
    const got: string[] = [];
    const stop = redis.subscribe('c1', (message) => got.push(message));
    assert.equal(await redis.publish('c1', 'm1'), 1);
    assert.equal(await redis.publish('c2', 'm2'), 0);
    stop();
    assert.equal(await redis.publish('c1', 'm3'), 0);
    assert.deepEqual(got, ['m1']);
  });
});
