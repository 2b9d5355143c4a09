import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey } from '../guard.ts';
import { keyField, readAnnotations } from './fields.ts';

export function ttlTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'ttl',
    title: 'Time to live of a key',
    description: `Seconds until a key expires (rounded); ttlSeconds is null when the key has no expiry or does not exist (see exists). ${scope}`,
    input: z.strictObject({ key: keyField(scope) }),
    output: z.object({ key: z.string(), exists: z.boolean(), ttlSeconds: z.number().int().nullable() }),
    annotations: readAnnotations,
    async run({ key }) {
      checkKey(key, config.prefixes);
      const ttl = await onRedis(() => backend.ttl(key));
      const exists = ttl !== -2;
      const ttlSeconds = ttl >= 0 ? ttl : null;
      const text = !exists ? `${key} does not exist` : ttlSeconds === null ? `${key} has no expiry` : `${key} expires in ${ttlSeconds} s`;
      return { structured: { key, exists, ttlSeconds }, text };
    },
  });
}
