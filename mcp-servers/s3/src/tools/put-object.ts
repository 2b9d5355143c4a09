import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { bodyOf, checkContentType, checkMetadata } from '../object-fields.ts';
import { bucketField, keyField, refuseWhenReadOnly } from './fields.ts';

export function putObjectTool({ backend, config, scope }: S3Deps) {
  const maxBytes = config.maxObjectBytes;
  return defineTool({
    name: 'put_object',
    title: 'Write an object',
    description: `Creates or replaces an object. Give \`content\` (text, stored as UTF-8) or \`contentBase64\` (bytes), at most ${maxBytes} bytes, plus an optional contentType (default application/octet-stream, or text/plain; charset=utf-8 for \`content\`) and metadata. ${scope}`,
    input: z
      .strictObject({
        bucket: bucketField(scope),
        key: keyField(),
        content: z.string().optional().describe('the object as text'),
        contentBase64: z.string().optional().describe('the object as base64-encoded bytes'),
        contentType: z.string().optional().describe("media type, e.g. 'application/json'"),
        metadata: z
          .record(z.string(), z.string())
          .optional()
          .describe('user metadata: lowercase keys of a-z 0-9 - _, printable ASCII values, 2 KiB in all'),
      })
      .refine((args) => (args.content === undefined) !== (args.contentBase64 === undefined), {
        message: 'give exactly one of content and contentBase64',
        path: ['content'],
      }),
    output: z.object({ bucket: z.string(), key: z.string(), size: z.number().int(), etag: z.string(), contentType: z.string() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'put_object');
      const { bucket, key, metadata } = args;
      checkObject(config.buckets, bucket, key);
      checkContentType(args.contentType);
      checkMetadata(metadata);
      const { data, field } = bodyOf(args);
      if (data.byteLength > maxBytes)
        throw new ToolError('TOO_LARGE', `${data.byteLength} bytes exceed the ${maxBytes}-byte object limit`, field);
      const contentType = args.contentType ?? (field === 'content' ? 'text/plain; charset=utf-8' : 'application/octet-stream');
      const { etag } = await onObject({ bucket, key }, () => backend.putObject({ bucket, key, data, contentType, metadata }));
      return {
        structured: { bucket, key, size: data.byteLength, etag, contentType },
        text: `wrote s3://${bucket}/${key} (${data.byteLength} bytes)`,
      };
    },
  });
}
