import { z } from 'zod';

const MiB = 1024 * 1024;

export const QueueConfigSchema = z.object({
  url: z
    .string()
    .regex(/^amqps?:\/\//, 'must be an amqp:// or amqps:// URL')
    .optional()
    .describe('RabbitMQ URL; may hold credentials, never logged'),
  mock: z.boolean().default(false).describe('in-memory queues instead of RabbitMQ'),
  queues: z.array(z.string().min(1)).describe("allowlisted queues: names, or prefixes ending in '*'"),
  exchanges: z.array(z.string().min(1)).default([]).describe("allowlisted exchanges: names, or prefixes ending in '*'"),
  allowPurge: z.boolean().default(false).describe('allow the purge tool'),
  maxMessageBytes: z
    .number()
    .int()
    .positive()
    .default(1 * MiB)
    .describe('largest message published or returned'),
  maxBatchBytes: z
    .number()
    .int()
    .positive()
    .default(8 * MiB)
    .describe('largest total of one consume answer; the rest stays queued'),
});
export type QueueConfig = z.infer<typeof QueueConfigSchema>;

/** The scope in words, for tool descriptions: a model should not waste calls on refused queues. */
export function scopeText(config: Pick<QueueConfig, 'queues' | 'exchanges' | 'allowPurge' | 'maxMessageBytes'>): string {
  const exchanges = config.exchanges.length === 0 ? 'none' : config.exchanges.join(', ');
  return `Queues: ${config.queues.join(', ') || 'none'}; exchanges: ${exchanges} ('*' ends a prefix). Messages up to ${config.maxMessageBytes} bytes.${config.allowPurge ? '' : ' Purge is disabled.'}`;
}
