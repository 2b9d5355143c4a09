import { ToolError } from '@switchboard/kit';
import { z } from 'zod';

/** `bucket`, its description carrying the scope so a model can see it. */
export function bucketField(scope: string): z.ZodString {
  return z.string().min(1).max(63).describe(`bucket name. ${scope}`);
}

export function keyField(what = 'object key'): z.ZodString {
  return z.string().max(1024).describe(`${what}, e.g. 'docs/a.txt': no leading '/', no '..' segments, no backslashes`);
}

export const ObjectInfoSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  size: z.number().int(),
  etag: z.string(),
  lastModified: z.string(),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});

export function refuseWhenReadOnly(readOnly: boolean, tool: string): void {
  if (readOnly) throw new ToolError('READ_ONLY', `${tool} is refused: this s3 server is read-only`);
}
