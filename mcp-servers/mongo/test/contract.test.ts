import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import { ObjectId } from 'bson';
import { createServer } from '../src/server.ts';
import { limits, type MongoFixture, mockBackend, realMongoBackends } from './fixture.ts';

type Structured = Record<string, unknown>;
const code = (result: CallToolResult) => errorOfResult(result)?.code;
const field = (result: CallToolResult) => errorOfResult(result)?.field;
const data = (result: CallToolResult) => {
  assert.equal(result.isError, undefined, JSON.stringify(result.content));
  return result.structuredContent as Structured;
};
const docs = (result: CallToolResult) => data(result).documents as Structured[];

const real = realMongoBackends(process.env);
if (real.skipReason !== undefined) {
  process.stderr.write(`skipping mongo contract [mongodb]: ${real.skipReason}\n`);
  describe('mongo contract [mongodb]', { skip: real.skipReason }, () => {});
}

await contractSuite<MongoFixture>('mongo', [mockBackend, ...real.backends], (h) => {
  it('inserts a document and finds it by its Extended JSON _id, keeping BSON types in the store', async () => {
    const inserted = data(
      await h.call('insert_one', {
        collection: 'users',
        document: { name: 'Ada', seen: { $date: '2024-05-01T12:00:00Z' }, born: { $date: '1815-12-10T00:00:00Z' }, tags: ['math'] },
      }),
    );
    const id = inserted.insertedId as { $oid: string };
    assert.match(id.$oid, /^[0-9a-f]{24}$/);
    const found = docs(await h.call('find', { collection: 'users', filter: { _id: id } }));
    // Relaxed Extended JSON: ISO text for dates in 1970–9999, milliseconds as $numberLong outside.
    const born = { $date: { $numberLong: String(Date.UTC(1815, 11, 10)) } };
    assert.deepEqual(found, [{ _id: id, name: 'Ada', seen: { $date: '2024-05-01T12:00:00Z' }, born, tags: ['math'] }]);
    assert.equal(docs(await h.call('find', { collection: 'users', filter: { born } })).length, 1);
    const stored = (await h.fixture.peek('users')).find((doc) => String(doc._id) === id.$oid);
    assert.ok(stored?._id instanceof ObjectId, 'the _id is stored as an ObjectId');
    assert.ok(stored?.born instanceof Date, 'the date is stored as a date');
    const modern = docs(await h.call('find', { collection: 'users', filter: { born: { $gt: { $date: '1900-01-01T00:00:00Z' } } } }));
    assert.equal(modern.length, 0);
  });

  it('filters, projects, sorts, skips and limits, saying when more matched', async () => {
    await h.fixture.seed(
      'orders',
      Array.from({ length: 6 }, (_, i) => ({ _id: `o${i}`, item: i % 2 === 0 ? 'pen' : 'ink', qty: i * 10, note: 'n' })),
    );
    const pens = await h.call('find', { collection: 'orders', filter: { item: 'pen' }, projection: { qty: 1 }, sort: { qty: -1 } });
    assert.deepEqual(docs(pens), [
      { _id: 'o4', qty: 40 },
      { _id: 'o2', qty: 20 },
      { _id: 'o0', qty: 0 },
    ]);
    assert.equal(data(pens).truncated, false);
    const page = data(await h.call('find', { collection: 'orders', sort: { qty: 1 }, skip: 1, limit: 2 }));
    assert.deepEqual(
      (page.documents as Structured[]).map((d) => d._id),
      ['o1', 'o2'],
    );
    assert.equal(page.truncated, true);
    assert.equal(page.count, 2);
    assert.deepEqual(data(await h.call('count', { collection: 'orders', filter: { qty: { $gte: 30 } } })), {
      collection: 'orders',
      count: 3,
    });
    assert.equal(data(await h.call('count', { collection: 'orders' })).count, 6);
    const regex = docs(
      await h.call('find', { collection: 'orders', filter: { item: { $regex: '^P', $options: 'i' } }, projection: { _id: 1 } }),
    );
    assert.equal(regex.length, 3);
  });

  it('keeps answers within the byte limit: truncated when several, TOO_LARGE when one is too big', async () => {
    const bulky = 'b'.repeat(600);
    await h.fixture.seed(
      'events',
      [0, 1, 2, 3, 4].map((i) => ({ _id: `e${i}`, bulky })),
    );
    const cut = data(await h.call('find', { collection: 'events', sort: { _id: 1 } }));
    assert.equal(cut.truncated, true);
    assert.ok((cut.count as number) >= 1 && (cut.count as number) < 5, String(cut.count));
    assert.ok(JSON.stringify(cut.documents).length <= limits.maxBytes);
    await h.fixture.seed('events', [{ _id: 'huge', bulky: 'h'.repeat(limits.maxBytes) }]);
    const huge = await h.call('find', { collection: 'events', filter: { _id: 'huge' } });
    assert.deepEqual([code(huge), field(huge)], ['TOO_LARGE', 'projection']);
    assert.equal(docs(await h.call('find', { collection: 'events', filter: { _id: 'huge' }, projection: { _id: 1 } })).length, 1);
  });

  it('inserts many in order and stops at a duplicate _id', async () => {
    const many = data(await h.call('insert_many', { collection: 'scratch', documents: [{ _id: 'a' }, { _id: 'b', n: 1 }] }));
    assert.deepEqual(many, { collection: 'scratch', insertedIds: ['a', 'b'], insertedCount: 2 });
    const dup = await h.call('insert_many', { collection: 'scratch', documents: [{ _id: 'c' }, { _id: 'a' }, { _id: 'd' }] });
    assert.equal(code(dup), 'ALREADY_EXISTS');
    assert.deepEqual(
      (await h.fixture.peek('scratch')).map((d) => d._id),
      ['a', 'b', 'c'],
    );
    assert.equal(code(await h.call('insert_one', { collection: 'scratch', document: { _id: 'b' } })), 'ALREADY_EXISTS');
  });

  it('updates with operators and pipelines, upserts, and refuses replacement and _id changes', async () => {
    await h.fixture.seed('users', [
      { _id: 'u1', name: 'a', role: 'dev', n: 1 },
      { _id: 'u2', name: 'b', role: 'dev', n: 2 },
      { _id: 'u3', name: 'c', role: 'ops', n: 3 },
    ]);
    assert.deepEqual(data(await h.call('update_one', { collection: 'users', filter: { role: 'dev' }, update: { $inc: { n: 10 } } })), {
      collection: 'users',
      matchedCount: 1,
      modifiedCount: 1,
      upsertedId: null,
    });
    const many = data(
      await h.call('update_many', {
        collection: 'users',
        filter: { role: 'dev' },
        update: { $set: { team: 'core' }, $push: { log: 'x' } },
      }),
    );
    assert.deepEqual([many.matchedCount, many.modifiedCount], [2, 2]);
    data(
      await h.call('update_many', {
        collection: 'users',
        filter: { _id: { $in: ['u1', 'u2'] } },
        update: [{ $set: { double: { $multiply: ['$n', 2] } } }],
      }),
    );
    const devs = (await h.fixture.peek('users')).filter((d) => d.role === 'dev');
    assert.deepEqual(
      devs.map((d) => [d._id, d.n, d.team, d.log, d.double]),
      [
        ['u1', 11, 'core', ['x'], 22],
        ['u2', 2, 'core', ['x'], 4],
      ],
    );
    const upsert = data(
      await h.call('update_one', {
        collection: 'users',
        filter: { name: 'z', role: 'qa' },
        update: { $set: { n: 7 }, $setOnInsert: { fresh: true } },
        upsert: true,
      }),
    );
    assert.deepEqual([upsert.matchedCount, upsert.modifiedCount], [0, 0]);
    const upserted = (await h.fixture.peek('users')).find((d) => d.name === 'z');
    assert.deepEqual([upserted?.role, upserted?.n, upserted?.fresh], ['qa', 7, true]);
    assert.deepEqual(upsert.upsertedId, { $oid: String(upserted?._id) });

    const before = await h.fixture.peek('users');
    const replace = await h.call('update_one', { collection: 'users', filter: { _id: 'u3' }, update: { name: 'wiped' } });
    assert.deepEqual([code(replace), field(replace)], ['INVALID_ARGUMENT', 'update.name']);
    const idChange = await h.call('update_one', { collection: 'users', filter: { _id: 'u3' }, update: { $set: { _id: 'u9' } } });
    assert.deepEqual([code(idChange), field(idChange)], ['INVALID_ARGUMENT', 'update']);
    assert.deepEqual(await h.fixture.peek('users'), before);
  });

  it('deletes one or every match, with a filter required', async () => {
    await h.fixture.seed('scratch', [
      { _id: 'x1', k: 'del' },
      { _id: 'x2', k: 'del' },
      { _id: 'x3', k: 'del' },
    ]);
    assert.equal(data(await h.call('delete_one', { collection: 'scratch', filter: { k: 'del' } })).deletedCount, 1);
    assert.equal(data(await h.call('delete_many', { collection: 'scratch', filter: { k: 'del' } })).deletedCount, 2);
    assert.equal(data(await h.call('delete_many', { collection: 'scratch', filter: { k: 'del' } })).deletedCount, 0);
    assert.equal(field(await h.call('delete_many', { collection: 'scratch' })), 'filter');
    assert.ok((await h.fixture.peek('scratch')).length > 0);
  });

  it('aggregates with $group and $lookup inside the allowlist, bounded by limit, and $out to an allowed collection', async () => {
    const grouped = docs(
      await h.call('aggregate', {
        collection: 'orders',
        pipeline: [{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $sort: { _id: 1 } }],
      }),
    );
    assert.deepEqual(grouped, [
      { _id: 'ink', total: 90 },
      { _id: 'pen', total: 60 },
    ]);
    await h.fixture.seed('events', [{ _id: 'ev1', order: 'o1' }]);
    const joined = docs(
      await h.call('aggregate', {
        collection: 'events',
        pipeline: [
          { $match: { _id: 'ev1' } },
          { $lookup: { from: 'orders', localField: 'order', foreignField: '_id', as: 'orders' } },
          { $project: { 'orders.item': 1 } },
        ],
      }),
    );
    assert.deepEqual(joined, [{ _id: 'ev1', orders: [{ item: 'ink' }] }]);
    const bounded = data(await h.call('aggregate', { collection: 'orders', pipeline: [{ $sort: { _id: 1 } }], limit: 4 }));
    assert.deepEqual([bounded.count, bounded.truncated], [4, true]);
    const out = data(await h.call('aggregate', { collection: 'orders', pipeline: [{ $match: { item: 'pen' } }, { $out: 'out' }] }));
    assert.deepEqual(out.documents, []);
    assert.deepEqual(
      (await h.fixture.peek('out')).map((d) => d._id),
      ['o0', 'o2', 'o4'],
    );
  });

  it('lists only the allowed collections', async () => {
    const { collections } = data(await h.call('list_collections'));
    assert.ok((collections as string[]).includes('orders'));
    assert.equal((collections as string[]).includes('secrets'), false);
  });

  it('refuses $where, $function and $accumulator at any depth, and collections outside the allowlist, changing nothing', async () => {
    await h.fixture.seed('scratch', [{ _id: 'keep', v: 1 }]);
    const before = await h.fixture.peek('scratch');
    const attempts: [string, Structured, string][] = [
      ['find', { collection: 'scratch', filter: { $where: 'sleep(10000) || true' } }, 'filter.$where'],
      ['find', { collection: 'scratch', filter: { $or: [{ v: 1 }, { $where: 'true' }] } }, 'filter.$or.1.$where'],
      [
        'find',
        { collection: 'scratch', filter: { $expr: { $function: { body: 'function() { return true }', args: [], lang: 'js' } } } },
        'filter.$expr.$function',
      ],
      ['find', { collection: 'scratch', projection: { x: { $function: { body: 'f', args: [], lang: 'js' } } } }, 'projection.x.$function'],
      ['count', { collection: 'scratch', filter: { $and: [{ $where: 'true' }] } }, 'filter.$and.0.$where'],
      ['delete_many', { collection: 'scratch', filter: { $where: 'true' } }, 'filter.$where'],
      ['update_many', { collection: 'scratch', filter: { $where: 'true' }, update: { $set: { v: 2 } } }, 'filter.$where'],
      [
        'update_many',
        { collection: 'scratch', filter: {}, update: [{ $set: { v: { $function: { body: 'f', args: [], lang: 'js' } } } }] },
        'update.0.$set.v.$function',
      ],
      [
        'aggregate',
        { collection: 'scratch', pipeline: [{ $group: { _id: null, x: { $accumulator: { init: 'f' } } } }] },
        'pipeline.0.$group.x.$accumulator',
      ],
      [
        'aggregate',
        { collection: 'scratch', pipeline: [{ $lookup: { from: 'secrets', localField: 'v', foreignField: 'v', as: 's' } }] },
        'pipeline.0.$lookup.from',
      ],
      ['aggregate', { collection: 'scratch', pipeline: [{ $unionWith: 'secrets' }] }, 'pipeline.0.$unionWith'],
      ['aggregate', { collection: 'scratch', pipeline: [{ $out: 'secrets' }] }, 'pipeline.0.$out'],
      [
        'aggregate',
        { collection: 'scratch', pipeline: [{ $merge: { into: { db: 'admin', coll: 'scratch' } } }] },
        'pipeline.0.$merge.into.db',
      ],
      ['find', { collection: 'secrets' }, 'collection'],
      ['count', { collection: 'system.users' }, 'collection'],
      ['insert_one', { collection: 'secrets', document: { x: 1 } }, 'collection'],
      ['delete_many', { collection: 'secrets', filter: {} }, 'collection'],
      ['aggregate', { collection: 'secrets', pipeline: [] }, 'collection'],
    ];
    for (const [tool, args, path] of attempts) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'ACL_DENIED', `${tool} ${JSON.stringify(args)}`);
      assert.equal(field(result), path, tool);
      assert.doesNotMatch(JSON.stringify(result), /hunter2/);
    }
    assert.deepEqual(await h.fixture.peek('scratch'), before);
    assert.deepEqual(await h.fixture.peek('secrets'), [{ _id: 'root', password: 'hunter2' }]);
    assert.equal(docs(await h.call('find', { collection: 'scratch', filter: { v: '$where' } })).length, 0);
  });

  it('refuses oversized and malformed input naming the field, writing nothing', async () => {
    const big = 'x'.repeat(limits.maxBytes);
    const cases: [string, Structured, string, string][] = [
      ['insert_one', { collection: 'scratch', document: { _id: 'big', big } }, 'document', 'TOO_LARGE'],
      [
        'insert_many',
        {
          collection: 'scratch',
          documents: [
            { _id: 'm1', half: big.slice(0, 1100) },
            { _id: 'm2', half: big.slice(0, 1100) },
          ],
        },
        'documents',
        'TOO_LARGE',
      ],
      ['update_many', { collection: 'scratch', filter: {}, update: { $set: { big } } }, 'update', 'TOO_LARGE'],
      ['insert_one', { collection: 'scratch' }, 'document', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 'scratch', document: [1, 2] }, 'document', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 'scratch', document: 'x' }, 'document', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 7, document: {} }, 'collection', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 'scratch', document: { _id: { $oid: 'not-hex' } } }, 'document', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 'scratch', document: { a: { $where: 'x' } } }, 'document.a.$where', 'INVALID_ARGUMENT'],
      ['insert_one', { collection: 'scratch', document: { $set: { a: 1 } } }, 'document.$set', 'INVALID_ARGUMENT'],
      ['insert_many', { collection: 'scratch', documents: [] }, 'documents', 'INVALID_ARGUMENT'],
      ['insert_many', { collection: 'scratch', documents: [{ _id: 'ok1' }, { $bad: 1 }] }, 'documents.1.$bad', 'INVALID_ARGUMENT'],
      [
        'insert_many',
        { collection: 'scratch', documents: Array.from({ length: limits.maxDocuments + 1 }, () => ({})) },
        'documents',
        'INVALID_ARGUMENT',
      ],
      ['find', { collection: 'scratch', filter: 'v=1' }, 'filter', 'INVALID_ARGUMENT'],
      ['find', { collection: 'scratch', limit: 0 }, 'limit', 'INVALID_ARGUMENT'],
      ['find', { collection: 'scratch', limit: limits.maxDocuments + 1 }, 'limit', 'INVALID_ARGUMENT'],
      ['find', { collection: 'scratch', sort: { v: 2 } }, 'sort.v', 'INVALID_ARGUMENT'],
      ['find', { collection: 'scratch', skip: -1 }, 'skip', 'INVALID_ARGUMENT'],
      ['update_one', { collection: 'scratch', filter: {}, update: 'x' }, 'update', 'INVALID_ARGUMENT'],
      ['update_one', { collection: 'scratch', filter: {}, update: { $set: { v: 9 } }, upsert: 'yes' }, 'upsert', 'INVALID_ARGUMENT'],
      ['update_one', { collection: 'scratch', update: { $set: { v: 9 } } }, 'filter', 'INVALID_ARGUMENT'],
      ['aggregate', { collection: 'scratch', pipeline: { $match: {} } }, 'pipeline', 'INVALID_ARGUMENT'],
      ['aggregate', { collection: 'scratch', pipeline: [{ $match: {}, $limit: 1 }] }, 'pipeline.0', 'INVALID_ARGUMENT'],
      ['find', { collection: 'scratch', extra: true }, 'extra', 'INVALID_ARGUMENT'],
    ];
    const before = await h.fixture.peek('scratch');
    for (const [tool, args, path, expected] of cases) {
      const result = await h.call(tool, args);
      assert.equal(code(result), expected, `${tool} ${JSON.stringify(args).slice(0, 100)}`);
      assert.equal(field(result), path, `${tool} ${JSON.stringify(args).slice(0, 100)}`);
    }
    assert.deepEqual(await h.fixture.peek('scratch'), before);
  });

  it('a read-only server reads but refuses every write, $out and $merge included', async () => {
    const client = await connect(h.fixture, { readOnly: true });
    const call = async (name: string, args: Structured) => (await client.callTool({ name, arguments: args })) as CallToolResult;
    try {
      const before = await h.fixture.peek('orders');
      assert.equal(docs(await call('find', { collection: 'orders' })).length, before.length);
      for (const [name, args] of [
        ['insert_one', { collection: 'orders', document: { x: 1 } }],
        ['insert_many', { collection: 'orders', documents: [{ x: 1 }] }],
        ['update_one', { collection: 'orders', filter: {}, update: { $set: { x: 1 } } }],
        ['update_many', { collection: 'orders', filter: {}, update: { $set: { x: 1 } } }],
        ['delete_one', { collection: 'orders', filter: {} }],
        ['delete_many', { collection: 'orders', filter: {} }],
      ] as const) {
        assert.equal(code(await call(name, args)), 'READ_ONLY', name);
      }
      assert.deepEqual(field(await call('aggregate', { collection: 'orders', pipeline: [{ $out: 'out' }] })), 'pipeline.0.$out');
      assert.deepEqual(code(await call('aggregate', { collection: 'orders', pipeline: [{ $merge: { into: 'out' } }] })), 'ACL_DENIED');
      assert.deepEqual(await h.fixture.peek('orders'), before);
      const { tools } = await client.listTools();
      assert.equal(tools.find((t) => t.name === 'aggregate')?.annotations?.readOnlyHint, true);
    } finally {
      await client.close();
    }
  });

  it('lists its tools with schemas, annotations and the scope in the collection field', async () => {
    const { tools } = await h.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'aggregate',
      'count',
      'delete_many',
      'delete_one',
      'find',
      'insert_many',
      'insert_one',
      'list_collections',
      'update_many',
      'update_one',
    ]);
    const find = tools.find((t) => t.name === 'find');
    const collection = (find?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.collection;
    assert.match(collection?.description ?? '', /collections: users, orders, events, scratch, out/);
    assert.equal(find?.annotations?.readOnlyHint, true);
    assert.equal(tools.find((t) => t.name === 'delete_many')?.annotations?.destructiveHint, true);
    assert.ok(tools.every((t) => t.outputSchema));
  });
});

/** A second server over the same backend with part of the config changed. */
async function connect(fixture: MongoFixture, change: Partial<MongoFixture['config']>): Promise<Client> {
  const { server } = createServer(fixture.backend, { ...fixture.config, ...change });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'contract-extra', version: '0' });
  await client.connect(clientSide);
  return client;
}
