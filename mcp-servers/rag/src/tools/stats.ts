import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { collectionField } from './fields.ts';

const CacheSchema = z.object({ size: z.number().int(), hits: z.number().int(), misses: z.number().int() });

export function statsTool({ engine, scope }: RagDeps) {
  return defineTool({
    name: 'stats',
    title: 'Collection statistics',
    description: `Sizes and index state of one collection (or of every visible one): documents, chunks, index kind (exact or hnsw), vector memory, vocabulary; and the caches. ${scope}`,
    input: z.strictObject({ collection: collectionField(scope).optional() }),
    output: z.object({
      store: z.enum(['sqlite', 'memory']),
      collections: z.array(
        z.object({
          collection: z.string(),
          embedder: z.string(),
          dimensions: z.number().int(),
          documents: z.number().int(),
          chunks: z.number().int(),
          index: z.enum(['exact', 'hnsw']),
          indexSource: z.enum(['saved', 'built']).describe('at open: read from the saved HNSW file, or built from the stored vectors'),
          vectorBytes: z.number().int(),
          vocabulary: z.number().int().describe('distinct lexical terms'),
          generation: z.number().int().describe('committed writes so far'),
        }),
      ),
      caches: z.object({ results: CacheSchema, queryVectors: CacheSchema }),
    }),
    annotations: { readOnlyHint: true, idempotentHint: false, openWorldHint: false },
    async run({ collection }) {
      const names = collection === undefined ? engine.listCollections().map((c) => c.collection) : [collection];
      const collections = [];
      for (const name of names) {
        const open = await engine.collection(name);
        collections.push({
          collection: name,
          embedder: open.meta.embedder,
          dimensions: open.meta.dimensions,
          documents: open.documentCount,
          chunks: open.chunkCount,
          index: open.indexKind,
          indexSource: open.indexSource,
          vectorBytes: open.vectorBytes,
          vocabulary: open.vocabulary,
          generation: open.meta.generation,
        });
      }
      const text = collections
        .map((c) => `${c.collection}: ${c.documents} documents, ${c.chunks} chunks, ${c.index} index, ${c.vocabulary} terms`)
        .join('\n');
      return { structured: { store: engine.store.kind, collections, caches: engine.cacheStats() }, text: text || 'no collections' };
    },
  });
}
