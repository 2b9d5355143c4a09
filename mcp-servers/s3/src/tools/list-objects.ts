import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { bucketRule, keyInScope, listingPrefix } from '../guard.ts';
import { bucketField } from './fields.ts';

export function listObjectsTool({ backend, config, scope }: S3Deps) {
  return defineTool({
    name: 'list_objects',
    title: 'List objects',
    description: `Lists objects in a bucket in key order, optionally under a prefix and grouped by a delimiter (\`/\` gives folder-like commonPrefixes). At most \`limit\` entries per call; pass \`nextContinuationToken\` back as \`continuationToken\` for the next page. ${scope}`,
    input: z.strictObject({
      bucket: bucketField(scope),
      prefix: z.string().max(1024).optional().describe('only keys starting with this; must sit under an allowed prefix of the bucket'),
      delimiter: z.string().min(1).max(16).optional().describe("groups keys by this character, e.g. '/'"),
      continuationToken: z.string().min(1).max(4096).optional().describe('nextContinuationToken from the previous page'),
      limit: z.number().int().min(1).max(1000).default(100).describe('at most this many objects and commonPrefixes together'),
    }),
    output: z.object({
      bucket: z.string(),
      prefix: z.string(),
      objects: z.array(z.object({ key: z.string(), size: z.number().int(), etag: z.string(), lastModified: z.string() })),
      commonPrefixes: z.array(z.string()),
      truncated: z.boolean(),
      nextContinuationToken: z.string().optional(),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run({ bucket, prefix: requested, delimiter, continuationToken, limit }) {
      const rule = bucketRule(config.buckets, bucket);
      const prefix = listingPrefix(rule, requested);
      const page = await onObject({ bucket }, () => backend.listObjects({ bucket, prefix, delimiter, continuationToken, limit }));
      // The prefix already keeps the listing in scope; filtering again costs nothing and survives a
      // misbehaving endpoint.
      const objects = page.objects.filter((object) => keyInScope(rule, object.key));
      const commonPrefixes = page.commonPrefixes.filter((common) => keyInScope(rule, common));
      const truncated = page.nextContinuationToken !== undefined;
      const lines = [...commonPrefixes, ...objects.map((o) => `${o.key} (${o.size} B)`)];
      if (truncated) lines.push('… more (pass nextContinuationToken as continuationToken)');
      return {
        structured: {
          bucket,
          prefix,
          objects,
          commonPrefixes,
          truncated,
          ...(truncated ? { nextContinuationToken: page.nextContinuationToken } : {}),
        },
        text: lines.join('\n') || '(no objects)',
      };
    },
  });
}
