import { randomUUID } from 'node:crypto';
import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import { bodyOf } from '../body.ts';
import type { QueueDeps } from '../deps.ts';
import { onBroker } from '../errors.ts';
import { checkAllowed, checkHeaders, checkRoutingKey } from '../guard.ts';
import { contentTypeField } from './fields.ts';

const HeaderValue = z.union([z.string(), z.number(), z.boolean()]);

export function publishTool({ backend, config, scope }: QueueDeps) {
  const max = config.maxMessageBytes;
  return defineTool({
    name: 'publish',
    title: 'Publish a message',
    description: `Publishes one message to a queue, or to an exchange with a routing key, and returns only after the broker confirmed it. A message no queue would receive is refused (NOT_FOUND), not dropped. Give \`content\` (text) or \`contentBase64\` (bytes), at most ${max} bytes; headers are scalar values (x-* and CC/BCC are refused). ${scope}`,
    input: z
      .strictObject({
        queue: z.string().optional().describe(`queue to publish to (through the default exchange). ${scope}`),
        exchange: z.string().optional().describe('exchange to publish to, instead of a queue'),
        routingKey: z.string().optional().describe("routing key, with exchange only (default '')"),
        content: z.string().optional().describe('the message as text'),
        contentBase64: z.string().optional().describe('the message as base64-encoded bytes'),
        headers: z.record(z.string(), HeaderValue).optional().describe('message headers: string, number or boolean values'),
        persistent: z.boolean().default(true).describe('survive a broker restart (on durable queues)'),
        contentType: contentTypeField,
      })
      .refine((a) => (a.queue === undefined) !== (a.exchange === undefined), {
        message: 'give exactly one of queue and exchange',
        path: ['queue'],
      })
      .refine((a) => a.routingKey === undefined || a.exchange !== undefined, {
        message: 'routingKey goes with exchange; a queue is its own routing key',
        path: ['routingKey'],
      })
      .refine((a) => (a.content === undefined) !== (a.contentBase64 === undefined), {
        message: 'give exactly one of content and contentBase64',
        path: ['content'],
      }),
    output: z.object({
      queue: z.string().optional(),
      exchange: z.string().optional(),
      routingKey: z.string(),
      size: z.number().int(),
      messageId: z.string(),
      persistent: z.boolean(),
      confirmed: z.literal(true),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run(args) {
      const { queue, exchange, headers, persistent, contentType } = args;
      if (queue !== undefined) checkAllowed(config.queues, queue, 'queue', 'queue');
      if (exchange !== undefined) checkAllowed(config.exchanges, exchange, 'exchange', 'exchange');
      const routingKey = queue ?? args.routingKey ?? '';
      checkRoutingKey(routingKey);
      checkHeaders(headers);
      const { data, field } = bodyOf(args);
      if (data.byteLength > max) throw new ToolError('TOO_LARGE', `${data.byteLength} bytes exceed the ${max}-byte message limit`, field);
      const messageId = randomUUID();
      const subject =
        queue === undefined
          ? { what: `exchange '${exchange}' with routing key '${routingKey}'`, field: 'exchange', routeField: 'routingKey' }
          : { what: `queue '${queue}'`, field: 'queue' };
      await onBroker(subject, () =>
        backend.publish({ exchange: exchange ?? '', routingKey }, { content: data, headers, persistent, contentType, messageId }),
      );
      return {
        structured: {
          ...(queue === undefined ? { exchange } : { queue }),
          routingKey,
          size: data.byteLength,
          messageId,
          persistent,
          confirmed: true as const,
        },
        text: `published ${data.byteLength} bytes to ${subject.what} (confirmed, id ${messageId})`,
      };
    },
  });
}
