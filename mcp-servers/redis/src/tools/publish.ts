import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { RedisDeps } from '../deps.ts';
import { onRedis } from '../errors.ts';
import { checkKey, checkValue } from '../guard.ts';
import { refuseWhenReadOnly, valueField, writeAnnotations } from './fields.ts';

export function publishTool({ backend, config, scope }: RedisDeps) {
  return defineTool({
    name: 'publish',
    title: 'Publish a message',
    description: `Publishes a message on a pub/sub channel; answers how many subscribers received it (fire and forget: nothing is stored). Channel names follow the same prefix rule as keys. ${scope}`,
    input: z.strictObject({
      channel: z.string().describe(`the channel. ${scope.replace(/^Keys/, 'Channels')}`),
      message: valueField(config.maxValueBytes, 'the message'),
    }),
    output: z.object({ channel: z.string(), receivers: z.number().int() }),
    annotations: writeAnnotations(false, false),
    async run({ channel, message }) {
      refuseWhenReadOnly(config.readOnly, 'publish');
      checkKey(channel, config.prefixes, 'channel');
      checkValue(message, config.maxValueBytes, 'message');
      const receivers = await onRedis(() => backend.publish(channel, message), 'channel');
      return { structured: { channel, receivers }, text: `published to ${channel}: ${receivers} receiver(s)` };
    },
  });
}
