import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { encodeBody } from '../object-fields.ts';
import { bucketField, keyField, ObjectInfoSchema } from './fields.ts';

export function getObjectTool({ backend, config, scope }: S3Deps) {
  const maxBytes = config.maxObjectBytes;
  return defineTool({
    name: 'get_object',
    title: 'Read an object',
    description: `Reads an object, or the inclusive byte range \`range: { start, end }\` of it. Text (UTF-8) comes back in \`content\`, other bytes in \`contentBase64\` (\`encoding\` forces one). Answers over ${maxBytes} bytes are refused with TOO_LARGE, never cut: read those in ranges. ${scope}`,
    input: z.strictObject({
      bucket: bucketField(scope),
      key: keyField(),
      range: z
        .strictObject({
          start: z.number().int().min(0).describe('first byte, from 0'),
          end: z.number().int().min(0).optional().describe('last byte, inclusive; absent means to the end'),
        })
        .refine((range) => range.end === undefined || range.end >= range.start, { message: 'end must be >= start', path: ['end'] })
        .optional(),
      encoding: z.enum(['auto', 'utf8', 'base64']).default('auto').describe('auto (default): text when the bytes are UTF-8, else base64'),
    }),
    output: ObjectInfoSchema.extend({
      totalSize: z.number().int().describe('size of the whole object'),
      range: z.object({ start: z.number().int(), end: z.number().int() }).optional(),
      content: z.string().optional(),
      contentBase64: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run({ bucket, key, range, encoding }) {
      checkObject(config.buckets, bucket, key);
      const object = await onObject({ bucket, key, maxBytes }, () => backend.getObject(bucket, key, { ...range, maxBytes }));
      if (object.data.byteLength > maxBytes) throw new ToolError('TOO_LARGE', `'${key}' grew past the ${maxBytes}-byte limit`, 'key');
      const { data, ...info } = object;
      const body = encodeBody(data, encoding);
      const shownRange = range === undefined ? {} : { range: { start: range.start, end: range.start + data.byteLength - 1 } };
      const text = body.content ?? `${data.byteLength} bytes of ${info.contentType} (not text; base64 in structuredContent.contentBase64)`;
      return { structured: { bucket, key, ...info, ...shownRange, ...body }, text };
    },
  });
}
