import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolError } from '@switchboard/kit';
import { ObjectId } from 'bson';
import {
  checkCollection,
  checkJsonBytes,
  checkOperators,
  checkPipeline,
  checkStoredDocument,
  checkUpdate,
  type MongoPolicy,
} from './guard.ts';

const policy: MongoPolicy = { db: 'app', collections: ['users', 'orders'], readOnly: false };
const readOnly: MongoPolicy = { ...policy, readOnly: true };
const open: MongoPolicy = { db: 'app', collections: [], readOnly: false };
const refused = (fn: () => unknown, code: string, field: string) =>
  assert.throws(fn, (e: ToolError) => e.code === code && e.field === field, `expected ${code} at ${field}`);

describe('checkCollection', () => {
  it('accepts allowed collections, and any but system.* without an allowlist', () => {
    assert.equal(checkCollection('users', policy), 'users');
    assert.equal(checkCollection('anything', open), 'anything');
  });

  it('refuses collections outside the allowlist, system collections and invalid names', () => {
    refused(() => checkCollection('secrets', policy), 'ACL_DENIED', 'collection');
    assert.throws(() => checkCollection('secrets', policy), /allowed: users, orders/);
    refused(() => checkCollection('system.users', open), 'ACL_DENIED', 'collection');
    for (const bad of ['', 'a$b', 'a\0b', 'x'.repeat(121), 7]) refused(() => checkCollection(bad, open), 'INVALID_ARGUMENT', 'collection');
  });
});

