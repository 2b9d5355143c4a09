import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { bucketField, keyField, refuseWhenReadOnly } from './fields.ts';

const sourceFields = { bucket: 'sourceBucket', key: 'sourceKey' };

export function copyObjectTool({ backend, config, scope }: S3Deps) {
  const maxBytes = config.maxObjectBytes;
  return defineTool({
    name: 'copy_object',
    title: 'Copy an object',
    description: `Copies an object inside the endpoint (bytes never pass through this server), keeping its content type and metadata. Source and destination must both be allowed; objects over ${maxBytes} bytes are refused. ${scope}`,
    input: z.strictObject({
      sourceBucket: bucketField(scope),
      sourceKey: keyField('key of the object to copy'),
      bucket: bucketField(scope),
      key: keyField('key of the copy'),
    }),
    output: z.object({
      sourceBucket: z.string(),
      sourceKey: z.string(),
      bucket: z.string(),
      key: z.string(),
      size: z.number().int(),
      etag: z.string(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    async run({ sourceBucket, sourceKey, bucket, key }) {
      refuseWhenReadOnly(config.readOnly, 'copy_object');
      checkObject(config.buckets, sourceBucket, sourceKey, sourceFields);
      checkObject(config.buckets, bucket, key);
      const source = { bucket: sourceBucket, key: sourceKey, fields: sourceFields };
      const info = await onObject(source, () => backend.headObject(sourceBucket, sourceKey));
      if (info.size > maxBytes)
        throw new ToolError('TOO_LARGE', `'${sourceKey}' is ${info.size} bytes; the limit is ${maxBytes}`, 'sourceKey');
      const { etag } = await onObject({ bucket, key }, () => backend.copyObject({ bucket: sourceBucket, key: sourceKey }, { bucket, key }));
      return {
        structured: { sourceBucket, sourceKey, bucket, key, size: info.size, etag },
        text: `copied s3://${sourceBucket}/${sourceKey} to s3://${bucket}/${key} (${info.size} bytes)`,
      };
    },
  });
}
