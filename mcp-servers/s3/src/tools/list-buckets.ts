import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';

export function listBucketsTool({ backend, config, scope }: S3Deps) {
  return defineTool({
    name: 'list_buckets',
    title: 'List the allowed buckets',
    description: `Lists the buckets this server may use, with their allowed key prefixes and whether the endpoint has them (null when the credentials may not list buckets). Other buckets on the endpoint are not shown. ${scope}`,
    input: z.strictObject({}),
    output: z.object({
      buckets: z.array(z.object({ name: z.string(), prefixes: z.array(z.string()), exists: z.boolean().nullable() })),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    async run() {
      const existing = await onObject({ bucket: '*' }, () => backend.listBuckets());
      const buckets = config.buckets.map((rule) => ({
        name: rule.name,
        prefixes: rule.prefixes,
        exists: existing === undefined ? null : existing.includes(rule.name),
      }));
      const lines = buckets.map(
        (b) =>
          `${b.name}${b.prefixes.length ? ` (${b.prefixes.join(', ')})` : ''}${b.exists === false ? ' — missing on the endpoint' : ''}`,
      );
      return { structured: { buckets }, text: lines.join('\n') };
    },
  });
}
