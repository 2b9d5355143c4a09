import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectId } from 'bson';
import type { MongoBackendError } from './backend.ts';
import { MemoryMongoBackend } from './backend-mock.ts';
import { upsertSeed } from './upsert-seed.ts';

describe('MemoryMongoBackend', () => {
  it('generates ObjectId _ids first and never shares stored documents with callers', async () => {
    const mongo = new MemoryMongoBackend();
    const original = { name: 'a', tags: ['x'] };
    const id = await mongo.insertOne('c', original);
    assert.ok(id instanceof ObjectId);
    original.tags.push('mutated');
    const [found] = await mongo.find('c', {}, { limit: 10 });
    assert.deepEqual(Object.keys(found ?? {}), ['_id', 'name', 'tags']);
    assert.deepEqual(found?.tags, ['x']);
    (found?.tags as string[] | undefined)?.push('again');
    assert.deepEqual((await mongo.find('c', {}, { limit: 10 }))[0]?.tags, ['x']);
  });

  it('leaves a document untouched when an update fails part-way', async () => {
    const mongo = new MemoryMongoBackend();
    await mongo.insertMany('c', [{ _id: 1, n: 1, s: 'text' }]);
    await assert.rejects(
      mongo.update('c', { _id: 1 }, { $inc: { n: 1, s: 1 } }, { many: false, upsert: false }),
      (e: MongoBackendError) => e.failure === 'INVALID',
    );
    assert.deepEqual(await mongo.find('c', {}, { limit: 10 }), [{ _id: 1, n: 1, s: 'text' }]);
  });

  it('replaces the target of $out, as MongoDB does, and answers nothing', async () => {
    const mongo = new MemoryMongoBackend();
    await mongo.insertMany('src', [
      { _id: 1, k: 'a' },
      { _id: 2, k: 'b' },
    ]);
    await mongo.insertMany('dst', [{ _id: 'old' }]);
    assert.deepEqual(await mongo.aggregate('src', [{ $match: { k: 'a' } }, { $out: 'dst' }]), []);
    assert.deepEqual(await mongo.find('dst', {}, { limit: 10 }), [{ _id: 1, k: 'a' }]);
  });

  it('does not run server-side JavaScript even if asked directly', async () => {
    const mongo = new MemoryMongoBackend();
    await mongo.insertMany('c', [{ _id: 1 }]);
    await assert.rejects(mongo.find('c', { $where: 'true' }, { limit: 1 }), (e: MongoBackendError) => e.failure === 'INVALID');
  });
});

describe('upsertSeed', () => {
  it('takes equality conditions, including $eq and inside $and, and skips the rest', () => {
    assert.deepEqual(
      upsertSeed({
        a: 1,
        b: { $eq: 2 },
        c: { $gt: 3 },
        $and: [{ d: 4 }, { e: { $in: [5] } }],
        $or: [{ f: 6 }],
        'g.h': 7,
        i: { nested: 1 },
      }),
      {
        a: 1,
        b: 2,
        d: 4,
        'g.h': 7,
        i: { nested: 1 },
      },
    );
  });
});
