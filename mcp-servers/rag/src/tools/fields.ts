import { z } from 'zod';

/** The `collection` argument, its description carrying the scope so a model can see it. */
export function collectionField(scope: string): z.ZodString {
  return z.string().min(1).max(64).describe(`collection name (lowercase letters, digits, _ . -). ${scope}`);
}

export const DocumentIdSchema = z
  .string()
  .min(1)
  .max(512)
  .refine((id) => !/\p{Cc}/u.test(id), 'document ids may not contain control characters')
  .describe('your id for the document (a path, a URL, a key); re-indexing the same id replaces it');

export const CollectionInfoSchema = z.object({
  collection: z.string(),
  embedder: z.string(),
  dimensions: z.number().int(),
  documents: z.number().int(),
  chunks: z.number().int(),
  chunkSize: z.number().int(),
  chunkOverlap: z.number().int(),
  createdAt: z.string(),
});

export const IndexOutcomeSchema = {
  collection: z.string(),
  indexed: z.array(z.object({ id: z.string(), chunks: z.number().int() })).describe('documents (re)written'),
  unchanged: z.array(z.string()).describe('documents skipped: same text and metadata as stored'),
  chunksAdded: z.number().int(),
  chunksRemoved: z.number().int(),
  embedded: z.number().int().describe('chunks embedded now (the rest reused stored vectors of identical text)'),
};
