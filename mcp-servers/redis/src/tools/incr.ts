import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey } from '../guard.ts';
import { keyField, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function incrTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'incr',
    title: 'Increment an integer',
    description: `Adds \`by\` (default 1, may be negative) to the integer at a key, starting from 0 when missing; the key keeps its expiry. ${scope}`,
    input: z.strictObject({
      key: keyField(scope),
      by: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER).default(1).describe('the increment'),
    }),
    output: z.object({ key: z.string(), value: z.number().int() }),
    annotations: writeAnnotations(false, false),
    async run({ key, by }) {
      refuseWhenReadOnly(config.readOnly, 'incr');
      checkKey(key, config.prefixes);
      const value = await onRedis(() => backend.incrBy(key, by));
      return { structured: { key, value }, text: String(value) };
    },
  });
}
