import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { bucketField, keyField, refuseWhenReadOnly } from './fields.ts';

export function deleteObjectTool({ backend, config, scope }: S3Deps) {
  return defineTool({
    name: 'delete_object',
    title: 'Delete an object',
    description: `Deletes one object. A missing object is NOT_FOUND (S3 itself would answer success), so a typo does not pass silently. ${scope}`,
    input: z.strictObject({ bucket: bucketField(scope), key: keyField() }),
    output: z.object({ bucket: z.string(), key: z.string(), deleted: z.literal(true), size: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run({ bucket, key }) {
      refuseWhenReadOnly(config.readOnly, 'delete_object');
      checkObject(config.buckets, bucket, key);
      const info = await onObject({ bucket, key }, () => backend.headObject(bucket, key));
      await onObject({ bucket, key }, () => backend.deleteObject(bucket, key));
      return { structured: { bucket, key, deleted: true as const, size: info.size }, text: `deleted s3://${bucket}/${key}` };
    },
  });
}
