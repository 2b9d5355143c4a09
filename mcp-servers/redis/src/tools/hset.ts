import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey, checkValue } from '../guard.ts';
import { keyField, refuseWhenReadOnly, valueField, writeAnnotations } from './fields.ts';

export function hsetTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'hset',
    title: 'Set hash fields',
    description: `Sets fields of the hash at a key (created when missing): give \`field\` + \`value\`, or \`fields\` as an object. Each value is at most ${config.maxValueBytes} bytes. ${scope}`,
    input: z
      .strictObject({
        key: keyField(scope),
        field: z.string().min(1).optional().describe('one field to set, with `value`'),
        value: valueField(config.maxValueBytes, 'the value of `field`').optional(),
        fields: z.record(z.string().min(1), z.string()).optional().describe('several fields at once: { field: value }'),
      })
      .refine((args) => (args.fields === undefined) !== (args.field === undefined && args.value === undefined), {
        message: 'give field + value, or fields',
        path: ['fields'],
      })
      .refine((args) => args.fields !== undefined || (args.field !== undefined && args.value !== undefined), {
        message: 'field and value go together',
        path: ['value'],
      }),
    output: z.object({ key: z.string(), added: z.number().int(), updated: z.number().int() }),
    annotations: writeAnnotations(true, true),
    async run(args) {
      refuseWhenReadOnly(config.readOnly, 'hset');
      checkKey(args.key, config.prefixes);
      const fields = args.fields ?? { [args.field as string]: args.value as string };
      const count = Object.keys(fields).length;
      if (count === 0) throw new ToolError('INVALID_ARGUMENT', 'fields is empty', 'fields');
      if (count > config.maxItems) throw new ToolError('TOO_LARGE', `${count} fields; the limit is ${config.maxItems} per call`, 'fields');
      for (const [name, value] of Object.entries(fields)) checkValue(value, config.maxValueBytes, args.fields ? `fields.${name}` : 'value');
      const added = await onRedis(() => backend.hset(args.key, fields));
      return {
        structured: { key: args.key, added, updated: count - added },
        text: `${args.key}: ${added} field(s) added, ${count - added} updated`,
      };
    },
  });
}
