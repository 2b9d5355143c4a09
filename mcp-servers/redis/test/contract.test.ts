import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import { createServer } from '../src/server.ts';
import { limits, mockBackend, type RedisFixture, realBackend } from './fixture.ts';

type Structured = Record<string, unknown>;
const code = (result: CallToolResult) => errorOfResult(result)?.code;
const field = (result: CallToolResult) => errorOfResult(result)?.field;
const data = (result: CallToolResult) => {
  assert.equal(result.isError, undefined, JSON.stringify(result.content));
  return result.structuredContent as Structured;
};

await contractSuite<RedisFixture>('redis', [mockBackend, realBackend], (h) => {
  const k = (name: string) => `${h.fixture.app}${name}`;

  it('sets and gets a string, null when missing', async () => {
    assert.deepEqual(data(await h.call('set', { key: k('s1'), value: 'héllo' })), { key: k('s1'), bytes: 6, ttlSeconds: null });
    const got = await h.call('get', { key: k('s1') });
    assert.deepEqual(data(got), { key: k('s1'), value: 'héllo' });
    assert.deepEqual(got.content, [{ type: 'text', text: 'héllo' }]);
    assert.deepEqual(data(await h.call('get', { key: k('missing') })), { key: k('missing'), value: null });
    assert.deepEqual(await h.fixture.peek(k('s1')), { type: 'string', value: 'héllo' });
  });

  it('expires keys set with ttlSeconds, and a plain set clears the expiry', async () => {
    data(await h.call('set', { key: k('t1'), value: 'v', ttlSeconds: 100 }));
    const ttl = data(await h.call('ttl', { key: k('t1') }));
    assert.equal(ttl.exists, true);
    assert.ok((ttl.ttlSeconds as number) > 95 && (ttl.ttlSeconds as number) <= 100, String(ttl.ttlSeconds));
    await h.fixture.elapse(k('t1'), 60);
    assert.equal(data(await h.call('get', { key: k('t1') })).value, 'v');
    assert.ok((data(await h.call('ttl', { key: k('t1') })).ttlSeconds as number) <= 40);
    await h.fixture.elapse(k('t1'), 41);
    assert.equal(data(await h.call('get', { key: k('t1') })).value, null);
    assert.deepEqual(data(await h.call('ttl', { key: k('t1') })), { key: k('t1'), exists: false, ttlSeconds: null });

    data(await h.call('set', { key: k('t2'), value: 'a', ttlSeconds: 5 }));
    data(await h.call('set', { key: k('t2'), value: 'b' }));
    assert.deepEqual(data(await h.call('ttl', { key: k('t2') })), { key: k('t2'), exists: true, ttlSeconds: null });
  });

  it('reads several keys, deletes, and increments', async () => {
    await h.fixture.seed(k('m1'), 'one');
    await h.fixture.seed(k('m2'), 'two');
    assert.deepEqual(data(await h.call('mget', { keys: [k('m1'), k('nope'), k('m2')] })).values, ['one', null, 'two']);
    assert.deepEqual(data(await h.call('del', { keys: [k('m1'), k('nope')] })), { deleted: 1 });
    assert.equal((await h.fixture.peek(k('m1'))).type, 'none');
    assert.equal(data(await h.call('incr', { key: k('n') })).value, 1);
    assert.equal(data(await h.call('incr', { key: k('n'), by: 41 })).value, 42);
    assert.equal(data(await h.call('incr', { key: k('n'), by: -50 })).value, -8);
    const notInt = await h.call('incr', { key: k('m2') });
    assert.equal(code(notInt), 'INVALID_ARGUMENT');
    assert.equal(field(notInt), 'key');
    assert.equal((await h.fixture.peek(k('m2'))).value, 'two');
    await h.fixture.seed(k('big'), '9223372036854775806');
    assert.equal(field(await h.call('incr', { key: k('big'), by: 2 })), 'by');
  });

  it('works with hashes, and refuses the wrong type naming the key', async () => {
    assert.deepEqual(data(await h.call('hset', { key: k('h'), fields: { a: '1', b: '2' } })), { key: k('h'), added: 2, updated: 0 });
    assert.deepEqual(data(await h.call('hset', { key: k('h'), field: 'a', value: 'uno' })), { key: k('h'), added: 0, updated: 1 });
    assert.equal(data(await h.call('hget', { key: k('h'), field: 'a' })).value, 'uno');
    assert.equal(data(await h.call('hget', { key: k('h'), field: 'zz' })).value, null);
    assert.deepEqual(data(await h.call('hgetall', { key: k('h') })), { key: k('h'), fields: { a: 'uno', b: '2' }, count: 2 });
    assert.deepEqual(data(await h.call('hgetall', { key: k('nohash') })), { key: k('nohash'), fields: {}, count: 0 });
    for (const [tool, args] of [
      ['get', { key: k('h') }],
      ['incr', { key: k('h') }],
      ['lpush', { key: k('h'), values: ['x'] }],
      ['hget', { key: k('m2'), field: 'a' }],
    ] as const) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'INVALID_ARGUMENT', tool);
      assert.equal(field(result), 'key', tool);
    }
    assert.deepEqual((await h.fixture.peek(k('h'))).value, { a: 'uno', b: '2' });
  });

  it('pushes, ranges and pops lists like Redis', async () => {
    assert.equal(data(await h.call('lpush', { key: k('l'), values: ['a', 'b', 'c'] })).length, 3);
    assert.deepEqual(data(await h.call('lrange', { key: k('l') })), {
      key: k('l'),
      values: ['c', 'b', 'a'],
      start: 0,
      length: 3,
      truncated: false,
    });
    assert.deepEqual(data(await h.call('lrange', { key: k('l'), start: -2, stop: -1 })).values, ['b', 'a']);
    const cut = data(await h.call('lrange', { key: k('l'), limit: 2 }));
    assert.deepEqual([cut.values, cut.truncated], [['c', 'b'], true]);
    assert.deepEqual(data(await h.call('lrange', { key: k('l'), start: 5 })).values, []);
    assert.deepEqual(data(await h.call('rpop', { key: k('l') })).values, ['a']);
    assert.deepEqual(data(await h.call('rpop', { key: k('l'), count: 5 })).values, ['b', 'c']);
    assert.equal((await h.fixture.peek(k('l'))).type, 'none');
    assert.deepEqual(data(await h.call('rpop', { key: k('l') })).values, []);
  });

  it('scans by pattern in bounded pages until done, only inside the prefixes', async () => {
    const names = Array.from({ length: 7 }, (_, i) => k(`scan:${i}`));
    for (const name of names) await h.fixture.seed(name, 'x');
    await h.fixture.seed(`${h.fixture.cache}scan:0`, 'x');
    const seen: string[] = [];
    let cursor = '0';
    for (let page = 0; page < 10_000; page++) {
      const answer = data(await h.call('scan', { pattern: `${h.fixture.app}scan:*`, cursor, limit: 3 }));
      assert.ok((answer.keys as string[]).length <= 3);
      seen.push(...(answer.keys as string[]));
      cursor = answer.cursor as string;
      if (answer.done) break;
    }
    assert.equal(cursor, '0');
    assert.deepEqual([...new Set(seen)].sort(), names.sort());
    for (const pattern of ['*', `${h.fixture.app.slice(0, -1)}*`, '?*', h.fixture.secret]) {
      const refused = await h.call('scan', { pattern });
      assert.equal(code(refused), 'ACL_DENIED', pattern);
      assert.equal(field(refused), 'pattern');
    }
    assert.equal(field(await h.call('scan', {})), 'pattern');
    assert.equal(field(await h.call('scan', { pattern: `${h.fixture.app}*`, cursor: 'nope' })), 'cursor');
    const forged = `0.${Buffer.from(JSON.stringify([h.fixture.secret])).toString('base64url')}`;
    const leak = await h.call('scan', { pattern: '*'.replace('*', `${h.fixture.app}*`), cursor: forged });
    assert.doesNotMatch(JSON.stringify(leak.structuredContent ?? {}), /secret/);
  });

  it('publishes to subscribers of a channel inside the prefixes', async () => {
    const channel = `${h.fixture.app}events`;
    const sub = await h.fixture.subscribe(channel);
    try {
      assert.deepEqual(data(await h.call('publish', { channel, message: 'ping' })), { channel, receivers: 1 });
      for (let i = 0; i < 100 && sub.messages.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual(sub.messages, ['ping']);
    } finally {
      await sub.stop();
    }
    const outside = await h.call('publish', { channel: 'global', message: 'x' });
    assert.deepEqual([code(outside), field(outside)], ['ACL_DENIED', 'channel']);
  });

  it('refuses every key outside the prefixes, naming the field, touching nothing', async () => {
    const secret = h.fixture.secret;
    await h.fixture.seed(k('keep'), 'kept');
    const attempts: [string, Record<string, unknown>, string][] = [
      ['get', { key: secret }, 'key'],
      ['set', { key: secret, value: 'pwned' }, 'key'],
      ['set', { key: 'other:x', value: 'pwned' }, 'key'],
      ['del', { keys: [k('keep'), secret] }, 'keys.1'],
      ['mget', { keys: [k('keep'), secret] }, 'keys.1'],
      ['incr', { key: secret }, 'key'],
      ['hget', { key: secret, field: 'f' }, 'key'],
      ['hset', { key: secret, field: 'f', value: 'v' }, 'key'],
      ['hgetall', { key: secret }, 'key'],
      ['lpush', { key: secret, values: ['v'] }, 'key'],
      ['rpop', { key: secret }, 'key'],
      ['lrange', { key: secret }, 'key'],
      ['ttl', { key: secret }, 'key'],
      ['command', { argv: ['GET', secret] }, 'argv.1'],
      ['command', { argv: ['DEL', k('keep'), secret] }, 'argv.2'],
      ['command', { argv: ['RENAME', k('keep'), secret] }, 'argv.2'],
    ];
    for (const [tool, args, name] of attempts) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'ACL_DENIED', `${tool} ${JSON.stringify(args)}`);
      assert.equal(field(result), name, tool);
      assert.doesNotMatch(JSON.stringify(result), /hunter2/);
    }
    assert.deepEqual(await h.fixture.peek(secret), { type: 'string', value: h.fixture.secretValue });
    assert.deepEqual(await h.fixture.peek(k('keep')), { type: 'string', value: 'kept' });
    assert.equal((await h.fixture.peek('other:x')).type, 'none');
  });

  it('runs allowed raw commands and refuses the dangerous ones whatever the case', async () => {
    await h.call('hset', { key: k('rh'), fields: { a: '1', b: '2' } });
    assert.deepEqual(data(await h.call('command', { argv: ['hlen', k('rh')] })), { command: 'HLEN', reply: 2 });
    assert.deepEqual(data(await h.call('command', { argv: ['HGETALL', k('rh')] })).reply, ['a', '1', 'b', '2']);
    assert.equal(data(await h.call('command', { argv: ['SET', k('raw'), 'v'] })).reply, 'OK');
    assert.equal(data(await h.call('command', { argv: ['GET', k('nothing')] })).reply, null);
    for (const argv of [
      ['FLUSHALL'],
      ['flushdb'],
      ['CONFIG', 'GET', '*'],
      ['EVAL', 'return 1', '0'],
      ['EVALSHA', 'abc', '0'],
      ['FUNCTION', 'LIST'],
      ['MODULE', 'LIST'],
      ['DEBUG', 'SLEEP', '0'],
      ['SHUTDOWN'],
      ['KEYS', '*'],
      ['SCRIPT', 'FLUSH'],
      ['SELECT', '1'],
      ['SWAPDB', '0', '1'],
      ['SORT', k('l'), 'BY', 'nosort'],
    ]) {
      const result = await h.call('command', { argv });
      assert.equal(code(result), 'ACL_DENIED', argv.join(' '));
      assert.equal(field(result), 'argv.0');
    }
    assert.equal(code(await h.call('command', { argv: ['XADD', k('s'), '*', 'f', 'v'] })), 'ACL_DENIED');
    assert.deepEqual(await h.fixture.peek(h.fixture.secret), { type: 'string', value: h.fixture.secretValue });
    assert.equal((await h.fixture.peek(k('rh'))).type, 'hash');
  });

  it('refuses oversized values and answers instead of cutting them, writing nothing', async () => {
    const big = 'x'.repeat(limits.maxValueBytes + 1);
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['set', { key: k('o1'), value: big }, 'value', k('o1')],
      ['set', { key: k('o1'), value: 'é'.repeat(33) }, 'value', k('o1')],
      ['lpush', { key: k('o2'), values: ['ok', big] }, 'values.1', k('o2')],
      ['hset', { key: k('o3'), fields: { fine: 'v', huge: big } }, 'fields.huge', k('o3')],
      ['hset', { key: k('o3'), field: 'f', value: big }, 'value', k('o3')],
      ['command', { argv: ['SET', k('o4'), big] }, 'argv.2', k('o4')],
    ];
    for (const [tool, args, name, key] of cases) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'TOO_LARGE', tool);
      assert.equal(field(result), name, tool);
      assert.equal((await h.fixture.peek(key)).type, 'none', `${tool} wrote nothing`);
    }
    assert.equal(field(await h.call('publish', { channel: k('c'), message: big })), 'message');
    await h.fixture.seed(k('huge'), big);
    const read = await h.call('get', { key: k('huge') });
    assert.deepEqual([code(read), field(read)], ['TOO_LARGE', 'key']);
    assert.doesNotMatch(JSON.stringify(read), /xxxxxxxxxx/);
  });

  it('validates input with errors naming the field, writing nothing', async () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['get', {}, 'key'],
      ['get', { key: 7 }, 'key'],
      ['get', { key: '' }, 'key'],
      ['set', { key: k('v1') }, 'value'],
      ['set', { value: 'x' }, 'key'],
      ['set', { key: k('v1'), value: 5 }, 'value'],
      ['set', { key: k('v1'), value: 'x', ttlSeconds: 0 }, 'ttlSeconds'],
      ['set', { key: k('v1'), value: 'x', ttlSeconds: 1.5 }, 'ttlSeconds'],
      ['set', { key: k('v1'), value: 'x', ttlSeconds: '10' }, 'ttlSeconds'],
      ['set', { key: k('v1'), value: 'x', nx: true }, 'nx'],
      ['del', { keys: k('v1') }, 'keys'],
      ['del', { keys: [] }, 'keys'],
      ['mget', { keys: [k('v1'), 3] }, 'keys.1'],
      ['incr', { key: k('v1'), by: 'x' }, 'by'],
      ['incr', { key: k('v1'), by: 0.5 }, 'by'],
      ['hset', { key: k('v1') }, 'fields'],
      ['hset', { key: k('v1'), field: 'f' }, 'value'],
      ['hset', { key: k('v1'), fields: { a: 1 } }, 'fields.a'],
      ['lpush', { key: k('v1'), values: [] }, 'values'],
      ['lpush', { key: k('v1'), values: ['a', 1] }, 'values.1'],
      ['lpush', { key: k('v1'), values: Array.from({ length: limits.maxItems + 1 }, () => 'v') }, 'values'],
      ['rpop', { key: k('v1'), count: 0 }, 'count'],
      ['lrange', { key: k('v1'), start: 'a' }, 'start'],
      ['scan', { pattern: `${h.fixture.app}*`, limit: 0 }, 'limit'],
      ['publish', { channel: k('c') }, 'message'],
      ['command', { argv: [] }, 'argv'],
      ['command', { argv: ['GET', 1] }, 'argv.1'],
    ];
    for (const [tool, args, name] of cases) {
      const result = await h.call(tool, args);
      assert.equal(code(result), 'INVALID_ARGUMENT', `${tool} ${JSON.stringify(args).slice(0, 80)}`);
      assert.equal(field(result), name, `${tool} ${JSON.stringify(args).slice(0, 80)}`);
    }
    assert.equal((await h.fixture.peek(k('v1'))).type, 'none');
  });

  it('a read-only server reads but refuses every write, raw ones included', async () => {
    await h.fixture.seed(k('ro'), 'before');
    const client = await connect(h.fixture, { readOnly: true });
    try {
      assert.equal(((await client.callTool({ name: 'get', arguments: { key: k('ro') } })).structuredContent as Structured).value, 'before');
      for (const [name, args] of [
        ['set', { key: k('ro'), value: 'after' }],
        ['del', { keys: [k('ro')] }],
        ['incr', { key: k('ro2') }],
        ['hset', { key: k('ro2'), field: 'f', value: 'v' }],
        ['lpush', { key: k('ro2'), values: ['v'] }],
        ['rpop', { key: k('ro2') }],
        ['publish', { channel: k('c'), message: 'm' }],
        ['command', { argv: ['SET', k('ro'), 'after'] }],
      ] as const) {
        assert.equal(code((await client.callTool({ name, arguments: args })) as CallToolResult), 'READ_ONLY', name);
      }
      assert.equal(
        ((await client.callTool({ name: 'command', arguments: { argv: ['GET', k('ro')] } })).structuredContent as Structured).reply,
        'before',
      );
    } finally {
      await client.close();
    }
    assert.deepEqual(await h.fixture.peek(k('ro')), { type: 'string', value: 'before' });
    assert.equal((await h.fixture.peek(k('ro2'))).type, 'none');
  });

  it('lists its tools with schemas, annotations and the scope in the key field', async () => {
    const { tools } = await h.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [
      'command',
      'del',
      'get',
      'hget',
      'hgetall',
      'hset',
      'incr',
      'lpush',
      'lrange',
      'mget',
      'publish',
      'rpop',
      'scan',
      'set',
      'ttl',
    ]);
    const get = tools.find((t) => t.name === 'get');
    const key = (get?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.key;
    assert.match(key?.description ?? '', new RegExp(`Keys must start with one of: ${h.fixture.app}, ${h.fixture.cache}`));
    assert.equal(get?.annotations?.readOnlyHint, true);
    assert.equal(tools.find((t) => t.name === 'del')?.annotations?.destructiveHint, true);
    assert.ok(tools.every((t) => t.outputSchema));
    const without = await connect(h.fixture, { rawCommands: undefined });
    try {
      assert.equal(
        (await without.listTools()).tools.some((t) => t.name === 'command'),
        false,
      );
    } finally {
      await without.close();
    }
  });
});

/** A second server over the same backend with part of the config changed. */
async function connect(fixture: RedisFixture, change: Partial<RedisFixture['config']>): Promise<Client> {
  const { server } = createServer(fixture.backend, { ...fixture.config, ...change });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'contract-extra', version: '0' });
  await client.connect(clientSide);
  return client;
}
