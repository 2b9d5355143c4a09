import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import type { MongoDeps } from '../deps.ts';
import { fromExtendedJson, toExtendedJson } from '../ejson.ts';
import { onMongo } from '../errors.ts';
import { checkCollection, checkJsonBytes, checkStoredDocument } from '../guard.ts';
import { collectionField, DocumentSchema, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function insertManyTool({ backend, config, policy, scope }: MongoDeps) {
  return defineTool({
    name: 'insert_many',
    title: 'Insert documents',
    description: `Inserts documents in order (at most ${config.maxDocuments}, ${config.maxBytes} bytes together as JSON) and answers their _ids. Every document is checked before any is written; a duplicate _id stops the run there. ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      documents: z
        .array(DocumentSchema)
        .min(1)
        .max(config.maxDocuments)
        .describe('the documents, in relaxed Extended JSON; field names may not start with $'),
    }),
    output: z.object({ collection: z.string(), insertedIds: z.array(z.unknown()), insertedCount: z.number().int() }),
    annotations: writeAnnotations(false, false),
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'insert_many');
      const collection = checkCollection(args.collection, policy);
      checkJsonBytes(args.documents, config.maxBytes, 'documents');
      const documents = fromExtendedJson(args.documents, 'documents') as Doc[];
      documents.forEach((document, index) => {
        checkStoredDocument(document, `documents.${index}`);
      });
      const ids = await onMongo('documents', () => backend.insertMany(collection, documents));
      const insertedIds = ids.map(toExtendedJson);
      return {
        structured: { collection, insertedIds, insertedCount: ids.length },
        text: `inserted ${ids.length} document(s) into ${collection}`,
      };
    },
  });
}
