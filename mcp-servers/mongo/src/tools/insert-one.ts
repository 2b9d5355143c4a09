import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import type { MongoDeps } from '../deps.ts';
import { fromExtendedJson, toExtendedJson } from '../ejson.ts';
import { onMongo } from '../errors.ts';
import { checkCollection, checkJsonBytes, checkStoredDocument } from '../guard.ts';
import { collectionField, documentField, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function insertOneTool({ backend, config, policy, scope }: MongoDeps) {
  return defineTool({
    name: 'insert_one',
    title: 'Insert a document',
    description: `Inserts one document (at most ${config.maxBytes} bytes as JSON) and answers its _id. ${scope}`,
    input: z.strictObject({ collection: collectionField(scope), document: documentField('the document') }),
    output: z.object({ collection: z.string(), insertedId: z.unknown().describe('the _id, in Extended JSON') }),
    annotations: writeAnnotations(false, false),
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'insert_one');
      const collection = checkCollection(args.collection, policy);
      checkJsonBytes(args.document, config.maxBytes, 'document');
      const document = fromExtendedJson(args.document, 'document') as Doc;
      checkStoredDocument(document, 'document');
      const id = await onMongo('document', () => backend.insertOne(collection, document));
      const insertedId = toExtendedJson(id);
      return { structured: { collection, insertedId }, text: `inserted ${JSON.stringify(insertedId)} into ${collection}` };
    },
  });
}
