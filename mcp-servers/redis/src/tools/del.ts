import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKeys } from '../guard.ts';
import { keysField, refuseWhenReadOnly, writeAnnotations } from './fields.ts';

export function delTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'del',
    title: 'Delete keys',
    description: `Deletes keys of any type; answers how many existed. Every key is checked before anything is deleted. ${scope}`,
    input: z.strictObject({ keys: keysField(scope, config.maxItems) }),
    output: z.object({ deleted: z.number().int() }),
    annotations: writeAnnotations(true, true),
    async run({ keys }) {
      refuseWhenReadOnly(config.readOnly, 'del');
      checkKeys(keys, config.prefixes);
      const deleted = await onRedis(() => backend.del(keys), 'keys');
      return { structured: { deleted }, text: `deleted ${deleted} of ${keys.length} key(s)` };
    },
  });
}
