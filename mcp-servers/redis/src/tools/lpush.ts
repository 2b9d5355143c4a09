import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey, checkValue } from '../guard.ts';
import { keyField, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function lpushTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'lpush',
    title: 'Push onto a list',
    description: `Pushes values onto the head of the list at a key (created when missing), one after another, so the last value ends up first; rpop takes from the tail, making a queue. Each value is at most ${config.maxValueBytes} bytes. ${scope}`,
    input: z.strictObject({
      key: keyField(scope),
      values: z.array(z.string()).min(1).max(config.maxItems).describe(`values to push, 1 to ${config.maxItems}, each UTF-8 text`),
    }),
    output: z.object({ key: z.string(), length: z.number().int() }),
    annotations: writeAnnotations(false, false),
    async run({ key, values }) {
      refuseWhenReadOnly(config.readOnly, 'lpush');
      checkKey(key, config.prefixes);
      values.forEach((value, index) => {
        checkValue(value, config.maxValueBytes, `values.${index}`);
      });
      const length = await onRedis(() => backend.lpush(key, values));
      return { structured: { key, length }, text: `${key}: length ${length}` };
    },
  });
}
