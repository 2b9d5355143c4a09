import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { ConsumedRecord } from '../backend.ts';
import type { KafkaDeps } from '../deps.ts';
import { type Encoding, encodeBytes, headersToJson } from '../encoding.ts';
import { onCluster } from '../errors.ts';
import { checkGroup, checkTopic } from '../guard.ts';
import { topicField } from './fields.ts';

const MessageSchema = z.object({
  partition: z.number().int(),
  offset: z.string().describe('int64, decimal'),
  key: z.string().optional(),
  keyBase64: z.string().optional(),
  value: z.string().nullable().optional().describe('the value as text; null for a tombstone'),
  valueBase64: z.string().optional(),
  headers: z.record(z.string(), z.unknown()).describe('text values; non-UTF-8 ones as { base64 }; repeated headers as arrays'),
  timestamp: z.string().describe('ISO 8601'),
  size: z.number().int().describe('bytes: key + value + headers'),
});
type Message = z.infer<typeof MessageSchema>;

const PREVIEW = 300;

export function consumeTool({ backend, config, scope }: KafkaDeps) {
  const { maxMessageBytes, maxBatchBytes } = config;
  return defineTool({
    name: 'consume',
    title: 'Consume messages',
    description: `Reads up to \`limit\` messages of a topic for a consumer group, from its committed offsets (a new group starts at the earliest): those ready now, or, if none are, the first to arrive within \`waitMs\` (joining the group adds a few seconds). Offsets are committed only once this answer is assembled; if anything fails first, the next consume for the group gets the same messages. Answers hold at most ${maxBatchBytes} bytes (\`truncated\` says the rest wait); a message over ${maxMessageBytes} bytes is refused with TOO_LARGE and not committed. ${scope}`,
    input: z.strictObject({
      topic: topicField(scope),
      group: z.string().describe(`consumer group whose offsets are read and committed. Allowed: ${config.groups.join(', ')}`),
      limit: z.number().int().min(1).max(500).default(10).describe('at most this many messages'),
      waitMs: z.number().int().min(0).max(30_000).default(1000).describe('how long to wait when nothing is ready'),
      encoding: z.enum(['auto', 'utf8', 'base64']).default('auto').describe('auto (default): text when the bytes are UTF-8, else base64'),
    }),
    output: z.object({
      topic: z.string(),
      group: z.string(),
      messages: z.array(MessageSchema),
      count: z.number().int(),
      truncated: z.boolean(),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    async run({ topic, group, limit, waitMs, encoding }, { signal }) {
      checkTopic(config, topic, ['consume']);
      checkGroup(config.groups, group);
      const { messages, truncated } = await onCluster({ what: `topic '${topic}'`, field: 'topic' }, () =>
        backend.consume(topic, group, { limit, waitMs, signal }, async (records) => {
          const messages: Message[] = [];
          let bytes = 0;
          let truncated = false;
          for (const record of records) {
            // A caller that gave up gets nothing committed: the group reads these again next time.
            if (signal.aborted) throw new ToolError('TIMEOUT', `consume was cancelled; nothing was committed for group '${group}'`);
            const size = sizeOf(record);
            if (size > maxMessageBytes && messages.length === 0)
              throw new ToolError(
                'TOO_LARGE',
                `the next message in '${topic}' (partition ${record.partition}, offset ${record.offset}) is ${size} bytes; the limit is ${maxMessageBytes}. Nothing was committed: raise --max-message-bytes or move the group past it elsewhere`,
                'topic',
              );
            if (size > maxMessageBytes || (messages.length > 0 && bytes + size > maxBatchBytes)) {
              truncated = true;
              break;
            }
            messages.push(toMessage(record, size, encoding));
            bytes += size;
          }
          return { value: { messages, truncated }, accept: messages.length };
        }),
      );
      return { structured: { topic, group, messages, count: messages.length, truncated }, text: render(topic, messages, truncated) };
    },
  });
}

function sizeOf(record: ConsumedRecord): number {
  let size = (record.key?.byteLength ?? 0) + (record.value?.byteLength ?? 0);
  for (const [name, value] of Object.entries(record.headers))
    for (const part of Array.isArray(value) ? value : [value]) size += Buffer.byteLength(name) + part.byteLength;
  return size;
}

function toMessage(record: ConsumedRecord, size: number, encoding: Encoding): Message {
  return {
    partition: record.partition,
    offset: record.offset,
    ...(record.key === null ? {} : encodeBytes(record.key, encoding, 'key')),
    ...(record.value === null ? { value: null } : encodeBytes(record.value, encoding, 'value')),
    headers: headersToJson(record.headers),
    timestamp: new Date(record.timestamp).toISOString(),
    size,
  };
}

function render(topic: string, messages: Message[], truncated: boolean): string {
  if (messages.length === 0) return `no messages in '${topic}'`;
  const lines = messages.map((m) => {
    const body = m.value ?? (m.valueBase64 === undefined ? '(tombstone)' : `(${m.size} bytes, base64 in structuredContent)`);
    const shown =
      body.length > PREVIEW ? `${body.slice(0, PREVIEW)}… (${body.length - PREVIEW} more characters in structuredContent)` : body;
    return `${m.partition}:${m.offset}${m.key === undefined ? '' : ` [${m.key}]`} ${shown}`;
  });
  if (truncated) lines.push('… more messages wait for the next consume (size bound reached)');
  return `${messages.length} message(s) from '${topic}':\n${lines.join('\n')}`;
}
