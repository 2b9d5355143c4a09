import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { MongoDeps } from '../deps.ts';
import { onMongo } from '../errors.ts';
import { collectionField, filterField, prepareQuery, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

/** delete_one and delete_many: one contract, `many` says how far it reaches. */
export function deleteTool(deps: MongoDeps, many: boolean) {
  const { backend, config, scope } = deps;
  const name = many ? 'delete_many' : 'delete_one';
  return defineTool({
    name,
    title: many ? 'Delete every matching document' : 'Delete the first matching document',
    description: `Deletes ${many ? 'every document' : 'the first document'} matching the filter (required; {} matches all, deliberately). ${scope}`,
    input: z.strictObject({ collection: collectionField(scope), filter: filterField() }),
    output: z.object({ collection: z.string(), deletedCount: z.number().int() }),
    annotations: writeAnnotations(true, many),
    async run(args) {
      refuseWhenReadOnly(config.readOnly, name);
      const { collection, value: filter } = prepareQuery(deps, args.collection, args.filter, 'filter');
      const deletedCount = await onMongo('filter', () => backend.delete(collection, filter ?? {}, { many }));
      return { structured: { collection, deletedCount }, text: `deleted ${deletedCount} document(s) from ${collection}` };
    },
  });
}
