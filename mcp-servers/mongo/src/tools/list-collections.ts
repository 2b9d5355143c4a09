import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { MongoDeps } from '../deps.ts';
import { onMongo } from '../errors.ts';
import { readAnnotations } from './fields.ts';

export function listCollectionsTool({ backend, policy, scope }: MongoDeps) {
  return defineTool({
    name: 'list_collections',
    title: 'List collections',
    description: `Lists the collections of the database that this server may reach (existing ones only). ${scope}`,
    input: z.strictObject({}),
    output: z.object({ database: z.string(), collections: z.array(z.string()) }),
    annotations: readAnnotations,
    async run() {
      const all = await onMongo('database', () => backend.listCollections());
      const collections = all.filter(
        (name) => !name.startsWith('system.') && (policy.collections.length === 0 || policy.collections.includes(name)),
      );
      return { structured: { database: policy.db, collections }, text: collections.join('\n') || 'no collections' };
    },
  });
}
