import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkAnswerBytes, checkKey } from '../guard.ts';
import { keyField, readAnnotations } from './fields.ts';

export function hgetallTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'hgetall',
    title: 'Get a whole hash',
    description: `Reads every field of the hash at a key ({} when missing). Hashes of more than ${config.maxItems} fields or ${config.maxValueBytes} bytes are refused (use hget). ${scope}`,
    input: z.strictObject({ key: keyField(scope) }),
    output: z.object({ key: z.string(), fields: z.record(z.string(), z.string()), count: z.number().int() }),
    annotations: readAnnotations,
    async run({ key }) {
      checkKey(key, config.prefixes);
      const length = await onRedis(() => backend.hlen(key));
      if (length > config.maxItems)
        throw new ToolError('TOO_LARGE', `the hash has ${length} fields; the limit is ${config.maxItems} (use hget)`, 'key');
      const fields = await onRedis(() => backend.hgetall(key));
      checkAnswerBytes([...Object.keys(fields), ...Object.values(fields)], config.maxValueBytes, 'key', 'use hget for single fields');
      const count = Object.keys(fields).length;
      const text = Object.entries(fields)
        .map(([field, value]) => `${field}: ${value}`)
        .join('\n');
      return { structured: { key, fields, count }, text: text || '(empty)' };
    },
  });
}
