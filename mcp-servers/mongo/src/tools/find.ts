import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { MongoDeps } from '../deps.ts';
import { onMongo } from '../errors.ts';
import { answerDocuments, DocumentsAnswerSchema } from './answer.ts';
import { collectionField, DocumentSchema, filterField, prepareQuery, readAnnotations } from './fields.ts';

const SortSchema = z.record(z.string(), z.union([z.literal(1), z.literal(-1), z.strictObject({ $meta: z.string() })]));

export function findTool(deps: MongoDeps) {
  const { backend, config, scope } = deps;
  return defineTool({
    name: 'find',
    title: 'Find documents',
    description: `Finds documents matching a filter, with optional projection, sort, skip and limit (at most ${config.maxDocuments} documents and ${config.maxBytes} bytes per answer; \`truncated\` says when more matched). ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      filter: filterField().default({}),
      projection: DocumentSchema.optional().describe('fields to include ({ "name": 1 }) or exclude ({ "secret": 0 })'),
      sort: SortSchema.optional().describe('e.g. { "createdAt": -1, "name": 1 }'),
      skip: z.number().int().min(0).default(0).describe('documents to skip first (paging)'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(config.maxDocuments)
        .default(Math.min(100, config.maxDocuments))
        .describe(`most documents answered, up to ${config.maxDocuments}`),
    }),
    output: DocumentsAnswerSchema,
    annotations: readAnnotations,
    async run(args) {
      const { collection, value: filter } = prepareQuery(deps, args.collection, args.filter, 'filter');
      const projection = prepareQuery(deps, collection, args.projection, 'projection').value;
      const sort = prepareQuery(deps, collection, args.sort, 'sort').value;
      const docs = await onMongo('filter', () =>
        backend.find(collection, filter ?? {}, {
          ...(projection ? { projection } : {}),
          ...(sort ? { sort } : {}),
          skip: args.skip,
          limit: args.limit + 1,
        }),
      );
      return answerDocuments(collection, docs, args.limit, config.maxBytes, 'projection');
    },
  });
}
