import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkAnswerBytes, checkKey } from '../guard.ts';
import { keyField, readAnnotations } from './fields.ts';

export function hgetTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'hget',
    title: 'Get a hash field',
    description: `Reads one field of the hash at a key; value is null when the key or field does not exist. ${scope}`,
    input: z.strictObject({ key: keyField(scope), field: z.string().min(1).describe('the hash field') }),
    output: z.object({ key: z.string(), field: z.string(), value: z.string().nullable() }),
    annotations: readAnnotations,
    async run({ key, field }) {
      checkKey(key, config.prefixes);
      const value = await onRedis(() => backend.hget(key, field));
      checkAnswerBytes([value], config.maxValueBytes, 'field', 'the value is larger than this server answers');
      return { structured: { key, field, value }, text: value ?? '(nil)' };
    },
  });
}
