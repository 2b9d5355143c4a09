import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { type CallToolResult, InMemoryTransport } from '@modelcontextprotocol/server';
import { errorOfResult } from '@switchboard/kit';
import { contractSuite } from '@switchboard/kit/contract';
import type { RagStore } from '../src/backend.ts';
import { MemoryRagStore } from '../src/backend-mock.ts';
import { SqliteRagStore } from '../src/backend-real.ts';
import { type RagConfigInput, RagConfigSchema } from '../src/config.ts';
import { createEngine } from '../src/main.ts';
import { createServer } from '../src/server.ts';

type Call = (name: string, args?: Record<string, unknown>) => Promise<CallToolResult>;

interface Fixture {
  /** A second server over the same store with other settings (read-only, another embedder, …). */
  connect(overrides: Partial<RagConfigInput>): Promise<Call>;
  /** The index_path root, with files in it, and a secret beside it. */
  root: string;
  secret: string;
}

function fixtureFor(
  store: RagStore,
  base: string,
  closers: (() => Promise<void>)[],
): { factory: () => ReturnType<typeof createServer>['server']; fixture: Fixture } {
  const root = join(base, 'root');
  mkdirSync(join(root, 'docs', 'deep'), { recursive: true });
  writeFileSync(join(root, 'docs', 'wings.md'), '# Wings\n\nA swept wing delays the shock at transonic speed.\n');
  writeFileSync(join(root, 'docs', 'deep', 'heat.md'), 'Heat conduction in composite slabs.\n');
  writeFileSync(join(root, 'docs', 'code.ts'), 'export function liftCoefficient(alpha: number) {\n  return 2 * Math.PI * alpha;\n}\n');
  writeFileSync(join(root, 'docs', 'big.md'), `${'x '.repeat(3000)}\n`);
  writeFileSync(join(root, 'docs', 'blob.md'), Buffer.from([0x68, 0x69, 0xff, 0xfe, 0x00]));
  writeFileSync(join(base, 'secret.md'), 'top secret launch codes');
  mkdirSync(join(base, 'root-evil'));
  writeFileSync(join(base, 'root-evil', 'x.md'), 'evil twin');
  symlinkSync(join(base, 'secret.md'), join(root, 'docs', 'link-to-secret.md'));
  symlinkSync(base, join(root, 'link-to-outside'));
  const config = (overrides: Partial<RagConfigInput> = {}) =>
    RagConfigSchema.parse({
      mock: true,
      roots: [root],
      maxDocumentBytes: 4096,
      maxK: 50,
      maxDocumentsPerCall: 20,
      collections: ['*'],
      ...overrides,
    });
  const engine = createEngine(config(), store);
  return {
    factory: () => createServer(engine, config()).server,
    fixture: {
      root,
      secret: join(base, 'secret.md'),
      connect: async (overrides) => {
        const other = createEngine(config(overrides), store);
        const server = createServer(other, config(overrides)).server;
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await server.connect(serverSide);
        const client = new Client({ name: 'contract-extra', version: '0' });
        await client.connect(clientSide);
        closers.push(async () => {
          await client.close();
          await server.close();
        });
        return (name, args = {}) => client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
      },
    },
  };
}

const docs = [
  { id: 'wing', text: 'Swept wings delay the onset of shock waves at transonic speeds.', metadata: { topic: 'aero', year: 1958 } },
  { id: 'heat', text: 'Heat conduction through composite slabs was solved analytically.', metadata: { topic: 'thermal', year: 1962 } },
  {
    id: 'boundary',
    text: 'The boundary layer separates when the adverse pressure gradient is strong.',
    metadata: { topic: 'aero', year: 1970 },
  },
];