describe('checkOperators', () => {
  it('passes ordinary queries, including $-strings as values', () => {
    checkOperators(
      { name: '$where', age: { $gt: 3 }, $or: [{ a: 1 }, { b: { $in: [1, 2] } }], $expr: { $eq: ['$a', '$b'] } },
      policy,
      'filter',
    );
  });

  it('refuses server-side code at any depth, naming the path', () => {
    refused(() => checkOperators({ $where: 'sleep(1000)' }, policy, 'filter'), 'ACL_DENIED', 'filter.$where');
    refused(() => checkOperators({ $or: [{ a: 1 }, { $where: 'true' }] }, policy, 'filter'), 'ACL_DENIED', 'filter.$or.1.$where');
    refused(
      () => checkOperators({ $expr: { $function: { body: 'function(){return true}', args: [], lang: 'js' } } }, policy, 'filter'),
      'ACL_DENIED',
      'filter.$expr.$function',
    );
    refused(
      () => checkOperators([{ $facet: { x: [{ $group: { _id: null, v: { $accumulator: {} } } }] } }], policy, 'pipeline'),
      'ACL_DENIED',
      'pipeline.0.$facet.x.0.$group.v.$accumulator',
    );
    refused(() => checkOperators({ f: { $code: 'x' } }, policy, 'filter'), 'ACL_DENIED', 'filter.f.$code');
    refused(() => checkOperators([{ $currentOp: {} }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$currentOp');
  });

  it('confines $lookup, $graphLookup and $unionWith to allowed collections in this database', () => {
    checkOperators([{ $lookup: { from: 'orders', localField: 'a', foreignField: 'b', as: 'o' } }], policy, 'pipeline');
    refused(() => checkOperators([{ $lookup: { from: 'secrets', as: 'x' } }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$lookup.from');
    refused(
      () => checkOperators([{ $lookup: { from: { db: 'admin', coll: 'users' }, as: 'x' } }], policy, 'pipeline'),
      'ACL_DENIED',
      'pipeline.0.$lookup.from.db',
    );
    refused(
      () =>
        checkOperators(
          [{ $lookup: { from: 'orders', as: 'o', pipeline: [{ $lookup: { from: 'system.users', as: 'y' } }] } }],
          policy,
          'pipeline',
        ),
      'ACL_DENIED',
      'pipeline.0.$lookup.pipeline.0.$lookup.from',
    );
    refused(
      () => checkOperators([{ $graphLookup: { from: 'secrets' } }], policy, 'pipeline'),
      'ACL_DENIED',
      'pipeline.0.$graphLookup.from',
    );
    refused(() => checkOperators([{ $unionWith: 'secrets' }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$unionWith');
    refused(
      () => checkOperators([{ $unionWith: { coll: 'secrets', pipeline: [] } }], policy, 'pipeline'),
      'ACL_DENIED',
      'pipeline.0.$unionWith.coll',
    );
    refused(
      () => checkOperators({ $expr: [{ $lookup: { from: 'secrets' } }] }, policy, 'filter'),
      'ACL_DENIED',
      'filter.$expr.0.$lookup.from',
    );
  });

  it('refuses $out and $merge in read-only mode, and outside the allowlist or database otherwise', () => {
    refused(() => checkOperators([{ $out: 'orders' }], readOnly, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$out');
    refused(() => checkOperators([{ $merge: { into: 'orders' } }], readOnly, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$merge');
    checkOperators([{ $out: 'orders' }], policy, 'pipeline');
    checkOperators([{ $merge: { into: 'orders', on: '_id' } }], policy, 'pipeline');
    refused(() => checkOperators([{ $out: 'secrets' }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$out');
    refused(() => checkOperators([{ $out: { db: 'other', coll: 'orders' } }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$out.db');
    refused(
      () => checkOperators([{ $merge: { into: { db: 'other', coll: 'orders' } } }], policy, 'pipeline'),
      'ACL_DENIED',
      'pipeline.0.$merge.into.db',
    );
    refused(() => checkOperators([{ $merge: 'secrets' }], policy, 'pipeline'), 'ACL_DENIED', 'pipeline.0.$merge');
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    let deep: unknown = { a: 1 };
    for (let i = 0; i < 200; i++) deep = { $and: [deep] };
    assert.throws(
      () => checkOperators(deep, policy, 'filter'),
      (e: ToolError) => e.code === 'INVALID_ARGUMENT' && /nested deeper/.test(e.message),
    );
  });
});

describe('checkPipeline and checkUpdate', () => {
  it('wants one $-key per stage and a write stage only last', () => {
    checkPipeline([{ $match: { a: 1 } }, { $out: 'orders' }], policy);
    refused(() => checkPipeline([{ $match: {}, $limit: 1 }], policy), 'INVALID_ARGUMENT', 'pipeline.0');
    refused(() => checkPipeline([{ match: {} }], policy), 'INVALID_ARGUMENT', 'pipeline.0');
    refused(() => checkPipeline(['$match'], policy), 'INVALID_ARGUMENT', 'pipeline.0');
    refused(() => checkPipeline([{ $out: 'orders' }, { $match: {} }], policy), 'INVALID_ARGUMENT', 'pipeline.0');
    refused(() => checkPipeline([{ $out: 'orders' }, { $match: {} }], readOnly), 'ACL_DENIED', 'pipeline.0.$out');
  });

  it('takes operator updates and update pipelines, never replacement documents', () => {
    checkUpdate({ $set: { a: 1 }, $inc: { n: 1 } }, policy);
    checkUpdate([{ $set: { total: { $add: ['$a', '$b'] } } }], policy);
    refused(() => checkUpdate({ name: 'x' }, policy), 'INVALID_ARGUMENT', 'update.name');
    refused(() => checkUpdate({ $set: { a: 1 }, name: 'x' }, policy), 'INVALID_ARGUMENT', 'update.name');
    refused(() => checkUpdate({ $bogus: {} }, policy), 'INVALID_ARGUMENT', 'update.$bogus');
    refused(() => checkUpdate({}, policy), 'INVALID_ARGUMENT', 'update');
    refused(() => checkUpdate([], policy), 'INVALID_ARGUMENT', 'update');
    refused(() => checkUpdate('x', policy), 'INVALID_ARGUMENT', 'update');
    refused(() => checkUpdate([{ $lookup: { from: 'orders' } }], policy), 'INVALID_ARGUMENT', 'update.0');
    refused(() => checkUpdate({ $set: { a: { $function: {} } } }, policy), 'ACL_DENIED', 'update.$set.a.$function');
    refused(() => checkUpdate([{ $set: { a: { $function: {} } } }], policy), 'ACL_DENIED', 'update.0.$set.a.$function');
  });
});

describe('checkStoredDocument and checkJsonBytes', () => {
  it('refuses $-prefixed field names at any depth, and accepts decoded BSON values', () => {
    checkStoredDocument({ _id: new ObjectId(), at: new Date(), tags: ['a'], nested: { ok: 1 } }, 'document');
    refused(() => checkStoredDocument({ $where: 'x' }, 'document'), 'INVALID_ARGUMENT', 'document.$where');
    refused(() => checkStoredDocument({ a: [{ b: { $set: 1 } }] }, 'document'), 'INVALID_ARGUMENT', 'document.a.0.b.$set');
    refused(() => checkStoredDocument({ 'a\0b': 1 }, 'documents.2'), 'INVALID_ARGUMENT', 'documents.2');
  });

  it('measures UTF-8 JSON bytes', () => {
    assert.equal(checkJsonBytes({ a: 'é' }, 10, 'document'), 10);
    refused(() => checkJsonBytes({ a: 'éé' }, 10, 'document'), 'TOO_LARGE', 'document');
  });
});
