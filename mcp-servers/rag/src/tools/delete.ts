import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { collectionField, DocumentIdSchema } from './fields.ts';

export function deleteTool({ engine, scope }: RagDeps) {
  return defineTool({
    name: 'delete',
    title: 'Delete documents or a collection',
    description: `Deletes documents (all their chunks) by id, or with dropCollection: true the whole collection. Ids not in the collection are reported as missing. ${scope}`,
    input: z
      .strictObject({
        collection: collectionField(scope),
        documentIds: z.array(DocumentIdSchema).min(1).max(10_000).optional(),
        dropCollection: z.boolean().optional().describe('true deletes the collection and everything in it'),
      })
      .refine((args) => (args.documentIds !== undefined) !== (args.dropCollection === true), {
        message: 'give documentIds or dropCollection: true (not both)',
        path: ['documentIds'],
      }),
    output: z.object({
      collection: z.string(),
      deleted: z.array(z.string()),
      missing: z.array(z.string()),
      chunksRemoved: z.number().int(),
      dropped: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run({ collection, documentIds, dropCollection }) {
      if (dropCollection === true) {
        const dropped = await engine.dropCollection(collection);
        if (!dropped) throw new ToolError('NOT_FOUND', `collection '${collection}' does not exist`, 'collection');
        return {
          structured: { collection, deleted: [], missing: [], chunksRemoved: 0, dropped },
          text: `dropped collection ${collection}`,
        };
      }
      const outcome = await engine.deleteDocuments(collection, documentIds ?? []);
      const missing = outcome.missing.length > 0 ? `; not found: ${outcome.missing.join(', ')}` : '';
      return {
        structured: { collection, ...outcome, dropped: false },
        text: `deleted ${outcome.deleted.length} documents (${outcome.chunksRemoved} chunks) from ${collection}${missing}`,
      };
    },
  });
}
