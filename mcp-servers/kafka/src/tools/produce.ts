import { defineTool, ToolError } from '@switchboard/kit';
import { z } from 'zod';
import type { OutgoingRecord } from '../backend.ts';
import type { KafkaDeps } from '../deps.ts';
import { bytesOf } from '../encoding.ts';
import { onCluster } from '../errors.ts';
import { checkHeaders, checkTopic } from '../guard.ts';
import { topicField } from './fields.ts';

const MAX_MESSAGES = 500;
const SHOWN_OFFSETS = 20;

const MessageInput = z
  .strictObject({
    key: z.string().optional().describe('message key as text; equal keys go to the same partition'),
    keyBase64: z.string().optional().describe('message key as base64-encoded bytes, instead of key'),
    value: z.string().optional().describe('message value as text'),
    valueBase64: z.string().optional().describe('message value as base64-encoded bytes, instead of value'),
    headers: z.record(z.string(), z.string()).optional().describe('headers: string values'),
    partition: z.number().int().min(0).optional().describe('a partition number; default: by key, else round-robin'),
  })
  .refine((m) => (m.value === undefined) !== (m.valueBase64 === undefined), {
    message: 'give exactly one of value and valueBase64',
    path: ['value'],
  })
  .refine((m) => m.key === undefined || m.keyBase64 === undefined, { message: 'give key or keyBase64, not both', path: ['key'] });

export function produceTool({ backend, config, scope }: KafkaDeps) {
  const { maxMessageBytes, maxBatchBytes } = config;
  return defineTool({
    name: 'produce',
    title: 'Produce messages',
    description: `Writes messages to a topic and answers, once every in-sync replica has them, the partition and offset of each, in order. Every message is checked before anything is written: each at most ${maxMessageBytes} bytes (key + value + headers), ${MAX_MESSAGES} and ${maxBatchBytes} bytes per call; header values are strings ('__' names are refused). A missing topic is NOT_FOUND, never created. ${scope}`,
    input: z.strictObject({
      topic: topicField(scope),
      messages: z.array(MessageInput).min(1).max(MAX_MESSAGES).describe('the messages, written in this order'),
    }),
    output: z.object({
      topic: z.string(),
      count: z.number().int(),
      bytes: z.number().int(),
      messages: z
        .array(z.object({ partition: z.number().int(), offset: z.string() }))
        .describe('where each message landed, in input order'),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async run({ topic, messages }) {
      checkTopic(config, topic, ['produce']);
      let total = 0;
      const records: OutgoingRecord[] = messages.map((message, index) => {
        const at = `messages.${index}`;
        const headerBytes = checkHeaders(message.headers, `${at}.headers`);
        const key = bytesOf(message.key, message.keyBase64, `${at}.keyBase64`);
        const value = bytesOf(message.value, message.valueBase64, `${at}.valueBase64`) as Uint8Array;
        const size = (key?.byteLength ?? 0) + value.byteLength + headerBytes;
        if (size > maxMessageBytes)
          throw new ToolError(
            'TOO_LARGE',
            `message ${index} is ${size} bytes (key + value + headers); the limit is ${maxMessageBytes}. Nothing was written`,
            `${at}.${message.valueBase64 === undefined ? 'value' : 'valueBase64'}`,
          );
        total += size;
        return { key, value, headers: message.headers, partition: message.partition };
      });
      if (total > maxBatchBytes)
        throw new ToolError(
          'TOO_LARGE',
          `the messages are ${total} bytes in all; one call takes ${maxBatchBytes}. Nothing was written`,
          'messages',
        );
      const subject = { what: `topic '${topic}'`, field: 'topic' };
      const partitions = await onCluster(subject, () => backend.partitionCount(topic));
      for (const [index, record] of records.entries())
        if (record.partition !== undefined && record.partition >= partitions)
          throw new ToolError(
            'INVALID_ARGUMENT',
            `topic '${topic}' has ${partitions} partition(s), numbered from 0; nothing was written`,
            `messages.${index}.partition`,
          );
      const produced = await onCluster(subject, () => backend.produce(topic, records));
      const shown = produced.slice(0, SHOWN_OFFSETS).map((p) => `${p.partition}:${p.offset}`);
      if (produced.length > SHOWN_OFFSETS) shown.push(`… (all ${produced.length} in structuredContent)`);
      return {
        structured: { topic, count: produced.length, bytes: total, messages: produced },
        text: `produced ${produced.length} message(s), ${total} bytes, to '${topic}' (partition:offset ${shown.join(' ')})`,
      };
    },
  });
}
