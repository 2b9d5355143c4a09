import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { bucketField, keyField, ObjectInfoSchema } from './fields.ts';

export function headObjectTool({ backend, config, scope }: S3Deps) {
  return defineTool({
    name: 'head_object',
    title: 'Describe an object',
    description: `Size, ETag, modification time, content type and metadata of an object, without reading it. ${scope}`,
    input: z.strictObject({ bucket: bucketField(scope), key: keyField() }),
    output: ObjectInfoSchema,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run({ bucket, key }) {
      checkObject(config.buckets, bucket, key);
      const info = await onObject({ bucket, key }, () => backend.headObject(bucket, key));
      return {
        structured: { bucket, key, ...info },
        text: `s3://${bucket}/${key}: ${info.size} bytes, ${info.contentType}, modified ${info.lastModified}`,
      };
    },
  });
}