await contractSuite<Fixture>(
  'rag',
  [
    {
      name: 'mock',
      setup: async () => {
        const base = mkdtempSync(join(tmpdir(), 'sb-rag-contract-'));
        const closers: (() => Promise<void>)[] = [];
        const { factory, fixture } = fixtureFor(new MemoryRagStore(), base, closers);
        return {
          factory,
          fixture,
          teardown: async () => {
            for (const close of closers) await close();
            rmSync(base, { recursive: true, force: true });
          },
        };
      },
    },
    {
      name: 'sqlite',
      setup: async () => {
        const base = mkdtempSync(join(tmpdir(), 'sb-rag-contract-'));
        const store = new SqliteRagStore(join(base, 'data'));
        const closers: (() => Promise<void>)[] = [];
        const { factory, fixture } = fixtureFor(store, base, closers);
        return {
          factory,
          fixture,
          teardown: async () => {
            for (const close of closers) await close();
            store.close();
            rmSync(base, { recursive: true, force: true });
          },
        };
      },
    },
  ],
  (h) => {
    const results = (r: CallToolResult) =>
      (
        r.structuredContent as {
          results: {
            documentId: string;
            chunkId: string;
            text: string;
            start: number;
            end: number;
            score: number;
            metadata: Record<string, unknown>;
          }[];
        }
      ).results;

    it('creates, lists, indexes and finds documents in every mode', async () => {
      // Listing first makes the client check every later structuredContent against the tool's outputSchema.
      await h.client.listTools();
      const created = await h.call('create_collection', { collection: 'papers' });
      assert.equal(created.isError, undefined, JSON.stringify(created));
      assert.equal((created.structuredContent as { created: boolean }).created, true);
      const indexed = await h.call('index', { collection: 'papers', documents: docs });
      assert.equal(indexed.isError, undefined, JSON.stringify(indexed));
      assert.deepEqual(
        (indexed.structuredContent as { indexed: { id: string }[] }).indexed.map((d) => d.id),
        ['wing', 'heat', 'boundary'],
      );
      for (const mode of ['hybrid', 'vector', 'lexical']) {
        const found = await h.call('search', { collection: 'papers', query: 'shock waves on swept wings', k: 2, mode });
        assert.equal(found.isError, undefined, JSON.stringify(found));
        const [first] = results(found);
        assert.equal(first?.documentId, 'wing', mode);
        assert.equal(first?.chunkId, 'wing#0');
        assert.deepEqual(first?.metadata, { topic: 'aero', year: 1958 });
        assert.equal(docs[0]?.text.slice(first?.start, first?.end), first?.text);
        assert.ok(results(found).length <= 2);
      }
      const listed = await h.call('list_collections');
      const papers = (
        listed.structuredContent as { collections: { collection: string; documents: number; chunks: number }[] }
      ).collections.find((c) => c.collection === 'papers');
      assert.deepEqual({ documents: papers?.documents, chunks: papers?.chunks }, { documents: 3, chunks: 3 });
    });

    it('skips unchanged documents, replaces changed ones, and reuses vectors for a metadata-only change', async () => {
      const again = await h.call('index', { collection: 'papers', documents: docs });
      assert.deepEqual((again.structuredContent as { unchanged: string[] }).unchanged, ['wing', 'heat', 'boundary']);
      assert.equal((again.structuredContent as { chunksAdded: number }).chunksAdded, 0);
      const changed = await h.call('index', {
        collection: 'papers',
        documents: [{ id: 'heat', text: 'Radiative heat transfer in rarefied gas.', metadata: { topic: 'thermal' } }],
      });
      assert.deepEqual((changed.structuredContent as { chunksRemoved: number; chunksAdded: number }).chunksRemoved, 1);
      const old = await h.call('search', { collection: 'papers', query: 'composite slabs', mode: 'lexical' });
      assert.equal(
        results(old).some((r) => r.documentId === 'heat'),
        false,
        'the old text is gone',
      );
      const fresh = await h.call('search', { collection: 'papers', query: 'rarefied gas radiative', mode: 'lexical' });
      assert.equal(results(fresh)[0]?.documentId, 'heat');
      const relabelled = await h.call('index', {
        collection: 'papers',
        documents: [{ id: 'heat', text: 'Radiative heat transfer in rarefied gas.', metadata: { topic: 'radiation' } }],
      });
      assert.equal((relabelled.structuredContent as { embedded: number }).embedded, 0);
      const meta = await h.call('search', { collection: 'papers', query: 'rarefied gas', k: 1 });
      assert.deepEqual(results(meta)[0]?.metadata, { topic: 'radiation' });
    });

    it('filters by metadata', async () => {
      const aero = await h.call('search', { collection: 'papers', query: 'flow', k: 10, filter: { topic: 'aero' } });
      assert.deepEqual(
        results(aero)
          .map((r) => r.documentId)
          .sort(),
        ['boundary', 'wing'],
      );
      const recent = await h.call('search', {
        collection: 'papers',
        query: 'wings boundary layer',
        k: 10,
        mode: 'vector',
        filter: { year: { $gte: 1960 } },
      });
      assert.deepEqual(
        results(recent).map((r) => r.documentId),
        ['boundary'],
      );
      const bad = await h.call('search', { collection: 'papers', query: 'x', filter: { year: { $where: 'sleep(1)' } } });
      assert.equal(code(bad), 'INVALID_ARGUMENT');
      assert.match(errorOfResult(bad)?.field ?? '', /^filter/);
    });

    it('answers repeated searches from the cache and drops it on writes', async () => {
      const query = { collection: 'papers', query: 'pressure gradient separation', k: 3 };
      const first = await h.call('search', query);
      const before = (await h.call('stats', { collection: 'papers' })).structuredContent as { caches: { results: { hits: number } } };
      assert.deepEqual((await h.call('search', query)).structuredContent, first.structuredContent);
      const after = (await h.call('stats', { collection: 'papers' })).structuredContent as { caches: { results: { hits: number } } };
      assert.equal(after.caches.results.hits, before.caches.results.hits + 1);
      await h.call('index', {
        collection: 'papers',
        documents: [{ id: 'sep', text: 'Separation of the boundary layer under an adverse pressure gradient.' }],
      });
      const third = await h.call('search', query);
      assert.ok(
        results(third).some((r) => r.documentId === 'sep'),
        'a write invalidates cached results',
      );
    });

    it('deletes documents and drops collections', async () => {
      const deleted = await h.call('delete', { collection: 'papers', documentIds: ['sep', 'nope'] });
      assert.deepEqual(deleted.structuredContent, {
        collection: 'papers',
        deleted: ['sep'],
        missing: ['nope'],
        chunksRemoved: 1,
        dropped: false,
      });
      const gone = await h.call('search', { collection: 'papers', query: 'separation adverse pressure', k: 5, mode: 'lexical' });
      assert.equal(
        results(gone).some((r) => r.documentId === 'sep'),
        false,
      );
      await h.call('create_collection', { collection: 'scratch' });
      const dropped = await h.call('delete', { collection: 'scratch', dropCollection: true });
      assert.equal((dropped.structuredContent as { dropped: boolean }).dropped, true);
      assert.equal(code(await h.call('search', { collection: 'scratch', query: 'x' })), 'NOT_FOUND');
      assert.equal(code(await h.call('delete', { collection: 'scratch', dropCollection: true })), 'NOT_FOUND');
    });

    it('refuses hostile and oversized input with errors naming the field, writing nothing', async () => {
      const huge = await h.call('search', { collection: 'papers', query: 'wing', k: 1e9 });
      assert.equal(code(huge), 'INVALID_ARGUMENT');
      assert.equal(errorOfResult(huge)?.field, 'k');
      assert.match(text(huge), /at most 50/);
      const giant = await h.call('index', {
        collection: 'papers',
        documents: [
          { id: 'ok', text: 'fine' },
          { id: 'giant', text: 'x'.repeat(5000) },
        ],
      });
      assert.equal(code(giant), 'TOO_LARGE');
      assert.equal(errorOfResult(giant)?.field, 'documents.1.text');
      const many = await h.call('index', {
        collection: 'papers',
        documents: Array.from({ length: 21 }, (_, i) => ({ id: `d${i}`, text: 'x' })),
      });
      assert.equal(errorOfResult(many)?.field, 'documents');
      const twice = await h.call('index', {
        collection: 'papers',
        documents: [
          { id: 'a', text: 'x' },
          { id: 'a', text: 'y' },
        ],
      });
      assert.equal(errorOfResult(twice)?.field, 'documents.1.id');
      const stats = (await h.call('stats', { collection: 'papers' })).structuredContent as { collections: { documents: number }[] };
      assert.equal(stats.collections[0]?.documents, 3, 'nothing was written by the refused calls');
      assert.equal(code(await h.call('search', { collection: 'nope', query: 'x' })), 'NOT_FOUND');
      assert.match(text(await h.call('search', { collection: 'nope', query: 'x' })), /create it with create_collection/);
      assert.equal(code(await h.call('index', { collection: 'nope', documents: [{ id: 'a', text: 'x' }] })), 'NOT_FOUND');
      for (const name of ['../etc', 'UPPER', 'a/b', '', 'x'.repeat(65), '.hidden']) {
        const result = await h.call('create_collection', { collection: name });
        assert.equal(code(result), 'INVALID_ARGUMENT', name);
        assert.equal(errorOfResult(result)?.field, 'collection');
      }
      const cases: [string, Record<string, unknown>, string][] = [
        ['search', { collection: 'papers' }, 'query'],
        ['search', { collection: 'papers', query: 'x', mode: 'fuzzy' }, 'mode'],
        ['search', { collection: 'papers', query: 'x', k: 0 }, 'k'],
        ['index', { collection: 'papers', documents: [{ id: 'a' }] }, 'documents.0.text'],
        ['index', { collection: 'papers', documents: [{ id: 'a\u0000b', text: 'x' }] }, 'documents.0.id'],
        ['delete', { collection: 'papers' }, 'documentIds'],
        ['create_collection', { collection: 'c2', chunkSize: 10 }, 'chunkSize'],
        ['search', { collection: 'papers', query: 'x', extra: 1 }, 'extra'],
      ];
      for (const [tool, args, field] of cases) {
        const result = await h.call(tool, args);
        assert.equal(code(result), 'INVALID_ARGUMENT', `${tool} ${JSON.stringify(args)}`);
        assert.equal(errorOfResult(result)?.field, field, `${tool} ${JSON.stringify(args)}`);
      }
      assert.equal(code(await h.call('create_collection', { collection: 'papers' })), 'ALREADY_EXISTS');
      assert.equal((await h.call('create_collection', { collection: 'papers', existOk: true })).isError, undefined);
    });

    it('enforces the collection allowlist and read-only mode', async () => {
      const narrow = await h.fixture.connect({ collections: ['team-*'] });
      assert.equal(code(await narrow('search', { collection: 'papers', query: 'x' })), 'ACL_DENIED');
      assert.equal(code(await narrow('create_collection', { collection: 'papers2' })), 'ACL_DENIED');
      assert.equal((await narrow('create_collection', { collection: 'team-notes' })).isError, undefined);
      const visible = (await narrow('list_collections')).structuredContent as { collections: { collection: string }[] };
      assert.deepEqual(
        visible.collections.map((c) => c.collection),
        ['team-notes'],
      );
      const readOnly = await h.fixture.connect({ readOnly: true });
      assert.equal(code(await readOnly('index', { collection: 'papers', documents: [{ id: 'x', text: 'y' }] })), 'READ_ONLY');
      assert.equal(code(await readOnly('delete', { collection: 'papers', documentIds: ['wing'] })), 'READ_ONLY');
      assert.equal(code(await readOnly('create_collection', { collection: 'other' })), 'READ_ONLY');
      assert.equal(code(await readOnly('index_path', { collection: 'papers' })), 'READ_ONLY');
      assert.equal(results(await readOnly('search', { collection: 'papers', query: 'wing', k: 1 }))[0]?.documentId, 'wing');
    });

    it('refuses to mix embedders, but still searches lexically', async () => {
      const other = await h.fixture.connect({ embedder: { kind: 'hashing', dimensions: 64 } });
      const vector = await other('search', { collection: 'papers', query: 'wing', mode: 'vector' });
      assert.equal(code(vector), 'INVALID_CONFIG');
      assert.match(text(vector), /built with embedder 'hashing-v1' \(1024 dimensions\) but this server embeds with 'hashing-v1' \(64\)/);
      assert.equal(code(await other('index', { collection: 'papers', documents: [{ id: 'x', text: 'y' }] })), 'INVALID_CONFIG');
      assert.equal(results(await other('search', { collection: 'papers', query: 'wing', mode: 'lexical', k: 1 }))[0]?.documentId, 'wing');
    });

    it('indexes files under its root, skipping what it must and saying so', async () => {
      await h.call('create_collection', { collection: 'files', chunkSize: 200, chunkOverlap: 20 });
      const indexed = await h.call('index_path', { collection: 'files', path: 'docs' });
      assert.equal(indexed.isError, undefined, JSON.stringify(indexed));
      const out = indexed.structuredContent as { indexed: { id: string }[]; skipped: { path: string; reason: string }[] };
      assert.deepEqual(out.indexed.map((d) => d.id).sort(), ['docs/code.ts', 'docs/deep/heat.md', 'docs/wings.md']);
      assert.deepEqual(out.skipped.map((s) => s.path).sort(), ['docs/big.md', 'docs/blob.md']);
      assert.match(out.skipped.find((s) => s.path === 'docs/big.md')?.reason ?? '', /limit/);
      const found = await h.call('search', { collection: 'files', query: 'lift coefficient alpha', k: 1 });
      assert.equal(results(found)[0]?.documentId, 'docs/code.ts');
      assert.deepEqual(results(found)[0]?.metadata, { path: 'docs/code.ts', extension: 'ts', source: 'index_path' });
      const secret = await h.call('search', { collection: 'files', query: 'launch codes secret', mode: 'lexical' });
      assert.deepEqual(results(secret), [], 'a symlink to a file outside was not followed');
      const onlyMd = await h.call('index_path', { collection: 'files', path: 'docs', glob: '*.md' });
      assert.equal((onlyMd.structuredContent as { unchanged: string[] }).unchanged.length, 2);
      rmSync(join(h.fixture.root, 'docs', 'deep', 'heat.md'));
      const pruned = await h.call('index_path', { collection: 'files', path: 'docs', prune: true });
      assert.deepEqual((pruned.structuredContent as { pruned: string[] }).pruned, ['docs/deep/heat.md']);
      const limited = await h.call('index_path', { collection: 'files', path: 'docs', limit: 1 });
      assert.equal((limited.structuredContent as { truncated: boolean }).truncated, true);
    });

    it('refuses every way out of the root in index_path', async () => {
      for (const path of [
        '..',
        '../root-evil',
        '/etc',
        h.fixture.secret,
        'docs/../../',
        'link-to-outside',
        'link-to-outside/root-evil',
        'a\u0000b',
        '..\\x',
      ]) {
        const result = await h.call('index_path', { collection: 'files', path });
        assert.ok(['ACL_DENIED', 'INVALID_ARGUMENT'].includes(code(result) ?? ''), `${path}: ${code(result)} ${text(result)}`);
        assert.equal(errorOfResult(result)?.field, 'path');
        assert.doesNotMatch(JSON.stringify(result), /launch codes|evil twin/);
      }
      const rootless = await h.fixture.connect({ roots: [] });
      assert.equal(code(await rootless('index_path', { collection: 'files' })), 'ACL_DENIED');
    });

    it('reports stats and lists its tools with their scope', async () => {
      const stats = (await h.call('stats', { collection: 'papers' })).structuredContent as {
        store: string;
        collections: { index: string; chunks: number; vocabulary: number }[];
      };
      assert.equal(stats.store, h.backend === 'mock' ? 'memory' : 'sqlite');
      assert.equal(stats.collections[0]?.index, 'exact');
      assert.ok((stats.collections[0]?.vocabulary ?? 0) > 10);
      const { tools } = await h.client.listTools();
      assert.deepEqual(tools.map((t) => t.name).sort(), [
        'create_collection',
        'delete',
        'index',
        'index_path',
        'list_collections',
        'search',
        'stats',
      ]);
      const search = tools.find((t) => t.name === 'search');
      assert.match(JSON.stringify(search?.inputSchema), /Any collection name is allowed/);
      assert.equal(search?.annotations?.readOnlyHint, true);
      assert.ok(search?.outputSchema);
    });
  },
);

function code(result: CallToolResult): string | undefined {
  return errorOfResult(result)?.code;
}

function text(result: CallToolResult): string {
  return (result.content[0] as { text: string }).text;
}
