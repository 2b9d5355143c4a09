import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey } from '../guard.ts';
import { keyField, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function rpopTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'rpop',
    title: 'Pop from a list’s tail',
    description: `Removes and answers up to \`count\` elements from the tail of the list at a key, tail first; values is empty when the list is missing. Never blocks. ${scope}`,
    input: z.strictObject({
      key: keyField(scope),
      count: z.number().int().min(1).max(config.maxItems).default(1).describe('how many elements to pop'),
    }),
    output: z.object({ key: z.string(), values: z.array(z.string()) }),
    annotations: writeAnnotations(true, false),
    async run({ key, count }) {
      refuseWhenReadOnly(config.readOnly, 'rpop');
      checkKey(key, config.prefixes);
      const values = await onRedis(() => backend.rpop(key, count));
      return { structured: { key, values }, text: values.length === 0 ? '(empty)' : values.join('\n') };
    },
  });
}
