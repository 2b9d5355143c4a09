import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkAnswerBytes, checkKey, listWindow } from '../guard.ts';
import { keyField, readAnnotations } from './fields.ts';

const index = z
  .number()
  .int()
  .min(-(2 ** 53))
  .max(2 ** 53);

export function lrangeTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'lrange',
    title: 'Read a range of a list',
    description: `Reads elements start..stop (inclusive; negative counts from the tail, -1 = last) of the list at a key, head first. At most \`limit\` elements are answered; \`truncated\` says when the range held more. ${scope}`,
    input: z.strictObject({
      key: keyField(scope),
      start: index.default(0).describe('first index (0 = head)'),
      stop: index.default(-1).describe('last index, inclusive (-1 = tail)'),
      limit: z
        .number()
        .int()
        .min(1)
        .max(config.maxItems)
        .default(Math.min(100, config.maxItems))
        .describe(`most elements answered, up to ${config.maxItems}`),
    }),
    output: z.object({
      key: z.string(),
      values: z.array(z.string()),
      start: z.number().int(),
      length: z.number().int().describe('the whole list’s length'),
      truncated: z.boolean(),
    }),
    annotations: readAnnotations,
    async run({ key, start, stop, limit }) {
      checkKey(key, config.prefixes);
      const length = await onRedis(() => backend.llen(key));
      const window = listWindow(start, stop, length, limit);
      const values = window === undefined ? [] : await onRedis(() => backend.lrange(key, window.start, window.stop));
      checkAnswerBytes(values, config.maxValueBytes, 'limit', 'ask for fewer elements');
      const truncated = window?.truncated ?? false;
      const from = window?.start ?? 0;
      const lines = values.map((value, i) => `${from + i}: ${value}`);
      if (truncated) lines.push(`… more in range (continue from start ${from + values.length})`);
      return { structured: { key, values, start: from, length, truncated }, text: lines.join('\n') || '(empty)' };
    },
  });
}
