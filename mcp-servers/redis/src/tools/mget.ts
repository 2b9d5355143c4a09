import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkAnswerBytes, checkKeys } from '../guard.ts';
import { keysField, readAnnotations } from './fields.ts';

export function mgetTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'mget',
    title: 'Get several string values',
    description: `Reads the string values at several keys in one call; values[i] belongs to keys[i] and is null when missing or not a string. The answer is at most ${config.maxValueBytes} bytes. ${scope}`,
    input: z.strictObject({ keys: keysField(scope, config.maxItems) }),
    output: z.object({ keys: z.array(z.string()), values: z.array(z.string().nullable()) }),
    annotations: readAnnotations,
    async run({ keys }) {
      checkKeys(keys, config.prefixes);
      const values = await onRedis(() => backend.mget(keys), 'keys');
      checkAnswerBytes(values, config.maxValueBytes, 'keys', 'ask for fewer keys');
      return { structured: { keys, values }, text: keys.map((key, i) => `${key}: ${values[i] ?? '(nil)'}`).join('\n') };
    },
  });
}
