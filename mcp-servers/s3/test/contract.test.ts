import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import type { S3Backend } from '../src/backend.ts';
import { MemoryS3Backend } from '../src/backend-mock.ts';
import { createS3Backend } from '../src/backend-real.ts';
import { type S3Config, S3ConfigSchema } from '../src/config.ts';
import { parseBucketSpecs } from '../src/guard.ts';
import { createServer } from '../src/server.ts';
import { S3RVER_CREDENTIALS, startS3rver } from './s3rver.ts';

interface Fixture {
  backend: S3Backend;
  config: S3Config;
  /** Keys in a bucket, straight from the store: what hostile calls must leave unchanged. */
  keys(bucket: string): Promise<string[]>;
  /** s3rver serves presigned URLs; the mock's are not fetchable. */
  fetchable: boolean;
}

/** `docs` whole, `shared` only under team/ and pub/; `other` exists on the endpoint but is not allowed. */
const BUCKETS = ['docs', 'shared', 'other'];
const config = S3ConfigSchema.parse({
  buckets: parseBucketSpecs(['docs', 'shared:team/', 'shared:pub/']),
  maxObjectBytes: 1024,
  maxPresignSeconds: 600,
});

function fixtureOf(backend: S3Backend, fetchable: boolean): Fixture {
  return {
    backend,
    config,
    fetchable,
    async keys(bucket) {
      const page = await backend.listObjects({ bucket, prefix: '', limit: 1000 });
      return page.objects.map((object) => object.key);
    },
  };
}

