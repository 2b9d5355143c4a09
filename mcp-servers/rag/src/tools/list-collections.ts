import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { CollectionInfoSchema } from './fields.ts';

export function listCollectionsTool({ engine, scope }: RagDeps) {
  return defineTool({
    name: 'list_collections',
    title: 'List collections',
    description: `Lists the collections this server lets you see, with their document and chunk counts and embedder. ${scope}`,
    input: z.strictObject({}),
    output: z.object({ collections: z.array(CollectionInfoSchema) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run() {
      const collections = engine.listCollections();
      const lines = collections.map((c) => `${c.collection}: ${c.documents} documents, ${c.chunks} chunks (${c.embedder})`);
      return { structured: { collections }, text: lines.join('\n') || 'no collections' };
    },
  });
}
