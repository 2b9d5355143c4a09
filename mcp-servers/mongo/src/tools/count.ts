import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { MongoDeps } from '../deps.ts';
import { onMongo } from '../errors.ts';
import { collectionField, filterField, prepareQuery, readAnnotations } from './fields.ts';

export function countTool(deps: MongoDeps) {
  const { backend, scope } = deps;
  return defineTool({
    name: 'count',
    title: 'Count documents',
    description: `Counts the documents matching a filter (all documents without one). ${scope}`,
    input: z.strictObject({ collection: collectionField(scope), filter: filterField().default({}) }),
    output: z.object({ collection: z.string(), count: z.number().int() }),
    annotations: readAnnotations,
    async run(args) {
      const { collection, value: filter } = prepareQuery(deps, args.collection, args.filter, 'filter');
      const count = await onMongo('filter', () => backend.count(collection, filter ?? {}));
      return { structured: { collection, count }, text: `${count} document(s) in ${collection}` };
    },
  });
}
