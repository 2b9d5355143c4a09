import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ToolError } from '@switchboard/kit';
import { SqliteRagStore } from '../src/backend-real.ts';
import { type RagConfigInput, RagConfigSchema } from '../src/config.ts';
import type { EmbedderProvider } from '../src/embeddings/embedder.ts';
import { createEmbedderProvider } from '../src/embeddings/provider.ts';
import { RagEngine } from '../src/engine/engine.ts';

const base = mkdtempSync(join(tmpdir(), 'sb-rag-persist-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** The configured embedder, counting the document texts it embeds (queries are not counted). */
function countingEngine(data: string, overrides: Partial<RagConfigInput> = {}) {
  const config = RagConfigSchema.parse({ data, ...overrides });
  const inner = createEmbedderProvider(config.embedder);
  const counter = { documents: 0 };
  const provider: EmbedderProvider = {
    ...inner,
    name: inner.name,
    forCollection: async (statistics) => {
      const embedder = await inner.forCollection(statistics);
      return {
        ...embedder,
        embedDocuments: async (texts: string[]) => {
          counter.documents += texts.length;
          return embedder.embedDocuments(texts);
        },
      };
    },
  };
  return { engine: new RagEngine(new SqliteRagStore(data), config, provider), counter };
}

const corpus = Array.from({ length: 60 }, (_, i) => ({
  id: `doc-${i}`,
  text: `Report ${i} on ${['wings', 'heat', 'shock', 'flutter', 'nozzles'][i % 5]} number ${i}: ${'measured values and observations. '.repeat(1 + (i % 3))}`,
  metadata: { n: i },
}));

describe('rag persistence (sqlite)', () => {
  it('reopens a collection without re-embedding and answers the same', async () => {
    const data = join(base, 'exact');
    const first = countingEngine(data);
    await first.engine.createCollection('notes', {});
    await first.engine.index('notes', corpus.slice(0, 20));
    assert.equal(first.counter.documents, 20);
    const before = await first.engine.search('notes', { query: 'flutter report', k: 5, mode: 'hybrid' });
    await first.engine.close();

    const second = countingEngine(data);
    const after = await second.engine.search('notes', { query: 'flutter report', k: 5, mode: 'hybrid' });
    assert.deepEqual(after, before);
    assert.equal(second.counter.documents, 0, 'nothing was embedded again');
    const unchanged = await second.engine.index('notes', corpus.slice(0, 20));
    assert.equal(unchanged.unchanged.length, 20);
    assert.equal(second.counter.documents, 0);
    await second.engine.close();
  });

  it('saves the HNSW graph at close and reads it back; rebuilds it from stored vectors after a crash', async () => {
    const data = join(base, 'hnsw');
    const options = { hnswThreshold: 20 };
    const first = countingEngine(data, options);
    await first.engine.createCollection('big', {});
    await first.engine.index('big', corpus);
    const open = await first.engine.collection('big');
    assert.equal(open.indexKind, 'hnsw', 'past the threshold the collection moved to HNSW');
    const before = await first.engine.search('big', { query: 'nozzles number 14', k: 5, mode: 'vector' });
    await first.engine.close();

    const second = countingEngine(data, options);
    const reopened = await second.engine.collection('big');
    assert.equal(reopened.indexKind, 'hnsw');
    assert.equal(reopened.indexSource, 'saved');
    assert.deepEqual(await second.engine.search('big', { query: 'nozzles number 14', k: 5, mode: 'vector' }), before);
    // A write, then the process "dies": the store is closed but the graph is never saved.
    await second.engine.index('big', [{ id: 'late', text: 'A late report on nozzles and plumes.' }]);
    second.engine.store.close();

    const third = countingEngine(data, options);
    const rebuilt = await third.engine.collection('big');
    assert.equal(rebuilt.indexSource, 'built', 'the stale graph file was not trusted');
    assert.equal(rebuilt.chunkCount, 61);
    const found = await third.engine.search('big', { query: 'late report plumes', k: 3, mode: 'vector' });
    assert.equal(found[0]?.documentId, 'late');
    assert.equal(third.counter.documents, 0, 'rebuilt from stored vectors, not re-embedded');
    await third.engine.close();
  });

  it('refuses a second server on the same data dir', async () => {
    const data = join(base, 'locked');
    const first = new SqliteRagStore(data);
    assert.throws(
      () => new SqliteRagStore(data),
      (error: ToolError) =>
        error instanceof ToolError && error.code === 'INVALID_CONFIG' && /in use by another rag server/.test(error.message),
    );
    first.close();
    new SqliteRagStore(data).close();
  });

  it('keeps the statistics of deleted documents out of the IDF', async () => {
    const data = join(base, 'stats');
    const { engine } = countingEngine(data);
    await engine.createCollection('s', {});
    await engine.index('s', corpus.slice(0, 10));
    const stored = engine.store.statistics('s');
    await engine.index('s', [{ id: 'extra', text: 'zeppelin airship mooring mast' }]);
    await engine.deleteDocuments('s', ['extra']);
    const after = engine.store.statistics('s');
    assert.equal(after.documents, stored.documents);
    assert.deepEqual([...after.df].sort(), [...stored.df].sort());
    await engine.close();
  });

  it('reports an unknown collection clearly', async () => {
    const { engine } = countingEngine(join(base, 'unknown'));
    await assert.rejects(
      engine.search('ghost', { query: 'x', k: 1, mode: 'hybrid' }),
      (error: ToolError) => error.code === 'NOT_FOUND' && error.field === 'collection',
    );
    await engine.close();
  });
});
