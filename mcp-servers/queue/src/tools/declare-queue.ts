import { defineTool } from '@switchboard/kit';
import { z } from 'zod';
import type { QueueDeps } from '../deps.ts';
import { onBroker } from '../errors.ts';
import { checkAllowed, checkRoutingKey } from '../guard.ts';
import { queueField, StatsSchema } from './fields.ts';

export function declareQueueTool({ backend, config, scope }: QueueDeps) {
  return defineTool({
    name: 'declare_queue',
    title: 'Declare a queue',
    description: `Creates a queue if it does not exist (an existing one with other properties is refused) and optionally binds it to allowed exchanges. Idempotent. ${scope}`,
    input: z.strictObject({
      queue: queueField(scope),
      durable: z.boolean().default(true).describe('survive a broker restart'),
      bindings: z
        .array(
          z.strictObject({
            exchange: z.string().describe('an allowed exchange'),
            routingKey: z.string().default('').describe("binding key; topic exchanges take '*' and '#'"),
          }),
        )
        .max(20)
        .default([])
        .describe('exchanges to bind the queue to'),
    }),
    output: StatsSchema.extend({ durable: z.boolean(), bindings: z.array(z.object({ exchange: z.string(), routingKey: z.string() })) }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    async run({ queue, durable, bindings }) {
      checkAllowed(config.queues, queue, 'queue', 'queue');
      for (const [index, binding] of bindings.entries()) {
        checkAllowed(config.exchanges, binding.exchange, `bindings.${index}.exchange`, 'exchange');
        checkRoutingKey(binding.routingKey, `bindings.${index}.routingKey`);
      }
      const what = bindings.length === 0 ? `queue '${queue}'` : `queue '${queue}' or one of its binding exchanges`;
      const stats = await onBroker({ what, field: 'queue' }, () => backend.declareQueue(queue, { durable, bindings }));
      return {
        structured: { ...stats, durable, bindings },
        text: `queue '${queue}' is ready (${stats.messageCount} messages${bindings.length ? `, bound to ${bindings.map((b) => `${b.exchange}:${b.routingKey}`).join(', ')}` : ''})`,
      };
    },
  });
}
