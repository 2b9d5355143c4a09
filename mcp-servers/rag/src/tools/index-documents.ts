import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RagDeps } from '../deps.ts';
import { collectionField, DocumentIdSchema, IndexOutcomeSchema } from './fields.ts';

export function indexDocumentsTool({ engine, config, scope }: RagDeps) {
  return defineTool({
    name: 'index',
    title: 'Index documents',
    description:
      `Adds or replaces documents in a collection: each is split into chunks (paragraphs and code blocks kept whole where they fit), embedded, and indexed for vector and keyword search. ` +
      `A document whose text and metadata are unchanged is skipped; a changed one has all its chunks replaced. The whole call is one transaction. ` +
      `At most ${config.maxDocumentsPerCall} documents per call, ${config.maxDocumentBytes} bytes each (larger ones are refused, never cut). ${scope}`,
    input: z.strictObject({
      collection: collectionField(scope),
      documents: z
        .array(
          z.strictObject({
            id: DocumentIdSchema,
            text: z.string().describe('the document text (markdown, code or plain text)'),
            metadata: z
              .record(z.string(), z.unknown())
              .optional()
              .describe('JSON object returned with results and usable in search filters'),
          }),
        )
        .min(1)
        .max(config.maxDocumentsPerCall, `at most ${config.maxDocumentsPerCall} documents per call`),
    }),
    output: z.object({ ...IndexOutcomeSchema, generation: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run({ collection, documents }, { signal }) {
      const outcome = await engine.index(collection, documents, signal);
      return {
        structured: { collection, ...outcome },
        text: `indexed ${outcome.indexed.length} documents (${outcome.chunksAdded} chunks) into ${collection}; ${outcome.unchanged.length} unchanged`,
      };
    },
  });
}
