import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey, checkValue } from '../guard.ts';
import { keyField, refuseWhenReadOnly, valueField, writeAnnotations } from './fields.ts';

export function setTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'set',
    title: 'Set a string value',
    description: `Sets the string value at a key, replacing whatever was there (and its expiry). With ttlSeconds the key expires after that many seconds. Values over ${config.maxValueBytes} bytes are refused. ${scope}`,
    input: z.strictObject({
      key: keyField(scope),
      value: valueField(config.maxValueBytes),
      ttlSeconds: z.number().int().min(1).max(2_147_483_647).optional().describe('expire the key after this many seconds'),
    }),
    output: z.object({ key: z.string(), bytes: z.number().int(), ttlSeconds: z.number().int().nullable() }),
    annotations: writeAnnotations(true, true),
    async run({ key, value, ttlSeconds }) {
      refuseWhenReadOnly(config.readOnly, 'set');
      checkKey(key, config.prefixes);
      checkValue(value, config.maxValueBytes);
      await onRedis(() => backend.set(key, value, ttlSeconds));
      const bytes = Buffer.byteLength(value, 'utf8');
      return {
        structured: { key, bytes, ttlSeconds: ttlSeconds ?? null },
        text: `set ${key} (${bytes} bytes${ttlSeconds === undefined ? '' : `, expires in ${ttlSeconds} s`})`,
      };
    },
  });
}