await contractSuite<Fixture>(
  's3',
  [
    {
      name: 'mock',
      setup: async () => {
        const backend = new MemoryS3Backend(BUCKETS);
        return { factory: () => createServer(backend, config).server, fixture: fixtureOf(backend, false) };
      },
    },
    {
      // s3rver is a devDependency started in this process, so this backend is always available.
      name: 's3rver',
      setup: async () => {
        const s3rver = await startS3rver(BUCKETS);
        const backend = createS3Backend({
          endpoint: s3rver.endpoint,
          region: 'us-east-1',
          pathStyle: true,
          credentials: S3RVER_CREDENTIALS,
        });
        return {
          factory: () => createServer(backend, { ...config, endpoint: s3rver.endpoint, pathStyle: true }).server,
          teardown: async () => {
            await backend.close();
            await s3rver.close();
          },
          fixture: fixtureOf(backend, true),
        };
      },
    },
  ],
  (h) => {
    it('puts, gets, heads and lists an object with content type and metadata', async () => {
      const put = await h.call('put_object', { bucket: 'docs', key: 'notes/a.txt', content: 'hello', metadata: { owner: 'ops-1' } });
      const md5 = `"${createHash('md5').update('hello').digest('hex')}"`;
      assert.deepEqual(put.structuredContent, {
        bucket: 'docs',
        key: 'notes/a.txt',
        size: 5,
        etag: md5,
        contentType: 'text/plain; charset=utf-8',
      });
      const got = await h.call('get_object', { bucket: 'docs', key: 'notes/a.txt' });
      assert.equal(got.isError, undefined);
      assert.deepEqual(got.content, [{ type: 'text', text: 'hello' }]);
      const object = got.structuredContent as Record<string, unknown>;
      assert.equal(object.content, 'hello');
      assert.equal(object.contentBase64, undefined);
      assert.equal(object.size, 5);
      assert.equal(object.totalSize, 5);
      assert.equal(object.etag, md5);
      assert.deepEqual(object.metadata, { owner: 'ops-1' });
      const head = await h.call('head_object', { bucket: 'docs', key: 'notes/a.txt' });
      assert.equal((head.structuredContent as { size: number }).size, 5);
      assert.equal((head.structuredContent as { contentType: string }).contentType, 'text/plain; charset=utf-8');
      const listed = await h.call('list_objects', { bucket: 'docs', prefix: 'notes/' });
      assert.deepEqual(
        (listed.structuredContent as { objects: { key: string; size: number }[] }).objects.map((o) => [o.key, o.size]),
        [['notes/a.txt', 5]],
      );
    });

    it('round-trips bytes as base64, and refuses to force them into text', async () => {
      const bytes = Buffer.from([0xff, 0x00, 0xfe, 0x10]).toString('base64');
      await h.call('put_object', { bucket: 'docs', key: 'bin/b.dat', contentBase64: bytes, contentType: 'application/x-thing' });
      const got = await h.call('get_object', { bucket: 'docs', key: 'bin/b.dat' });
      assert.equal((got.structuredContent as { contentBase64: string }).contentBase64, bytes);
      assert.equal((got.structuredContent as { content?: string }).content, undefined);
      assert.equal((got.structuredContent as { contentType: string }).contentType, 'application/x-thing');
      assert.equal(code(await h.call('get_object', { bucket: 'docs', key: 'bin/b.dat', encoding: 'utf8' })), 'INVALID_ARGUMENT');
      const text = await h.call('get_object', { bucket: 'docs', key: 'notes/a.txt', encoding: 'base64' });
      assert.equal((text.structuredContent as { contentBase64: string }).contentBase64, Buffer.from('hello').toString('base64'));
    });

    it('reads byte ranges, clamps the end, and refuses a start past the end', async () => {
      await h.call('put_object', { bucket: 'docs', key: 'r.txt', content: 'abcdefghij' });
      const part = await h.call('get_object', { bucket: 'docs', key: 'r.txt', range: { start: 2, end: 4 } });
      assert.deepEqual(pick(part, ['content', 'size', 'totalSize', 'range']), {
        content: 'cde',
        size: 3,
        totalSize: 10,
        range: { start: 2, end: 4 },
      });
      const tail = await h.call('get_object', { bucket: 'docs', key: 'r.txt', range: { start: 7, end: 100 } });
      assert.deepEqual(pick(tail, ['content', 'range']), { content: 'hij', range: { start: 7, end: 9 } });
      const open = await h.call('get_object', { bucket: 'docs', key: 'r.txt', range: { start: 8 } });
      assert.equal((open.structuredContent as { content: string }).content, 'ij');
      const past = await h.call('get_object', { bucket: 'docs', key: 'r.txt', range: { start: 10 } });
      assert.equal(code(past), 'INVALID_ARGUMENT');
      assert.equal(errorOfResult(past)?.field, 'range');
    });

    it('pages listings with continuation tokens, and groups by delimiter', async () => {
      const keys = ['p/a.txt', 'p/b.txt', 'p/c/d.txt', 'p/c/e.txt', 'p/f.txt', 'p/g/h.txt'];
      for (const key of keys) await h.fixture.backend.putObject({ bucket: 'docs', key, data: new TextEncoder().encode(key) });
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await h.call('list_objects', {
          bucket: 'docs',
          prefix: 'p/',
          limit: 4,
          ...(token ? { continuationToken: token } : {}),
        });
        const s = page.structuredContent as { objects: { key: string }[]; truncated: boolean; nextContinuationToken?: string };
        assert.ok(s.objects.length <= 4);
        assert.equal(s.truncated, s.nextContinuationToken !== undefined);
        seen.push(...s.objects.map((o) => o.key));
        token = s.nextContinuationToken;
        pages++;
      } while (token !== undefined && pages < 10);
      assert.deepEqual(seen, keys);
      assert.equal(pages, 2);
      // Delimiter grouping on one page: s3rver does not count common prefixes against MaxKeys as S3 does.
      const grouped = (await h.call('list_objects', { bucket: 'docs', prefix: 'p/', delimiter: '/' })).structuredContent as {
        objects: { key: string }[];
        commonPrefixes: string[];
      };
      assert.deepEqual(
        grouped.objects.map((o) => o.key),
        ['p/a.txt', 'p/b.txt', 'p/f.txt'],
      );
      assert.deepEqual(grouped.commonPrefixes, ['p/c/', 'p/g/']);
    });

    it('copies between allowed places, keeping content type and metadata, and checks both ends', async () => {
      await h.call('put_object', {
        bucket: 'docs',
        key: 'src.json',
        content: '{"a":1}',
        contentType: 'application/json',
        metadata: { tag: 'x' },
      });
      const copied = await h.call('copy_object', { sourceBucket: 'docs', sourceKey: 'src.json', bucket: 'shared', key: 'team/dst.json' });
      assert.equal(copied.isError, undefined, firstText(copied));
      const head = (await h.call('head_object', { bucket: 'shared', key: 'team/dst.json' })).structuredContent as Record<string, unknown>;
      assert.deepEqual([head.size, head.contentType, head.metadata], [7, 'application/json', { tag: 'x' }]);
      const before = await h.fixture.keys('shared');
      assert.deepEqual(
        field(await h.call('copy_object', { sourceBucket: 'docs', sourceKey: 'src.json', bucket: 'shared', key: 'private/x' })),
        ['ACL_DENIED', 'key'],
      );
      assert.deepEqual(field(await h.call('copy_object', { sourceBucket: 'other', sourceKey: 'x', bucket: 'docs', key: 'x' })), [
        'ACL_DENIED',
        'sourceBucket',
      ]);
      assert.deepEqual(field(await h.call('copy_object', { sourceBucket: 'shared', sourceKey: 'team/../x', bucket: 'docs', key: 'x' })), [
        'INVALID_ARGUMENT',
        'sourceKey',
      ]);
      assert.deepEqual(field(await h.call('copy_object', { sourceBucket: 'docs', sourceKey: 'missing', bucket: 'docs', key: 'y' })), [
        'NOT_FOUND',
        'sourceKey',
      ]);
      assert.deepEqual(await h.fixture.keys('shared'), before);
      assert.equal((await h.fixture.keys('docs')).includes('y'), false);
    });

    it('deletes an object, and a missing one is NOT_FOUND', async () => {
      await h.call('put_object', { bucket: 'docs', key: 'gone.txt', content: 'x' });
      const deleted = await h.call('delete_object', { bucket: 'docs', key: 'gone.txt' });
      assert.deepEqual(deleted.structuredContent, { bucket: 'docs', key: 'gone.txt', deleted: true, size: 1 });
      assert.deepEqual(field(await h.call('get_object', { bucket: 'docs', key: 'gone.txt' })), ['NOT_FOUND', 'key']);
      assert.deepEqual(field(await h.call('delete_object', { bucket: 'docs', key: 'gone.txt' })), ['NOT_FOUND', 'key']);
    });

    it('presigns bounded GET and PUT URLs', async () => {
      await h.call('put_object', { bucket: 'docs', key: 'share/me.txt', content: 'shared text' });
      const get = await h.call('presign_url', { bucket: 'docs', key: 'share/me.txt', expiresInSeconds: 60 });
      const signed = get.structuredContent as { url: string; method: string; expiresAt: string };
      assert.equal(signed.method, 'GET');
      assert.match(signed.url, /\/docs\/share\/me\.txt\?.*X-Amz-Expires=60/);
      assert.ok(Math.abs(Date.parse(signed.expiresAt) - Date.now() - 60_000) < 10_000);
      const put = await h.call('presign_url', { bucket: 'docs', key: 'share/up.txt', method: 'put', size: 6 });
      const putUrl = (put.structuredContent as { url: string }).url;
      assert.match(putUrl, /X-Amz-Expires=600/);
      if (h.fixture.fetchable) {
        assert.match(decodeURIComponent(putUrl), /X-Amz-SignedHeaders=content-length;host/);
        assert.equal(await (await fetch(signed.url)).text(), 'shared text');
        assert.equal((await fetch(putUrl, { method: 'PUT', body: 'upload' })).status, 200);
        assert.equal(structured(await h.call('get_object', { bucket: 'docs', key: 'share/up.txt' })).content, 'upload');
      }
      assert.deepEqual(field(await h.call('presign_url', { bucket: 'docs', key: 'k', expiresInSeconds: 601 })), [
        'INVALID_ARGUMENT',
        'expiresInSeconds',
      ]);
      assert.deepEqual(field(await h.call('presign_url', { bucket: 'docs', key: 'k', method: 'put' })), ['INVALID_ARGUMENT', 'size']);
      assert.deepEqual(field(await h.call('presign_url', { bucket: 'docs', key: 'k', method: 'put', size: 1025 })), ['TOO_LARGE', 'size']);
      assert.deepEqual(field(await h.call('presign_url', { bucket: 'shared', key: 'private/k' })), ['ACL_DENIED', 'key']);
    });

    it('refuses keys that escape their prefix or are malformed, and writes nothing', async () => {
      const before = await h.fixture.keys('shared');
      const hostile: [string, string][] = [
        ['private/x.txt', 'ACL_DENIED'],
        ['team-evil/x.txt', 'ACL_DENIED'],
        ['team/../private/x.txt', 'INVALID_ARGUMENT'],
        ['team/./x.txt', 'INVALID_ARGUMENT'],
        ['/team/x.txt', 'INVALID_ARGUMENT'],
        ['team\\..\\x.txt', 'INVALID_ARGUMENT'],
        ['team/x\n.txt', 'INVALID_ARGUMENT'],
        ['team/x\0.txt', 'INVALID_ARGUMENT'],
        ['team//x.txt', 'INVALID_ARGUMENT'],
        ['..', 'INVALID_ARGUMENT'],
      ];
      for (const [key, expected] of hostile) {
        for (const [tool, args] of [
          ['put_object', { content: 'x' }],
          ['get_object', {}],
          ['head_object', {}],
          ['delete_object', {}],
          ['presign_url', {}],
        ] as const) {
          const result = await h.call(tool, { bucket: 'shared', key, ...args });
          assert.deepEqual(field(result), [expected, 'key'], `${tool} ${JSON.stringify(key)}`);
        }
      }
      assert.deepEqual(await h.fixture.keys('shared'), before);
      assert.deepEqual(field(await h.call('list_objects', { bucket: 'shared', prefix: 'private/' })), ['ACL_DENIED', 'prefix']);
      assert.deepEqual(field(await h.call('list_objects', { bucket: 'shared' })), ['ACL_DENIED', 'prefix']);
      assert.deepEqual(field(await h.call('list_objects', { bucket: 'shared', prefix: 'team/../' })), ['INVALID_ARGUMENT', 'prefix']);
    });

    it('refuses another bucket, naming the allowed ones, and writes nothing there', async () => {
      const put = await h.call('put_object', { bucket: 'other', key: 'x.txt', content: 'x' });
      assert.deepEqual(field(put), ['ACL_DENIED', 'bucket']);
      assert.match(firstText(put), /allowed: docs, shared/);
      assert.deepEqual(field(await h.call('list_objects', { bucket: 'other' })), ['ACL_DENIED', 'bucket']);
      assert.deepEqual(field(await h.call('get_object', { bucket: 'other', key: 'x.txt' })), ['ACL_DENIED', 'bucket']);
      assert.deepEqual(await h.fixture.keys('other'), []);
      const buckets = (await h.call('list_buckets')).structuredContent as { buckets: { name: string; exists: boolean | null }[] };
      assert.deepEqual(buckets.buckets, [
        { name: 'docs', prefixes: [], exists: true },
        { name: 'shared', prefixes: ['pub/', 'team/'], exists: true },
      ]);
    });

    it('refuses oversized bodies and reads instead of cutting them', async () => {
      const big = 'y'.repeat(1025);
      assert.deepEqual(field(await h.call('put_object', { bucket: 'docs', key: 'big.txt', content: big })), ['TOO_LARGE', 'content']);
      const bigBytes = Buffer.alloc(1025, 1).toString('base64');
      assert.deepEqual(field(await h.call('put_object', { bucket: 'docs', key: 'big.bin', contentBase64: bigBytes })), [
        'TOO_LARGE',
        'contentBase64',
      ]);
      assert.equal(
        (await h.fixture.keys('docs')).some((key) => key.startsWith('big.')),
        false,
      );
      await h.fixture.backend.putObject({ bucket: 'docs', key: 'huge.txt', data: new TextEncoder().encode('z'.repeat(2000)) });
      const read = await h.call('get_object', { bucket: 'docs', key: 'huge.txt' });
      assert.deepEqual(field(read), ['TOO_LARGE', 'key']);
      assert.match(firstText(read), /2000 bytes; the limit is 1024/);
      const part = await h.call('get_object', { bucket: 'docs', key: 'huge.txt', range: { start: 0, end: 1023 } });
      assert.equal((part.structuredContent as { size: number }).size, 1024);
      assert.deepEqual(
        field(await h.call('copy_object', { sourceBucket: 'docs', sourceKey: 'huge.txt', bucket: 'docs', key: 'huge2.txt' })),
        ['TOO_LARGE', 'sourceKey'],
      );
    });

    it('refuses wrong types and malformed fields with INVALID_ARGUMENT naming the field, writing nothing', async () => {
      const before = await h.fixture.keys('docs');
      const cases: [string, Record<string, unknown>, string][] = [
        ['put_object', { bucket: 7, key: 'w1', content: 'x' }, 'bucket'],
        ['put_object', { bucket: 'docs', key: ['w1'], content: 'x' }, 'key'],
        ['put_object', { bucket: 'docs', key: 'w1' }, 'content'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', contentBase64: 'eA==' }, 'content'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 5 }, 'content'],
        ['put_object', { bucket: 'docs', key: 'w1', contentBase64: 'not base64!' }, 'contentBase64'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', metadata: { n: 1 } }, 'metadata.n'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', metadata: { 'Bad Key': 'v' } }, 'metadata.Bad Key'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', metadata: { k: 'line\r\nX-Evil: 1' } }, 'metadata.k'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', contentType: 'text/plain\r\nX-Evil: 1' }, 'contentType'],
        ['put_object', { bucket: 'docs', key: 'w1', content: 'x', extra: true }, 'extra'],
        ['get_object', { bucket: 'docs', key: 'w1', range: { start: -1 } }, 'range.start'],
        ['get_object', { bucket: 'docs', key: 'w1', range: { start: 5, end: 2 } }, 'range.end'],
        ['get_object', { bucket: 'docs', key: 'w1', encoding: 'latin1' }, 'encoding'],
        ['list_objects', { bucket: 'docs', limit: 0 }, 'limit'],
        ['copy_object', { sourceBucket: 'docs', bucket: 'docs', key: 'w1' }, 'sourceKey'],
        ['presign_url', { bucket: 'docs', key: 'w1', method: 'delete' }, 'method'],
        ['presign_url', { bucket: 'docs', key: 'w1', size: 3 }, 'method'],
      ];
      for (const [tool, args, name] of cases) {
        const result = await h.call(tool, args);
        assert.deepEqual(field(result), ['INVALID_ARGUMENT', name], `${tool} ${JSON.stringify(args)}`);
      }
      assert.deepEqual(await h.fixture.keys('docs'), before);
    });

    it('read-only refuses every write but still reads', async () => {
      const readOnly = await connect(createServer(h.fixture.backend, { ...h.fixture.config, readOnly: true }).server);
      try {
        const before = await h.fixture.keys('docs');
        for (const [tool, args] of [
          ['put_object', { bucket: 'docs', key: 'ro.txt', content: 'x' }],
          ['delete_object', { bucket: 'docs', key: 'notes/a.txt' }],
          ['copy_object', { sourceBucket: 'docs', sourceKey: 'notes/a.txt', bucket: 'docs', key: 'ro.txt' }],
          ['presign_url', { bucket: 'docs', key: 'ro.txt', method: 'put', size: 1 }],
        ] as const) {
          assert.equal(code(await readOnly.call(tool, args)), 'READ_ONLY', tool);
        }
        assert.deepEqual(await h.fixture.keys('docs'), before);
        assert.equal(structured(await readOnly.call('get_object', { bucket: 'docs', key: 'notes/a.txt' })).content, 'hello');
        assert.equal((await readOnly.call('presign_url', { bucket: 'docs', key: 'notes/a.txt' })).isError, undefined);
      } finally {
        await readOnly.close();
      }
    });

    it('lists its tools with schemas, annotations and the scope in the bucket field', async () => {
      const { tools } = await h.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), [
        'copy_object',
        'delete_object',
        'get_object',
        'head_object',
        'list_buckets',
        'list_objects',
        'presign_url',
        'put_object',
      ]);
      const get = tools.find((t) => t.name === 'get_object');
      const bucket = (get?.inputSchema.properties as Record<string, { description?: string }> | undefined)?.bucket;
      assert.match(bucket?.description ?? '', /Buckets: docs; shared \(keys under pub\/, team\/\)/);
      assert.equal(get?.annotations?.readOnlyHint, true);
      assert.ok(get?.outputSchema);
    });
  },
);

async function connect(server: ReturnType<typeof createServer>['server']) {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'read-only', version: '0' });
  await client.connect(clientSide);
  return {
    call: (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

function code(result: CallToolResult): string | undefined {
  return errorOfResult(result)?.code;
}

function field(result: CallToolResult): [string | undefined, string | undefined] {
  const error = errorOfResult(result);
  return [error?.code, error?.field];
}

function pick(result: CallToolResult, keys: string[]): Record<string, unknown> {
  const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((key) => [key, structured[key]]));
}

function structured(result: CallToolResult): Record<string, unknown> {
  return (result.structuredContent ?? {}) as Record<string, unknown>;
}

function firstText(result: CallToolResult): string {
  return (result.content[0] as { text: string }).text;
}
