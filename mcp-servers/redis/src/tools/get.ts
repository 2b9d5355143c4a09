import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkAnswerBytes, checkKey } from '../guard.ts';
import { keyField, readAnnotations } from './fields.ts';

export function getTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'get',
    title: 'Get a string value',
    description: `Reads the string value at a key; value is null when the key does not exist. Values over ${config.maxValueBytes} bytes are refused, never cut. ${scope}`,
    input: z.strictObject({ key: keyField(scope) }),
    output: z.object({ key: z.string(), value: z.string().nullable() }),
    annotations: readAnnotations,
    async run({ key }) {
      checkKey(key, config.prefixes);
      const value = await onRedis(() => backend.get(key));
      checkAnswerBytes([value], config.maxValueBytes, 'key', 'the value is larger than this server answers');
      return { structured: { key, value }, text: value ?? '(nil)' };
    },
  });
}
