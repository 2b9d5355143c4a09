import { z } from 'zod';

const MiB = 1024 * 1024;

const BucketRuleSchema = z.object({ name: z.string(), prefixes: z.array(z.string()) });

export const S3ConfigSchema = z.object({
  endpoint: z.url().optional().describe('S3-compatible endpoint (MinIO, s3rver, …); absent means AWS'),
  region: z.string().min(1).default('us-east-1'),
  pathStyle: z.boolean().default(false).describe('path-style URLs (http://host/bucket/key), as MinIO and s3rver need'),
  buckets: z.array(BucketRuleSchema).min(1, 'at least one --bucket is required').describe('allowlisted buckets and their key prefixes'),
  readOnly: z.boolean().default(false).describe('refuse put, delete, copy and presigned PUT URLs'),
  mock: z.boolean().default(false).describe('in-memory buckets instead of an endpoint'),
  maxObjectBytes: z
    .number()
    .int()
    .positive()
    .default(8 * MiB)
    .describe('largest object read or written through the tools'),
  maxPresignSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .default(3600)
    .describe('longest expiry a presigned URL may have (S3 allows 7 days)'),
});
export type S3Config = z.infer<typeof S3ConfigSchema>;

/** The scope in words, for tool descriptions: a model should not waste calls on refused buckets. */
export function scopeText(config: Pick<S3Config, 'buckets' | 'readOnly' | 'maxObjectBytes'>): string {
  const buckets = config.buckets.map((rule) =>
    rule.prefixes.length === 0 ? rule.name : `${rule.name} (keys under ${rule.prefixes.join(', ')})`,
  );
  return `Buckets: ${buckets.join('; ')}. Objects up to ${config.maxObjectBytes} bytes${config.readOnly ? '. This server is read-only.' : '.'}`;
}
