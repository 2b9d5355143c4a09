import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryRagStore } from '../backend-mock.ts';
import { type RagConfigInput, RagConfigSchema } from '../config.ts';
import { createEmbedderProvider } from '../embeddings/provider.ts';
import { RagEngine } from './engine.ts';

function engineWith(overrides: Partial<RagConfigInput> = {}): RagEngine {
  const config = RagConfigSchema.parse({ mock: true, ...overrides });
  return new RagEngine(new MemoryRagStore(), config, createEmbedderProvider(config.embedder));
}

const topics = ['wings', 'heat', 'shock', 'flutter', 'nozzles', 'plumes', 'rotors', 'inlets'];
const docs = Array.from({ length: 80 }, (_, i) => ({
  id: `d${i}`,
  text: `Study ${i} of ${topics[i % topics.length]} and ${topics[(i * 3) % topics.length]}, series ${i % 7}.`,
  metadata: { series: i % 7 },
}));

describe('rag engine', () => {
  it('serialises concurrent writes to one collection', async () => {
    const engine = engineWith();
    await engine.createCollection('c', {});
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => engine.index('c', docs.slice(i * 10, i * 10 + 10))));
    assert.deepEqual(
      outcomes.map((o) => o.generation).sort((a, b) => a - b),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(engine.store.counts('c').documents, 80);
    assert.equal((await engine.collection('c')).chunkCount, 80);
  });

  it('moves to HNSW past the threshold and keeps answering alike, filters included', async () => {
    const exact = engineWith({ hnswThreshold: 1000 });
    const hnsw = engineWith({ hnswThreshold: 30 });
    for (const engine of [exact, hnsw]) {
      await engine.createCollection('c', {});
      await engine.index('c', docs);
    }
    assert.equal((await exact.collection('c')).indexKind, 'exact');
    assert.equal((await hnsw.collection('c')).indexKind, 'hnsw');
    for (const query of ['flutter of rotors', 'nozzles and plumes series 3', 'heat study 42']) {
      const a = await exact.search('c', { query, k: 5, mode: 'vector' });
      const b = await hnsw.search('c', { query, k: 5, mode: 'vector' });
      assert.equal(b[0]?.documentId, a[0]?.documentId, query);
      const filtered = await hnsw.search('c', { query, k: 5, mode: 'vector', filter: { series: 3 } });
      assert.equal(filtered.length, 5);
      assert.ok(filtered.every((r) => r.metadata.series === 3));
    }
    await hnsw.deleteDocuments('c', ['d42']);
    const after = await hnsw.search('c', { query: 'heat study 42', k: 80, mode: 'vector' });
    assert.equal(
      after.some((r) => r.documentId === 'd42'),
      false,
    );
  });

  it('splits long documents into chunks with offsets and cites them by chunk id', async () => {
    const engine = engineWith();
    await engine.createCollection('c', { chunkSize: 200, chunkOverlap: 20 });
    const text = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} discusses ${topics[i % topics.length]} in depth.`).join('\n\n');
    const outcome = await engine.index('c', [{ id: 'long', text }]);
    assert.ok((outcome.indexed[0]?.chunks ?? 0) > 2);
    const [hit] = await engine.search('c', { query: 'paragraph 9 flutter', k: 1, mode: 'lexical' });
    assert.match(hit?.chunkId ?? '', /^long#\d+$/);
    assert.equal(text.slice(hit?.start, hit?.end), hit?.text);
    assert.match(hit?.text ?? '', /Paragraph 9/);
  });
});
