import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { CollectionInfoSchema, collectionField } from './fields.ts';

export function createCollectionTool({ engine, config, scope }: RagDeps) {
  return defineTool({
    name: 'create_collection',
    title: 'Create a collection',
    description: `Creates an empty collection of searchable documents. Its embedder (${engine.provider.name}) and chunking are fixed at creation. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      chunkSize: z.number().int().min(100).max(100_000).optional().describe(`characters per chunk (default ${config.chunkSize})`),
      chunkOverlap: z
        .number()
        .int()
        .min(0)
        .max(50_000)
        .optional()
        .describe(`characters consecutive chunks share (default ${config.chunkOverlap})`),
      existOk: z.boolean().default(false).describe('true: an existing collection is fine (answers created: false)'),
    }),
    output: CollectionInfoSchema.extend({ created: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run({ collection, chunkSize, chunkOverlap, existOk }) {
      const { info, created } = await engine.createCollection(collection, { chunkSize, chunkOverlap, existOk });
      return {
        structured: { ...info, created },
        text: `${created ? 'created' : 'exists:'} collection ${info.collection} (${info.embedder}, ${info.dimensions} dimensions, chunks of ${info.chunkSize})`,
      };
    },
  });
}
