import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { Delivery } from '../backend.ts';
import { encodeBody, jsonSafe } from '../body.ts';
import type { QueueDeps } from '../deps.ts';
import { onBroker } from '../errors.ts';
import { checkAllowed } from '../guard.ts';
import { queueField } from './fields.ts';

const MessageSchema = z.object({
  content: z.string().optional(),
  contentBase64: z.string().optional(),
  size: z.number().int(),
  headers: z.record(z.string(), z.unknown()),
  exchange: z.string(),
  routingKey: z.string(),
  redelivered: z.boolean().describe('delivered before and not acknowledged then'),
  messageId: z.string().optional(),
  contentType: z.string().optional(),
  timestamp: z.string().optional(),
});
type Message = z.infer<typeof MessageSchema>;

const PREVIEW = 500;

export function consumeTool({ backend, config, scope }: QueueDeps) {
  const { maxMessageBytes, maxBatchBytes } = config;
  return defineTool({
    name: 'consume',
    title: 'Take messages from a queue',
    description: `Takes up to \`limit\` messages from a queue: those ready now, or, if it is empty, the first to arrive within \`waitMs\`. They are acknowledged (removed) only once this answer is assembled; if anything fails first they all stay queued. Answers hold at most ${maxBatchBytes} bytes (\`truncated\` says the rest stayed queued); a message over ${maxMessageBytes} bytes is refused with TOO_LARGE and stays queued. ${scope}`,
    input: z.strictObject({
      queue: queueField(scope),
      limit: z.number().int().min(1).max(100).default(10).describe('at most this many messages'),
      waitMs: z.number().int().min(0).max(30_000).default(1000).describe('how long to wait when the queue is empty'),
      encoding: z.enum(['auto', 'utf8', 'base64']).default('auto').describe('auto (default): text when the bytes are UTF-8, else base64'),
    }),
    output: z.object({ queue: z.string(), messages: z.array(MessageSchema), count: z.number().int(), truncated: z.boolean() }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run({ queue, limit, waitMs, encoding }, { signal }) {
      checkAllowed(config.queues, queue, 'queue', 'queue');
      const { messages, truncated } = await onBroker({ what: `queue '${queue}'`, field: 'queue' }, () =>
        backend.consume(queue, { limit, waitMs }, async (deliveries) => {
          const messages: Message[] = [];
          let bytes = 0;
          let truncated = false;
          for (const delivery of deliveries) {
            // A caller that gave up gets nothing acknowledged: the messages wait for the next consumer.
            if (signal.aborted) throw new ToolError('TIMEOUT', `consume was cancelled; the messages stay in '${queue}'`);
            const size = delivery.content.byteLength;
            if (size > maxMessageBytes && messages.length === 0)
              throw new ToolError(
                'TOO_LARGE',
                `the next message in '${queue}' is ${size} bytes; the limit is ${maxMessageBytes}. It stays queued: raise --max-message-bytes or drain it elsewhere`,
                'queue',
              );
            if (size > maxMessageBytes || (messages.length > 0 && bytes + size > maxBatchBytes)) {
              truncated = true;
              break;
            }
            messages.push(toMessage(delivery, encoding));
            bytes += size;
          }
          return { value: { messages, truncated }, accept: messages.length };
        }),
      );
      return { structured: { queue, messages, count: messages.length, truncated }, text: render(queue, messages, truncated) };
    },
  });
}

function toMessage(delivery: Delivery, encoding: 'auto' | 'utf8' | 'base64'): Message {
  return {
    ...encodeBody(delivery.content, encoding),
    size: delivery.content.byteLength,
    headers: jsonSafe(delivery.headers) as Record<string, unknown>,
    exchange: delivery.exchange,
    routingKey: delivery.routingKey,
    redelivered: delivery.redelivered,
    ...(delivery.messageId === undefined ? {} : { messageId: delivery.messageId }),
    ...(delivery.contentType === undefined ? {} : { contentType: delivery.contentType }),
    ...(delivery.timestamp === undefined ? {} : { timestamp: new Date(delivery.timestamp * 1000).toISOString() }),
  };
}

function render(queue: string, messages: Message[], truncated: boolean): string {
  if (messages.length === 0) return `no messages in '${queue}'`;
  const lines = messages.map((message, index) => {
    const body = message.content ?? `(${message.size} bytes, base64 in structuredContent)`;
    const shown =
      body.length > PREVIEW ? `${body.slice(0, PREVIEW)}… (${body.length - PREVIEW} more characters in structuredContent)` : body;
    return `${index + 1}. ${shown}`;
  });
  if (truncated) lines.push('… more messages stayed queued (size bound reached)');
  return `${messages.length} message(s) from '${queue}':\n${lines.join('\n')}`;
}
