import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { FilterSchema } from '../search/filter.ts';
import { collectionField } from './fields.ts';

const ResultSchema = z.object({
  documentId: z.string(),
  chunkId: z.string().describe('<documentId>#<chunk index>: the source id to cite'),
  chunkIndex: z.number().int(),
  score: z.number().describe('cosine (vector), BM25 (lexical) or fused reciprocal rank (hybrid); compare within one mode only'),
  text: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  start: z.number().int().describe('offset of the chunk in its document (characters)'),
  end: z.number().int(),
});

export function searchTool({ engine, config, scope }: RagDeps) {
  return defineTool({
    name: 'search',
    title: 'Search a collection',
    description:
      'Finds the chunks most relevant to a query. mode: hybrid (default; vector and keyword rankings fused by reciprocal rank), vector (embedding similarity) or lexical (BM25 keywords). ' +
      `Optional metadata filter. At most k=${config.maxK} results. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      query: z.string().min(1).max(10_000).describe('what to look for, in words'),
      k: z
        .number()
        .int()
        .min(1)
        .max(config.maxK, `k is at most ${config.maxK} on this server`)
        .default(5)
        .describe(`how many chunks (1..${config.maxK})`),
      mode: z.enum(['hybrid', 'vector', 'lexical']).default('hybrid'),
      filter: FilterSchema.optional(),
    }),
    output: z.object({ collection: z.string(), mode: z.string(), results: z.array(ResultSchema) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ collection, query, k, mode, filter }) {
      const results = await engine.search(collection, { query, k, mode, ...(filter ? { filter } : {}) });
      const text = results.map((r, i) => `${i + 1}. [${r.chunkId}] (${r.score}) ${r.text.replace(/\s+/g, ' ').slice(0, 200)}`).join('\n');
      return { structured: { collection, mode, results }, text: text || 'no results' };
    },
  });
}
