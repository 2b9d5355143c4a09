import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import type { MongoDeps } from '../deps.ts';
import { fromExtendedJson, toExtendedJson } from '../ejson.ts';
import { onMongo } from '../errors.ts';
import { checkJsonBytes, checkUpdate } from '../guard.ts';
import { collectionField, DocumentSchema, filterField, prepareQuery, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

/** update_one and update_many: one contract, `many` says how far it reaches. */
export function updateTool(deps: MongoDeps, many: boolean) {
  const { backend, config, policy, scope } = deps;
  const name = many ? 'update_many' : 'update_one';
  return defineTool({
    name,
    title: many ? 'Update every matching document' : 'Update the first matching document',
    description: `Applies update operators ({ "$set": … }, $inc, $push, $unset, …) or an update pipeline to ${many ? 'every document' : 'the first document'} matching the filter (required; {} matches all). Whole-document replacement is refused. With upsert, inserts when nothing matches. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      filter: filterField(),
      update: z
        .union([DocumentSchema, z.array(DocumentSchema)])
        .describe('update operators, e.g. { "$set": { "status": "done" } }, or an array of $set/$unset/$project… stages'),
      upsert: z.boolean().default(false).describe('insert a document built from the filter and update when nothing matches'),
    }),
    output: z.object({
      collection: z.string(),
      matchedCount: z.number().int(),
      modifiedCount: z.number().int(),
      upsertedId: z.unknown().nullable(),
    }),
    annotations: writeAnnotations(true, false),
    async run(args) {
      refuseWhenReadOnly(config.readOnly, name);
      const { collection, value: filter } = prepareQuery(deps, args.collection, args.filter, 'filter');
      checkUpdate(args.update, policy);
      checkJsonBytes(args.update, config.maxBytes, 'update');
      const update = fromExtendedJson(args.update, 'update') as Doc | Doc[];
      const outcome = await onMongo('update', () => backend.update(collection, filter ?? {}, update, { many, upsert: args.upsert }));
      const upsertedId = outcome.upsertedId === undefined ? null : toExtendedJson(outcome.upsertedId);
      const text = `${collection}: matched ${outcome.matchedCount}, modified ${outcome.modifiedCount}${upsertedId === null ? '' : `, upserted ${JSON.stringify(upsertedId)}`}`;
      return { structured: { collection, matchedCount: outcome.matchedCount, modifiedCount: outcome.modifiedCount, upsertedId }, text };
    },
  });
}
