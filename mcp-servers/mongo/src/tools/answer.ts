import { ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { Doc } from '../backend.ts';
import { toExtendedJson } from '../ejson.ts';
import { jsonBytes } from '../guard.ts';

export const DocumentsAnswerSchema = z.object({
  collection: z.string(),
  documents: z.array(z.record(z.string(), z.unknown())).describe('relaxed Extended JSON'),
  count: z.number().int().describe('documents in this answer'),
  truncated: z.boolean().describe('more documents matched than this answer holds (limit or byte limit)'),
});

/**
 * Documents as Extended JSON, at most `limit` of them (the backend was asked for one more, so
 * `truncated` is known) and at most `maxBytes` together. A first document alone over the limit is
 * TOO_LARGE: answering nothing with `truncated` would hide it.
 */
export function answerDocuments(collection: string, docs: Doc[], limit: number, maxBytes: number, hintField: string) {
  const documents: Record<string, unknown>[] = [];
  let bytes = 2;
  let truncated = docs.length > limit;
  let byBytes = false;
  for (const doc of docs.slice(0, limit)) {
    const json = toExtendedJson(doc) as Record<string, unknown>;
    const size = jsonBytes(json) + 1;
    if (bytes + size > maxBytes) {
      if (documents.length === 0) {
        throw new ToolError(
          'TOO_LARGE',
          `one document is ${size} bytes as JSON; the answer limit is ${maxBytes} (narrow it with a projection)`,
          hintField,
        );
      }
      truncated = true;
      byBytes = true;
      break;
    }
    documents.push(json);
    bytes += size;
  }
  const lines = documents.map((doc) => JSON.stringify(doc));
  if (truncated)
    lines.push(
      byBytes
        ? `… cut at ${documents.length} documents by the ${maxBytes}-byte limit (use a projection, a lower limit or skip)`
        : `… more documents match (raise limit or use skip)`,
    );
  return { structured: { collection, documents, count: documents.length, truncated }, text: lines.join('\n') || 'no documents' };
}
