import { z } from 'zod';

const MiB = 1024 * 1024;

const Broker = z.string().regex(/^[^\s/:]+:\d{1,5}$/, "must be host:port, e.g. 'kafka-1:9092'");

export const KafkaConfigSchema = z.object({
  brokers: z.array(Broker).min(1).optional().describe('bootstrap brokers, host:port'),
  mock: z.boolean().default(false).describe('in-memory topics instead of a Kafka cluster'),
  produceTopics: z.array(z.string().min(1)).describe("topics `produce` may write: names, or prefixes ending in '*'"),
  consumeTopics: z.array(z.string().min(1)).describe("topics `consume` may read: names, or prefixes ending in '*'"),
  groups: z
    .array(z.string().min(1))
    .default(['*'])
    .describe("consumer groups `consume` may use and commit for: names or prefixes ending in '*'"),
  allowCreateTopics: z.boolean().default(false).describe('allow the create_topic tool'),
  maxMessageBytes: z
    .number()
    .int()
    .positive()
    .default(1 * MiB)
    .describe('largest message (key + value + headers) produced or returned'),
  maxBatchBytes: z
    .number()
    .int()
    .positive()
    .default(8 * MiB)
    .describe('largest total of one produce call or one consume answer'),
  clientId: z.string().min(1).default('switchboard-kafka'),
  ssl: z.boolean().default(false).describe('TLS to the brokers'),
  sasl: z
    .object({
      mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: z.string().min(1),
      password: z.string().min(1),
    })
    .optional()
    .describe('SASL credentials (from env only; never logged)'),
  sessionTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(300_000)
    .default(10_000)
    .describe('consumer group session timeout; brokers refuse values below their group.min.session.timeout.ms (6000 by default)'),
});
export type KafkaConfig = z.infer<typeof KafkaConfigSchema>;

/** The scope in words, for tool descriptions: a model should not waste calls on refused topics. */
export function scopeText(config: Pick<KafkaConfig, 'produceTopics' | 'consumeTopics' | 'groups' | 'maxMessageBytes'>): string {
  const list = (items: string[]) => (items.length === 0 ? 'none' : items.join(', '));
  return `Produce to: ${list(config.produceTopics)}; consume from: ${list(config.consumeTopics)}; consumer groups: ${list(config.groups)} ('*' ends a prefix). Messages up to ${config.maxMessageBytes} bytes.`;
}
