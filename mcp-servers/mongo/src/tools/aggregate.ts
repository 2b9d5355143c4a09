import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import type { MongoDeps } from '../deps.ts';
import { fromExtendedJson } from '../ejson.ts';
import { onMongo } from '../errors.ts';
import { checkCollection, checkJsonBytes, checkPipeline, WRITE_STAGES } from '../guard.ts';
import { answerDocuments, DocumentsAnswerSchema } from './answer.ts';
import { collectionField, DocumentSchema } from './fields.ts';

export function aggregateTool({ backend, config, policy, scope }: MongoDeps) {
  return defineTool({
    name: 'aggregate',
    title: 'Run an aggregation pipeline',
    description: `Runs an aggregation pipeline ($match, $group, $project, $sort, $lookup, $unwind, …) and answers at most \`limit\` documents (\`truncated\` says when more came). $lookup/$unionWith reach only allowed collections; $where, $function, $accumulator are refused; $out/$merge ${config.readOnly ? 'are refused (read-only)' : 'may write only to allowed collections'}. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      pipeline: z.array(DocumentSchema).max(100).describe('stages, each { "$stage": … }, in relaxed Extended JSON'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(config.maxDocuments)
        .default(Math.min(100, config.maxDocuments))
        .describe(`most documents answered, up to ${config.maxDocuments}`),
    }),
    output: DocumentsAnswerSchema,
    annotations: { readOnlyHint: config.readOnly, destructiveHint: !config.readOnly, idempotentHint: false, openWorldHint: false },
    async run(args) {
      const collection = checkCollection(args.collection, policy);
      checkPipeline(args.pipeline, policy);
      checkJsonBytes(args.pipeline, config.maxBytes, 'pipeline');
      const stages = fromExtendedJson(args.pipeline, 'pipeline') as Doc[];
      const last = Object.keys(stages.at(-1) ?? {})[0] ?? '';
      const writes = WRITE_STAGES.has(last);
      // Bounded at the source: one more than the limit, so `truncated` is known.
      const bounded = writes ? stages : [...stages, { $limit: args.limit + 1 }];
      const docs = await onMongo('pipeline', () => backend.aggregate(collection, bounded));
      const answer = answerDocuments(collection, docs, args.limit, config.maxBytes, 'pipeline');
      return writes ? { ...answer, text: `pipeline ran; its ${last} stage wrote the results` } : answer;
    },
  });
}
