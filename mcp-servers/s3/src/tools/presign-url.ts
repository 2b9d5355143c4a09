import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { S3Deps } from '../deps.ts';
import { onObject } from '../errors.ts';
import { checkObject } from '../guard.ts';
import { checkContentType } from '../object-fields.ts';
import { bucketField, keyField, refuseWhenReadOnly } from './fields.ts';

export function presignUrlTool({ backend, config, scope }: S3Deps) {
  const { maxObjectBytes, maxPresignSeconds } = config;
  const defaultExpiry = Math.min(900, maxPresignSeconds);
  return defineTool({
    name: 'presign_url',
    title: 'Presign a URL',
    description: `A time-limited URL that lets anyone holding it GET an object, or PUT exactly \`size\` bytes (at most ${maxObjectBytes}) to it, without credentials. Expiry ${defaultExpiry} s by default, at most ${maxPresignSeconds} s. ${scope}`,
    input: z
      .strictObject({
        bucket: bucketField(scope),
        key: keyField(),
        method: z.enum(['get', 'put']).default('get'),
        expiresInSeconds: z.number().int().min(1).max(maxPresignSeconds).default(defaultExpiry),
        size: z.number().int().min(0).optional().describe('put only, required: the exact body size the URL will accept'),
        contentType: z.string().optional().describe('put only: the Content-Type the upload must send'),
      })
      .refine((args) => args.method === 'get' || args.size !== undefined, { message: 'a put URL needs the body size', path: ['size'] })
      .refine((args) => args.method === 'put' || (args.size === undefined && args.contentType === undefined), {
        message: 'size and contentType apply to put URLs only',
        path: ['method'],
      }),
    output: z.object({ url: z.string(), method: z.enum(['GET', 'PUT']), bucket: z.string(), key: z.string(), expiresAt: z.string() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run({ bucket, key, method, expiresInSeconds, size, contentType }) {
      if (method === 'put') refuseWhenReadOnly(config.readOnly, 'presign_url with method put');
      checkObject(config.buckets, bucket, key);
      checkContentType(contentType);
      if (size !== undefined && size > maxObjectBytes)
        throw new ToolError('TOO_LARGE', `size ${size} exceeds the ${maxObjectBytes}-byte object limit`, 'size');
      const url = await onObject({ bucket, key }, () => backend.presign({ method, bucket, key, expiresInSeconds, size, contentType }));
      const expiresAt = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
      const verb = method === 'get' ? ('GET' as const) : ('PUT' as const);
      return { structured: { url, method: verb, bucket, key, expiresAt }, text: `${verb} ${url}\n(valid until ${expiresAt})` };
    },
  });
}
